#!/usr/bin/env bash
# TLS 1.3 resumption, 0-RTT and KeyUpdate against OpenSSL, both directions:
# openssl s_client -sess_out/-sess_in/-early_data against latch server, and
# latch client --sess-out/--sess-in/--early-data/--reconnect against
# openssl s_server -early_data; KeyUpdate from OpenSSL (K and k) and from latch.
. "$(dirname "$0")/lib.sh"
need openssl python3

P256=$(mkpki p256)

# --- openssl s_client -> latch server ----------------------------------------------------
for store in tickets cache; do
    extra=()
    [ $store = cache ] && extra=(--session-cache)
    latch_server "$WORK/ls.$store.log" --cert "$P256/server-chain.pem" --key "$P256/server.key" --echo --early-data \
        "${extra[@]}"
    out=$(echo first | timeout 10 openssl s_client -connect "127.0.0.1:$PORT" -servername localhost \
        -CAfile "$P256/ca.pem" -sess_out "$WORK/ossl.sess" -ign_eof 2>&1)
    if grep -q "^New, TLSv1.3" <<<"$out" && grep -q "^first$" <<<"$out"; then pass "s_client full handshake ($store)";
    else fail "s_client full handshake ($store)"; echo "$out" | tail -5; fi
    echo "early bytes" >"$WORK/early.txt"
    out=$(echo second | timeout 10 openssl s_client -connect "127.0.0.1:$PORT" -servername localhost \
        -CAfile "$P256/ca.pem" -sess_in "$WORK/ossl.sess" -early_data "$WORK/early.txt" -ign_eof 2>&1)
    if grep -q "^Reused, TLSv1.3" <<<"$out" && grep -q "Early data was accepted" <<<"$out" &&
        grep -q "^early bytes$" <<<"$out" && grep -q "^second$" <<<"$out" &&
        wait_log "$WORK/ls.$store.log" "resumed early-data=accepted" >/dev/null; then
        pass "s_client -sess_in -early_data: resumed, 0-RTT accepted and echoed ($store)"
    else
        fail "s_client -sess_in -early_data ($store)"; echo "$out" | tail -8; cat "$WORK/ls.$store.log"
    fi
    if [ $store = cache ]; then
        # Single-use tickets: the same session again is not resumed.
        out=$(echo third | timeout 10 openssl s_client -connect "127.0.0.1:$PORT" -servername localhost \
            -CAfile "$P256/ca.pem" -sess_in "$WORK/ossl.sess" -ign_eof 2>&1)
        if grep -q "^New, TLSv1.3" <<<"$out"; then pass "cache: a ticket resumes only once";
        else fail "cache single use"; echo "$out" | tail -5; fi
    fi
done

# KeyUpdate from OpenSSL: K asks latch to update too, k does not; data keeps flowing.
latch_server "$WORK/ls.ku.log" --cert "$P256/server-chain.pem" --key "$P256/server.key" --echo
out=$( (echo one; sleep 0.5; echo K; sleep 0.5; echo two; sleep 0.5; echo k; sleep 0.5; echo three; sleep 0.7) |
    timeout 10 openssl s_client -connect "127.0.0.1:$PORT" -servername localhost -CAfile "$P256/ca.pem" 2>&1)
if [ "$(grep -c KEYUPDATE <<<"$out")" -eq 2 ] && grep -q "^one$" <<<"$out" && grep -q "^two$" <<<"$out" &&
    grep -q "^three$" <<<"$out"; then
    pass "KeyUpdate from openssl s_client (K and k), echo continues"
else
    fail "KeyUpdate from openssl"; echo "$out" | tail -10
fi

# --- latch client -> openssl s_server -------------------------------------------------------
PORT=$(free_port)
( sleep 30 | openssl s_server -accept "$PORT" -cert "$P256/server.pem" -key "$P256/server.key" -early_data \
    >"$WORK/os.log" 2>&1 ) &
PIDS+=($!)
wait_log "$WORK/os.log" ACCEPT
out=$(echo abc | timeout 10 "$LATCH" client "127.0.0.1:$PORT" --servername localhost --ca "$P256/ca.pem" \
    --sess-out "$WORK/latch.sess" 2>&1)
if [ -s "$WORK/latch.sess" ]; then pass "latch client --sess-out saves the server's ticket";
else fail "latch client --sess-out"; echo "$out"; fi
echo "latch early" >"$WORK/early2.txt"
out=$(echo xyz | timeout 10 "$LATCH" client "127.0.0.1:$PORT" --servername localhost --ca "$P256/ca.pem" \
    --sess-in "$WORK/latch.sess" --early-data "$WORK/early2.txt" --key-update 2>&1)
rc=$?
sleep 0.3
if [ $rc -eq 0 ] && grep -q "resumed    yes" <<<"$out" && grep -q "early data accepted" <<<"$out" &&
    grep -q "Early data received" "$WORK/os.log" && grep -q "^latch early$" "$WORK/os.log"; then
    pass "latch client --sess-in --early-data --key-update against openssl s_server -early_data"
else
    fail "latch client resumption/0-RTT against openssl (exit $rc)"; echo "$out"; cat "$WORK/os.log" | grep -v "^ *[0-9]"
fi

# --reconnect against OpenSSL's web server: the second connection resumes.
PORT=$(free_port)
bg "$WORK/ow.log" openssl s_server -accept "$PORT" -cert "$P256/server.pem" -key "$P256/server.key" -www
wait_log "$WORK/ow.log" ACCEPT
out=$(printf 'GET / HTTP/1.0\r\n\r\n' | timeout 10 "$LATCH" client "127.0.0.1:$PORT" --servername localhost \
    --ca "$P256/ca.pem" --reconnect 2>&1)
if [ "$(grep -c 's_server' <<<"$out")" -ge 2 ] && grep -q "resumed    yes" <<<"$out" &&
    grep -q "Reused, TLSv1.3" <<<"$out"; then
    pass "latch client --reconnect: the second connection resumes (openssl s_server -www)"
else
    fail "latch client --reconnect"; echo "$out" | grep -v "^<\|TLSv1\.[0-2]" | head -30
fi

finish
