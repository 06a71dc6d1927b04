// Browser tests of the built-in theme against the bundled demo site.
// Run from the repository root: node --test tests/browser/
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile, readdir } from 'node:fs/promises';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { assertNoErrors, builtSite, KB_BASE_URL, launch, newPage, serveDir } from './harness.mjs';

const ENTRY = 'http/503/';

/** Paths (relative to the site root) of the built pages whose HTML contains `needle`. */
async function pagesContaining(dir, needle) {
  const found = [];
  async function walk(rel) {
    for (const item of await readdir(path.join(dir, rel), { withFileTypes: true })) {
      const child = path.posix.join(rel, item.name);
      if (item.isDirectory()) {
        await walk(child);
      } else if (item.name === 'index.html') {
        const html = await readFile(path.join(dir, child), 'utf8');
        if (html.includes(needle)) {
          found.push(rel ? `${rel}/` : '');
        }
      }
    }
  }
  await walk('');
  return found.sort();
}

let out;
let server;
let browser;

before(async () => {
  // The demo site as quality.test.mjs and search.test.mjs see it: one build, read only.
  out = await builtSite();
  server = await serveDir(out);
  browser = await launch();
});

after(async () => {
  await browser?.close();
  await server?.close();
});

describe('verification checklist', () => {
  test('counts, persists across a reload, and resets', async () => {
    const page = await newPage(browser);
    await page.goto(server.url + ENTRY);
    const section = page.locator('section#verify');
    const boxes = section.locator('input[type="checkbox"]');
    const count = section.locator('.verify-count');
    const total = await boxes.count();
    assert.ok(total >= 2, `the entry needs at least two checklist items, has ${total}`);

    await section.locator('.verify-status').waitFor({ state: 'visible' });
    assert.equal(await count.textContent(), `0 of ${total} verified`);
    assert.equal(await count.getAttribute('aria-live'), 'polite');

    // Every checkbox has a label that points at it.
    for (let i = 0; i < total; i++) {
      const id = await boxes.nth(i).getAttribute('id');
      assert.equal(await section.locator(`label[for="${id}"]`).count(), 1, `label for #${id}`);
    }

    await boxes.nth(0).check();
    await section.locator('label').nth(1).click(); // the label toggles its box too
    assert.equal(await count.textContent(), `2 of ${total} verified`);

    const key = await section.getAttribute('data-verify-key');
    assert.equal(key, 'errorbook:verify:http/503');
    const stored = await page.evaluate((k) => window.localStorage.getItem(k), key);
    assert.ok(stored, 'the checked state is saved in localStorage');

    await page.reload();
    await section.locator('.verify-status').waitFor({ state: 'visible' });
    assert.equal(await count.textContent(), `2 of ${total} verified`);
    assert.equal(await boxes.nth(0).isChecked(), true);
    assert.equal(await boxes.nth(1).isChecked(), true);
    for (let i = 2; i < total; i++) {
      assert.equal(await boxes.nth(i).isChecked(), false, `box ${i + 1} stays unchecked`);
    }

    await section.locator('.verify-reset').click();
    assert.equal(await count.textContent(), `0 of ${total} verified`);
    for (let i = 0; i < total; i++) {
      assert.equal(await boxes.nth(i).isChecked(), false);
    }
    assert.equal(await page.evaluate((k) => window.localStorage.getItem(k), key), null);

    await page.reload();
    await section.locator('.verify-status').waitFor({ state: 'visible' });
    assert.equal(await count.textContent(), `0 of ${total} verified`);
    assert.equal(await section.locator('input:checked').count(), 0);
    assertNoErrors(page);
    await page.context().close();
  });

  test('reads as a plain list of checkboxes without JavaScript', async () => {
    const page = await newPage(browser, { javaScriptEnabled: false });
    await page.goto(server.url + ENTRY);
    const section = page.locator('section#verify');
    assert.ok(await section.locator('input[type="checkbox"]').count() >= 2);
    assert.equal(await section.locator('.verify-status').isVisible(), false, 'no count or Reset without JS');
    assert.ok(await page.locator('.snippet .copy').count() > 0, 'the copy buttons are in the page');
    assert.equal(await page.locator('.snippet .copy').first().isVisible(), false, 'no dead copy button');
    await section.locator('input[type="checkbox"]').first().check();
    assert.equal(await section.locator('input[type="checkbox"]').first().isChecked(), true);
    await page.context().close();
  });
});

describe('copy buttons', () => {
  async function clipboardPage() {
    const page = await newPage(browser);
    await page.context().grantPermissions(['clipboard-read', 'clipboard-write'], {
      origin: new URL(server.url).origin,
    });
    return page;
  }

  test('copy the text of a code block', async () => {
    const page = await clipboardPage();
    await page.goto(server.url + ENTRY);
    const snippet = page.locator('.snippet:not([data-lang="console"])').first();
    const button = snippet.locator('button.copy');
    await button.waitFor({ state: 'visible' });
    const expected = (await snippet.locator('pre code').textContent()).replace(/\n$/, '');
    assert.ok(expected.trim().length > 0);

    await button.click();
    await page.waitForFunction((b) => b.textContent.trim() === 'Copied', await button.elementHandle());
    const copied = await page.evaluate(() => navigator.clipboard.readText());
    assert.equal(copied, expected);

    // Announced to assistive technology, then the label comes back.
    await page.waitForFunction(() => [...document.querySelectorAll('[aria-live]')]
      .some((el) => /copied/i.test(el.textContent)));
    await page.waitForFunction((b) => b.textContent.trim() === 'Copy', await button.elementHandle(), { timeout: 5000 });
    assertNoErrors(page);
    await page.context().close();
  });

  test('a console block copies its commands only', async () => {
    const pages = await pagesContaining(out, 'data-lang="console"');
    assert.ok(pages.length > 0, 'the demo site has a console block');
    const page = await clipboardPage();
    await page.goto(server.url + pages[0]);
    const snippet = page.locator('.snippet[data-lang="console"]').first();
    const button = snippet.locator('button.copy');
    await button.waitFor({ state: 'visible' });
    const commands = await button.getAttribute('data-copy');
    assert.ok(commands && commands.trim(), 'the button carries data-copy');

    await button.click();
    await page.waitForFunction((b) => b.textContent.trim() === 'Copied', await button.elementHandle());
    const copied = await page.evaluate(() => navigator.clipboard.readText());
    assert.equal(copied, commands);
    const shown = await snippet.locator('pre code').textContent();
    assert.match(shown, /^\s*[$#] /m, 'the block shows its prompts');
    assert.doesNotMatch(copied, /^\s*[$#] /m, 'no prompts');
    assert.notEqual(copied, shown.replace(/\n$/, ''), 'differs from the block as displayed');
    const copiedLines = new Set(copied.split('\n').map((line) => line.trim()));
    const outputs = await snippet.locator('.hl-output').allTextContents();
    assert.ok(outputs.some((output) => output.trim()), 'the block shows output lines');
    for (const output of outputs) {
      if (output.trim()) {
        assert.ok(!copiedLines.has(output.trim()), `output line "${output.trim()}" is not copied`);
      }
    }
    assertNoErrors(page);
    await page.context().close();
  });
});

describe('layout', () => {
  for (const [name, rel] of [['the 503 entry', ENTRY], ['the home page', '']]) {
    test(`${name} has no horizontal overflow at 360 px`, async () => {
      const page = await newPage(browser, { viewport: { width: 360, height: 780 } });
      await page.goto(server.url + rel);
      const width = await page.evaluate(() => document.documentElement.scrollWidth);
      assert.ok(width <= 360, `page is ${width}px wide at a 360px viewport`);
      assertNoErrors(page);
      await page.context().close();
    });
  }

  test('dark mode changes the page background', async () => {
    const page = await newPage(browser);
    await page.goto(server.url + ENTRY);
    const background = () => page.evaluate(() => getComputedStyle(document.body).backgroundColor);
    await page.emulateMedia({ colorScheme: 'light' });
    const light = await background();
    await page.emulateMedia({ colorScheme: 'dark' });
    const dark = await background();
    assert.notEqual(light, dark);
    const luminance = (css) => {
      const [r, g, b] = css.match(/\d+(\.\d+)?/g).map(Number);
      return 0.2126 * r + 0.7152 * g + 0.0722 * b;
    };
    assert.ok(luminance(dark) < luminance(light), `dark ${dark} is darker than light ${light}`);
    assertNoErrors(page);
    await page.context().close();
  });

  test('the table of contents sits before the long-form sections', async () => {
    const page = await newPage(browser);
    await page.goto(server.url + ENTRY);
    const order = await page.evaluate(() => {
      const toc = document.querySelector('nav[aria-label="On this page"]');
      const details = document.getElementById('details');
      return toc && details ? toc.compareDocumentPosition(details) : 0;
    });
    const FOLLOWING = 4; // Node.DOCUMENT_POSITION_FOLLOWING
    assert.ok(order & FOLLOWING, 'nav "On this page" precedes section#details');
    await page.context().close();
  });
});

describe('no console errors or failed requests', () => {
  test('home, a category, a tag, the 503 entry and the 404 page', async () => {
    const page = await newPage(browser, { allowStatus: [404] });
    await page.goto(server.url);
    assertNoErrors(page);

    const categoryHref = await page.locator('.category-group h2 a').first().getAttribute('href');
    await page.goto(new URL(categoryHref, page.url()).href);
    assert.equal(await page.locator('h1').count(), 1);
    assertNoErrors(page);

    await page.goto(server.url + ENTRY);
    assert.equal(await page.locator('h1').count(), 1);
    assertNoErrors(page);

    const tagHref = await page.locator('.entry-tags a').first().getAttribute('href');
    await page.goto(new URL(tagHref, page.url()).href);
    assert.ok(await page.locator('.entry-list li').count() > 0);
    assertNoErrors(page);

    await page.goto(`${server.url}tags/`);
    assertNoErrors(page);

    const missing = await page.goto(`${server.url}no/such/page/`);
    assert.equal(missing.status(), 404);
    assert.match(await page.locator('h1').textContent(), /not found/i);
    assert.equal(await page.locator(`main a[href="/"]`).count() > 0, true, 'links home');
    assert.equal(await page.locator('#site-search-input').count(), 1, 'has the search box');
    assertNoErrors(page);

    await page.goto(`${server.url}404.html`);
    assertNoErrors(page);
    await page.context().close();
  });
});

describe('builds under a sub-path and offline', () => {
  test('a build for /kb/ loads its assets and links within /kb/', async () => {
    const kbOut = await builtSite({ args: ['--base-url', KB_BASE_URL] });
    const kb = await serveDir(kbOut, { prefix: '/kb/' });
    try {
      const page = await newPage(browser);
      await page.goto(kb.url + ENTRY);
      assert.equal(await page.locator('.snippet .copy').first().isVisible(), true, 'errorbook.js ran');
      const hrefs = await page.$$eval('a[href^="/"], link[href^="/"], script[src^="/"]',
        (els) => els.map((el) => el.getAttribute('href') || el.getAttribute('src')));
      assert.ok(hrefs.length > 0);
      for (const href of hrefs) {
        assert.ok(href.startsWith('/kb/'), `${href} stays under /kb/`);
      }
      await page.locator('.breadcrumb a').nth(1).click();
      await page.waitForLoadState();
      assert.equal(new URL(page.url()).pathname, '/kb/http/');
      assertNoErrors(page);
      await page.context().close();
    } finally {
      await kb.close();
    }
  });

  test('an offline build works from file://', async () => {
    const offOut = await builtSite({ args: ['--offline'] });
    const page = await newPage(browser);
    await page.goto(pathToFileURL(path.join(offOut, 'http', '503', 'index.html')).href);
    const section = page.locator('section#verify');
    await section.locator('.verify-status').waitFor({ state: 'visible' });
    await section.locator('input[type="checkbox"]').first().check();
    assert.match(await section.locator('.verify-count').textContent(), /^1 of \d+ verified$/);
    assert.equal(await page.locator('.snippet .copy').first().isVisible(), true);
    const background = await page.evaluate(() => getComputedStyle(document.body).backgroundColor);
    assert.notEqual(background, 'rgba(0, 0, 0, 0)', 'the stylesheet loaded');
    await page.locator('.breadcrumb a').first().click();
    await page.waitForLoadState();
    assert.ok(page.url().endsWith('/index.html'), `${page.url()} is a file`);
    assert.ok(await page.locator('.category-group').count() > 0);
    assertNoErrors(page);
    await page.context().close();
  });
});
