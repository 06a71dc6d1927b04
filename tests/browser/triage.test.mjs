// Browser tests of triage: a log of several lines pasted into the header box or the search
// page lists every known error in it, with the lines that show it. Against the bundled demo
// site, served at the root, under a sub-path and opened from disk.
// Run from the repository root after `cargo build`: node --test tests/browser/triage.test.mjs
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';
import { assertNoErrors, builtSite, KB_BASE_URL, launch, newPage, serveDir } from './harness.mjs';
import { engine as searchEngine, fileLoader } from '../js/support.mjs';

const require = createRequire(import.meta.url);

const LOG = [
  '2026-06-14T10:12:01.503Z INFO  [web-1] GET /health 200 3ms',
  '2026-06-14T10:12:02.117Z ERROR [web-1] connect ECONNREFUSED 10.0.3.7:5432',
  '2026/06/14 10:12:03 [error] 31#31: *5 no live upstreams while connecting to upstream, client: 10.0.0.1',
  '',
  '2026-06-14T10:12:04.000Z INFO  [web-1] listening on port 503',
  '2026-06-14T10:12:06.001Z ERROR [web-3] connect ECONNREFUSED 10.0.3.9:5432',
  'Error: listen EADDRINUSE: address already in use :::8080',
].join('\n');

const QUIET = 'all good\n\nnothing to see here, port 503 open\n';

let browser;

before(async () => {
  browser = await launch();
});

after(async () => {
  await browser?.close();
});

/** What the engine finds in `log` under node, over the built site `out`: hrefs, best first. */
async function engineFinds(out, log) {
  const { found } = await searchEngine.createEngine(fileLoader(out)).triage(log);
  return found.map((f) => f.href);
}

/**
 * Pastes `text` into the element `selector` as a clipboard paste, and resolves, once `ready`
 * (a selector) is in the page, to how many milliseconds that took.
 */
function paste(page, selector, text, ready) {
  return page.evaluate(([sel, t, readySel]) => {
    const target = document.querySelector(sel);
    target.focus();
    const data = new DataTransfer();
    data.setData('text/plain', t);
    const started = performance.now();
    target.dispatchEvent(new ClipboardEvent('paste', { clipboardData: data, bubbles: true, cancelable: true }));
    return new Promise((resolve) => {
      const check = () => {
        if (document.querySelector(readySel)) {
          observer.disconnect();
          resolve(performance.now() - started);
        }
      };
      const observer = new MutationObserver(check);
      observer.observe(document.body, { childList: true, subtree: true, characterData: true });
      check();
    });
  }, [selector, text, ready]);
}

/** Pastes into the header box and waits for the triage summary. */
async function pasteInBox(page, text) {
  await page.evaluate(() => {
    const list = document.getElementById('site-search-results');
    list.textContent = '';
  });
  return paste(page, '#site-search-input', text, '#site-search-results .search-triage-summary');
}

/** The entries the popup lists: href, code, count text, and the first line's number and marks. */
function popupEntries(page) {
  return page.$$eval('#site-search-results .search-triage-entry', (els) => els.map((a) => ({
    href: a.href,
    role: a.getAttribute('role'),
    code: a.querySelector('.search-result-code').textContent,
    title: a.querySelector('.search-result-title').textContent,
    count: a.querySelector('.search-triage-count').textContent,
    lines: [...a.querySelectorAll('.search-triage-line')].map((l) => ({
      number: l.querySelector('.search-triage-lineno').textContent,
      text: l.querySelector('.search-triage-text').textContent,
      marks: [...l.querySelectorAll('mark')].map((m) => m.textContent),
    })),
  })));
}

/** Fills the search page's box with `text`, as typing or pasting does, and waits for the answer. */
async function fillPage(page, text) {
  await page.fill('#search-page-input', text);
  await page.waitForFunction(() => !/…$/.test(document.getElementById('search-page-status').textContent) &&
    document.getElementById('search-page-status').textContent !== '');
}

function pageEntries(page) {
  return page.$$eval('#search-page-results .search-triage-entry', (els) => els.map((a) => ({
    href: a.href,
    count: a.querySelector('.search-triage-count').textContent,
    lines: [...a.querySelectorAll('.search-triage-line')].map((l) => [
      l.querySelector('.search-triage-lineno').textContent,
      [...l.querySelectorAll('mark')].map((m) => m.textContent),
    ]),
  })));
}

/** A log of `n` lines: the demo log over and over, numbered (from `from` thousands on). */
function bigLog(n, from = 0) {
  const lines = LOG.split('\n');
  return Array.from({ length: n }, (_, i) => `${lines[i % lines.length]} #${from * 1000 + i}`).join('\n');
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

  test('a log pasted into the header box lists every known error in it, with its lines', async () => {
    const page = await newPage(browser);
    await page.goto(`${server.url}http/503/`);
    await pasteInBox(page, LOG);
    const input = page.locator('#site-search-input');
    assert.equal(await input.getAttribute('aria-expanded'), 'true');
    assert.match(await input.inputValue(), /^2026-06-14T10:12:01\.503Z INFO \[web-1\] GET \/health 200 3ms 2026-06-14T10:12:02/,
      'the box shows the log on one line');
    assert.equal(await page.textContent('#site-search-results .search-triage-summary'), '3 known errors in 7 lines');
    const entries = await popupEntries(page);
    const expected = await engineFinds(out, LOG);
    assert.deepEqual(entries.map((e) => e.href), expected.map((h) => `${server.url}${h}`), 'what the engine finds');
    assert.deepEqual(entries[0], {
      href: `${server.url}linux/econnrefused/`,
      role: 'option',
      code: 'ECONNREFUSED',
      title: entries[0].title,
      count: '2 lines: 2, 6',
      // The line from a little before its mark, so the mark shows in the narrow popup.
      lines: [{ number: '2', text: '…ROR [web-1] connect ECONNREFUSED 10.0.3.7:5432', marks: ['connect ECONNREFUSED 10.0.3.7:5432'] }],
    });
    assert.match(entries[0].title, /^ECONNREFUSED: Connection refused/);
    assert.deepEqual(entries.find((e) => e.href.endsWith('/http/502/')).lines[0].marks,
      ['no live upstreams while connecting to upstream']);
    assert.deepEqual(entries.find((e) => e.href.endsWith('/nodejs/eaddrinuse/')).count, 'Line 7');
    assert.match(await page.textContent('#site-search-input ~ [role="status"], .site-search [role="status"]'), /3 known errors in 7 lines/);

    // Arrow keys choose an entry; Enter opens it.
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('ArrowDown');
    const active = await page.getAttribute('#site-search-input', 'aria-activedescendant');
    assert.equal(await page.getAttribute(`#${active}`, 'href'), '/http/502/');
    await Promise.all([page.waitForURL(`${server.url}http/502/`), page.keyboard.press('Enter')]);
    assertNoErrors(page);
    await page.context().close();
  });

  test('Enter without a choice opens the most relevant entry; an edit makes the box search again', async () => {
    const page = await newPage(browser);
    await page.goto(`${server.url}http/503/`);
    await pasteInBox(page, LOG);
    await page.keyboard.press('End');
    await page.keyboard.type(' x');
    await page.waitForSelector('#site-search-results .search-option-more');
    assert.equal(await page.$('#site-search-results .search-triage-summary'), null, 'the triage view is gone');
    assert.match(await page.textContent('#site-search-results .search-option-more'), /^All results for|^No entry matches/);
    await pasteInBox(page, LOG);
    await Promise.all([page.waitForURL(`${server.url}linux/econnrefused/`), page.keyboard.press('Enter')]);
    assertNoErrors(page);
    await page.context().close();
  });

  test('a log with no known error says so, and a single line is still a search', async () => {
    const page = await newPage(browser);
    await page.goto(`${server.url}http/503/`);
    await pasteInBox(page, QUIET);
    assert.equal(await page.textContent('#site-search-results .search-triage-summary'), 'No known error in these 3 lines.');
    assert.equal(await page.$$eval('#site-search-results .search-triage-entry', (els) => els.length), 0);
    assert.equal(await page.getAttribute('#site-search-results .search-option-more', 'href'), '/');
    // One line (with a line break at its end) pastes as it always did: a query.
    await page.fill('#site-search-input', '');
    await page.evaluate(() => { document.getElementById('site-search-results').hidden = true; });
    await paste(page, '#site-search-input', 'connect ECONNREFUSED 127.0.0.1:5432\n', '#site-search-input');
    assert.equal(await page.inputValue('#site-search-input'), '', 'the browser inserts a line itself');
    assertNoErrors(page);
    await page.context().close();
  });

  test('the search page takes a log in its box and lists the known errors with up to three lines', async () => {
    const page = await newPage(browser);
    await page.goto(`${server.url}search/`);
    assert.equal(await page.$eval('#search-page-input', (e) => e.tagName), 'TEXTAREA');
    await fillPage(page, LOG);
    assert.equal(await page.textContent('#search-page-status'), '3 known errors in 7 lines');
    const entries = await pageEntries(page);
    assert.deepEqual(entries.map((e) => e.href), (await engineFinds(out, LOG)).map((h) => `${server.url}${h}`));
    assert.deepEqual(entries[0], {
      href: `${server.url}linux/econnrefused/`,
      count: '2 lines: 2, 6',
      lines: [['2', ['connect ECONNREFUSED 10.0.3.7:5432']], ['6', ['connect ECONNREFUSED 10.0.3.9:5432']]],
    });
    const many = `${'connect ECONNREFUSED 10.0.0.1:5432\n'.repeat(5)}ok\n`;
    await fillPage(page, many);
    assert.deepEqual((await pageEntries(page))[0].lines.map((l) => l[0]), ['1', '2', '3'], 'three lines at most');
    assert.equal((await pageEntries(page))[0].count, '5 lines: 1, 2, 3, 4, 5');
    // The log stays out of the address.
    assert.equal(new URL(page.url()).searchParams.get('q'), null);
    assert.equal(await page.getAttribute('#search-page-input', 'rows'), '7', 'the box grows with the log, and the line after it');
    assert.equal(await page.isVisible('#search-page-category'), false, 'the filters are put away for a log');

    // The empty state.
    await fillPage(page, QUIET);
    assert.equal(await page.textContent('#search-page-status'), 'No known error in these 3 lines.');
    assert.match(await page.textContent('.search-triage-empty'), /None of its lines holds an alias or a code of an entry/);
    assert.equal(await page.getAttribute('.search-triage-empty a', 'href'), '/');

    // One line is a search again; Enter searches, Shift+Enter starts a line.
    await fillPage(page, '503');
    assert.ok(await page.$('#search-page-results .search-result'));
    assert.equal(await page.$('#search-page-results .search-triage-entry'), null);
    assert.equal(new URL(page.url()).searchParams.get('q'), '503');
    assert.equal(await page.isVisible('#search-page-category'), true, 'and come back for a search');
    await page.focus('#search-page-input');
    await page.keyboard.press('End');
    await page.keyboard.press('Shift+Enter');
    await page.keyboard.type('connect ECONNREFUSED 10.0.0.1:5432');
    await page.waitForSelector('#search-page-results .search-triage-entry');
    assert.equal(await page.inputValue('#search-page-input'), '503\nconnect ECONNREFUSED 10.0.0.1:5432');
    await page.keyboard.press('Enter');
    assert.equal(await page.inputValue('#search-page-input'), '503\nconnect ECONNREFUSED 10.0.0.1:5432', 'Enter adds no line');

    // The entries are links in the tab order.
    await fillPage(page, LOG);
    await page.focus('#search-page-input');
    let focused = '';
    for (let i = 0; i < 10 && !focused.includes('/linux/econnrefused/'); i++) {
      await page.keyboard.press('Tab');
      focused = await page.evaluate(() => document.activeElement.href || '');
    }
    assert.equal(focused, `${server.url}linux/econnrefused/`);
    await Promise.all([page.waitForURL(`${server.url}linux/econnrefused/`), page.keyboard.press('Enter')]);
    assertNoErrors(page);
    await page.context().close();
  });

  test('a log pasted into the header box on the search page goes into the page box', async () => {
    const page = await newPage(browser);
    await page.goto(`${server.url}search/`);
    await paste(page, '#site-search-input', LOG, '#search-page-results .search-triage-entry');
    assert.equal(await page.inputValue('#search-page-input'), LOG);
    assert.equal(await page.inputValue('#site-search-input'), '');
    assert.equal(await page.textContent('#search-page-status'), '3 known errors in 7 lines');
    assertNoErrors(page);
    await page.context().close();
  });

  // The first paste also loads the patterns and the rows and warms the engine up; the machine
  // may be shared, so the best of three pastes is held to the second, and all are reported.
  test('5,000 pasted lines are triaged in well under a second', async () => {
    const page = await newPage(browser);
    await page.goto(`${server.url}http/503/`);
    const inBox = [];
    for (let i = 0; i < 3; i++) {
      inBox.push(await pasteInBox(page, bigLog(5000, i)));
      assert.equal(await page.textContent('#site-search-results .search-triage-summary'), '3 known errors in 5000 lines');
    }
    assert.equal((await popupEntries(page))[0].count, '1429 lines: 2, 6, 9, 13, 16, 20, 23, 27, 30, 34, …');
    console.log(`header box, 5,000 lines: ${inBox.map(Math.round).join(', ')} ms`);
    assert.ok(Math.min(...inBox) < 1000, `the header box took ${inBox.map(Math.round).join(', ')} ms`);

    await page.goto(`${server.url}search/`);
    // The page is ready once it has asked for a query.
    await page.waitForFunction(() => /^Type an error code/.test(document.getElementById('search-page-status').textContent));
    const onPage = [];
    for (let i = 0; i < 3; i++) {
      onPage.push(await page.evaluate((text) => {
        const input = document.getElementById('search-page-input');
        const status = document.getElementById('search-page-status');
        document.getElementById('search-page-results').textContent = '';
        status.textContent = '';
        const started = performance.now();
        input.value = text;
        input.dispatchEvent(new Event('input', { bubbles: true }));
        return new Promise((resolve) => {
          const check = () => {
            if (/known errors in 5000 lines/.test(status.textContent) && document.querySelector('.search-triage-entry')) {
              observer.disconnect();
              resolve(performance.now() - started);
            }
          };
          const observer = new MutationObserver(check);
          observer.observe(document.body, { childList: true, subtree: true, characterData: true });
        });
      }, bigLog(5000, i)));
    }
    console.log(`search page, 5,000 lines: ${onPage.map(Math.round).join(', ')} ms`);
    assert.ok(Math.min(...onPage) < 1000, `the search page took ${onPage.map(Math.round).join(', ')} ms`);
    assertNoErrors(page);
    await page.context().close();
  });
});

/** Runs axe-core on the page and returns its violations. */
async function axe(page) {
  await page.addScriptTag({ path: require.resolve('axe-core/axe.min.js') });
  return page.evaluate(async () => {
    const results = await window.axe.run(document, { resultTypes: ['violations'] });
    return results.violations.map((v) => ({
      id: v.id,
      help: v.help,
      nodes: v.nodes.map((n) => `${n.target.join(' ')}: ${n.failureSummary}`),
    }));
  });
}

describe('accessibility', () => {
  let server;

  before(async () => {
    server = await serveDir(await builtSite());
  });

  after(async () => {
    await server?.close();
  });

  for (const scheme of ['light', 'dark']) {
    test(`the popup and the page with a triaged log have no axe violations in ${scheme} mode`, async () => {
      const page = await newPage(browser, { colorScheme: scheme });
      await page.goto(`${server.url}http/503/`);
      await pasteInBox(page, LOG);
      await page.keyboard.press('ArrowDown');
      assert.equal(await page.$$eval('#site-search-results .search-triage-entry', (els) => els.length), 3);
      let violations = await axe(page);
      assert.deepEqual(violations, [], `the popup (${scheme}):\n${JSON.stringify(violations, null, 2)}`);
      await page.goto(`${server.url}search/`);
      await fillPage(page, LOG);
      assert.equal(await page.$$eval('#search-page-results .search-triage-entry', (els) => els.length), 3);
      violations = await axe(page);
      assert.deepEqual(violations, [], `the search page (${scheme}):\n${JSON.stringify(violations, null, 2)}`);
      assertNoErrors(page);
      await page.context().close();
    });
  }
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

  test('the header box and the search page triage under /kb/', async () => {
    const page = await newPage(browser);
    const requests = [];
    page.on('request', (req) => requests.push(req.url()));
    await page.goto(`${server.url}http/503/`);
    await pasteInBox(page, LOG);
    assert.equal((await popupEntries(page))[0].href, `${server.url}linux/econnrefused/`);
    await page.goto(`${server.url}search/`);
    await fillPage(page, LOG);
    assert.equal(await page.getAttribute('#search-page-results .search-triage-entry', 'href'), '/kb/linux/econnrefused/');
    assert.ok(requests.some((u) => u.includes('/kb/search/triage.js')), 'the triage file is loaded');
    assert.deepEqual(requests.filter((u) => !u.startsWith(server.url)), []);
    assertNoErrors(page);
    await page.context().close();
  });
});

describe('offline, opened from disk', () => {
  test('the header box and the search page triage from file://', async () => {
    const out = await builtSite({ args: ['--offline'] });
    const site = pathToFileURL(out).href + '/';
    const page = await newPage(browser);
    const requests = [];
    page.on('request', (req) => requests.push(req.url()));
    await page.goto(`${site}http/503/index.html`);
    await pasteInBox(page, LOG);
    assert.equal((await popupEntries(page))[0].href, `${site}linux/econnrefused/index.html`);
    await page.keyboard.press('ArrowDown');
    await Promise.all([page.waitForURL(`${site}linux/econnrefused/index.html`), page.keyboard.press('Enter')]);
    await page.goto(`${site}search/index.html`);
    await fillPage(page, LOG);
    assert.equal(await page.$eval('#search-page-results .search-triage-entry', (a) => a.href), `${site}linux/econnrefused/index.html`);
    assert.deepEqual(requests.filter((u) => !u.startsWith(site)), []);
    assertNoErrors(page);
    await page.context().close();
  });
});
