#!/bin/bash
# Generated documentation is up to date: docs/ERRORS.md is what
# scripts/gen-errors-md prints from include/latch/errors.def.
# (docs/STATE-MACHINE.md is checked by unit/hs/machine.)
set -u
src=${LATCH_SRC:-$(cd "$(dirname "$0")/.." && pwd)}
tmp=$(mktemp)
trap 'rm -f "$tmp"' EXIT

if ! python3 "$src/scripts/gen-errors-md" > "$tmp"; then
    echo "FAIL: scripts/gen-errors-md failed (see above)"
    exit 1
fi
if ! diff -u "$src/docs/ERRORS.md" "$tmp"; then
    echo
    echo "FAIL: docs/ERRORS.md is out of date with include/latch/errors.def. Regenerate it from the source tree:"
    echo "    scripts/gen-errors-md > docs/ERRORS.md"
    exit 1
fi
# Every code of errors.def has its row (the generator refuses lines it cannot parse).
want=$(grep -c '^E(' "$src/include/latch/errors.def")
got=$(grep -c '^| `LATCH_ERR_' "$src/docs/ERRORS.md")
if [ "$want" != "$got" ]; then
    echo "FAIL: errors.def declares $want codes, docs/ERRORS.md lists $got"
    exit 1
fi
echo "ok: docs/ERRORS.md lists all $got codes and is up to date"
