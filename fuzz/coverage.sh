#!/usr/bin/env bash
# Line coverage of src/ reached by each fuzz target's corpus (the committed
# seeds plus what `make fuzz` found in BUILD/fuzz-corpus), measured with
# clang's source-based coverage on the replay binaries.
# Usage: fuzz/coverage.sh [FUZZ_BUILD] [TARGET...]   (writes build-cov/)
set -eu
src=$(cd "$(dirname "$0")/.." && pwd)
fuzz_build=${1:-build-fuzz}
shift || true
cov=$src/build-cov
CC=clang cmake -S "$src" -B "$cov" -DCMAKE_BUILD_TYPE=Debug -DLATCH_WERROR=OFF \
    -DCMAKE_C_FLAGS="-fprofile-instr-generate -fcoverage-mapping" >/dev/null
cmake --build "$cov" -j 2 >/dev/null
if [ $# -gt 0 ]; then targets=("$@"); else
    targets=(); for f in "$src"/fuzz/fuzz_*.c; do n=$(basename "$f" .c); targets+=("${n#fuzz_}"); done
fi
printf '%-24s %8s  %s\n' target lines "files (line coverage of the files the target is about)"
for t in "${targets[@]}"; do
    dirs=("$src/fuzz/corpus/$t")
    [ -d "$fuzz_build/fuzz-corpus/$t" ] && dirs+=("$fuzz_build/fuzz-corpus/$t")
    LLVM_PROFILE_FILE="$cov/$t.profraw" "$cov/fuzz/replay_$t" "${dirs[@]}" >/dev/null 2>&1
    llvm-profdata merge -sparse "$cov/$t.profraw" -o "$cov/$t.profdata"
    llvm-cov report "$cov/fuzz/replay_$t" -instr-profile="$cov/$t.profdata" "$src/src" >"$cov/$t.txt" 2>/dev/null
    total=$(awk '/^TOTAL/ {print $10}' "$cov/$t.txt")
    printf '%-24s %8s\n' "$t" "$total"
done
echo "per-file reports: $cov/<target>.txt (llvm-cov report columns; Cover of lines is column 10)"
