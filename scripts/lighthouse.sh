#!/usr/bin/env bash
# Runs Lighthouse (the npm package in tests/browser, with Debian's chromium) on the HTTP 503
# entry of the bundled site, served over loopback with gzip, and prints the four category scores: the
# median of LIGHTHOUSE_RUNS runs (default 5), since single runs vary with the load on the
# machine. Exits with 1 when a median score is below 95. Not part of CI for the same reason.
#
#   bash scripts/lighthouse.sh [--report FILE.html]
#
# ERRORBOOK_BIN picks the errorbook binary (default: a release build), CHROME_PATH the browser
# (default /usr/bin/chromium). Record the scores in docs/quality.md.
set -euo pipefail
cd "$(dirname "$0")/.."

report=""
if [ "${1:-}" = "--report" ]; then
  report="$(realpath -m "${2:?--report needs a file name}")"
fi

export CHROME_PATH="${CHROME_PATH:-/usr/bin/chromium}"
if [ ! -x "$CHROME_PATH" ]; then
  echo "Chromium is missing: install Debian's chromium package (or set CHROME_PATH)" >&2
  exit 2
fi
if [ ! -x tests/browser/node_modules/.bin/lighthouse ]; then
  (cd tests/browser && npm ci --no-audit --no-fund --loglevel=error)
fi
bin="${ERRORBOOK_BIN:-}"
if [ -z "$bin" ]; then
  cargo build --release --locked --quiet
  bin=target/release/errorbook
fi

work="$(mktemp -d)"
server=""
cleanup() {
  if [ -n "$server" ]; then kill "$server" 2>/dev/null || true; fi
  rm -rf "$work"
}
trap cleanup EXIT

"$bin" build --out "$work/site" >/dev/null 2>&1
# A static server on loopback that compresses text with gzip, as static hosts do.
node - "$work/site" >"$work/port" <<'SERVER' &
const http = require('node:http');
const fs = require('node:fs');
const path = require('node:path');
const zlib = require('node:zlib');
const root = path.resolve(process.argv[2]);
const types = { '.html': 'text/html; charset=utf-8', '.css': 'text/css', '.js': 'text/javascript',
  '.json': 'application/json', '.svg': 'image/svg+xml', '.xml': 'application/xml' };
http.createServer((req, res) => {
  let file = path.join(root, decodeURIComponent(new URL(req.url, 'http://x').pathname));
  if (!file.startsWith(root)) { res.writeHead(403).end(); return; }
  if (fs.existsSync(file) && fs.statSync(file).isDirectory()) file = path.join(file, 'index.html');
  if (!fs.existsSync(file)) { res.writeHead(404).end(); return; }
  const type = types[path.extname(file)] || 'application/octet-stream';
  let body = fs.readFileSync(file);
  const headers = { 'Content-Type': type, 'Cache-Control': 'max-age=3600' };
  if (/gzip/.test(req.headers['accept-encoding'] || '') && !type.startsWith('image/')) {
    body = zlib.gzipSync(body);
    headers['Content-Encoding'] = 'gzip';
  }
  res.writeHead(200, headers).end(body);
}).listen(0, '127.0.0.1', function () { console.log(this.address().port); });
SERVER
server=$!
for _ in $(seq 50); do
  if [ -s "$work/port" ]; then break; fi
  sleep 0.1
done
port="$(cat "$work/port")"

url="http://127.0.0.1:$port/http/503/"
lighthouse() {
  tests/browser/node_modules/.bin/lighthouse "$url" --quiet \
    --chrome-flags="--headless=new --no-sandbox --disable-gpu" \
    --only-categories=performance,accessibility,best-practices,seo "$@"
}
for i in $(seq "${LIGHTHOUSE_RUNS:-5}"); do
  lighthouse --output=json --output-path="$work/report-$i.json"
done
if [ -n "$report" ]; then
  lighthouse --output=html --output-path="$report"
fi

node - "$work"/report-*.json <<'SCRIPT'
const fs = require('node:fs');
const reports = process.argv.slice(2).map((file) => JSON.parse(fs.readFileSync(file, 'utf8')));
const first = reports[0];
const median = (values) => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
};
const browser = first.environment.hostUserAgent.match(/Chrome\/[\d.]+/)[0];
console.log(`Lighthouse ${first.lighthouseVersion}, ${first.configSettings.formFactor}, ${browser}, `
  + `median of ${reports.length} runs`);
let low = false;
for (const [id, category] of Object.entries(first.categories)) {
  const scores = reports.map((r) => Math.round(r.categories[id].score * 100));
  const score = Math.round(median(scores));
  low ||= score < 95;
  console.log(`${category.title.padEnd(16)} ${String(score).padStart(3)}   (runs: ${scores.join(', ')})`);
}
for (const id of ['first-contentful-paint', 'largest-contentful-paint', 'total-blocking-time',
  'cumulative-layout-shift', 'speed-index']) {
  const value = median(reports.map((r) => r.audits[id].numericValue));
  const shown = id === 'cumulative-layout-shift' ? value.toFixed(3) : `${Math.round(value)} ms`;
  console.log(`  ${first.audits[id].title}: ${shown}`);
}
process.exit(low ? 1 : 0);
SCRIPT
