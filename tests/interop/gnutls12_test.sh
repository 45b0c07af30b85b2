#!/usr/bin/env bash
# Interop with GnuTLS (gnutls-serv / gnutls-cli), both directions, TLS 1.2:
# ECDHE with AES-GCM and ChaCha20-Poly1305, ECDSA and RSA certificates, RSA
# key transport, client certificates.
. "$(dirname "$0")/lib.sh"
need gnutls-cli gnutls-serv python3

P256=$(mkpki p256); RSA=$(mkpki rsa)
GET='GET / HTTP/1.0\r\n\r\n'
V12="NORMAL:-VERS-ALL:+VERS-TLS1.2"

# --- gnutls-cli -> latch server ---------------------------------------------------------
# cli_to_latch NAME EXPECT PKI PRIORITY [SERVER-ARGS...] [-- CLI-ARGS...]
cli_to_latch() {
    local name=$1 expect=$2 pki=$3 prio=$4 out rc
    shift 4
    local sargs=() cargs=()
    while [ $# -gt 0 ] && [ "$1" != "--" ]; do sargs+=("$1"); shift; done
    [ $# -gt 0 ] && shift
    cargs=("$@")
    latch_server "$WORK/ls.log" --cert "$pki/server-chain.pem" --key "$pki/server.key" --www "${sargs[@]}" ||
        { fail "$name (server start)"; return; }
    out=$(printf "$GET" | timeout 10 gnutls-cli --x509cafile "$pki/ca.pem" --priority "$prio" -p "$PORT" \
        "${cargs[@]}" localhost 2>&1)
    rc=$?
    kill "${PIDS[-1]}" 2>/dev/null
    if grep -q "latch server" <<<"$out" && grep -q "protocol:          TLSv1.2" <<<"$out" &&
        grep -q "$expect" <<<"$out" && grep -q "certificate is trusted" <<<"$out"; then
        pass "gnutls-cli -> latch server: $name"
    else
        fail "gnutls-cli -> latch server: $name (exit $rc)"
        echo "$out" | tail -20
    fi
}

cli_to_latch "ECDHE-ECDSA AES-128-GCM" "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256" "$P256" \
    "$V12:-CIPHER-ALL:+AES-128-GCM"
cli_to_latch "ECDHE-ECDSA AES-256-GCM" "TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384" "$P256" \
    "$V12:-CIPHER-ALL:+AES-256-GCM"
cli_to_latch "ECDHE-ECDSA ChaCha20-Poly1305" "TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256" "$P256" \
    "$V12:-CIPHER-ALL:+CHACHA20-POLY1305"
cli_to_latch "ECDHE-RSA AES-128-GCM" "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256" "$RSA" "$V12:-CIPHER-ALL:+AES-128-GCM"
cli_to_latch "ECDHE-RSA ChaCha20-Poly1305" "TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256" "$RSA" \
    "$V12:-CIPHER-ALL:+CHACHA20-POLY1305"
cli_to_latch "X25519" "key exchange:      x25519" "$P256" "$V12:-GROUP-ALL:+GROUP-X25519:+GROUP-SECP256R1" \
    --groups x25519
cli_to_latch "P-384" "key exchange:      secp384r1" "$P256" "$V12:-GROUP-ALL:+GROUP-SECP384R1:+GROUP-SECP256R1" \
    --groups secp384r1
cli_to_latch "RSA key transport" "key exchange:      RSA key transport" "$RSA" "$V12:-KX-ALL:+RSA" --legacy-rsa-kx
cli_to_latch "client certificate" "client certificate: CN=latch test client" "$P256" "$V12" \
    --ca "$P256/ca.pem" --verify-client require -- --x509certfile "$P256/client.pem" --x509keyfile "$P256/client.key"

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
    if grep -q "verified   yes" <<<"$out" && grep -q "protocol   TLSv1.2" <<<"$out" && grep -q "$expect" <<<"$out" &&
        grep -qi "gnutls" <<<"$out"; then
        pass "latch client -> gnutls-serv: $name"
    else
        fail "latch client -> gnutls-serv: $name (exit $rc)"
        echo "$out" | head -20
    fi
}

latch_to_serv "ECDHE-ECDSA AES-128-GCM" "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256" "$P256" "$V12:-CIPHER-ALL:+AES-128-GCM"
latch_to_serv "ECDHE-ECDSA ChaCha20-Poly1305" "TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256" "$P256" \
    "$V12:-CIPHER-ALL:+CHACHA20-POLY1305"
latch_to_serv "ECDHE-RSA AES-256-GCM" "TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384" "$RSA" "$V12:-CIPHER-ALL:+AES-256-GCM"
latch_to_serv "RSA key transport" "group      RSA key transport" "$RSA" "$V12:-KX-ALL:+RSA" --legacy-rsa-kx
# A TLS 1.3-capable latch client and a TLS 1.2-only GnuTLS server.
latch_to_serv "version negotiation" "suite      TLS_ECDHE" "$P256" "$V12"

# --- Resumption -------------------------------------------------------------------------
latch_server "$WORK/lsr.log" --cert "$P256/server-chain.pem" --key "$P256/server.key" --www
out=$(printf "$GET" | timeout 10 gnutls-cli --x509cafile "$P256/ca.pem" --priority "$V12" -p "$PORT" --resume \
    localhost 2>&1)
if grep -q "This is a resumed session" <<<"$out" && wait_log "$WORK/lsr.log" "resumed" >/dev/null; then
    pass "gnutls-cli --resume: a TLS 1.2 ticket resumed by latch server"
else
    fail "gnutls-cli --resume"; echo "$out" | tail -10
fi
kill "${PIDS[-1]}" 2>/dev/null

# latch client --reconnect against gnutls-serv, with and without extended
# master secret: without it (%NO_SESSION_HASH) latch keeps no session
# (RFC 7627 §5.3 makes EMS a condition of resumption).
PORT=$(free_port)
bg "$WORK/gsr.log" gnutls-serv --http --x509certfile "$P256/server.pem" --x509keyfile "$P256/server.key" \
    --priority "$V12" -p "$PORT"
wait_log "$WORK/gsr.log" "listening"
out=$(printf "$GET" | timeout 10 "$LATCH" client "127.0.0.1:$PORT" --servername localhost --ca "$P256/ca.pem" \
    --reconnect 2>&1)
kill "${PIDS[-1]}" 2>/dev/null
if grep -q "resumed    yes" <<<"$out"; then pass "latch client resumes a TLS 1.2 session with gnutls-serv"; else
    fail "latch client resumption with gnutls-serv"; echo "$out" | tail -8; fi
PORT=$(free_port)
bg "$WORK/gsn.log" gnutls-serv --http --x509certfile "$P256/server.pem" --x509keyfile "$P256/server.key" \
    --priority "$V12:%NO_SESSION_HASH" -p "$PORT"
wait_log "$WORK/gsn.log" "listening"
out=$(printf "$GET" | timeout 10 "$LATCH" client "127.0.0.1:$PORT" --servername localhost --ca "$P256/ca.pem" \
    --reconnect --trace 2>&1)
kill "${PIDS[-1]}" 2>/dev/null
if grep -q "extended master secret OFF" <<<"$out" && grep -q "gave no session to resume" <<<"$out" &&
    ! grep -q "resumed    yes" <<<"$out"; then
    pass "without extended master secret no TLS 1.2 session is kept"
else
    fail "no session without EMS"; echo "$out" | tail -8
fi

finish
