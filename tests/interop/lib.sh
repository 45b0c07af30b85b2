# Shared helpers for the interop tests (sourced). Each test gets a scratch
# directory, a test PKI of each key type, and cleanup of every background
# process it started. Peers missing from the machine make the test fail
# (CI installs them); set LATCH_INTEROP_SKIP_MISSING=1 to skip instead.
set -u

LATCH="${LATCH_BIN:-$(cd "$(dirname "$0")/../.." && pwd)/build}/latch"
WORK=$(mktemp -d /tmp/latch-interop.XXXXXX)
PIDS=()
FAILS=0
PASSES=0

cleanup() {
    for p in "${PIDS[@]:-}"; do
        [ -n "$p" ] && kill "$p" 2>/dev/null
    done
    wait 2>/dev/null
    rm -rf "$WORK"
}
trap cleanup EXIT

need() {
    for cmd in "$@"; do
        if ! command -v "$cmd" >/dev/null 2>&1; then
            if [ "${LATCH_INTEROP_SKIP_MISSING:-0}" = 1 ]; then
                echo "SKIP: $cmd is not installed"
                exit 0
            fi
            echo "FAIL: $cmd is not installed (apt-get install it, or set LATCH_INTEROP_SKIP_MISSING=1)"
            exit 1
        fi
    done
}

pass() { PASSES=$((PASSES + 1)); echo "ok   $*"; }
fail() { FAILS=$((FAILS + 1)); echo "FAIL $*"; }

# check NAME COMMAND...: run, pass if it exits 0.
check() {
    local name=$1
    shift
    if "$@"; then pass "$name"; else fail "$name"; fi
}

finish() {
    echo "$PASSES passed, $FAILS failed"
    [ "$FAILS" -eq 0 ]
}

# mkpki TYPE: a PKI in $WORK/pki-TYPE (TYPE: p256 p384 rsa ed25519).
mkpki() {
    local dir="$WORK/pki-$1" flag=""
    case $1 in
        p384) flag=--p384 ;;
        rsa) flag=--rsa ;;
        ed25519) flag=--ed25519 ;;
    esac
    [ -d "$dir" ] || "$LATCH" certs "$dir" $flag >/dev/null || { echo "cannot mint $1 PKI"; exit 1; }
    echo "$dir"
}

free_port() {
    python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'
}

# wait_log FILE PATTERN: wait until PATTERN appears in FILE (10 s at most).
wait_log() {
    for _ in $(seq 1 100); do
        grep -q "$2" "$1" 2>/dev/null && return 0
        sleep 0.1
    done
    echo "timed out waiting for '$2' in $1:"
    cat "$1"
    return 1
}

# bg LOG COMMAND...: start a background process, remember its pid.
bg() {
    local log=$1
    shift
    rm -f "$log"
    "$@" >"$log" 2>&1 &
    PIDS+=($!)
}

# latch_server LOG ARGS...: start `latch server --port 0 ARGS`, set $PORT.
latch_server() {
    local log=$1
    shift
    # A reused log must not show the previous server's "listening" line.
    rm -f "$log"
    bg "$log" "$LATCH" server --port 0 --host 127.0.0.1 "$@"
    wait_log "$log" "listening on" || return 1
    PORT=$(sed -n 's/.*listening on .* port \([0-9]*\).*/\1/p' "$log" | head -1)
}
