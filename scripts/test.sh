#!/usr/bin/env bash
# Runs every test of errorbook: formatting, lints, unit and integration tests, a minute of
# fuzzing (fuzz/, on the nightly toolchain), the search engine under node, `errorbook mcp` under
# the official MCP client, and the end-to-end
# tests in headless Chromium, which include HTML validation (the Nu HTML Checker) and
# accessibility (axe-core). Installs what those tests need (cargo-fuzz, Debian's chromium and
# Java, the npm packages in tests/browser) when it is missing.
set -euo pipefail
cd "$(dirname "$0")/.."

step() { printf '\n==> %s\n' "$*"; }

step "formatting"
cargo fmt --all -- --check

step "lints"
cargo clippy --all-targets --locked -- -D warnings
cargo clippy --all-targets --locked --features failpoints -- -D warnings

step "unit and integration tests"
cargo test --locked --all-targets

step "builds aborted at each step of publishing (the failpoints feature)"
cargo test --locked --features failpoints --test cli output::a_build_aborted

step "fuzzing: front matter and Markdown through load and render, for one minute"
# The fuzz crate (fuzz/, its own workspace) needs the nightly toolchain and cargo-fuzz. CI has
# nightly, so there its absence is a failure; elsewhere the run is skipped with a message.
if cargo +nightly --version >/dev/null 2>&1; then
  if ! cargo fuzz --version >/dev/null 2>&1; then
    cargo install --locked cargo-fuzz
  fi
  # New inputs go to a temporary folder: the committed seeds stay as they are.
  fuzz_corpus=$(mktemp -d)
  trap 'rm -rf "$fuzz_corpus"' EXIT
  (cd fuzz && cargo +nightly fuzz run load_render "$fuzz_corpus" corpus/load_render -- \
    -max_total_time=60 -timeout=10 -print_final_stats=1)
elif [ "${CI:-}" = true ]; then
  echo "the nightly toolchain is missing, and CI fuzzes with it: rustup toolchain install nightly" >&2
  exit 2
else
  echo "skipped: the nightly toolchain is not installed (rustup toolchain install nightly)"
fi

step "the binary the browser tests run"
cargo build --locked

if [ -d tests/js ]; then
  step "search engine under node"
  node --test tests/js/
fi

step "the MCP server with the official TypeScript SDK"
(cd tests/mcp && npm ci --no-audit --no-fund --loglevel=error)
node --test tests/mcp/

step "browser test dependencies"
if [ ! -x "${CHROMIUM_PATH:-/usr/bin/chromium}" ]; then
  if [ "$(id -u)" = 0 ]; then
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
  else
    echo "Chromium is missing: install Debian's chromium package (or set CHROMIUM_PATH)" >&2
    exit 2
  fi
fi
if ! command -v java >/dev/null; then
  # The Nu HTML Checker (npm's vnu-jar) runs on Java.
  if [ "$(id -u)" = 0 ]; then
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq default-jre-headless >/dev/null
  else
    echo "Java is missing: install Debian's default-jre-headless package" >&2
    exit 2
  fi
fi
(cd tests/browser && npm ci --no-audit --no-fund --loglevel=error)

step "end-to-end tests in headless Chromium, the Nu HTML Checker and axe-core"
node --test --test-concurrency=1 tests/browser/

printf '\nall tests passed\n'
