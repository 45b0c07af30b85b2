#!/usr/bin/env python3
"""Split a perf profile of latch-bench by side (docs/PERFORMANCE.md).

    perf record --call-graph dwarf,16384 -F 4000 ./build/bench/latch-bench --profile hs --seconds 6
    perf script -F ip,sym,dso > hs.txt
    python3 bench/perf_split.py hs.txt side_server_ 60

Keeps the samples whose call chain passes through a function whose name
starts with the prefix (run.c's side_server_* or side_client_*) and prints
each symbol's inclusive share (counted once per sample) and self share.
libcrypto has no debug symbols on Debian: its internal functions show as
"[unknown] libcrypto.so.3"; the exported ones above them carry the cost."""
import sys, collections
side_pat = sys.argv[2] if len(sys.argv) > 2 else 'side_server_'
top = int(sys.argv[3]) if len(sys.argv) > 3 else 60
incl = collections.Counter(); selfc = collections.Counter(); n = 0
def flush(chain):
    global n
    if not chain: return
    if not any(s.startswith(side_pat) for s, d in chain): return
    n += 1
    seen = set()
    for s, d in chain:
        key = s if s != '[unknown]' else '[unknown] ' + d
        if key not in seen:
            incl[key] += 1; seen.add(key)
    s, d = chain[0]
    selfc[s if s != '[unknown]' else '[unknown] ' + d] += 1
chain = []
for line in (sys.stdin if sys.argv[1] == '-' else open(sys.argv[1], errors='replace')):
    line = line.rstrip('\n')
    if not line.strip():
        flush(chain); chain = []; continue
    parts = line.strip().split(None, 1)
    if len(parts) < 2: continue
    rest = parts[1]
    sym, _, dso = rest.rpartition(' (')
    dso = dso.rstrip(')').split('/')[-1]
    chain.append((sym, dso))
flush(chain)
print(f"samples in {side_pat}*: {n}")
print("inclusive:")
for k, v in incl.most_common(top):
    print(f"  {100*v/n:5.1f}%  {k}")
print("self:")
for k, v in selfc.most_common(25):
    print(f"  {100*v/n:5.1f}%  {k}")
