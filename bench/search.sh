#!/usr/bin/env bash
# The search benchmark behind docs/benchmarks.md: writes synthetic sites of 1,000, 10,000 and
# 100,000 entries (bench/gen-corpus.py), builds each with the release binary, and measures the
# index with bench/search-bench.mjs (index size, bytes before the first results, query time,
# and whether the right entry comes first).
#
#   bench/search.sh [COUNT...]          default: 1000 10000 100000
#
# WORK=DIR keeps the generated sites and builds there (default: a temporary folder, removed at
# the end); SEED (default 1) and SAMPLES (entries queries are made from, default 60) are passed
# on. Needs python3, node and cargo. The 100,000-entry site takes a few GB of disk.
set -euo pipefail
cd "$(dirname "$0")/.."

counts=("$@")
[ ${#counts[@]} -gt 0 ] || counts=(1000 10000 100000)
seed=${SEED:-1}
samples=${SAMPLES:-60}
if [ -n "${WORK:-}" ]; then
  work=$WORK
  mkdir -p "$work"
else
  work=$(mktemp -d)
  trap 'rm -rf "$work"' EXIT
fi

cargo build --release --quiet
bin=target/release/errorbook

for n in "${counts[@]}"; do
  site=$work/site-$n-seed$seed
  out=$work/out-$n-seed$seed
  if [ ! -f "$site/site.yaml" ]; then
    echo "== writing $n entries to $site"
    python3 bench/gen-corpus.py --seed "$seed" --count "$n" --out "$site"
  fi
  echo "== building $n entries"
  start=$(date +%s.%N)
  "$bin" build --root "$site" --out "$out" --force > "$work/build-$n.log" 2>&1 || {
    cat "$work/build-$n.log"
    exit 1
  }
  end=$(date +%s.%N)
  echo "build: $(awk "BEGIN { printf \"%.1f\", $end - $start }") s (log: $work/build-$n.log)"
  node bench/search-bench.mjs "$out" --samples "$samples" --json "$work/search-$n.json"
done
