// The engine's triage of a pasted log, against the index the real binary builds for
// tests/fixtures/triage. Run `cargo build` first (or set ERRORBOOK_BIN). That it finds what
// `errorbook triage` finds, line for line, is held by the Rust tests (tests/cli/triage.rs);
// these tests pin what the browser shows on top: the lines' text, the marks, the entries' rows.
import { before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { builtSite, engine as search, fileLoader, repoRoot } from './support.mjs';

const fixture = path.join(repoRoot, 'tests/fixtures/triage');
const appLog = readFileSync(path.join(fixture, 'logs/app.log'), 'utf8');

let engine;
let loaded;

before(async () => {
  const site = await builtSite({ root: fixture });
  loaded = [];
  engine = search.createEngine(fileLoader(site, { onLoad: (name) => loaded.push(name) }));
});

/** The marked parts of a shown line. */
const markedText = (shown) => shown.marks.map(([start, end]) => shown.text.slice(start, end));

describe('what a log holds', () => {
  test('each entry once, most relevant first, with its count and first lines', async () => {
    const { lines, found } = await engine.triage(appLog);
    assert.equal(lines, 10);
    assert.deepEqual(
      found.map((f) => [f.href, f.by, f.count, f.lines]),
      [
        ['linux/econnrefused/', 'alias', 3, [2, 3, 8]],
        ['http/503/', 'alias', 2, [4, 5]],
        ['postgresql/too-many-connections/', 'alias', 1, [7]],
        ['rust/e0308/', 'alias', 1, [9]],
      ],
    );
    const first = found[0];
    assert.deepEqual(Object.keys(first).sort(), ['by', 'category', 'categoryName', 'code', 'count', 'href', 'lines',
      'severity', 'shown', 'status', 'title']);
    assert.equal(first.code, 'ECONNREFUSED');
    assert.match(first.title, /^ECONNREFUSED: Connection refused/);
    assert.equal(first.category, 'linux');
    assert.equal(first.categoryName, 'Linux');
    assert.equal(first.severity, 'critical');
    assert.equal(first.status, 'current');
  });

  test('the matched lines come with their text and the matched parts marked', async () => {
    const { found } = await engine.triage(appLog);
    const byHref = Object.fromEntries(found.map((f) => [f.href, f]));
    const [nginx, access] = byHref['http/503/'].shown;
    assert.equal(nginx.line, 4);
    assert.equal(nginx.text, appLog.split('\n')[3]);
    assert.deepEqual(markedText(nginx), ['no live upstreams while connecting to upstream']);
    assert.equal(access.line, 5);
    assert.deepEqual(markedText(access), ['503'], 'a code in context is marked alone');
    assert.deepEqual(markedText(byHref['linux/econnrefused/'].shown[0]), ['connect ECONNREFUSED 10.0.3.7:5432']);
    // An alias and a code on one line: two marks, in order.
    assert.deepEqual(markedText(byHref['postgresql/too-many-connections/'].shown[0]), [
      'FATAL:  sorry, too many clients already',
      '53300',
    ]);
  });

  test('a repeated line is counted once per line; only the first three lines are shown', async () => {
    const log = 'connect ECONNREFUSED 10.0.0.1:1\n'.repeat(12) + 'connect ECONNREFUSED 10.0.0.1:1 ECONNREFUSED\n';
    const { found } = await engine.triage(log);
    assert.equal(found.length, 1);
    assert.equal(found[0].count, 13);
    assert.deepEqual(found[0].lines, [1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 'the first ten line numbers');
    assert.deepEqual(found[0].shown.map((s) => s.line), [1, 2, 3]);
  });

  test('numbers inside times, addresses, versions and ports are not codes', async () => {
    const quiet = readFileSync(path.join(fixture, 'logs/quiet.log'), 'utf8');
    assert.deepEqual(await engine.triage(quiet), { lines: 2, found: [] });
    const { found } = await engine.triage('listening on port 503\nHTTP/1.1" 503 182\n');
    assert.deepEqual(found.map((f) => [f.href, f.lines]), [['http/503/', [2]]], 'the HTTP 503, not the SMTP one');
  });

  test('lines end with \\n or \\r\\n; a last line needs no end; no text is no line', async () => {
    const { lines, found } = await engine.triage('ok\r\n\r\nconnect ECONNREFUSED 10.0.0.1:5432\r\nerror[E0308]: mismatched types');
    assert.equal(lines, 4);
    assert.deepEqual(found.map((f) => [f.href, f.lines]), [['linux/econnrefused/', [3]], ['rust/e0308/', [4]]]);
    assert.equal(found[0].shown[0].text, 'connect ECONNREFUSED 10.0.0.1:5432', 'without the carriage return');
    assert.deepEqual(await engine.triage(''), { lines: 0, found: [] });
  });

  test('a long line is matched on its first 8,192 bytes, as the command reads it', async () => {
    const message = 'connect ECONNREFUSED 10.0.0.1:5432';
    const pad = 'é'.repeat(5000); // 10,000 bytes
    const { found } = await engine.triage(`${message} ${pad}\n${pad} ${message}\n`);
    assert.deepEqual(found.map((f) => [f.href, f.lines]), [['linux/econnrefused/', [1]]]);
    // Cut inside an "é", whose first byte reads as a replacement character, as in the command.
    const shown = found[0].shown[0].text;
    assert.ok(shown.endsWith('é\ufffd'), JSON.stringify(shown.slice(-3)));
    assert.equal(new TextEncoder().encode(shown.slice(0, -1)).length, 8191);
  });

  test('the triage file is loaded once, with the rows of the entries found', async () => {
    await engine.triage(appLog);
    await engine.triage(appLog);
    assert.equal(loaded.filter((n) => n === 'triage').length, 1);
    assert.ok(!loaded.some((n) => n.startsWith('v/') || n.startsWith('p/')), `no vocabulary: ${loaded}`);
    assert.ok(loaded.some((n) => n.startsWith('d/')), `rows: ${loaded}`);
  });

  test('5,000 lines take well under a second', async () => {
    const lines = appLog.trimEnd().split('\n');
    const log = Array.from({ length: 5000 }, (_, i) => `${lines[i % lines.length]} #${i}`).join('\n');
    await engine.triage(log);
    const started = performance.now();
    const { lines: read, found } = await engine.triage(log);
    const took = performance.now() - started;
    assert.equal(read, 5000);
    assert.equal(found[0].count, 1500);
    assert.ok(took < 1000, `${Math.round(took)} ms`);
  });
});
