#!/usr/bin/env bash
# Interop with GnuTLS (gnutls-serv / gnutls-cli), both directions, TLS 1.3.
. "$(dirname "$0")/lib.sh"
need gnutls-cli gnutls-serv python3

P256=$(mkpki p256); RSA=$(mkpki rsa)
GET='GET / HTTP/1.0\r\n\r\n'

# --- gnutls-cli -> latch server ---------------------------------------------------------
# cli_to_latch NAME EXPECT PKI PRIORITY [SERVER-ARGS...]
cli_to_latch() {
    local name=$1 expect=$2 pki=$3 prio=$4 out rc
    shift 4
    latch_server "$WORK/ls.log" --cert "$pki/server-chain.pem" --key "$pki/server.key" --www "$@" ||
        { fail "$name (server start)"; return; }
    out=$(printf "$GET" | timeout 10 gnutls-cli --x509cafile "$pki/ca.pem" --priority "$prio" -p "$PORT" \
        localhost 2>&1)
    rc=$?
    kill "${PIDS[-1]}" 2>/dev/null
    if grep -q "latch server" <<<"$out" && grep -q "$expect" <<<"$out" && grep -q "certificate is trusted" <<<"$out"; then
        pass "gnutls-cli -> latch server: $name"
    else
        fail "gnutls-cli -> latch server: $name (exit $rc)"
        echo "$out" | tail -20
    fi
}

cli_to_latch "AES-128-GCM" "TLS_AES_128_GCM_SHA256" "$P256" "NORMAL:-VERS-ALL:+VERS-TLS1.3:-CIPHER-ALL:+AES-128-GCM"
cli_to_latch "AES-256-GCM" "TLS_AES_256_GCM_SHA384" "$P256" "NORMAL:-VERS-ALL:+VERS-TLS1.3:-CIPHER-ALL:+AES-256-GCM"
cli_to_latch "ChaCha20-Poly1305" "TLS_CHACHA20_POLY1305_SHA256" "$P256" \
    "NORMAL:-VERS-ALL:+VERS-TLS1.3:-CIPHER-ALL:+CHACHA20-POLY1305"
cli_to_latch "X25519" "key exchange:      x25519" "$P256" "NORMAL:-VERS-ALL:+VERS-TLS1.3:-GROUP-ALL:+GROUP-X25519"
cli_to_latch "P-384" "key exchange:      secp384r1" "$P256" "NORMAL:-VERS-ALL:+VERS-TLS1.3:-GROUP-ALL:+GROUP-SECP384R1"
cli_to_latch "RSA certificate" "server signature:  rsa_pss_rsae" "$RSA" "NORMAL:-VERS-ALL:+VERS-TLS1.3"
# GnuTLS sends shares for its first two groups: P-384 needs a HelloRetryRequest.
cli_to_latch "HelloRetryRequest" "after HelloRetryRequest" "$P256" \
    "NORMAL:-VERS-ALL:+VERS-TLS1.3:-GROUP-ALL:+GROUP-X25519:+GROUP-SECP256R1:+GROUP-SECP384R1" --groups secp384r1

# A client certificate from gnutls-cli, required by latch server (TLS 1.3).
latch_server "$WORK/lsc.log" --cert "$P256/server-chain.pem" --key "$P256/server.key" --www \
    --ca "$P256/ca.pem" --verify-client require
out=$(printf "$GET" | timeout 10 gnutls-cli --x509cafile "$P256/ca.pem" --x509certfile "$P256/client.pem" \
    --x509keyfile "$P256/client.key" --priority "NORMAL:-VERS-ALL:+VERS-TLS1.3" -p "$PORT" localhost 2>&1)
kill "${PIDS[-1]}" 2>/dev/null
if grep -q "client certificate: CN=latch test client" <<<"$out" && grep -q "verified:         yes" <<<"$out"; then
    pass "gnutls-cli --x509certfile -> latch server --verify-client require"
else fail "gnutls-cli client certificate"; echo "$out" | tail -15; fi

# --- latch client -> gnutls-serv --------------------------------------------------------
# latch_to_serv NAME EXPECT PKI PRIORITY [CLIENT-ARGS...]
latch_to_serv() {
    local name=$1 expect=$2 pki=$3 prio=$4 out rc
    shift 4
    PORT=$(free_port)
    bg "$WORK/gs.$PORT.log" gnutls-serv --http --x509certfile "$pki/server.pem" --x509keyfile "$pki/server.key" \
        --priority "$prio" -p "$PORT"
    wait_log "$WORK/gs.$PORT.log" "listening" || { fail "$name (server start)"; return; }
    out=$(printf "$GET" | timeout 10 "$LATCH" client "127.0.0.1:$PORT" --servername localhost --ca "$pki/ca.pem" "$@" 2>&1)
    rc=$?
    kill "${PIDS[-1]}" 2>/dev/null
    if grep -q "verified   yes" <<<"$out" && grep -q "$expect" <<<"$out" && grep -qi "gnutls" <<<"$out"; then
        pass "latch client -> gnutls-serv: $name"
    else
        fail "latch client -> gnutls-serv: $name (exit $rc)"
        echo "$out" | head -20
    fi
}

latch_to_serv "AES-128-GCM" "TLS_AES_128_GCM_SHA256" "$P256" "NORMAL:-VERS-ALL:+VERS-TLS1.3:-CIPHER-ALL:+AES-128-GCM"
latch_to_serv "ChaCha20-Poly1305" "TLS_CHACHA20_POLY1305_SHA256" "$P256" \
    "NORMAL:-VERS-ALL:+VERS-TLS1.3:-CIPHER-ALL:+CHACHA20-POLY1305"
latch_to_serv "RSA certificate" "rsa_pss_rsae" "$RSA" "NORMAL:-VERS-ALL:+VERS-TLS1.3"
latch_to_serv "HelloRetryRequest to P-384" "after HelloRetryRequest" "$P256" \
    "NORMAL:-VERS-ALL:+VERS-TLS1.3:-GROUP-ALL:+GROUP-SECP384R1"

finish
