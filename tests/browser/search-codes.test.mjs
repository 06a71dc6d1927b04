// Browser tests of what search does with codes on the bundled demo site: typos, "did you mean",
// results a filter removed, Enter that opens the entry, numbers being typed, the 404 page's
// suggestions, and search.js loaded only once search is used.
// Run from the repository root after `cargo build`: node --test tests/browser/search-codes.test.mjs
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { assertNoErrors, builtSite, KB_BASE_URL, launch, newPage, serveDir } from './harness.mjs';

let browser;

before(async () => {
  browser = await launch();
});

after(async () => {
  await browser?.close();
});

function recordRequests(page) {
  const urls = [];
  page.on('request', (req) => urls.push(req.url()));
  return urls;
}

const isSearchScript = (u) => new URL(u).pathname.endsWith('/assets/search.js');

/** Types into the header box and waits until the list shows the answer to all of `text`. */
async function typeInBox(page, text) {
  await page.click('#site-search-input');
  await page.keyboard.type(text);
  await page.waitForFunction(
    (t) => document.getElementById('site-search-input').value === t &&
      !document.getElementById('site-search-results').hidden &&
      document.querySelector('#site-search-results [role="option"]'),
    text,
  );
  await page.waitForTimeout(150);
}

const optionPaths = (page, selector = '.search-result') =>
  page.$$eval(`#site-search-results ${selector}`, (els) => els.map((a) => new URL(a.href).pathname));

describe('codes in the bundled site', () => {
  let server;

  before(async () => {
    server = await serveDir(await builtSite());
  });

  after(async () => {
    await server?.close();
  });

  test('a code with a typo finds its entry', async () => {
    const page = await newPage(browser);
    await page.goto(server.url);
    for (const [typed, wanted] of [
      ['crashloopbakoff', '/kubernetes/crashloopbackoff/'],
      ['ECONREFUSED', '/linux/econnrefused/'],
      ['imagepullbakoff', '/kubernetes/imagepullbackoff/'],
    ]) {
      await page.fill('#site-search-input', '');
      await typeInBox(page, typed);
      assert.equal((await optionPaths(page))[0], wanted, typed);
    }
    // Through the API too, scored below the exact code.
    const [typo, exact] = await page.evaluate(async () => [
      await window.errorbook.search('ECONREFUSED'),
      await window.errorbook.search('ECONNREFUSED'),
    ]);
    assert.equal(typo[0].code, 'ECONNREFUSED');
    assert.ok(typo[0].score < exact[0].score, `${typo[0].score} < ${exact[0].score}`);
    assertNoErrors(page);
    await page.context().close();
  });

  test('a number being typed lists the codes it begins first', async () => {
    const page = await newPage(browser);
    await page.goto(server.url);
    await typeInBox(page, '50');
    const got = await optionPaths(page);
    assert.deepEqual(got.slice(0, 4).sort(), ['/http/500/', '/http/502/', '/http/503/', '/http/504/'], JSON.stringify(got));
    const deadlock = got.indexOf('/postgresql/deadlock-detected/');
    assert.ok(deadlock === -1 || deadlock > 3, `40P01 after 500–504: ${JSON.stringify(got)}`);
    assertNoErrors(page);
    await page.context().close();
  });

  test('a query without results offers the nearest codes', async () => {
    const page = await newPage(browser);
    await page.goto(server.url);
    await typeInBox(page, '5033');
    assert.match(await page.textContent('#site-search-results .search-suggest-label'), /Did you mean/);
    const suggested = await optionPaths(page, '.search-suggestion');
    assert.equal(suggested[0], '/http/503/', JSON.stringify(suggested));
    assert.equal(await page.getAttribute('#site-search-results .search-suggest', 'role'), 'group');

    // The results page says it too, with links.
    await page.goto(`${server.url}search/?q=5033`);
    await page.waitForSelector('#search-page-results .search-suggestion');
    assert.match(await page.textContent('#search-page-status'), /No entry matches “5033”/);
    assert.match(await page.textContent('.search-page-suggest-label'), /Did you mean/);
    assert.equal(await page.$eval('#search-page-results .search-suggestion', (a) => new URL(a.href).pathname), '/http/503/');
    assertNoErrors(page);
    await page.context().close();
  });

  test('the results page says when its filters removed every result', async () => {
    const page = await newPage(browser);
    await page.goto(`${server.url}search/?q=crashloopbackoff&category=http`);
    await page.waitForSelector('.search-page-filtered');
    assert.match(await page.textContent('#search-page-status'), /with these filters/);
    assert.match(await page.textContent('.search-page-filtered'), /The filters removed all \d+ results\./);
    assert.equal(await page.locator('#search-page-results .search-result').count(), 0);
    await page.click('.search-page-clear');
    await page.waitForSelector('#search-page-results .search-result');
    assert.equal(await page.$eval('#search-page-results .search-result', (a) => new URL(a.href).pathname), '/kubernetes/crashloopbackoff/');
    assert.equal(await page.inputValue('#search-page-category'), '');
    assertNoErrors(page);
    await page.context().close();
  });

  test('a filter value no entry has filters everything out, and the page says so', async () => {
    const page = await newPage(browser);
    // `info` is one of the site's severities, but no demo entry has it; `htp` is a typo.
    for (const [query, select, value] of [['q=503&severity=info', '#search-page-severity', 'info'],
      ['q=503&category=htp', '#search-page-category', 'htp']]) {
      await page.goto(`${server.url}search/?${query}`);
      await page.waitForSelector('.search-page-filtered');
      assert.match(await page.textContent('.search-page-filtered'), /The filters removed all \d+ results\./, query);
      assert.equal(await page.locator('#search-page-results .search-result').count(), 0, query);
      assert.equal(await page.inputValue(select), value, `${query}: the select shows the filter`);
      assert.match(await page.locator(`${select} option:checked`).textContent(), /no entries/, query);
    }
    assertNoErrors(page);
    await page.context().close();
  });

  test('Enter on an exact code or a clear winner opens the entry', async () => {
    const page = await newPage(browser);
    for (const [typed, wanted] of [['503', 'http/503/'], ['ECONNREFUSED', 'linux/econnrefused/'], ['crashloopbakoff', 'kubernetes/crashloopbackoff/']]) {
      await page.goto(`${server.url}tags/`);
      await typeInBox(page, typed);
      await Promise.all([page.waitForURL(`${server.url}${wanted}`), page.keyboard.press('Enter')]);
    }
    // On the results page, Enter in its own box does the same.
    await page.goto(`${server.url}search/`);
    await page.fill('#search-page-input', '503');
    await Promise.all([page.waitForURL(`${server.url}http/503/`), page.press('#search-page-input', 'Enter')]);
    // Without a clear winner, Enter there shows the results in place.
    await page.goto(`${server.url}search/`);
    await page.fill('#search-page-input', 'connection');
    await page.press('#search-page-input', 'Enter');
    await page.waitForSelector('#search-page-results .search-result');
    assert.equal(new URL(page.url()).pathname, '/search/');
    assert.match(await page.textContent('#search-page-status'), /results? for “connection”/);
    // Several entries share ENOSPC: Enter lists them.
    await page.goto(`${server.url}tags/`);
    await typeInBox(page, 'ENOSPC');
    await Promise.all([page.waitForURL(`${server.url}search/?q=ENOSPC`), page.keyboard.press('Enter')]);
    assertNoErrors(page);
    await page.context().close();
  });

  test('search.js loads only once search is used, and / works at once', async () => {
    const page = await newPage(browser);
    const requests = recordRequests(page);
    await page.goto(`${server.url}http/503/`, { waitUntil: 'load' });
    await page.waitForTimeout(300);
    assert.deepEqual(requests.filter(isSearchScript), [], 'an entry page that is only read does not fetch search.js');
    assert.ok(requests.some((u) => new URL(u).pathname.endsWith('/assets/errorbook.js')), 'the page script is there');
    // The shortcut focuses the box at once; what is typed before search.js runs is kept.
    await page.locator('body').click({ position: { x: 5, y: 5 } });
    await page.keyboard.press('/');
    await page.keyboard.type('ECONNREFUSED');
    assert.equal(await page.evaluate(() => document.activeElement.id), 'site-search-input');
    await page.waitForFunction(() => document.querySelector('#site-search-results .search-result'));
    assert.equal(await page.inputValue('#site-search-input'), 'ECONNREFUSED');
    assert.equal(requests.filter(isSearchScript).length, 1, 'fetched once');
    assert.equal((await optionPaths(page))[0], '/linux/econnrefused/');
    assertNoErrors(page);
    await page.context().close();

    // The results page carries it; the API loads it on first use elsewhere.
    const other = await newPage(browser);
    const more = recordRequests(other);
    await other.goto(`${server.url}search/?q=503`);
    await other.waitForSelector('#search-page-results .search-result');
    assert.equal(more.filter(isSearchScript).length, 1);
    await other.goto(`${server.url}linux/eacces/`);
    assert.equal(await other.evaluate(async () => (await window.errorbook.search('503'))[0].code), '503');
    assertNoErrors(other);
    await other.context().close();
  });

  test('the 404 page suggests the entries nearest to the missing address', async () => {
    const page = await newPage(browser, { allowStatus: [404] });
    await page.goto(`${server.url}http/5033/`);
    await page.waitForSelector('#not-found-suggestions:not([hidden]) a');
    const links = await page.$$eval('#not-found-suggestions a', (els) => els.map((a) => new URL(a.href).pathname));
    assert.equal(links[0], '/http/503/', JSON.stringify(links));
    assert.match(await page.textContent('#not-found-suggestions'), /Did you mean/);
    // An address that comes close to nothing shows no suggestions.
    await page.goto(`${server.url}qqqqqqqqqqqqqqqq/`);
    await page.waitForTimeout(300);
    assert.equal(await page.isHidden('#not-found-suggestions'), true);
    assertNoErrors(page);
    await page.context().close();
  });
});

describe('the 404 page under a sub-path', () => {
  let server;

  before(async () => {
    // The build for /kb/ that theme.test.mjs serves too: pages need the path, not the host.
    const out = await builtSite({ args: ['--base-url', KB_BASE_URL] });
    server = await serveDir(out, { prefix: '/kb/' });
  });

  after(async () => {
    await server?.close();
  });

  test('suggests entries from the path below the base', async () => {
    const page = await newPage(browser, { allowStatus: [404] });
    await page.goto(`${server.url}linux/econrefused/`);
    await page.waitForSelector('#not-found-suggestions:not([hidden]) a');
    const first = await page.$eval('#not-found-suggestions a', (a) => new URL(a.href).pathname);
    assert.equal(first, '/kb/linux/econnrefused/');
    assertNoErrors(page);
    await page.context().close();
  });
});
