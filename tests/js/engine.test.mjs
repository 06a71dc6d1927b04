// The search engine under node, against the index the real binary builds for
// tests/fixtures/search. Run `cargo build` first (or set ERRORBOOK_BIN).
import { before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { builtSite, engine as search, fileLoader, repoRoot } from './support.mjs';

let site;
let engine;
let analyser;

before(async () => {
  site = await builtSite({ root: path.join(repoRoot, 'tests/fixtures/search') });
  engine = search.createEngine(fileLoader(site));
  analyser = await engine.analyser();
});

async function hrefs(query, opts) {
  return (await engine.search(query, opts)).map((r) => r.href);
}

/** Checks that `href` is among the first `n` results of `query`. */
async function checkTop(query, href, n = 1, opts) {
  const got = await hrefs(query, opts);
  assert.ok(got.slice(0, n).includes(href), `${href} in the first ${n} for ${JSON.stringify(query)}: ${JSON.stringify(got)}`);
}

describe('codes', () => {
  test('an exact code comes first, in any case', async () => {
    await checkTop('E0308', 'rust/e0308/');
    await checkTop('e0308', 'rust/e0308/');
    await checkTop('econnrefused', 'linux/econnrefused/');
    await checkTop('53300', 'postgresql/too-many-connections/');
  });

  test('503 finds every 503 before anything else, and never 502 first', async () => {
    const got = await hrefs('503');
    assert.deepEqual(got.slice(0, 2).sort(), ['http/503/', 'smtp/503/']);
    assert.ok(!got.includes('http/502/') || got.indexOf('http/502/') > 1, JSON.stringify(got));
  });

  test('no typo tolerance for the digits of numbers or codes', async () => {
    assert.deepEqual(await hrefs('5033 '), []);
    await checkTop('503 ', 'http/503/', 2);
    assert.ok(!(await hrefs('e0309 ')).includes('rust/e0308/'));
    await checkTop('e0308 ', 'rust/e0308/');
  });

  test('a typo in the letters of a code finds it, below every real match', async () => {
    await checkTop('econnrefusd ', 'linux/econnrefused/');
    await checkTop('ECONREFUSED', 'linux/econnrefused/');
    const typo = await engine.search('econnrefusd');
    const exact = await engine.search('econnrefused');
    assert.ok(typo[0].score < exact[0].score, `${typo[0].score} below ${exact[0].score}`);
    // A word of the query that the index holds keeps its results above the typo's.
    const mixed = await hrefs('refused econnrefusd');
    const real = await hrefs('refused');
    assert.ok(real.length > 0 && mixed.slice(0, real.length).every((h) => real.includes(h)),
      `${JSON.stringify(mixed)} begins with ${JSON.stringify(real)}`);
  });

  test('a number being typed ranks the codes it begins first', async () => {
    const got = await hrefs('50');
    assert.deepEqual(got.slice(0, 4).sort(), ['http/502/', 'http/503/', 'http/504/', 'smtp/503/'], JSON.stringify(got));
    assert.equal((await hrefs('533'))[0], 'postgresql/too-many-connections/');
    // Finished (a space after it), the number is a word again: no code begins with it.
    assert.ok(!(await hrefs('50 ')).includes('http/502/'));
  });

  test('a code inside a longer query still counts', async () => {
    await checkTop('HTTP 503', 'http/503/');
    await checkTop('connect ECONNREFUSED 127.0.0.1:5432', 'linux/econnrefused/', 3);
    await checkTop('connect ECONNREFUSED 10.1.2.3:6379', 'linux/econnrefused/', 3);
  });
});

describe('pasted log lines', () => {
  test('an nginx error line finds 503 by its alias among the noise', async () => {
    const line = '2026/06/14 10:12:01 [error] 1234#0: *5678 no live upstreams while connecting to upstream, client: 10.0.0.1, server: example.org, request: "GET /api HTTP/1.1", upstream: "http://backend/api"';
    await checkTop(line, 'http/503/', 3);
    await checkTop(line, 'http/503/', 1);
  });

  test('a line with other addresses, ids and times finds its entry', async () => {
    await checkTop('2026-06-14T10:12:01.123Z ERROR [req 3fa85f64-5717-4562-b3fc-2c963f66afa6] upstream prematurely closed connection while reading response header from upstream, client: 192.168.1.20', 'http/502/');
    await checkTop('Jun 14 10:12:01 db1 postgres[4242]: FATAL:  sorry, too many clients already', 'postgresql/too-many-connections/');
    await checkTop('Error: listen EADDRINUSE: address already in use :::8080', 'nodejs/eaddrinuse/');
  });
});

describe('words', () => {
  test('stemming meets word forms', async () => {
    await checkTop('connections refused', 'linux/econnrefused/');
    await checkTop('mismatching type', 'rust/e0308/');
  });

  test('one typo is forgiven in words of five letters or more', async () => {
    await checkTop('conection refused', 'linux/econnrefused/');
    await checkTop('mismatchd types', 'rust/e0308/');
    await checkTop('Gatway Timeout', 'http/504/');
    // A word of a code that is a phrase is a word like any other.
    await checkTop('conection daemon', 'docker/daemon/');
  });

  test('a code that is a phrase matches as a whole', async () => {
    await checkTop('cannot connect to the docker daemon', 'docker/daemon/');
    await checkTop('Cannot connect to the Docker daemon at unix:///var/run/docker.sock. Is the docker daemon running?', 'docker/daemon/');
  });

  test('the word being typed matches as a prefix', async () => {
    await checkTop('ECONNREF', 'linux/econnrefused/');
    await checkTop('mismat', 'rust/e0308/');
    await checkTop('too many cli', 'postgresql/too-many-connections/');
    const fifty = await hrefs('50');
    for (const href of ['http/502/', 'http/503/', 'http/504/']) {
      assert.ok(fifty.includes(href), `${href} in ${JSON.stringify(fifty)}`);
    }
  });

  test('a finished word is not a prefix', async () => {
    assert.ok(!(await hrefs('50 ')).includes('http/503/'));
    assert.ok((await hrefs('50')).includes('http/503/'), 'the same word being typed is one');
  });

  test('stop words alone find nothing', async () => {
    assert.deepEqual(await hrefs('the of and '), []);
    assert.ok((await hrefs('the of and timeout ')).length > 0, 'with a word that is no stop word');
    assert.deepEqual(await hrefs(''), []);
    assert.deepEqual(await hrefs('   '), []);
  });

  test('an alias phrase outranks scattered words', async () => {
    await checkTop('connection timed out', 'linux/etimedout/');
    await checkTop('bad sequence of commands', 'smtp/503/');
  });
});

describe('filters and results', () => {
  test('category and severity filters', async () => {
    assert.deepEqual(await hrefs('503', { category: 'smtp' }), ['smtp/503/']);
    assert.deepEqual(await hrefs('503', { category: 'http', limit: 1 }), ['http/503/']);
    const critical = await hrefs('connection', { severity: 'critical' });
    assert.ok(critical.length > 0);
    assert.ok(critical.every((h) => ['linux/econnrefused/', 'postgresql/too-many-connections/', 'http/502/'].includes(h)), JSON.stringify(critical));
    assert.deepEqual(await hrefs('503', { category: 'nope' }), []);
  });

  test('results have their fields, best first, within the limit', async () => {
    const results = await engine.search('timeout', { limit: 2 });
    assert.ok(results.length <= 2 && results.length > 0);
    const [first] = results;
    assert.deepEqual(Object.keys(first).sort(), ['alias', 'category', 'categoryName', 'code', 'href', 'score', 'severity', 'status', 'summary', 'title']);
    assert.equal(typeof first.score, 'number');
    assert.equal(first.status, 'current');
    for (let i = 1; i < results.length; i++) {
      assert.ok(results[i - 1].score >= results[i].score);
    }
  });

  test('the same query gives the same answer', async () => {
    const a = await engine.search('connection upstream');
    const b = await engine.search('connection upstream');
    assert.deepEqual(a, b);
  });

  test('the matched alias is reported for the snippet', async () => {
    const [first] = await engine.search('sorry, too many clients already');
    assert.equal(first.alias, 'FATAL: sorry, too many clients already');
  });
});

describe('loading', () => {
  test('each index file is loaded once, however many queries run at once', async () => {
    const counts = {};
    const fresh = search.createEngine(fileLoader(site, { onLoad: (name) => { counts[name] = (counts[name] || 0) + 1; } }));
    await Promise.all(['r', 're', 'ref', 'refu', 'refused', 'conn', 'connection', '503', 'upstream'].map((q) => fresh.search(q)));
    const twice = Object.entries(counts).filter(([, n]) => n > 1);
    assert.deepEqual(twice, []);
    assert.ok(counts.meta === 1 && Object.keys(counts).some((n) => n.startsWith('p/')));
  });

  test('an index of another format is refused', async () => {
    const loader = fileLoader(site);
    const old = search.createEngine(async (name) => (name === 'meta' ? { ...(await loader(name)), format: 1 } : loader(name)));
    await assert.rejects(old.search('refused'), /unsupported index format/);
    const meta = await loader('meta');
    assert.equal(meta.format, search.FORMAT, 'the built index is of the format the engine reads');
  });

  test('a failed load is reported, and retried by the next query', async () => {
    let fail = true;
    const loader = fileLoader(site);
    const flaky = search.createEngine((name) => (fail && name !== 'meta' ? Promise.reject(new Error(`no ${name}`)) : loader(name)));
    await assert.rejects(flaky.search('refused'), /no /);
    fail = false;
    assert.ok((await flaky.search('refused')).length > 0);
  });
});

describe('marking matched words', () => {
  test('words whose terms matched are marked', () => {
    const pieces = analyser.highlight('Connections were refused: ECONNREFUSED', new Set(['connect', 'econnrefus']), null);
    assert.deepEqual(pieces, [['Connections', true], [' were refused: ', false], ['ECONNREFUSED', true]]);
  });

  test('the word being typed is marked where words begin with it', () => {
    const pieces = analyser.highlight('Gateway Timeout', new Set(), 'time');
    assert.deepEqual(pieces, [['Gateway ', false], ['Timeout', true]]);
  });
});

describe('query analysis', () => {
  test('the last word is being typed unless the query ends in a space', () => {
    assert.equal(analyser.analyseQuery('conn').typedRaw, 'conn');
    assert.equal(analyser.analyseQuery('conn ').typedRaw, null);
    assert.equal(analyser.analyseQuery('conn')?.groups[0].typed, true);
  });

  test('code keys come from the whole query, its chunks and a word with its number', () => {
    assert.deepEqual(analyser.analyseQuery('error 1045').codeKeys, ['error1045', 'error', '1045']);
    assert.deepEqual(analyser.analyseQuery('ora 00942 table').codeKeys, ['ora00942table', 'ora', '00942', 'ora00942', 'table']);
  });

  test('in a pasted line, only chunks that look like codes, and never addresses', () => {
    const q = analyser.analyseQuery('Error 1045 at 10.0.0.1 for user root');
    assert.deepEqual(q.codeKeys, ['error1045at10001foruserroot', 'error', '1045', 'error1045']);
  });

  test('word pairs of the phrase are looked up too', () => {
    const q = analyser.analyseQuery('no live upstreams ');
    assert.deepEqual(q.groups.map((g) => g.term), ['live', 'upstream', 'no live', 'live upstream']);
  });
});

describe('beyond the results', () => {
  test('a query without results suggests the nearest codes', async () => {
    const answer = await engine.query('5033 ');
    assert.deepEqual(answer.results, []);
    assert.deepEqual(answer.suggestions.map((r) => r.href).slice(0, 2), ['http/503/', 'smtp/503/']);
    assert.deepEqual((await engine.suggest('5033')).map((r) => r.href), answer.suggestions.map((r) => r.href));
    assert.equal(answer.unfiltered, 0);
  });

  test('a filter that removed every result says so instead', async () => {
    const answer = await engine.query('econnrefused', { category: 'http' });
    assert.deepEqual(answer.results, []);
    assert.ok(answer.unfiltered >= 1, String(answer.unfiltered));
    assert.deepEqual(answer.suggestions, []);
  });

  test('the result to open is a clear winner only', async () => {
    assert.equal((await engine.query('E0308')).best.href, 'rust/e0308/');
    assert.equal((await engine.query('503')).best, null, 'two entries share 503');
    assert.equal((await engine.query('connection')).best, null, 'many entries mention it');
  });

  test('a long query without results reads no keys', async () => {
    const loaded = [];
    const load = fileLoader(site);
    const counting = search.createEngine((name) => { loaded.push(name); return load(name); });
    const long = 'zq '.repeat(40);
    const answer = await counting.query(long);
    assert.deepEqual(answer.suggestions, []);
    assert.ok(loaded.includes('meta'), JSON.stringify(loaded));
    assert.deepEqual(loaded.filter((n) => n.startsWith('k/')), [], JSON.stringify(loaded));
    await counting.query('zzqqzzqq');
    assert.ok(loaded.some((n) => n.startsWith('k/')), 'a short one does');
  });
});
