#!/usr/bin/env node
// Measures search on a built site: the size of the index, the bytes a browser downloads before
// it can show the first results, how long a query takes once its files are loaded, and whether
// the right entry comes first. The engine is static/assets/search/engine.js, run under node against
// the site's search/ folder exactly as a browser would load it.
//
//   node bench/search-bench.mjs OUT_DIR [--samples 60] [--json FILE]
//
// OUT_DIR is the output of `errorbook build`. Queries are made from entries sampled evenly
// across the index: the code, two title words, a word being typed, a word with a typo, and one
// of the entry's aliases pasted inside a log line with a timestamp, ids and addresses changed.
import { readdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { engine as search, fileLoader } from '../tests/js/support.mjs';

const args = process.argv.slice(2);
const site = args[0];
if (!site) {
  console.error('usage: node bench/search-bench.mjs OUT_DIR [--samples N] [--json FILE]');
  process.exit(2);
}
const option = (name, fallback) => {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : fallback;
};
const samples = Number(option('--samples', 60));
const jsonOut = option('--json', null);

const gz = (bytes) => gzipSync(bytes).length;

async function walk(dir) {
  const files = [];
  for (const item of await readdir(dir, { withFileTypes: true })) {
    const p = path.join(dir, item.name);
    if (item.isDirectory()) {
      files.push(...await walk(p));
    } else if (item.name.endsWith('.js')) {
      files.push(p);
    }
  }
  return files;
}

// ---------- The index on disk ----------

const indexFiles = await walk(path.join(site, 'search'));
let raw = 0;
let zipped = 0;
const gzipOf = new Map();
for (const f of indexFiles) {
  const bytes = await readFile(f);
  raw += bytes.length;
  const z = gz(bytes);
  zipped += z;
  gzipOf.set(path.relative(path.join(site, 'search'), f).replace(/\\/g, '/').replace(/\.js$/, ''), z);
}
const engineBytes = await readFile(path.join(site, 'assets', 'search.js'));
const engineGzip = gz(engineBytes);

// ---------- Queries ----------

const load = fileLoader(site);
const meta = await load('meta');
const docRows = new Map();
async function row(doc) {
  const shard = Math.floor(doc / meta.docShard);
  if (!docRows.has(shard)) {
    docRows.set(shard, await load(`d/${shard}`));
  }
  return docRows.get(shard)[doc - shard * meta.docShard];
}

/** A deterministic pseudo-random sequence, so every run asks the same queries. */
let seed = 12345;
function rand(n) {
  seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
  return seed % n;
}

function words(text) {
  return (text.match(/[A-Za-z]{5,}/g) || []).filter((w) => !/^[A-Z0-9_]+$/.test(w));
}

function typo(word) {
  const i = 2 + rand(word.length - 3);
  return word.slice(0, i) + word.slice(i + 1); // one letter dropped, past the first two
}

function logLine(alias) {
  const changed = alias
    .replace(/\b\d{1,3}(\.\d{1,3}){3}(:\d+)?/g, () => `10.${rand(255)}.${rand(255)}.${1 + rand(250)}:${1024 + rand(60000)}`)
    .replace(/\bafter \d+ attempts/g, () => `after ${2 + rand(8)} attempts`);
  const id = [8, 4, 4, 4, 12].map((n) => Array.from({ length: n }, () => '0123456789abcdef'[rand(16)]).join('')).join('-');
  return `2026-06-14T10:${10 + rand(50)}:${10 + rand(50)}.${100 + rand(900)}Z ERROR [worker-${rand(9)}] pid=${1000 + rand(60000)} ` +
    `request_id=${id} ${changed} client=192.168.${rand(255)}.${1 + rand(250)} path=/api/v1/orders/${rand(99999)}`;
}

const kinds = ['code', 'words', 'typing', 'typo', 'log line'];
const queries = [];
for (let i = 0; i < samples; i++) {
  const doc = Math.floor((i + 0.5) * meta.docs / samples);
  const [href, code, title, , , , aliases] = await row(doc);
  const w = words(title);
  queries.push({ kind: 'code', q: code.toLowerCase(), href });
  if (w.length >= 2) {
    queries.push({ kind: 'words', q: `${w[0]} ${w[1]} ${code}`.toLowerCase(), href });
    queries.push({ kind: 'typing', q: `${code} ${w[0].slice(0, 4).toLowerCase()}`, href });
    queries.push({ kind: 'typo', q: `${code} ${typo(w[0].toLowerCase())} ${w[1]}`, href });
  }
  if (aliases.length) {
    queries.push({ kind: 'log line', q: logLine(aliases[rand(aliases.length)]), href });
  }
}

// ---------- Measure ----------

const stats = Object.fromEntries(kinds.map((k) => [k, { bytes: [], ms: [], top1: 0, top3: 0, n: 0 }]));
for (const item of queries) {
  // Cold: a fresh engine, as on a page's first query; count what it loads.
  let bytes = engineGzip;
  const engine = search.createEngine(fileLoader(site, { onLoad: (name) => { bytes += gzipOf.get(name); } }));
  const first = await engine.search(item.q, { limit: 10 });
  // Warm: the same query again, its files loaded; the best of five runs.
  const times = [];
  for (let r = 0; r < 5; r++) {
    const t = performance.now();
    await engine.search(item.q, { limit: 10 });
    times.push(performance.now() - t);
  }
  const s = stats[item.kind];
  const rank = first.findIndex((r) => r.href === item.href);
  s.n += 1;
  s.top1 += rank === 0 ? 1 : 0;
  s.top3 += rank >= 0 && rank < 3 ? 1 : 0;
  s.bytes.push(bytes);
  s.ms.push(Math.min(...times));
}

const pct = (xs, p) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor(p * s.length))];
};
const kb = (n) => `${(n / 1024).toFixed(1)} KB`;
const report = {
  entries: meta.docs,
  indexFiles: indexFiles.length,
  indexBytes: raw,
  indexGzipBytes: zipped,
  engineGzipBytes: engineGzip,
  kinds: Object.fromEntries(kinds.map((k) => {
    const s = stats[k];
    return [k, {
      queries: s.n,
      firstQueryGzipMedian: pct(s.bytes, 0.5),
      firstQueryGzipMax: Math.max(...s.bytes),
      msMedian: Number(pct(s.ms, 0.5).toFixed(2)),
      msP95: Number(pct(s.ms, 0.95).toFixed(2)),
      msMax: Number(Math.max(...s.ms).toFixed(2)),
      top1: s.top1 / s.n,
      top3: s.top3 / s.n,
    }];
  })),
};

console.log(`${meta.docs} entries: index ${indexFiles.length} files, ${kb(raw)} (${kb(zipped)} gzip); engine ${kb(engineGzip)} gzip`);
console.log('query kind   n   first query (gzip) median / max   query time median / p95 / max   right entry first / top 3');
for (const k of kinds) {
  const r = report.kinds[k];
  console.log(`${k.padEnd(10)} ${String(r.queries).padStart(3)}   ${kb(r.firstQueryGzipMedian).padStart(9)} / ${kb(r.firstQueryGzipMax).padStart(9)}` +
    `          ${r.msMedian.toFixed(2)} / ${r.msP95.toFixed(2)} / ${r.msMax.toFixed(2)} ms` +
    `            ${(100 * r.top1).toFixed(0)}% / ${(100 * r.top3).toFixed(0)}%`);
}
if (jsonOut) {
  await writeFile(jsonOut, JSON.stringify(report, null, 2) + '\n');
}
