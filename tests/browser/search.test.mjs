// Browser tests of search against the bundled demo site: the header box, the results page,
// window.errorbook.search, a build under a sub-path and an offline build opened from disk.
// Run from the repository root after `cargo build`: node --test tests/browser/
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { assertNoErrors, builtSite, KB_BASE_URL, launch, newPage, serveDir } from './harness.mjs';

const NGINX_LINE = '2026/06/14 10:12:01 [error] 1234#0: *5678 no live upstreams while connecting to upstream, client: 10.0.0.1, server: example.org, request: "GET /api HTTP/1.1", upstream: "http://backend/api"';

let browser;

before(async () => {
  browser = await launch();
});

after(async () => {
  await browser?.close();
});

/** Records every request a page makes, to check that none leaves the site. */
function recordRequests(page) {
  const urls = [];
  page.on('request', (req) => urls.push(req.url()));
  return urls;
}

function assertAllUnder(urls, prefix) {
  const outside = urls.filter((u) => !u.startsWith(prefix) && !u.startsWith('data:'));
  assert.deepEqual(outside, [], `requests outside ${prefix}`);
}

/** Types `text` into the header box and waits for its results. */
async function typeInBox(page, text) {
  await page.click('#site-search-input');
  await page.keyboard.type(text);
  await page.waitForFunction(
    (t) => document.getElementById('site-search-input').value === t &&
      !document.getElementById('site-search-results').hidden &&
      document.querySelector('#site-search-results [role="option"]'),
    text,
  );
  // The last keystroke's answer is the one shown once the list stops changing.
  await page.waitForTimeout(150);
}

function optionHrefs(page) {
  return page.$$eval('#site-search-results .search-result', (els) => els.map((a) => a.href));
}

/** Runs window.errorbook.search in the page. */
function apiSearch(page, query, options) {
  return page.evaluate(([q, o]) => window.errorbook.search(q, o), [query, options]);
}

/** The acceptance queries, through the public API; `base` is the URL the site lives at. */
async function checkAcceptance(page, base, suffix = '') {
  const entry = (p) => `${base}${p}${suffix}`;
  const urls = async (q) => (await apiSearch(page, q)).map((r) => r.url);

  const five = await apiSearch(page, '503');
  assert.equal(five[0].url, entry('http/503/'));
  assert.deepEqual(Object.keys(five[0]).sort(), ['category', 'code', 'score', 'severity', 'status', 'title', 'url']);
  assert.equal(five[0].code, '503');
  assert.equal(five[0].category, 'http');
  const at502 = five.findIndex((r) => r.url === entry('http/502/'));
  assert.ok(at502 === -1 || at502 > 0, '503 does not return 502 before 503');

  // nginx answers 502 when every upstream is marked down; the entry that lists the message leads.
  assert.equal((await urls(NGINX_LINE))[0], entry('http/502/'), 'the nginx line finds 502 first');
  assert.equal((await urls('econnrefused'))[0], entry('linux/econnrefused/'));
  assert.ok((await urls('connect ECONNREFUSED 127.0.0.1:5432')).slice(0, 3).includes(entry('linux/econnrefused/')));
  assert.equal((await apiSearch(page, 'connection', { limit: 2 })).length, 2);
}

describe('served at the root', () => {
  let out;
  let server;

  before(async () => {
    out = await builtSite();
    server = await serveDir(out);
  });

  after(async () => {
    await server?.close();
  });

  test('typing into the header box shows results as a listbox', async () => {
    const page = await newPage(browser);
    const requests = recordRequests(page);
    await page.goto(`${server.url}linux/eacces/`);
    await typeInBox(page, '503');
    const input = page.locator('#site-search-input');
    assert.equal(await input.getAttribute('role'), 'combobox');
    assert.equal(await input.getAttribute('aria-expanded'), 'true');
    assert.equal(await input.getAttribute('aria-controls'), 'site-search-results');
    assert.equal(await page.getAttribute('#site-search-results', 'role'), 'listbox');
    const hrefs = await optionHrefs(page);
    assert.equal(hrefs[0], `${server.url}http/503/`);
    // Code, title, category, severity and a snippet, with the matched words marked.
    const first = page.locator('#site-search-results .search-result').first();
    assert.equal(await first.locator('.search-result-code').textContent(), '503');
    assert.match(await first.locator('.search-result-title').textContent(), /Service Unavailable/);
    assert.equal(await first.locator('.badge-category').textContent(), 'HTTP');
    assert.match(await first.locator('.sev').textContent(), /blocker/);
    assert.ok(await first.locator('.search-result-snippet').count());
    assert.equal(await first.locator('.search-result-code mark').textContent(), '503');
    // Pages do not name the index version (so an edit does not rewrite every page): the
    // index description is asked for with the asset version and the minute, so a browser
    // cache never serves a stale one for longer than that.
    const meta = requests.filter((u) => u.includes('/search/meta.js'));
    assert.equal(meta.length, 1, meta.join(' '));
    const stamp = Number(new URL(meta[0]).searchParams.get('v').split('.')[1]);
    assert.ok(Math.abs(stamp - Date.now() / 60000) < 2, meta[0]);
    assertAllUnder(requests, server.url);
    assertNoErrors(page);
    await page.context().close();
  });

  test('arrow keys move, Enter opens, Escape closes', async () => {
    const page = await newPage(browser);
    await page.goto(server.url);
    await typeInBox(page, 'econnrefused');
    const input = page.locator('#site-search-input');
    assert.equal(await input.getAttribute('aria-activedescendant'), null);
    await page.keyboard.press('ArrowDown');
    const first = await input.getAttribute('aria-activedescendant');
    assert.ok(first);
    assert.equal(await page.getAttribute(`#${first}`, 'aria-selected'), 'true');
    await page.keyboard.press('ArrowDown');
    const second = await input.getAttribute('aria-activedescendant');
    assert.notEqual(second, first);
    assert.equal(await page.getAttribute(`#${first}`, 'aria-selected'), 'false');
    await page.keyboard.press('ArrowUp');
    assert.equal(await input.getAttribute('aria-activedescendant'), first);

    await page.keyboard.press('Escape');
    assert.equal(await input.getAttribute('aria-expanded'), 'false');
    assert.equal(await page.isHidden('#site-search-results'), true);
    assert.equal(await input.getAttribute('aria-activedescendant'), null);

    await page.keyboard.press('ArrowDown');
    await page.waitForSelector('#site-search-results:not([hidden]) .search-result');
    await page.keyboard.press('ArrowDown');
    await Promise.all([page.waitForURL(`${server.url}linux/econnrefused/`), page.keyboard.press('Enter')]);
    assertNoErrors(page);
    await page.context().close();
  });

  test('/ focuses the box; Enter without a choice opens the results page', async () => {
    const page = await newPage(browser);
    await page.goto(`${server.url}tags/`);
    await page.locator('body').click({ position: { x: 5, y: 5 } });
    await page.keyboard.press('/');
    assert.equal(await page.evaluate(() => document.activeElement.id), 'site-search-input');
    assert.equal(await page.inputValue('#site-search-input'), '', 'the slash is not typed');
    // Many entries mention it and none stands out: Enter shows them all.
    await page.keyboard.type('connection');
    await Promise.all([page.waitForURL(/\/search\/\?q=connection$/), page.keyboard.press('Enter')]);
    await page.waitForSelector('#search-page-results .search-result');
    assert.equal(await page.inputValue('#search-page-input'), 'connection');
    assertNoErrors(page);
    await page.context().close();
  });

  test('the results page can be linked, filtered and bookmarked', async () => {
    const page = await newPage(browser);
    const requests = recordRequests(page);
    await page.goto(`${server.url}search/?q=${encodeURIComponent(NGINX_LINE)}`);
    await page.waitForSelector('#search-page-results .search-result');
    const hrefs = await page.$$eval('#search-page-results .search-result', (els) => els.map((a) => a.href));
    assert.equal(hrefs[0], `${server.url}http/502/`, JSON.stringify(hrefs.slice(0, 3)));
    assert.match(await page.textContent('#search-page-status'), /results? for/);

    // A filter narrows the results and lands in the address, so the view can be bookmarked.
    await page.fill('#search-page-input', 'connection');
    await page.selectOption('#search-page-category', 'postgresql');
    await page.waitForFunction(() => location.search.includes('category=postgresql'));
    await page.waitForFunction(() => {
      const links = [...document.querySelectorAll('#search-page-results .search-result')];
      return links.length > 0 && links.every((a) => a.pathname.includes('/postgresql/'));
    });
    const severities = await page.$$eval('#search-page-severity option', (os) => os.map((o) => o.value));
    assert.deepEqual(severities.slice(0, 3), ['', 'blocker', 'critical']);
    await page.reload();
    await page.waitForSelector('#search-page-results .search-result');
    assert.equal(await page.inputValue('#search-page-category'), 'postgresql');
    assert.equal(await page.inputValue('#search-page-input'), 'connection');

    await page.fill('#search-page-input', 'zzzzqqqq');
    await page.waitForSelector('.search-page-empty a');
    assertAllUnder(requests, server.url);
    assertNoErrors(page);
    await page.context().close();
  });

  test('the products of applies_to filter the results page, named in any case', async () => {
    const page = await newPage(browser);
    await page.goto(`${server.url}search/?q=connection&product=PostgreSQL`);
    await page.waitForSelector('.search-page-product:not([hidden])');
    assert.equal(await page.inputValue('#search-page-product'), 'postgresql');
    await page.waitForFunction(() => {
      const links = [...document.querySelectorAll('#search-page-results .search-result')];
      return links.length > 0 && links.every((a) => a.pathname.includes('/postgresql/'));
    });
    const products = await page.$$eval('#search-page-product option', (os) => os.map((o) => o.textContent));
    assert.ok(products.includes('PostgreSQL') && products.includes('Redis'), JSON.stringify(products));
    // Any product again: results from other categories come back.
    await page.selectOption('#search-page-product', '');
    await page.waitForFunction(() => [...document.querySelectorAll('#search-page-results .search-result')]
      .some((a) => !a.pathname.includes('/postgresql/')));
    assertNoErrors(page);
    await page.context().close();
  });

  test('window.errorbook.search answers the acceptance queries', async () => {
    const page = await newPage(browser);
    await page.goto(server.url);
    await checkAcceptance(page, server.url);
    assertNoErrors(page);
    await page.context().close();
  });

  test('without JavaScript the box leads to the search page, which points home', async () => {
    const page = await newPage(browser, { javaScriptEnabled: false });
    await page.goto(`${server.url}http/503/`);
    await page.fill('#site-search-input', 'timeout');
    await Promise.all([page.waitForURL(`${server.url}search/?q=timeout`), page.press('#site-search-input', 'Enter')]);
    const text = await page.textContent('.search-page-nojs');
    assert.match(text, /JavaScript/);
    const home = await page.getAttribute('.search-page-nojs a', 'href');
    assert.equal(new URL(home, page.url()).href, server.url);
    // The home page lists every entry by category.
    await page.goto(server.url);
    assert.ok(await page.locator(`a[href="/http/503/"]`).count());
    assertNoErrors(page);
    await page.context().close();
  });

  test('an OpenSearch description points at the results page', async () => {
    const xml = await readFile(path.join(out, 'opensearch.xml'), 'utf8');
    assert.match(xml, /<Url type="text\/html" method="get" template="https:\/\/errorbook\.example\/search\/\?q=\{searchTerms\}"\/>/);
  });
});

describe('under a sub-path', () => {
  let out;
  let server;

  before(async () => {
    // The build for /kb/ that theme.test.mjs serves too: pages need the path, not the host.
    out = await builtSite({ args: ['--base-url', KB_BASE_URL] });
    server = await serveDir(out, { prefix: '/kb/' });
  });

  after(async () => {
    await server?.close();
  });

  test('the box, the results page and the API work under /kb/', async () => {
    assert.match(server.url, /\/kb\/$/);
    const page = await newPage(browser);
    const requests = recordRequests(page);
    await page.goto(`${server.url}linux/econnrefused/`);
    await typeInBox(page, 'econnrefused');
    assert.equal((await optionHrefs(page))[0], `${server.url}linux/econnrefused/`);
    await checkAcceptance(page, server.url);
    await page.goto(`${server.url}search/?q=503`);
    await page.waitForSelector('#search-page-results .search-result');
    assert.equal(await page.getAttribute('#search-page-results .search-result', 'href'), '/kb/http/503/');
    assertAllUnder(requests, server.url);
    assertNoErrors(page);
    await page.context().close();
  });
});

describe('offline, opened from disk', () => {
  let out;

  before(async () => {
    out = await builtSite({ args: ['--offline'] });
  });

  test('the box and the API work from file://', async () => {
    const page = await newPage(browser);
    const requests = recordRequests(page);
    const site = pathToFileURL(out).href + '/';
    await page.goto(`${site}http/503/index.html`);
    await typeInBox(page, 'econnrefused');
    assert.equal((await optionHrefs(page))[0], `${site}linux/econnrefused/index.html`);
    await page.keyboard.press('ArrowDown');
    await Promise.all([page.waitForURL(`${site}linux/econnrefused/index.html`), page.keyboard.press('Enter')]);
    await checkAcceptance(page, site, 'index.html');
    assertAllUnder(requests, site);
    assertNoErrors(page);
    await page.context().close();
  });

  test('the results page works from file://', async () => {
    const page = await newPage(browser);
    const requests = recordRequests(page);
    const site = pathToFileURL(out).href + '/';
    await page.goto(`${site}search/index.html?q=ECONNREFUSED`);
    await page.waitForSelector('#search-page-results .search-result');
    assert.equal(await page.$eval('#search-page-results .search-result', (a) => a.href), `${site}linux/econnrefused/index.html`);
    assertAllUnder(requests, site);
    assertNoErrors(page);
    await page.context().close();
  });
});
