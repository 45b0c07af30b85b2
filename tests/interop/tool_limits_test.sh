#!/usr/bin/env bash
# latch server --max-conns: connections beyond the limit are refused (closed
# at once, and logged), the ones within it are served, and a freed slot is
# taken again. (The library's own limits are tested in tests/unit/conn_test.c.)
. "$(dirname "$0")/lib.sh"
need python3

P256=$(mkpki p256)
latch_server "$WORK/ls.log" --cert "$P256/server-chain.pem" --key "$P256/server.key" --echo --max-conns 2

# Two idle TCP connections hold both slots; a third is closed without a byte;
# after one of the two goes away, a TLS client is served again.
python3 - "$PORT" "$LATCH" "$P256/ca.pem" >"$WORK/py.log" 2>&1 <<'PY'
import socket, subprocess, sys, time
port, latch, ca = int(sys.argv[1]), sys.argv[2], sys.argv[3]
held = [socket.create_connection(("127.0.0.1", port)) for _ in range(2)]
time.sleep(0.3)
third = socket.create_connection(("127.0.0.1", port))
third.settimeout(5)
try:
    got = third.recv(100)
except ConnectionResetError:
    got = b""
print("third:", "closed" if got == b"" else "open")
held[0].close()
time.sleep(0.3)
r = subprocess.run([latch, "client", "127.0.0.1:%d" % port, "--servername", "localhost", "--ca", ca],
                   input=b"again\n", capture_output=True, timeout=10)
print("client:", r.returncode, r.stdout.decode().strip())
held[1].close()
PY
check "a connection beyond --max-conns is closed at once" grep -q "^third: closed" "$WORK/py.log"
check "the server logs the refusal" wait_log "$WORK/ls.log" "refusing a connection: 2 connections already"
check "a freed slot serves a TLS client again" grep -q "^client: 0 again" "$WORK/py.log"
[ "$FAILS" -eq 0 ] || { cat "$WORK/py.log"; cat "$WORK/ls.log"; }

finish
