#!/usr/bin/env bash
# Run fuzz targets for a fixed time each and summarise: executions, coverage,
# crashes. Usage: fuzz/run.sh BUILD_DIR SECONDS [JOBS] [TARGET...]
#   BUILD_DIR  the LATCH_FUZZ build (its fuzz/ holds the fuzz_* binaries)
#   SECONDS    time per target
#   JOBS       targets run at once (default 1)
#   TARGET     names without the fuzz_ prefix (default: all)
# New inputs go to BUILD_DIR/fuzz-corpus/<name> (the committed seeds in
# fuzz/corpus/<name> are read, never written); crashes to
# BUILD_DIR/fuzz-crashes/<name>-*. Exit status 1 if any target crashed.
set -u
build=$1 secs=$2 jobs=${3:-1}
shift 3 2>/dev/null || shift $#
src=$(cd "$(dirname "$0")" && pwd)
bin="$build/fuzz"
mkdir -p "$build/fuzz-corpus" "$build/fuzz-crashes" "$build/fuzz-logs"
if [ $# -gt 0 ]; then targets=("$@"); else
    targets=(); for f in "$src"/fuzz_*.c; do n=$(basename "$f" .c); targets+=("${n#fuzz_}"); done
fi

run_one() {
    local t=$1 dict=()
    mkdir -p "$build/fuzz-corpus/$t" "$src/corpus/$t"
    [ -f "$src/tls.dict" ] && dict=(-dict="$src/tls.dict")
    "$bin/fuzz_$t" -max_total_time="$secs" -timeout=10 -rss_limit_mb=2048 -max_len=65536 -print_final_stats=1 \
        "${dict[@]}" -artifact_prefix="$build/fuzz-crashes/$t-" "$build/fuzz-corpus/$t" "$src/corpus/$t" \
        >"$build/fuzz-logs/$t.log" 2>&1
    echo $? >"$build/fuzz-logs/$t.rc"
}

running=0
for t in "${targets[@]}"; do
    [ -x "$bin/fuzz_$t" ] || { echo "no such target: $t ($bin/fuzz_$t)"; exit 2; }
    run_one "$t" &
    running=$((running + 1))
    if [ "$running" -ge "$jobs" ]; then wait -n; running=$((running - 1)); fi
done
wait

status=0
printf '%-28s %12s %8s %8s %8s  %s\n' target executions exec/s cov ft result
for t in "${targets[@]}"; do
    log="$build/fuzz-logs/$t.log"
    execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)
    speed=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$log" | tail -1)
    cov=$(grep -o 'cov: [0-9]*' "$log" | tail -1 | cut -d' ' -f2)
    ft=$(grep -o 'ft: [0-9]*' "$log" | tail -1 | cut -d' ' -f2)
    rc=$(cat "$build/fuzz-logs/$t.rc")
    if [ "$rc" = 0 ]; then res=ok; else res="CRASH (see $log)"; status=1; fi
    printf '%-28s %12s %8s %8s %8s  %s\n' "$t" "${execs:-?}" "${speed:-?}" "${cov:-?}" "${ft:-?}" "$res"
done
exit $status
