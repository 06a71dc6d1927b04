#!/usr/bin/env bash
# Times `errorbook build` on synthetic corpora and prints a Markdown table of medians:
# wall time, CPU time (user + system) and peak memory, cold and with nothing changed.
#
#   bash bench/build.sh [SIZES...]        default sizes: 1000 10000
#
# Needs python3 (the corpus generator), awk and GNU time (/usr/bin/time). Corpora are kept in
# $BENCH_DIR (default /tmp/errorbook-bench) and reused when they exist.
set -euo pipefail
cd "$(dirname "$0")/.."
sizes=("$@")
[ ${#sizes[@]} -gt 0 ] || sizes=(1000 10000)
runs=${RUNS:-3}
dir=${BENCH_DIR:-/tmp/errorbook-bench}
mkdir -p "$dir"

cargo build --release --locked --quiet
bin=$PWD/target/release/errorbook

# Runs a command $runs times; prints "wall cpu peak_kb" medians.
measure() {
  local walls=() cpus=() peaks=()
  for _ in $(seq "$runs"); do
    local out
    /usr/bin/time -o "$dir/time.txt" -f '%e %U %S %M' "$@" >/dev/null 2>&1
    out=$(tail -n 1 "$dir/time.txt")
    read -r wall user sys peak <<<"$out"
    walls+=("$wall"); cpus+=("$(awk -v u="$user" -v s="$sys" 'BEGIN {print u + s}')"); peaks+=("$peak")
  done
  median() { printf '%s\n' "$@" | sort -g | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
  echo "$(median "${walls[@]}") $(median "${cpus[@]}") $(median "${peaks[@]}")"
}

echo "| entries | build wall (s) | CPU (s) | peak memory (MB) | ms per entry | rebuild, nothing changed (s) |"
echo "|---:|---:|---:|---:|---:|---:|"
for n in "${sizes[@]}"; do
  site="$dir/corpus-$n"
  [ -f "$site/site.yaml" ] || python3 bench/gen-corpus.py --count "$n" --out "$site" --seed 1 >/dev/null
  read -r wall cpu peak <<<"$(measure bash -c "rm -rf '$dir/out-$n' && '$bin' build --root '$site' --out '$dir/out-$n'")"
  read -r again _ _ <<<"$(measure "$bin" build --root "$site" --out "$dir/out-$n")"
  per=$(awk -v w="$wall" -v n="$n" 'BEGIN {printf "%.2f", w * 1000 / n}')
  echo "| $n | $wall | $cpu | $((peak / 1024)) | $per | $again |"
done
