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
# The source files each target is about (a parser's file also holds its builder).
files_of() {
    case $1 in
    client) echo "hs/client.c hs/tls13.c hs/client12.c hs/tls12.c hs/machine.c conn.c" ;;
    server) echo "hs/server.c hs/tls13.c hs/server12.c hs/tls12.c hs/machine.c conn.c" ;;
    record) echo "record/record.c record/protect13.c record/protect12.c" ;;
    hsframe) echo "record/hsframe.c" ;;
    exts) echo "msg/ext/ext.c" ;;
    alert) echo "msg/msg.c" ;;
    pem) echo "x509/pem.c x509/trust.c" ;;
    chain) echo "x509/cert.c x509/key.c x509/der.c" ;;
    key) echo "x509/key.c" ;;
    peer) echo "x509/verify.c x509/name.c" ;;
    ext_groups) echo "msg/ext/supported_groups.c" ;;
    ext_sigalgs) echo "msg/ext/signature_algorithms.c" ;;
    ext_versions) echo "msg/ext/supported_versions.c" ;;
    ext_psk_modes) echo "msg/ext/psk_key_exchange_modes.c" ;;
    ext_cas) echo "msg/ext/certificate_authorities.c" ;;
    ext_reneg) echo "msg/ext/renegotiation_info.c" ;;
    ext_point_formats) echo "msg/ext/ec_point_formats.c" ;;
    ext_*) echo "msg/ext/${1#ext_}.c" ;;
    *) echo "msg/$1.c" ;;
    esac
}

printf '%-24s %8s  %s\n' target "src/ lines" "line coverage of the files the target is about"
for t in "${targets[@]}"; do
    dirs=("$src/fuzz/corpus/$t")
    [ -d "$fuzz_build/fuzz-corpus/$t" ] && dirs+=("$fuzz_build/fuzz-corpus/$t")
    LLVM_PROFILE_FILE="$cov/$t.profraw" "$cov/fuzz/replay_$t" "${dirs[@]}" >/dev/null 2>&1
    llvm-profdata merge -sparse "$cov/$t.profraw" -o "$cov/$t.profdata"
    llvm-cov report "$cov/fuzz/replay_$t" -instr-profile="$cov/$t.profdata" "$src/src" >"$cov/$t.txt" 2>/dev/null
    total=$(awk '/^TOTAL/ {print $10}' "$cov/$t.txt")
    detail=""
    for f in $(files_of "$t"); do
        detail+="$f $(awk -v f="$f" '$1 == f {print $10}' "$cov/$t.txt")"
        # Parser files also hold their builders: give the parse functions' own coverage too.
        pf=$(llvm-cov report "$cov/fuzz/replay_$t" -instr-profile="$cov/$t.profdata" -show-functions "$src/src/$f" \
            2>/dev/null | awk '$1 ~ /parse/ {l += $5; m += $6} END {if (l > 0) printf "%.0f%%", (l - m) * 100 / l}')
        [ -n "$pf" ] && detail+=" (parse functions $pf)"
        detail+="  "
    done
    printf '%-24s %8s  %s\n' "$t" "$total" "$detail"
done
echo "per-file reports: $cov/<target>.txt (llvm-cov report columns; Cover of lines is column 10)"
