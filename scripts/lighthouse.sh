#!/usr/bin/env bash
# Runs Lighthouse (the npm package in tests/browser, with Debian's chromium, default mobile
# settings) on the HTTP 503 entry and on the home page of the bundled site, served over loopback
# with gzip, and prints each page's four category scores: the median of LIGHTHOUSE_RUNS runs
# (default 5), since single runs vary with the load on the machine. Exits with 1 when a median
# is below its bar: 100 for accessibility, best practices and SEO, 98 for performance. Not part
# of CI for the same reason.
#
#   bash scripts/lighthouse.sh [--report DIR]
#
# --report writes one full HTML report per page into DIR. ERRORBOOK_BIN picks the errorbook
# binary (default: a release build; a debug build writes the same site), CHROME_PATH the browser
# (default /usr/bin/chromium). Record the scores in docs/quality.md.
set -euo pipefail
cd "$(dirname "$0")/.."

report=""
if [ "${1:-}" = "--report" ]; then
  report="$(realpath -m "${2:?--report needs a folder}")"
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

lighthouse() {
  tests/browser/node_modules/.bin/lighthouse "$1" --quiet \
    --chrome-flags="--headless=new --no-sandbox --disable-gpu" \
    --only-categories=performance,accessibility,best-practices,seo "${@:2}"
}
pages=("http/503/" "")
for i in $(seq "${LIGHTHOUSE_RUNS:-5}"); do
  for rel in "${pages[@]}"; do
    name="${rel%/}"; name="${name//\//-}"; name="${name:-home}"
    lighthouse "http://127.0.0.1:$port/$rel" --output=json --output-path="$work/$name.$i.json"
  done
done
if [ -n "$report" ]; then
  mkdir -p "$report"
  for rel in "${pages[@]}"; do
    name="${rel%/}"; name="${name//\//-}"; name="${name:-home}"
    lighthouse "http://127.0.0.1:$port/$rel" --output=html --output-path="$report/$name.html"
  done
fi

node - "$work" "${pages[@]}" <<'SCRIPT'
const fs = require('node:fs');
const path = require('node:path');
const [dir, ...pages] = process.argv.slice(2);
const median = (values) => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
};
// The bar each median must reach.
const BAR = { performance: 98, accessibility: 100, 'best-practices': 100, seo: 100 };
let low = false;
for (const rel of pages) {
  const name = rel.replace(/\/$/, '').replace(/\//g, '-') || 'home';
  const reports = fs.readdirSync(dir).filter((file) => file.startsWith(`${name}.`) && file.endsWith('.json'))
    .sort().map((file) => JSON.parse(fs.readFileSync(path.join(dir, file), 'utf8')));
  const first = reports[0];
  const browser = first.environment.hostUserAgent.match(/Chrome\/[\d.]+/)[0];
  console.log(`/${rel}: Lighthouse ${first.lighthouseVersion}, ${first.configSettings.formFactor}, ${browser}, `
    + `median of ${reports.length} runs`);
  for (const [id, category] of Object.entries(first.categories)) {
    const scores = reports.map((r) => Math.round(r.categories[id].score * 100));
    const score = Math.round(median(scores));
    const below = score < (BAR[id] ?? 100);
    low ||= below;
    console.log(`  ${category.title.padEnd(16)} ${String(score).padStart(3)}   (runs: ${scores.join(', ')})${below ? `  below ${BAR[id]}` : ''}`);
  }
  for (const id of ['first-contentful-paint', 'largest-contentful-paint', 'total-blocking-time',
    'cumulative-layout-shift', 'speed-index']) {
    const value = median(reports.map((r) => r.audits[id].numericValue));
    const shown = id === 'cumulative-layout-shift' ? value.toFixed(3) : `${Math.round(value)} ms`;
    console.log(`    ${first.audits[id].title}: ${shown}`);
  }
  // What kept a category from full marks, in the median run's terms: every failing audit.
  const failing = new Map();
  for (const report of reports) {
    for (const audit of Object.values(report.audits)) {
      if (audit.score !== null && audit.score < 1 && audit.scoreDisplayMode !== 'informative'
        && audit.scoreDisplayMode !== 'manual' && audit.scoreDisplayMode !== 'notApplicable') {
        failing.set(audit.id, `${audit.title}${audit.displayValue ? ` (${audit.displayValue})` : ''}`);
      }
    }
  }
  for (const [id, title] of [...failing].sort()) {
    console.log(`    not full marks in some run: ${id}: ${title}`);
  }
}
process.exit(low ? 1 : 0);
SCRIPT
