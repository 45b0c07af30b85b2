#!/usr/bin/env bash
# Every in-memory C test (tests/**/*_test.c binaries, and the fuzz corpus
# replays) under valgrind's memcheck: no invalid access, no use of
# uninitialised memory, no definite leak. The interop and tool tests (shell,
# real sockets and other programs) are left to make check / make asan.
# Usage: tests/valgrind.sh BUILD_DIR [JOBS]
# VALGRIND_SKIP="test_a test_b" leaves tests out (for a quick local run;
# CI runs them all).
set -u
build=$1 jobs=${2:-2}
src=$(cd "$(dirname "$0")/.." && pwd)
logs=$build/valgrind-logs
mkdir -p "$logs"
vg=(valgrind --error-exitcode=99 --leak-check=full --errors-for-leak-kinds=definite --show-leak-kinds=definite
    --num-callers=30 --quiet)

run() { # name, command...
    local name=$1
    shift
    (cd "$build" && LATCH_SRC="$src" LATCH_BIN="$build" "${vg[@]}" --log-file="$logs/$name.vg" "$@" >"$logs/$name.out" 2>&1)
    echo $? >"$logs/$name.rc"
}

# Mint the test PKIs once, natively (key generation takes minutes under
# valgrind), and let every test read them (tests/support/tls.c).
export LATCH_TEST_PKI_CACHE=$build/test-pki
# Loops over libcrypto's own work (every truncation of a DER key, 3072- and
# 4096-bit key generation) take a sample under valgrind
# (latch_test_under_valgrind); they run in full in make check and make asan.
export LATCH_TEST_VALGRIND=1
mkdir -p "$LATCH_TEST_PKI_CACHE"
for t in test_unit_hs_server test_unit_conn test_ct_ct; do "$build/tests/$t" >/dev/null 2>&1 || true; done

skip=" ${VALGRIND_SKIP:-} "
jobs_list=()
# The slowest first, so that parallel jobs end together.
for t in "$build"/tests/test_unit_x509_key "$build"/tests/test_unit_x509_mint "$build"/tests/test_unit_conn \
    "$build"/tests/test_*; do
    n=$(basename "$t")
    [ -x "$t" ] || continue
    case "$skip" in *" $n "*) echo "skip $n (VALGRIND_SKIP)"; continue ;; esac
    case " ${jobs_list[*]} " in *" $n|"*) continue ;; esac
    jobs_list+=("$n|$t")
done
for r in "$build"/fuzz/replay_*; do
    n=$(basename "$r"); n=${n#replay_}
    [ -x "$r" ] && jobs_list+=("fuzz_$n|$r $src/fuzz/corpus/$n")
done

running=0
for j in "${jobs_list[@]}"; do
    name=${j%%|*}
    # shellcheck disable=SC2086
    run "$name" ${j#*|} &
    running=$((running + 1))
    if [ "$running" -ge "$jobs" ]; then wait -n; running=$((running - 1)); fi
done
wait

fail=0
for j in "${jobs_list[@]}"; do
    name=${j%%|*}
    rc=$(cat "$logs/$name.rc")
    if [ "$rc" = 0 ] && [ ! -s "$logs/$name.vg" ]; then
        echo "ok   $name"
    else
        echo "FAIL $name (exit $rc; $logs/$name.vg, $logs/$name.out)"
        fail=1
    fi
done
[ $fail = 0 ] && echo "valgrind: every in-memory test clean" || echo "valgrind: failures above"
exit $fail
