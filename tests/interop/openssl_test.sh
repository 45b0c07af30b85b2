#!/usr/bin/env bash
# Interop with OpenSSL (openssl s_server / s_client), both directions, TLS 1.3:
# every suite, every group, every certificate type, and HelloRetryRequest.
. "$(dirname "$0")/lib.sh"
need openssl python3

GET='GET / HTTP/1.0\r\n\r\n'

# --- latch client -> openssl s_server -------------------------------------------------
# ossl_server PKI ARGS...: start s_server -www on a free port, set $PORT.
ossl_server() {
    local pki=$1
    shift
    PORT=$(free_port)
    bg "$WORK/ss.$PORT.log" openssl s_server -accept "$PORT" -cert "$pki/server.pem" -key "$pki/server.key" \
        -tls1_3 -www "$@"
    wait_log "$WORK/ss.$PORT.log" ACCEPT
}

# latch_to_ossl NAME EXPECT PKI SERVER-ARGS -- CLIENT-ARGS
latch_to_ossl() {
    local name=$1 expect=$2 pki=$3 out
    shift 3
    local sargs=() cargs=()
    while [ "$1" != "--" ]; do sargs+=("$1"); shift; done
    shift
    cargs=("$@")
    ossl_server "$pki" "${sargs[@]}" || { fail "$name (server start)"; return; }
    out=$(printf "$GET" | timeout 10 "$LATCH" client "127.0.0.1:$PORT" --servername localhost --ca "$pki/ca.pem" \
        "${cargs[@]}" 2>&1)
    local rc=$?
    if [ $rc -eq 0 ] && grep -q "s_server" <<<"$out" && grep -q "$expect" <<<"$out"; then
        pass "latch client -> openssl s_server: $name"
    else
        fail "latch client -> openssl s_server: $name (exit $rc)"
        echo "$out" | head -20
    fi
}

P256=$(mkpki p256); P384=$(mkpki p384); RSA=$(mkpki rsa); ED=$(mkpki ed25519)

for s in TLS_AES_128_GCM_SHA256 TLS_AES_256_GCM_SHA384 TLS_CHACHA20_POLY1305_SHA256; do
    latch_to_ossl "suite $s" "suite      $s" "$P256" -ciphersuites "$s" -- 
done
for g in x25519:X25519 secp256r1:P-256 secp384r1:P-384; do
    latch_to_ossl "group ${g%%:*}" "group      ${g%%:*}" "$P256" -groups "${g##*:}" -- --groups "${g%%:*}"
done
latch_to_ossl "ECDSA P-256 certificate" "peer sig   ecdsa_secp256r1_sha256" "$P256" --
latch_to_ossl "ECDSA P-384 certificate" "peer sig   ecdsa_secp384r1_sha384" "$P384" --
latch_to_ossl "RSA certificate (PSS)" "peer sig   rsa_pss_rsae_sha256" "$RSA" --
latch_to_ossl "Ed25519 certificate" "peer sig   ed25519" "$ED" --
latch_to_ossl "HelloRetryRequest to P-384" "after HelloRetryRequest" "$P256" -groups P-384 -- 
latch_to_ossl "ALPN" "ALPN       http/1.1" "$P256" -alpn http/1.1 -- --alpn h2,http/1.1

# Client certificates (TLS 1.3): s_server -Verify 1 asks for one; latch client sends it,
# or, without one, reports the certificate_required alert the server sends.
ossl_server "$P256" -Verify 1 -CAfile "$P256/ca.pem"
out=$(printf "$GET" | timeout 10 "$LATCH" client "127.0.0.1:$PORT" --servername localhost --ca "$P256/ca.pem" \
    --cert "$P256/client.pem" --key "$P256/client.key" 2>&1)
if [ $? -eq 0 ] && grep -q "^Client certificate" <<<"$out"; then
    pass "latch client --cert -> openssl s_server -Verify 1"
else fail "latch client --cert -> openssl s_server -Verify 1"; echo "$out" | head -20; fi
ossl_server "$P256" -Verify 1 -CAfile "$P256/ca.pem"
out=$(printf "$GET" | timeout 10 "$LATCH" client "127.0.0.1:$PORT" --servername localhost --ca "$P256/ca.pem" 2>&1)
rc=$?
if [ $rc -ne 0 ] && grep -q "received alert certificate_required" <<<"$out"; then
    pass "latch client without a certificate: certificate_required from openssl s_server"
else fail "latch client without a certificate (exit $rc)"; echo "$out" | tail -5; fi

# A server whose certificate names another host: the client refuses it.
ossl_server "$P256"
out=$(printf "$GET" | timeout 10 "$LATCH" client "127.0.0.1:$PORT" --servername wrong.example --ca "$P256/ca.pem" 2>&1)
rc=$?
if [ $rc -ne 0 ] && grep -q "does not match" <<<"$out"; then
    pass "latch client refuses a certificate for another name"
else
    fail "latch client refuses a certificate for another name (exit $rc)"; echo "$out"
fi

# --- openssl s_client -> latch server --------------------------------------------------
# ossl_to_latch NAME EXPECT PKI SERVER-ARGS -- CLIENT-ARGS
ossl_to_latch() {
    local name=$1 expect=$2 pki=$3 out
    shift 3
    local sargs=() cargs=()
    while [ "$1" != "--" ]; do sargs+=("$1"); shift; done
    shift
    cargs=("$@")
    latch_server "$WORK/ls.log" --cert "$pki/server-chain.pem" --key "$pki/server.key" --www "${sargs[@]}" ||
        { fail "$name (server start)"; return; }
    out=$(printf "$GET" | timeout 10 openssl s_client -connect "127.0.0.1:$PORT" -servername localhost \
        -CAfile "$pki/ca.pem" -verify_return_error -tls1_3 -ign_eof "${cargs[@]}" 2>&1)
    local rc=$?
    kill "${PIDS[-1]}" 2>/dev/null
    if [ $rc -eq 0 ] && grep -q "latch server" <<<"$out" && grep -q "$expect" <<<"$out" &&
        grep -q "Verify return code: 0" <<<"$out"; then
        pass "openssl s_client -> latch server: $name"
    else
        fail "openssl s_client -> latch server: $name (exit $rc)"
        echo "$out" | tail -25
    fi
}

for s in TLS_AES_128_GCM_SHA256 TLS_AES_256_GCM_SHA384 TLS_CHACHA20_POLY1305_SHA256; do
    ossl_to_latch "suite $s" "cipher suite:      $s" "$P256" -- -ciphersuites "$s"
done
for g in X25519:x25519 P-256:secp256r1 P-384:secp384r1; do
    ossl_to_latch "group ${g%%:*}" "key exchange:      ${g##*:}" "$P256" -- -groups "${g%%:*}"
done
ossl_to_latch "ECDSA P-256 certificate" "server signature:  ecdsa_secp256r1_sha256" "$P256" --
ossl_to_latch "ECDSA P-384 certificate" "server signature:  ecdsa_secp384r1_sha384" "$P384" --
ossl_to_latch "RSA certificate (PSS)" "server signature:  rsa_pss_rsae_sha256" "$RSA" --
ossl_to_latch "Ed25519 certificate" "server signature:  ed25519" "$ED" --
ossl_to_latch "HelloRetryRequest to P-384" "after HelloRetryRequest" "$P256" --groups secp384r1 -- \
    -groups X25519:P-384
ossl_to_latch "ALPN" "ALPN:              h2" "$P256" --alpn h2,http/1.1 -- -alpn h2

# A client certificate required and sent.
ossl_to_latch "client certificate" "client certificate: CN=latch test client" "$P256" \
    --ca "$P256/ca.pem" --verify-client require -- -cert "$P256/client.pem" -key "$P256/client.key"

# The CertificateRequest names the CA, or (--no-ca-list) none.
ossl_to_latch "client certificate, the CA named in the request" "Acceptable client certificate CA names" "$P256" \
    --ca "$P256/ca.pem" --verify-client require -- -cert "$P256/client.pem" -key "$P256/client.key"
ossl_to_latch "client certificate, --no-ca-list" "No client certificate CA names sent" "$P256" \
    --ca "$P256/ca.pem" --verify-client require --no-ca-list -- -cert "$P256/client.pem" -key "$P256/client.key"

# A client refused: no certificate, or one from a CA the server does not trust;
# s_client shows the alert, latch server logs why.
latch_server "$WORK/lsr.log" --cert "$P256/server-chain.pem" --key "$P256/server.key" --echo \
    --ca "$P256/ca.pem" --verify-client require
# (TLS 1.3: s_client finishes first and must still be reading when the alert comes.)
out=$( (echo x; sleep 1) | timeout 10 openssl s_client -connect "127.0.0.1:$PORT" -servername localhost \
    -CAfile "$P256/ca.pem" -tls1_3 2>&1)
if grep -q "alert certificate required" <<<"$out" && wait_log "$WORK/lsr.log" "sent alert certificate_required" >/dev/null; then
    pass "openssl s_client without a certificate: alert certificate required"
else fail "s_client without a certificate"; echo "$out" | tail -5; cat "$WORK/lsr.log"; fi
out=$( (echo x; sleep 1) | timeout 10 openssl s_client -connect "127.0.0.1:$PORT" -servername localhost \
    -CAfile "$P256/ca.pem" -tls1_3 -cert "$RSA/client.pem" -key "$RSA/client.key" 2>&1)
if grep -q "alert unknown ca" <<<"$out" && wait_log "$WORK/lsr.log" "sent alert unknown_ca" >/dev/null; then
    pass "openssl s_client with an untrusted certificate: alert unknown ca"
else fail "s_client untrusted certificate"; echo "$out" | tail -5; cat "$WORK/lsr.log"; fi

# --strict-sni: a name no --cert matches is refused with unrecognized_name
# (TLS 1.3 and 1.2); the certificate's own name is served.
ossl_to_latch "--strict-sni, the certificate's name" "latch server" "$P256" --strict-sni --
latch_server "$WORK/lss.log" --cert "$P256/server-chain.pem" --key "$P256/server.key" --echo --strict-sni
for v in -tls1_3 -tls1_2; do
    out=$(echo x | timeout 10 openssl s_client -connect "127.0.0.1:$PORT" -servername unknown.example \
        -CAfile "$P256/ca.pem" "$v" 2>&1)
    if grep -q "unrecognized name" <<<"$out" && grep -q "SSL alert number 112" <<<"$out"; then
        pass "openssl s_client $v, an unknown name, --strict-sni: alert unrecognized name (112)"
    else fail "s_client $v unknown name with --strict-sni"; echo "$out" | tail -5; fi
done
check "latch server logs the refused name" wait_log "$WORK/lss.log" \
    'no certificate for the server name "unknown.example" (strict SNI) (sent alert unrecognized_name)'

finish
