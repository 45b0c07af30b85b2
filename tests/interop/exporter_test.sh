#!/usr/bin/env bash
# Keying material exporters against OpenSSL: latch client --keymatexport and
# openssl s_server -keymatexport must print the same bytes, in TLS 1.3
# (RFC 8446 §7.5) and TLS 1.2 (RFC 5705).
. "$(dirname "$0")/lib.sh"
need openssl python3

P256=$(mkpki p256)
for v in 1.3 1.2; do
    PORT=$(free_port)
    ( sleep 15 | openssl s_server -accept "$PORT" -cert "$P256/server.pem" -key "$P256/server.key" \
        -keymatexport EXPERIMENTAL-interop -keymatexportlen 48 -naccept 1 >"$WORK/os.$v.log" 2>&1 ) &
    PIDS+=($!)
    wait_log "$WORK/os.$v.log" ACCEPT
    out=$(echo | timeout 10 "$LATCH" client "127.0.0.1:$PORT" --servername localhost --ca "$P256/ca.pem" "--tls$v" \
        --keymatexport EXPERIMENTAL-interop --keymatexportlen 48 2>&1)
    ours=$(sed -n 's/.*exported   \([0-9A-F]*\) .*/\1/p' <<<"$out")
    wait_log "$WORK/os.$v.log" "Keying material:" >/dev/null
    theirs=$(sed -n 's/.*Keying material: \([0-9A-F]*\).*/\1/p' "$WORK/os.$v.log" | head -1)
    if [ -n "$ours" ] && [ ${#ours} -eq 96 ] && [ "$ours" = "$theirs" ]; then
        pass "TLS $v exporter equals OpenSSL's"
    else
        fail "TLS $v exporter: latch '$ours', openssl '$theirs'"; echo "$out"
    fi
done
finish
