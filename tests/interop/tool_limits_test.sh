#!/usr/bin/env bash
# latch server --max-conns: connections beyond the limit are refused (closed
# at once, and logged), the ones within it are served, and a freed slot is
# taken again. --timeout: slow handshakes and idle connections are closed.
# (The library's own limits are tested in tests/unit/conn_test.c.)
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

# --timeout: a connection that never completes its handshake is closed, even
# while it trickles bytes; an established connection is closed once idle,
# but not while it keeps talking.
latch_server "$WORK/lt.log" --cert "$P256/server-chain.pem" --key "$P256/server.key" --echo --timeout 1
python3 - "$PORT" "$P256/ca.pem" >"$WORK/pyt.log" 2>&1 <<'PY'
import socket, ssl, sys, time
port, ca = int(sys.argv[1]), sys.argv[2]

def closed_within(sock, secs, trickle=False):
    # True if the server closes sock within secs seconds.
    sock.settimeout(0.2)
    end = time.time() + secs
    while time.time() < end:
        try:
            if trickle:
                sock.send(b"\x16")
            if sock.recv(100) == b"":
                return True
        except socket.timeout:
            pass
        except (ConnectionResetError, BrokenPipeError):
            return True
    return False

silent = socket.create_connection(("127.0.0.1", port))
print("silent:", "closed" if closed_within(silent, 4) else "open")
slow = socket.create_connection(("127.0.0.1", port))
slow.send(b"\x16\x03\x01")
print("trickling:", "closed" if closed_within(slow, 4, trickle=True) else "open")

ctx = ssl.create_default_context(cafile=ca)
talker = ctx.wrap_socket(socket.create_connection(("127.0.0.1", port)), server_hostname="localhost")
alive = True
for i in range(6):
    talker.sendall(b"ping\n")
    talker.settimeout(2)
    if talker.recv(100) != b"ping\n":
        alive = False
    time.sleep(0.4)
print("talking for 2.4 s:", "served" if alive else "dropped")
talker.settimeout(4)
try:
    got = talker.recv(100)
except (ssl.SSLError, ConnectionResetError, socket.timeout) as e:
    got = b"" if not isinstance(e, socket.timeout) else None
print("then idle:", "closed" if got == b"" else "open")
PY
check "--timeout closes a connection that sends nothing" grep -q "^silent: closed" "$WORK/pyt.log"
check "--timeout closes a handshake that only trickles" grep -q "^trickling: closed" "$WORK/pyt.log"
check "--timeout spares a connection that keeps talking" grep -q "^talking for 2.4 s: served" "$WORK/pyt.log"
check "--timeout closes an idle established connection" grep -q "^then idle: closed" "$WORK/pyt.log"
check "the server logs why" wait_log "$WORK/lt.log" "no handshake for 1 s: closing (--timeout)"
check "the server logs an idle close" wait_log "$WORK/lt.log" "idle for 1 s: closing (--timeout)"
[ "$FAILS" -eq 0 ] || { cat "$WORK/pyt.log"; cat "$WORK/lt.log"; }

finish
