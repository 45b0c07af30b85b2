#!/usr/bin/env bash
# examples/https_get fetches a page over a verified connection, from latch
# server and from openssl s_server, and refuses a server it cannot verify.
. "$(dirname "$0")/lib.sh"
need openssl python3

GET="$(dirname "$LATCH")/examples/https_get"
P256=$(mkpki p256); RSA=$(mkpki rsa)

latch_server "$WORK/ls.log" --cert "$P256/server-chain.pem" --key "$P256/server.key" --www --alpn http/1.1
out=$(timeout 10 "$GET" "localhost:$PORT" / "$P256/ca.pem" 2>&1)
rc=$?
if [ $rc -eq 0 ] && grep -q "protocol:          TLSv1.3" <<<"$out" && grep -q "ALPN:              http/1.1" <<<"$out"; then
    pass "https_get from latch server"; else fail "https_get from latch server (exit $rc)"; echo "$out"; fi

PORT2=$(free_port)
bg "$WORK/os.log" openssl s_server -accept "$PORT2" -cert "$RSA/server.pem" -key "$RSA/server.key" -www
wait_log "$WORK/os.log" ACCEPT
out=$(timeout 10 "$GET" "localhost:$PORT2" / "$RSA/ca.pem" 2>&1)
rc=$?
if [ $rc -eq 0 ] && grep -q "HTTP/1.0 200 ok" <<<"$out"; then pass "https_get from openssl s_server";
else fail "https_get from openssl s_server (exit $rc)"; echo "$out" | head; fi

out=$(timeout 10 "$GET" "localhost:$PORT" / "$RSA/ca.pem" 2>&1)
rc=$?
if [ $rc -ne 0 ] && grep -q "https_get: certificate chain does not lead to a trusted CA" <<<"$out"; then
    pass "https_get refuses an untrusted server with a clear reason"
else fail "https_get untrusted (exit $rc)"; echo "$out"; fi

finish
