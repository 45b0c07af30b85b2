#!/usr/bin/env bash
# curl against `latch server --www`: the page shows what was negotiated.
. "$(dirname "$0")/lib.sh"
need curl

P256=$(mkpki p256); RSA=$(mkpki rsa)

latch_server "$WORK/ls.log" --cert "$P256/server-chain.pem" --key "$P256/server.key" --www --alpn http/1.1
out=$(timeout 10 curl -sS --cacert "$P256/ca.pem" --resolve "localhost:$PORT:127.0.0.1" "https://localhost:$PORT/" 2>&1)
if grep -q "protocol:          TLSv1.3" <<<"$out" && grep -q "ALPN:              http/1.1" <<<"$out" &&
    grep -q "SNI:               localhost" <<<"$out"; then
    pass "curl -> latch server --www"
else
    fail "curl -> latch server --www"; echo "$out"
fi

for s in TLS_AES_128_GCM_SHA256 TLS_AES_256_GCM_SHA384 TLS_CHACHA20_POLY1305_SHA256; do
    out=$(timeout 10 curl -sS --tlsv1.3 --tls13-ciphers "$s" --cacert "$P256/ca.pem" \
        --resolve "localhost:$PORT:127.0.0.1" "https://localhost:$PORT/" 2>&1)
    if grep -q "cipher suite:      $s" <<<"$out"; then pass "curl --tls13-ciphers $s"; else fail "curl $s"; echo "$out"; fi
done

# curl with a client certificate against a server that requires one.
latch_server "$WORK/ls2.log" --cert "$RSA/server-chain.pem" --key "$RSA/server.key" --www \
    --ca "$RSA/ca.pem" --verify-client require
out=$(timeout 10 curl -sS --cacert "$RSA/ca.pem" --cert "$RSA/client.pem" --key "$RSA/client.key" \
    --resolve "localhost:$PORT:127.0.0.1" "https://localhost:$PORT/" 2>&1)
if grep -q "client certificate: CN=latch test client" <<<"$out" && grep -q "verified:         yes" <<<"$out"; then
    pass "curl --cert -> latch server --verify-client require"
else
    fail "curl --cert"; echo "$out"
fi
# ... and without one: curl reports the failure, the server logs why.
out=$(timeout 10 curl -sS --cacert "$RSA/ca.pem" --resolve "localhost:$PORT:127.0.0.1" "https://localhost:$PORT/" 2>&1)
if [ -n "$out" ] && ! grep -q "latch server" <<<"$out" && wait_log "$WORK/ls2.log" "certificate" >/dev/null; then
    pass "curl without a certificate is refused"
else
    fail "curl without a certificate is refused"; echo "$out"; cat "$WORK/ls2.log"
fi

# A client that does not trust the server's CA: curl refuses, latch logs the alert.
out=$(timeout 10 curl -sS --cacert "$RSA/ca.pem" --resolve "localhost:${PORT}:127.0.0.1" \
    "https://localhost:$(sed -n 's/.*listening on .* port \([0-9]*\).*/\1/p' "$WORK/ls.log" | head -1)/" 2>&1)
if grep -qi "certificate" <<<"$out" && wait_log "$WORK/ls.log" "unknown_ca" >/dev/null; then
    pass "curl refuses an untrusted server; latch server reports unknown_ca"
else
    fail "curl refuses an untrusted server"; echo "$out"; cat "$WORK/ls.log"
fi

finish
