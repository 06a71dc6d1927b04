#!/usr/bin/env bash
# Times `errorbook build` on synthetic corpora and, when they are installed, Hugo and Zola on the
# same entries, then prints a Markdown table of medians: wall time, CPU time (user + system) and
# peak memory of a cold build, errorbook's build into an empty output with its cache kept, its
# build with nothing changed, and each generator's wall time divided by Hugo's.
#
#   bash bench/build.sh [SIZES...]        default sizes: 1000 10000
#
# A cold build writes into an empty output folder with no cache: errorbook's .errorbook-cache
# is removed, Hugo gets an empty cache folder (--cacheDir) and no resources/ folder in the site. The folders are emptied before each run,
# outside the timing. The corpora are
# written by bench/gen-corpus.py (--seed 1, one per size and generator) and kept in $BENCH_DIR;
# they are written again only when the generator script or its templates have changed.
#
# Settings, from the environment:
#   RUNS=3                       runs per measurement; the table shows medians
#   SHAPE=standard               the corpus: `standard`, or `long` (entries of very different
#                                sizes, long code blocks, many tags; see bench/gen-corpus.py)
#   BENCH_DIR=/tmp/errorbook-bench   corpora, and build outputs unless OUT_DIR is set
#   OUT_DIR=$BENCH_DIR           where the builds write; a tmpfs such as /dev/shm/eb takes the
#                                disk out of the measurement (see docs/benchmarks.md)
#   ERRORBOOK_BIN=path           time this binary; when unset, build target/release/errorbook
#                                with cargo first
#   HUGO=hugo, ZOLA=zola         the commands to time; a generator whose command is not found,
#                                or is set to an empty string, is left out of the table
#
# Zola 0.22 and later read the corpus's config.toml; 0.19 to 0.21 are given config-legacy.toml,
# whose highlighting settings use the older keys; older versions are left out.
#
# Needs python3, awk and GNU time (/usr/bin/time).
set -euo pipefail

# Paths are resolved before leaving the caller's folder, so relative ones work.
absolute() { case $1 in /*) echo "$1" ;; *) echo "$PWD/$1" ;; esac; }
bin=""
if [ -n "${ERRORBOOK_BIN:-}" ]; then
  bin=$(command -v "$ERRORBOOK_BIN" || true)
  [ -n "$bin" ] || { echo "ERRORBOOK_BIN=$ERRORBOOK_BIN is not an executable" >&2; exit 1; }
  bin=$(absolute "$bin")
fi
hugo=$(command -v "${HUGO-hugo}" 2>/dev/null || true)
[ -z "$hugo" ] || hugo=$(absolute "$hugo")
zola=$(command -v "${ZOLA-zola}" 2>/dev/null || true)
[ -z "$zola" ] || zola=$(absolute "$zola")

dir=${BENCH_DIR:-/tmp/errorbook-bench}
out_dir=${OUT_DIR:-$dir}
mkdir -p "$dir" "$out_dir"
dir=$(cd "$dir" && pwd)

cd "$(dirname "$0")/.."
sizes=("$@")
[ ${#sizes[@]} -gt 0 ] || sizes=(1000 10000)
runs=${RUNS:-3}
shape=${SHAPE:-standard}

if [ -z "$bin" ]; then
  cargo build --release --locked --quiet
  bin=$PWD/target/release/errorbook
fi

zola_config=config.toml
zola_note="not found, left out"
if [ -n "$zola" ]; then
  zola_version=$("$zola" --version | awk '{print $2}')
  zola_minor=$(echo "$zola_version" | awk -F. '{print $1 * 1000 + $2}')
  if [ "$zola_minor" -lt 19 ]; then
    zola_note="$zola_version is older than 0.19, left out"
    zola=""
  else
    [ "$zola_minor" -ge 22 ] || zola_config=config-legacy.toml
    zola_note="$zola_version ($zola_config)"
  fi
fi

# Writes the corpus of $2 entries for generator $1 into $3, unless an earlier run wrote it with
# the same generator script and templates.
corpus() {
  local format=$1 n=$2 site=$3 stamp
  stamp=$(cat bench/gen-corpus.py $(find bench/site-templates/"$format" -type f 2>/dev/null | sort) | cksum)
  if [ "$(cat "$site/.corpus-stamp" 2>/dev/null)" != "$stamp" ]; then
    python3 bench/gen-corpus.py --count "$n" --seed 1 --shape "$shape" --format "$format" --out "$site" >/dev/null
    echo "$stamp" >"$site/.corpus-stamp"
  fi
}

# measure SETUP COMMAND...: runs SETUP (a shell snippet, not timed), then COMMAND, $runs times;
# prints "wall cpu peak_kb" medians. Stops the script with the command's output if it fails.
measure() {
  local setup=$1
  shift
  local walls=() cpus=() peaks=() wall user sys peak
  for _ in $(seq "$runs"); do
    bash -c "$setup"
    if ! /usr/bin/time -o "$dir/time.txt" -f '%e %U %S %M' "$@" >"$dir/run.log" 2>&1; then
      echo "failed: $*" >&2
      tail -n 20 "$dir/run.log" >&2
      exit 1
    fi
    read -r wall user sys peak <<<"$(tail -n 1 "$dir/time.txt")"
    walls+=("$wall"); cpus+=("$(awk -v u="$user" -v s="$sys" 'BEGIN {print u + s}')"); peaks+=("$peak")
  done
  median() { printf '%s\n' "$@" | sort -g | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
  echo "$(median "${walls[@]}") $(median "${cpus[@]}") $(median "${peaks[@]}")"
}

# Checks that a build wrote a home page, so a generator that quietly wrote nothing is not timed.
built() {
  [ -s "$1/index.html" ] || { echo "no index.html in $1 after the build" >&2; exit 1; }
}

# The size of a build's output in MB.
output_mb() {
  du -sb "$1" | awk '{printf "%.0f", $1 / 1e6}'
}

# ratio A B: A ÷ B with two decimals, or a dash when B is missing.
ratio() {
  if [ -z "$2" ]; then echo "–"; else awk -v a="$1" -v b="$2" 'BEGIN {if (b > 0) printf "%.2f", a / b; else print "–"}'; fi
}

# row N NAME WALL CPU PEAK_KB OUTPUT_MB WARM REBUILD HUGO_WALL ZOLA_WALL
row() {
  local per
  per=$(awk -v w="$3" -v n="$1" 'BEGIN {printf "%.2f", w * 1000 / n}')
  echo "| $1 | $2 | $3 | $4 | $(($5 / 1024)) | $6 | $per | $7 | $8 | $(ratio "$3" "$9") | $(ratio "$3" "${10}") |"
}

versions="$("$bin" --version 2>/dev/null || echo "$bin")"
if [ -n "$hugo" ]; then versions+=" · Hugo $("$hugo" version | awk '{print $2}')"; else versions+=" · Hugo not found, left out"; fi
versions+=" · Zola $zola_note"
echo "$versions; corpus shape $shape; output in $out_dir; $runs run(s) per measurement, medians"
echo
echo "| entries | generator | cold build wall (s) | CPU (s) | peak memory (MiB) | output (MB) | ms per entry | empty output, warm cache (s) | rebuild, nothing changed (s) | cold wall ÷ Hugo wall | cold wall ÷ Zola wall |"
echo "|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|"
# The standard corpus keeps the folder names of earlier versions of this script.
tag=""
[ "$shape" = standard ] || tag="-$shape"
for n in "${sizes[@]}"; do
  site="$dir/corpus$tag-$n"
  out="$out_dir/out$tag-$n"
  corpus errorbook "$n" "$site"
  # Cold: no output and no cache folder. Warm: the cache of the last run (as a CI job that
  # restores it) but an empty output folder. Then again with nothing changed.
  read -r eb_wall eb_cpu eb_peak <<<"$(measure "rm -rf '$out' '$site/.errorbook-cache'" "$bin" build --root "$site" --out "$out")"
  built "$out"
  eb_size=$(output_mb "$out")
  read -r eb_warm _ _ <<<"$(measure "rm -rf '$out'" "$bin" build --root "$site" --out "$out")"
  read -r eb_again _ _ <<<"$(measure ":" "$bin" build --root "$site" --out "$out")"

  hugo_wall=""
  if [ -n "$hugo" ]; then
    hsite="$dir/corpus$tag-$n-hugo"
    hout="$out_dir/out$tag-$n-hugo"
    hcache="$dir/cache$tag-$n-hugo"
    corpus hugo "$n" "$hsite"
    read -r hugo_wall hugo_cpu hugo_peak <<<"$(measure "rm -rf '$hout' '$hcache' '$hsite/resources' && mkdir '$hcache'" \
      "$hugo" --source "$hsite" --destination "$hout" --cacheDir "$hcache" --quiet)"
    built "$hout"
    hugo_size=$(output_mb "$hout")
  fi

  zola_wall=""
  if [ -n "$zola" ]; then
    zsite="$dir/corpus$tag-$n-zola"
    zout="$out_dir/out$tag-$n-zola"
    corpus zola "$n" "$zsite"
    read -r zola_wall zola_cpu zola_peak <<<"$(measure "rm -rf '$zout'" \
      "$zola" --root "$zsite" --config "$zsite/$zola_config" build --output-dir "$zout")"
    built "$zout"
    zola_size=$(output_mb "$zout")
  fi

  row "$n" errorbook "$eb_wall" "$eb_cpu" "$eb_peak" "$eb_size" "$eb_warm" "$eb_again" "$hugo_wall" "$zola_wall"
  [ -z "$hugo" ] || row "$n" Hugo "$hugo_wall" "$hugo_cpu" "$hugo_peak" "$hugo_size" "–" "–" "$hugo_wall" "$zola_wall"
  [ -z "$zola" ] || row "$n" Zola "$zola_wall" "$zola_cpu" "$zola_peak" "$zola_size" "–" "–" "$hugo_wall" "$zola_wall"
done
