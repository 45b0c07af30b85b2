#!/usr/bin/env bash
# curl --tlsv1.2 --tls-max 1.2 against `latch server --www`: every ECDHE
# suite (curl --ciphers, OpenSSL names), RSA key transport, a client
# certificate; and curl's default (TLS 1.3) against a TLS 1.2-only server.
. "$(dirname "$0")/lib.sh"
need curl

P256=$(mkpki p256); RSA=$(mkpki rsa)

# get PKI CURL-ARGS...: fetch the page from $PORT.
get() {
    local pki=$1
    shift
    timeout 10 curl -sS --tlsv1.2 --tls-max 1.2 --cacert "$pki/ca.pem" --resolve "localhost:$PORT:127.0.0.1" "$@" \
        "https://localhost:$PORT/" 2>&1
}

latch_server "$WORK/ls.log" --cert "$P256/server-chain.pem" --key "$P256/server.key" --www --alpn http/1.1
out=$(get "$P256")
if grep -q "protocol:          TLSv1.2" <<<"$out" && grep -q "ALPN:              http/1.1" <<<"$out" &&
    grep -q "SNI:               localhost" <<<"$out"; then
    pass "curl --tlsv1.2 --tls-max 1.2 -> latch server --www"
else
    fail "curl --tlsv1.2 --tls-max 1.2"; echo "$out"
fi
for s in ECDHE-ECDSA-AES128-GCM-SHA256:TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256 \
    ECDHE-ECDSA-AES256-GCM-SHA384:TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384 \
    ECDHE-ECDSA-CHACHA20-POLY1305:TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256; do
    out=$(get "$P256" --ciphers "${s%%:*}")
    if grep -q "cipher suite:      ${s##*:}" <<<"$out"; then pass "curl --ciphers ${s%%:*}"; else
        fail "curl --ciphers ${s%%:*}"; echo "$out"; fi
done
kill "${PIDS[-1]}" 2>/dev/null

latch_server "$WORK/ls2.log" --cert "$RSA/server-chain.pem" --key "$RSA/server.key" --www --legacy-rsa-kx \
    --ca "$RSA/ca.pem" --verify-client optional
for s in ECDHE-RSA-AES128-GCM-SHA256:TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256 \
    ECDHE-RSA-AES256-GCM-SHA384:TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384 \
    ECDHE-RSA-CHACHA20-POLY1305:TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256 \
    AES128-GCM-SHA256:TLS_RSA_WITH_AES_128_GCM_SHA256 AES256-GCM-SHA384:TLS_RSA_WITH_AES_256_GCM_SHA384; do
    out=$(get "$RSA" --ciphers "${s%%:*}")
    if grep -q "cipher suite:      ${s##*:}" <<<"$out"; then pass "curl --ciphers ${s%%:*}"; else
        fail "curl --ciphers ${s%%:*}"; echo "$out"; fi
done
out=$(get "$RSA" --cert "$RSA/client.pem" --key "$RSA/client.key")
if grep -q "client certificate: CN=latch test client" <<<"$out" && grep -q "verified:         yes" <<<"$out"; then
    pass "curl --tlsv1.2 --cert -> latch server --verify-client"
else
    fail "curl --tlsv1.2 --cert"; echo "$out"
fi
kill "${PIDS[-1]}" 2>/dev/null

# curl's default (TLS 1.3 and 1.2) meets a TLS 1.2-only latch server.
latch_server "$WORK/ls3.log" --cert "$P256/server-chain.pem" --key "$P256/server.key" --www --tls1.2
out=$(timeout 10 curl -sS --cacert "$P256/ca.pem" --resolve "localhost:$PORT:127.0.0.1" "https://localhost:$PORT/" 2>&1)
if grep -q "protocol:          TLSv1.2" <<<"$out"; then pass "curl (TLS 1.3 capable) -> latch server --tls1.2"; else
    fail "curl -> latch server --tls1.2"; echo "$out"; fi

finish
