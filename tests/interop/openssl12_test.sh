#!/usr/bin/env bash
# Interop with OpenSSL (openssl s_server / s_client), both directions, TLS 1.2:
# every ECDHE suite, RSA key transport (-cipher AES128-GCM-SHA256), every
# group and certificate type, client certificates, version negotiation, the
# fallback SCSV, secure renegotiation signalled but renegotiation refused.
. "$(dirname "$0")/lib.sh"
need openssl python3

GET='GET / HTTP/1.0\r\n\r\n'
P256=$(mkpki p256); P384=$(mkpki p384); RSA=$(mkpki rsa); ED=$(mkpki ed25519)

# --- latch client -> openssl s_server -tls1_2 -----------------------------------------
# ossl_server PKI ARGS...: start s_server -www on a free port, set $PORT.
ossl_server() {
    local pki=$1
    shift
    PORT=$(free_port)
    bg "$WORK/ss.$PORT.log" openssl s_server -accept "$PORT" -cert "$pki/server.pem" -key "$pki/server.key" \
        -www "$@"
    wait_log "$WORK/ss.$PORT.log" ACCEPT
}

# latch_to_ossl NAME PKI SERVER-ARGS -- CLIENT-ARGS -- EXPECT...
latch_to_ossl() {
    local name=$1 pki=$2 out rc ok=1
    shift 2
    local sargs=() cargs=()
    while [ "$1" != "--" ]; do sargs+=("$1"); shift; done
    shift
    while [ "$1" != "--" ]; do cargs+=("$1"); shift; done
    shift
    ossl_server "$pki" "${sargs[@]}" || { fail "$name (server start)"; return; }
    out=$(printf "$GET" | timeout 10 "$LATCH" client "127.0.0.1:$PORT" --servername localhost --ca "$pki/ca.pem" \
        "${cargs[@]}" 2>&1)
    rc=$?
    kill "${PIDS[-1]}" 2>/dev/null
    for want in "protocol   TLSv1.2" "verified   yes" "s_server" "$@"; do
        grep -q -- "$want" <<<"$out" || { ok=0; echo "missing: $want"; }
    done
    if [ $rc -eq 0 ] && [ $ok -eq 1 ]; then
        pass "latch client -> openssl s_server -tls1_2: $name"
    else
        fail "latch client -> openssl s_server -tls1_2: $name (exit $rc)"
        echo "$out" | head -20
    fi
}

for s in ECDHE-ECDSA-AES128-GCM-SHA256 ECDHE-ECDSA-AES256-GCM-SHA384 ECDHE-ECDSA-CHACHA20-POLY1305; do
    latch_to_ossl "$s" "$P256" -tls1_2 -cipher "$s" -- -- "Cipher is $s"
done
for s in ECDHE-RSA-AES128-GCM-SHA256 ECDHE-RSA-AES256-GCM-SHA384 ECDHE-RSA-CHACHA20-POLY1305; do
    latch_to_ossl "$s" "$RSA" -tls1_2 -cipher "$s" -- -- "Cipher is $s"
done
for s in AES128-GCM-SHA256 AES256-GCM-SHA384; do
    latch_to_ossl "RSA key transport $s" "$RSA" -tls1_2 -cipher "$s" -- --legacy-rsa-kx --ciphers "$s" -- \
        "Cipher is $s" "group      RSA key transport"
done
# The client lists the certificate's curve too (RFC 4492 §5.3: in TLS 1.2
# supported_groups also bounds the server's ECDSA key).
for g in x25519:X25519 secp256r1:P-256 secp384r1:P-384; do
    extra=:secp256r1; [ "${g%%:*}" = secp256r1 ] && extra=
    latch_to_ossl "group ${g%%:*}" "$P256" -tls1_2 -groups "${g##*:}" -- --groups "${g%%:*}$extra" -- \
        "group      ${g%%:*}"
done
latch_to_ossl "ECDSA P-384 certificate" "$P384" -tls1_2 -- -- "peer sig   ecdsa_secp"
latch_to_ossl "Ed25519 certificate" "$ED" -tls1_2 -- -- "peer sig   ed25519"
latch_to_ossl "RSA certificate, PKCS#1 signature" "$RSA" -tls1_2 -sigalgs RSA+SHA256 -- -- \
    "peer sig   rsa_pkcs1_sha256"
latch_to_ossl "ALPN" "$P256" -tls1_2 -alpn http/1.1 -- --alpn h2,http/1.1 -- "ALPN       http/1.1"
# A TLS 1.3-capable latch client meets a TLS 1.2-only server (version negotiation).
latch_to_ossl "TLS 1.3 client, TLS 1.2 server" "$P256" -tls1_2 -- -- "Protocol  : TLSv1.2"
# Client certificates (issue 4, TLS 1.2 half): s_server -Verify 1 -CAfile.
latch_to_ossl "client certificate" "$P256" -tls1_2 -Verify 1 -CAfile "$P256/ca.pem" -- \
    --cert "$P256/client.pem" --key "$P256/client.key" -- "Client certificate" "our sig    ecdsa_secp256r1_sha256"
latch_to_ossl "RSA client certificate" "$RSA" -tls1_2 -Verify 1 -CAfile "$RSA/ca.pem" -- \
    --cert "$RSA/client.pem" --key "$RSA/client.key" -- "Client certificate" "our sig    rsa_pss_rsae"

# Required and none: the server's handshake_failure, explained by the client.
ossl_server "$P256" -tls1_2 -Verify 1 -CAfile "$P256/ca.pem"
out=$(printf "$GET" | timeout 10 "$LATCH" client "127.0.0.1:$PORT" --servername localhost --ca "$P256/ca.pem" 2>&1)
rc=$?
if [ $rc -ne 0 ] && grep -q "handshake_failure" <<<"$out" && grep -q "asked for a client certificate" <<<"$out"; then
    pass "latch client without a certificate: refused, and says why"
else
    fail "latch client without a certificate (exit $rc)"; echo "$out"
fi

# --- openssl s_client -tls1_2 -> latch server -------------------------------------------
# ossl_to_latch NAME PKI SERVER-ARGS -- CLIENT-ARGS -- EXPECT...
ossl_to_latch() {
    local name=$1 pki=$2 out rc ok=1
    shift 2
    local sargs=() cargs=()
    while [ "$1" != "--" ]; do sargs+=("$1"); shift; done
    shift
    while [ "$1" != "--" ]; do cargs+=("$1"); shift; done
    shift
    latch_server "$WORK/ls.log" --cert "$pki/server-chain.pem" --key "$pki/server.key" --www "${sargs[@]}" ||
        { fail "$name (server start)"; return; }
    out=$(printf "$GET" | timeout 10 openssl s_client -connect "127.0.0.1:$PORT" -servername localhost \
        -CAfile "$pki/ca.pem" -verify_return_error -tls1_2 -ign_eof "${cargs[@]}" 2>&1)
    rc=$?
    kill "${PIDS[-1]}" 2>/dev/null
    for want in "latch server" "protocol:          TLSv1.2" "Verify return code: 0" "Extended master secret: yes" \
        "Secure Renegotiation IS supported" "$@"; do
        grep -q -- "$want" <<<"$out" || { ok=0; echo "missing: $want"; }
    done
    if [ $rc -eq 0 ] && [ $ok -eq 1 ]; then
        pass "openssl s_client -tls1_2 -> latch server: $name"
    else
        fail "openssl s_client -tls1_2 -> latch server: $name (exit $rc)"
        echo "$out" | tail -25
    fi
}

for s in ECDHE-ECDSA-AES128-GCM-SHA256:TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256 \
    ECDHE-ECDSA-AES256-GCM-SHA384:TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384 \
    ECDHE-ECDSA-CHACHA20-POLY1305:TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256; do
    ossl_to_latch "${s%%:*}" "$P256" -- -cipher "${s%%:*}" -- "cipher suite:      ${s##*:}"
done
for s in ECDHE-RSA-AES128-GCM-SHA256:TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256 \
    ECDHE-RSA-AES256-GCM-SHA384:TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384 \
    ECDHE-RSA-CHACHA20-POLY1305:TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256; do
    ossl_to_latch "${s%%:*}" "$RSA" -- -cipher "${s%%:*}" -- "cipher suite:      ${s##*:}"
done
for s in AES128-GCM-SHA256:TLS_RSA_WITH_AES_128_GCM_SHA256 AES256-GCM-SHA384:TLS_RSA_WITH_AES_256_GCM_SHA384; do
    ossl_to_latch "RSA key transport ${s%%:*}" "$RSA" --legacy-rsa-kx -- -cipher "${s%%:*}" -- \
        "cipher suite:      ${s##*:}" "key exchange:      RSA key transport"
done
for g in X25519:x25519 P-256:secp256r1 P-384:secp384r1; do
    extra=:P-256; [ "${g%%:*}" = P-256 ] && extra=
    ossl_to_latch "group ${g%%:*}" "$P256" --groups "${g##*:}" -- -groups "${g%%:*}$extra" -- \
        "key exchange:      ${g##*:}"
done
ossl_to_latch "ECDSA P-384 certificate" "$P384" -- -- "server signature:  ecdsa_secp384r1_sha384"
ossl_to_latch "Ed25519 certificate" "$ED" -- -- "server signature:  ed25519"
ossl_to_latch "RSA certificate, PKCS#1 signature" "$RSA" -- -sigalgs RSA+SHA384 -- \
    "server signature:  rsa_pkcs1_sha384"
ossl_to_latch "ALPN" "$P256" --alpn h2,http/1.1 -- -alpn h2 -- "ALPN:              h2"
ossl_to_latch "client certificate" "$P256" --ca "$P256/ca.pem" --verify-client require -- \
    -cert "$P256/client.pem" -key "$P256/client.key" -- "client certificate: CN=latch test client" \
    "verified:         yes"
ossl_to_latch "client certificate, the CA named in the request" "$P256" --ca "$P256/ca.pem" \
    --verify-client require -- -cert "$P256/client.pem" -key "$P256/client.key" -- \
    "Acceptable client certificate CA names" "verified:         yes"
ossl_to_latch "client certificate, --no-ca-list" "$P256" --ca "$P256/ca.pem" --verify-client require \
    --no-ca-list -- -cert "$P256/client.pem" -key "$P256/client.key" -- "No client certificate CA names sent" \
    "verified:         yes"
ossl_to_latch "RSA client certificate, RSA key transport" "$RSA" --legacy-rsa-kx --ca "$RSA/ca.pem" \
    --verify-client require -- -cipher AES128-GCM-SHA256 -cert "$RSA/client.pem" -key "$RSA/client.key" -- \
    "client certificate: CN=latch test client" "key exchange:      RSA key transport"

# Failures, with the alert OpenSSL reports and the reason latch logs.
# expect_refused NAME LOG-PATTERN ALERT-PATTERN SERVER-ARGS -- CLIENT-ARGS
expect_refused() {
    local name=$1 logpat=$2 alertpat=$3 out
    shift 3
    local sargs=() cargs=()
    while [ "$1" != "--" ]; do sargs+=("$1"); shift; done
    shift
    cargs=("$@")
    latch_server "$WORK/lsr.log" --cert "$RSA/server-chain.pem" --key "$RSA/server.key" --www "${sargs[@]}" ||
        { fail "$name (server start)"; return; }
    out=$(timeout 10 openssl s_client -connect "127.0.0.1:$PORT" -servername localhost -CAfile "$RSA/ca.pem" \
        "${cargs[@]}" </dev/null 2>&1)
    if grep -q -- "$alertpat" <<<"$out" && wait_log "$WORK/lsr.log" "$logpat" >/dev/null; then
        pass "openssl s_client -> latch server: $name"
    else
        fail "openssl s_client -> latch server: $name"; echo "$out" | tail -5; cat "$WORK/lsr.log"
    fi
    kill "${PIDS[-1]}" 2>/dev/null
}

expect_refused "RSA key transport is off by default" "no cipher suite in common" "alert handshake failure" -- \
    -tls1_2 -cipher AES128-GCM-SHA256
expect_refused "a client certificate required and none sent" "sent no certificate and this server requires one" \
    "alert handshake failure" --ca "$RSA/ca.pem" --verify-client require -- -tls1_2
expect_refused "TLS_FALLBACK_SCSV below TLS 1.3" "inappropriate fallback" "alert inappropriate fallback" -- \
    -tls1_2 -fallback_scsv
expect_refused "TLS 1.1" "latch refuses SSL 3.0, TLS 1.0 and TLS 1.1" "alert protocol version" -- \
    -tls1_1 -cipher 'DEFAULT@SECLEVEL=0'

# Renegotiation: RFC 5746 is signalled (checked above), renegotiating is refused.
latch_server "$WORK/lsn.log" --cert "$P256/server-chain.pem" --key "$P256/server.key" --echo
out=$( (sleep 1; printf 'R\n'; sleep 1) | timeout 10 openssl s_client -connect "127.0.0.1:$PORT" -tls1_2 \
    -CAfile "$P256/ca.pem" 2>&1)
if grep -q "RENEGOTIATING" <<<"$out" && grep -q "alert no renegotiation" <<<"$out" &&
    wait_log "$WORK/lsn.log" "does not support renegotiation" >/dev/null; then
    pass "openssl s_client renegotiation request refused with no_renegotiation"
else
    fail "renegotiation refused"; echo "$out" | tail -5; cat "$WORK/lsn.log"
fi

# --- Resumption -------------------------------------------------------------------------
# openssl s_client -sess_out / -sess_in against latch server: tickets (default) and the cache.
for store in tickets --session-cache; do
    args=(); [ "$store" = --session-cache ] && args=(--session-cache)
    latch_server "$WORK/lsr2.log" --cert "$P256/server-chain.pem" --key "$P256/server.key" --www "${args[@]}"
    rm -f "$WORK/s.pem"
    out1=$(printf "$GET" | timeout 10 openssl s_client -connect "127.0.0.1:$PORT" -tls1_2 -CAfile "$P256/ca.pem" \
        -sess_out "$WORK/s.pem" -ign_eof 2>&1)
    out2=$(printf "$GET" | timeout 10 openssl s_client -connect "127.0.0.1:$PORT" -tls1_2 -CAfile "$P256/ca.pem" \
        -sess_in "$WORK/s.pem" -ign_eof 2>&1)
    if grep -q "^New, TLSv1.2" <<<"$out1" && grep -q "^Reused, TLSv1.2" <<<"$out2" &&
        wait_log "$WORK/lsr2.log" "resumed" >/dev/null; then
        pass "openssl s_client -sess_in resumes a TLS 1.2 session on latch server ($store)"
    else
        fail "openssl s_client resumption ($store)"; echo "$out2" | grep -E "New|Reused"; cat "$WORK/lsr2.log"
    fi
    kill "${PIDS[-1]}" 2>/dev/null
done

# latch client --reconnect against openssl s_server: tickets, then session ids (-no_ticket).
for args in "" -no_ticket; do
    ossl_server "$P256" -tls1_2 $args
    out=$(printf "$GET" | timeout 10 "$LATCH" client "127.0.0.1:$PORT" --servername localhost --ca "$P256/ca.pem" \
        --reconnect 2>&1)
    rc=$?
    kill "${PIDS[-1]}" 2>/dev/null
    if [ $rc -eq 0 ] && grep -q "resumed    yes" <<<"$out" && grep -q "^Reused, TLSv1.2" <<<"$out"; then
        pass "latch client resumes a TLS 1.2 session with openssl s_server ${args:-(tickets)}"
    else
        fail "latch client resumption with openssl s_server $args (exit $rc)"; echo "$out" | tail -8
    fi
done

finish
