#!/usr/bin/env bash
# The triage benchmark behind docs/benchmarks.md: writes a synthetic log (bench/gen-log.py,
# 200 MB by default), runs `errorbook triage` of the release binary on it against the bundled
# demo site, and prints the throughput in MB/s (the best of RUNS runs, default 3).
#
#   bench/triage.sh [SIZE_MB]
#
# WORK=DIR keeps the generated log there (default: a temporary folder, removed at the end).
# Needs python3 and cargo.
set -euo pipefail
cd "$(dirname "$0")/.."

size=${1:-200}
runs=${RUNS:-3}
if [ -n "${WORK:-}" ]; then
  work=$WORK
  mkdir -p "$work"
else
  work=$(mktemp -d)
  trap 'rm -rf "$work"' EXIT
fi

cargo build --release --quiet
bin=target/release/errorbook
log=$work/app-$size.log
[ -f "$log" ] || python3 bench/gen-log.py "$size" > "$log"
bytes=$(wc -c < "$log")

best=
for _ in $(seq "$runs"); do
  start=$(date +%s.%N)
  # Exit status 1 would mean nothing matched: the log always holds known errors.
  "$bin" triage --root . "$log" > /dev/null
  end=$(date +%s.%N)
  secs=$(echo "$end - $start" | bc -l)
  if [ -z "$best" ] || [ "$(echo "$secs < $best" | bc -l)" = 1 ]; then best=$secs; fi
done
printf 'triage: %s MB in %.2f s: %.0f MB/s (best of %s)\n' \
  "$(echo "$bytes / 1000000" | bc)" "$best" "$(echo "$bytes / 1000000 / $best" | bc -l)" "$runs"
