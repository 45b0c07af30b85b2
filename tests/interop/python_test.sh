#!/usr/bin/env bash
# Python's ssl module as a client of latch server, and as a server for latch client.
. "$(dirname "$0")/lib.sh"
need python3

P256=$(mkpki p256)

latch_server "$WORK/ls.log" --cert "$P256/server-chain.pem" --key "$P256/server.key" --echo
out=$(timeout 10 python3 - "$PORT" "$P256/ca.pem" <<'PY'
import socket, ssl, sys
port, ca = int(sys.argv[1]), sys.argv[2]
ctx = ssl.create_default_context(cafile=ca)
ctx.minimum_version = ssl.TLSVersion.TLSv1_3
with ctx.wrap_socket(socket.create_connection(("127.0.0.1", port)), server_hostname="localhost") as s:
    s.sendall(b"hello from python\n")
    data = b""
    while len(data) < 18:
        data += s.recv(100)
    print(s.version(), s.cipher()[0], data.decode().strip())
    s.unwrap()  # close_notify both ways
    print("clean close")
PY
)
if grep -q "TLSv1.3 TLS_.* hello from python" <<<"$out" && grep -q "clean close" <<<"$out"; then
    pass "python ssl client -> latch server (echo, close_notify both ways)"
else
    fail "python ssl client -> latch server"; echo "$out"; cat "$WORK/ls.log"
fi

PORT=$(free_port)
cat >"$WORK/server.py" <<'PY'
import socket, ssl, sys
port, cert, key = int(sys.argv[1]), sys.argv[2], sys.argv[3]
ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
ctx.minimum_version = ssl.TLSVersion.TLSv1_3
ctx.load_cert_chain(cert, key)
ls = socket.socket()
ls.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
ls.bind(("127.0.0.1", port)); ls.listen(1)
print("ready", flush=True)
conn, _ = ls.accept()
with ctx.wrap_socket(conn, server_side=True) as s:
    data = s.recv(100)
    s.sendall(b"python says: " + data)
    s.unwrap()
PY
bg "$WORK/py.log" python3 "$WORK/server.py" "$PORT" "$P256/server-chain.pem" "$P256/server.key"
wait_log "$WORK/py.log" ready
out=$(printf 'hi\n' | timeout 10 "$LATCH" client "127.0.0.1:$PORT" --servername localhost --ca "$P256/ca.pem" 2>&1)
rc=$?
if [ $rc -eq 0 ] && grep -q "python says: hi" <<<"$out" && grep -q "verified   yes" <<<"$out"; then
    pass "latch client -> python ssl server (exit 0 after a clean close)"
else
    fail "latch client -> python ssl server (exit $rc)"; echo "$out"; cat "$WORK/py.log"
fi

finish
