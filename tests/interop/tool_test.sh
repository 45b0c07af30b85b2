#!/usr/bin/env bash
# The latch tool over real sockets: latch client against latch server, the
# summary, --trace, --keylog, exit statuses and one-line failure reasons.
. "$(dirname "$0")/lib.sh"
need python3

P256=$(mkpki p256); OTHER=$(mkpki rsa)

for cmd in demo client server certs selftest; do
    check "latch $cmd --help" bash -c "'$LATCH' $cmd --help | grep -q usage"
done
check "latch with no command exits 2" bash -c "'$LATCH' >/dev/null 2>&1; [ \$? -eq 2 ]"
check "latch selftest" bash -c "'$LATCH' selftest | grep -q 'all values match RFC 8448'"
check "latch demo" bash -c "'$LATCH' demo | grep -q 'closed cleanly'"
check "latch demo --tls1.2-rsa draws the classic steps" bash -c \
    "'$LATCH' demo --tls1.2-rsa | grep -c 'Step [1-9]\\. ' | grep -qx 9"
check "latch demo --tls1.2-rsa negotiates RSA key transport" bash -c \
    "'$LATCH' demo --tls1.2-rsa | grep -q 'suite      TLS_RSA_WITH_AES_128_GCM_SHA256'"

latch_server "$WORK/ls.log" --cert "$P256/server-chain.pem" --key "$P256/server.key" --echo \
    --ca "$P256/ca.pem" --verify-client optional

out=$(printf 'hello\n' | timeout 10 "$LATCH" client "127.0.0.1:$PORT" --servername localhost --ca "$P256/ca.pem" \
    --keylog "$WORK/keys.log" --trace 2>"$WORK/err.log")
rc=$?
if [ $rc -eq 0 ] && [ "$out" = "hello" ]; then pass "echo through latch client and server, exit 0"; else
    fail "echo (exit $rc, out '$out')"; cat "$WORK/err.log"; fi
check "--trace draws the handshake" grep -q -- "-- ClientHello" "$WORK/err.log"
check "--trace shows the certificate check" grep -q "certificate verified" "$WORK/err.log"
check "--keylog writes the four TLS 1.3 traffic secrets" bash -c \
    "grep -c '^CLIENT_HANDSHAKE_TRAFFIC_SECRET [0-9a-f]\{64\} [0-9a-f]\{64\}$\|^SERVER_HANDSHAKE_TRAFFIC_SECRET\|^CLIENT_TRAFFIC_SECRET_0\|^SERVER_TRAFFIC_SECRET_0' '$WORK/keys.log' | grep -qx 4"

# TLS 1.2 from the tool: --tls1.2, and the key log in its NSS form.
out=$(printf 'hi12\n' | timeout 10 "$LATCH" client "127.0.0.1:$PORT" --servername localhost --ca "$P256/ca.pem" \
    --tls1.2 --ciphers ECDHE-ECDSA-CHACHA20-POLY1305 --keylog "$WORK/keys12.log" 2>&1)
if grep -q "^hi12$" <<<"$out" && grep -q "protocol   TLSv1.2" <<<"$out" &&
    grep -q "suite      TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256" <<<"$out"; then
    pass "latch client --tls1.2 --ciphers ECDHE-ECDSA-CHACHA20-POLY1305"; else fail "--tls1.2"; echo "$out"; fi
check "--keylog writes CLIENT_RANDOM for TLS 1.2" grep -q '^CLIENT_RANDOM [0-9a-f]\{64\} [0-9a-f]\{96\}$' \
    "$WORK/keys12.log"
out=$(timeout 10 "$LATCH" client "127.0.0.1:$PORT" --servername localhost --ca "$P256/ca.pem" --tls1.2 \
    --ciphers AES128-GCM-SHA256 </dev/null 2>&1)
rc=$?
if [ $rc -ne 0 ] && grep -q "legacy_rsa_kx\|--legacy-rsa-kx" <<<"$out"; then
    pass "--ciphers AES128-GCM-SHA256 needs --legacy-rsa-kx"; else fail "RSA suite without the switch"; echo "$out"; fi

# A client certificate is reported by the server.
out=$(printf 'x\n' | timeout 10 "$LATCH" client "127.0.0.1:$PORT" --servername localhost --ca "$P256/ca.pem" \
    --cert "$P256/client.pem" --key "$P256/client.key" 2>&1)
check "client certificate accepted" grep -q "^x$" <<<"$out"
check "server logs the client identity" wait_log "$WORK/ls.log" "client certificate: CN=latch test client"

# Failures: non-zero exit and a one-line reason.
out=$(timeout 10 "$LATCH" client "127.0.0.1:$PORT" --servername localhost --ca "$OTHER/ca.pem" </dev/null 2>&1)
rc=$?
if [ $rc -ne 0 ] && grep -q "unknown_ca\|trusted CA" <<<"$out" && [ "$(wc -l <<<"$out")" -le 2 ]; then
    pass "untrusted server: exit $rc with one line"; else fail "untrusted server (exit $rc)"; echo "$out"; fi
out=$(timeout 10 "$LATCH" client "127.0.0.1:$PORT" --servername nothere.example --ca "$P256/ca.pem" </dev/null 2>&1)
rc=$?
if [ $rc -ne 0 ] && grep -q "nothere.example" <<<"$out"; then pass "wrong name: exit $rc"; else
    fail "wrong name (exit $rc)"; echo "$out"; fi
out=$(timeout 10 "$LATCH" client "127.0.0.1:$PORT" --insecure --quiet --servername localhost --ca "$P256/ca.pem" \
    </dev/null 2>&1)
rc=$?
if [ $rc -eq 0 ] && grep -q "WARNING: --insecure" <<<"$out"; then pass "--insecure warns (and verifies anyway: exit 0)";
else fail "--insecure (exit $rc)"; echo "$out"; fi
out=$(timeout 10 "$LATCH" client "127.0.0.1:$PORT" --insecure --quiet --servername other.example </dev/null 2>&1)
rc=$?
if [ $rc -eq 3 ] && grep -q "not verified" <<<"$out"; then pass "--insecure with a bad certificate: exit 3";
else fail "--insecure bad certificate (exit $rc)"; echo "$out"; fi
check "server logs the refused handshake" wait_log "$WORK/ls.log" "handshake failed"

# Refusing old protocol versions: a TLS 1.1-only client gets protocol_version
# (OpenSSL 3 itself needs security level 0 to offer TLS 1.1), and the server
# says why; a TLS 1.2-only client is served.
if command -v openssl >/dev/null; then
    out=$(timeout 10 openssl s_client -connect "127.0.0.1:$PORT" -tls1_1 -cipher 'DEFAULT@SECLEVEL=0' </dev/null 2>&1)
    if grep -q "alert protocol version" <<<"$out" &&
        wait_log "$WORK/ls.log" "the client speaks only TLSv1.1; latch refuses SSL 3.0, TLS 1.0 and TLS 1.1" >/dev/null; then
        pass "TLS 1.1 client refused with protocol_version"; else fail "TLS 1.1 refusal"; echo "$out" | tail -5; fi
    out=$(timeout 10 openssl s_client -connect "127.0.0.1:$PORT" -tls1_2 -CAfile "$P256/ca.pem" </dev/null 2>&1)
    if grep -q "Protocol  : TLSv1.2" <<<"$out" && grep -q "Verify return code: 0" <<<"$out"; then
        pass "TLS 1.2 client served"; else fail "TLS 1.2 client"; echo "$out" | tail -5; fi
fi

# Not TLS at all: an HTTP request to the TLS port.
printf 'GET / HTTP/1.0\r\n\r\n' | timeout 5 python3 -c "
import socket,sys; s=socket.create_connection(('127.0.0.1',$PORT)); s.sendall(sys.stdin.buffer.read()); s.recv(100)" \
    >/dev/null 2>&1
check "plain HTTP to the TLS port is named as such" wait_log "$WORK/ls.log" "HTTP request"

finish
