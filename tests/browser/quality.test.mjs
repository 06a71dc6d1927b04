// Page quality of the bundled site: valid HTML (the Nu HTML Checker), no axe-core violations in
// light and dark mode, keyboard use, the printed entry, and the crawler and API outputs.
// Run from the repository root after `cargo build`: node --test tests/browser/
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { readdir, readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';
import { promisify } from 'node:util';
import { assertNoErrors, builtSite, launch, newPage, repoRoot, serveDir } from './harness.mjs';

const require = createRequire(import.meta.url);
const run = promisify(execFile);

const AXE_PAGES = [
  ['the home page', ''],
  ['a category page', 'http/'],
  ['the 503 entry', 'http/503/'],
  ['the search page', 'search/?q=503'],
  ['the 404 page', 'http/5033/'],
];

// The system's scheme, and the scheme the header toggle forces over it (none: the system's).
const SCHEMES = [
  ['light', null],
  ['dark', null],
  ['light', 'dark'],
  ['dark', 'light'],
];

let out;
let server;
let browser;

before(async () => {
  // The demo site as theme.test.mjs and search.test.mjs see it: one build, read only.
  out = await builtSite();
  server = await serveDir(out);
  browser = await launch();
});

after(async () => {
  await browser?.close();
  await server?.close();
});

describe('the Nu HTML Checker', () => {
  test('finds no errors on any page of the bundled site', { timeout: 180_000 }, async () => {
    const jar = path.join(path.dirname(require.resolve('vnu-jar/package.json')), 'build', 'dist', 'vnu.jar');
    const java = process.env.JAVA || 'java';
    let result;
    try {
      result = await run(java, ['-jar', jar, '--errors-only', '--skip-non-html', out], { maxBuffer: 16 * 1024 * 1024 });
    } catch (err) {
      assert.fail(`vnu reported errors (exit ${err.code}):\n${err.stderr || err.stdout || err.message}`);
    }
    assert.equal(result.stderr.trim(), '', 'vnu prints nothing for a valid site');
  });

  test('finds no errors in the stylesheets', { timeout: 120_000 }, async () => {
    const jar = path.join(path.dirname(require.resolve('vnu-jar/package.json')), 'build', 'dist', 'vnu.jar');
    const sheets = (await readdir(path.join(out, 'assets'))).filter((name) => name.endsWith('.css')).sort();
    for (const sheet of ['errorbook.css', 'highlight.css']) {
      assert.ok(sheets.includes(sheet), `${sheet} is among the stylesheets checked: ${sheets.join(', ')}`);
    }
    let result;
    try {
      result = await run(process.env.JAVA || 'java', ['-jar', jar, '--errors-only', '--css',
        ...sheets.map((name) => path.join(out, 'assets', name))], { maxBuffer: 16 * 1024 * 1024 });
    } catch (err) {
      assert.fail(`vnu reported errors in the CSS (exit ${err.code}):\n${err.stderr || err.stdout || err.message}`);
    }
    assert.equal(result.stderr.trim(), '', 'vnu prints nothing for valid stylesheets');
  });
});

/** Runs axe-core on the page and returns its violations. */
async function axe(page) {
  await page.addScriptTag({ path: require.resolve('axe-core/axe.min.js') });
  return page.evaluate(async () => {
    const results = await window.axe.run(document, { resultTypes: ['violations'] });
    return results.violations.map((v) => ({
      id: v.id,
      impact: v.impact,
      help: v.help,
      nodes: v.nodes.map((n) => `${n.target.join(' ')}: ${n.failureSummary}`),
    }));
  });
}

describe('axe-core', () => {
  for (const [system, forced] of SCHEMES) {
    const scheme = forced ? `${forced} mode chosen with the toggle over a ${system} system` : `${system} mode`;
    for (const [name, rel] of AXE_PAGES) {
      test(`${name} has no violations in ${scheme}`, async () => {
        const missing = rel === 'http/5033/';
        const page = await newPage(browser, { colorScheme: system, allowStatus: missing ? [404] : [] });
        const response = await page.goto(server.url + rel);
        assert.equal(response.status(), missing ? 404 : 200);
        if (forced) {
          // The reader presses the toggle, as on any page: it flips the scheme the page shows.
          const toggle = page.locator('.theme-toggle');
          await toggle.click();
          assert.equal(await page.evaluate(() => document.documentElement.getAttribute('data-theme')), forced);
          assert.equal(await toggle.getAttribute('aria-pressed'), forced === 'dark' ? 'true' : 'false');
        }
        // The scheme under test is the one painted: dark pages have a dark background.
        const background = await page.evaluate(() => getComputedStyle(document.body).backgroundColor);
        const [r, g, b] = background.match(/\d+/g).map(Number);
        const dark = 0.2126 * r + 0.7152 * g + 0.0722 * b < 128;
        assert.equal(dark, (forced || system) === 'dark', `${rel || '/'} paints ${background} in ${scheme}`);
        if (rel.startsWith('search/')) {
          // axe checks the page with its results, not the page still searching.
          await page.locator('#search-page-results .search-result').first().waitFor({ timeout: 10_000 });
          assert.match(await page.textContent('#search-page-status'), /results? for “503”/);
        }
        if (missing) {
          assert.match(await page.locator('h1').textContent(), /\S/);
        }
        const violations = await axe(page);
        assert.deepEqual(violations, [], `${rel || '/'} (${scheme}):\n${JSON.stringify(violations, null, 2)}`);
        assertNoErrors(page);
        await page.context().close();
      });
    }
  }
});

/** Whether the focused element (or its ::after, where the theme draws some rings) shows a ring. */
function focusRing() {
  const el = document.activeElement;
  const shows = (style) => (style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) > 0)
    || (style.boxShadow && style.boxShadow !== 'none');
  return {
    tag: el.tagName.toLowerCase(),
    text: (el.textContent || el.getAttribute('aria-label') || '').trim().slice(0, 40),
    visible: shows(getComputedStyle(el)) || shows(getComputedStyle(el, '::after')),
  };
}

describe('keyboard', () => {
  test('the first Tab reaches a visible skip link that moves focus to the content', async () => {
    const page = await newPage(browser);
    await page.goto(`${server.url}http/503/`);
    await page.keyboard.press('Tab');
    const skip = page.locator('a.skip-link');
    assert.equal(await skip.evaluate((el) => el === document.activeElement), true, 'focus is on the skip link');
    const box = await skip.boundingBox();
    assert.ok(box && box.y >= 0 && box.width > 20 && box.height > 10, `the skip link is on screen: ${JSON.stringify(box)}`);
    assert.equal((await page.evaluate(focusRing)).visible, true, 'the skip link shows a focus ring');
    await page.keyboard.press('Enter');
    await page.waitForFunction(() => document.activeElement && document.activeElement.id === 'main');
    assert.ok(page.url().endsWith('#main'));
    await page.keyboard.press('Tab');
    const next = await page.evaluate(() => document.querySelector('main').contains(document.activeElement));
    assert.equal(next, true, 'the next Tab stays in the content, past the header');
    assertNoErrors(page);
    await page.context().close();
  });

  test('every element reached with Tab shows where the focus is', async () => {
    const page = await newPage(browser);
    await page.goto(`${server.url}http/503/`);
    const seen = [];
    for (let i = 0; i < 40; i++) {
      await page.keyboard.press('Tab');
      const ring = await page.evaluate(focusRing);
      if (ring.tag === 'body') {
        break;
      }
      seen.push(ring);
      assert.equal(ring.visible, true, `no visible focus on <${ring.tag}> "${ring.text}"`);
    }
    assert.ok(seen.length >= 10, `Tab reached ${seen.length} elements`);
    await page.context().close();
  });

  test('the verification checklist works from the keyboard', async () => {
    const page = await newPage(browser);
    await page.goto(`${server.url}http/503/`);
    const first = page.locator('#verify input[type="checkbox"]').first();
    await first.focus();
    await page.keyboard.press('Space');
    assert.equal(await first.isChecked(), true);
    await page.evaluate(() => window.localStorage.clear());
    await page.context().close();
  });
});

describe('print', () => {
  test('a printed entry keeps steps, snippets and checklist, drops navigation and shows link targets', async () => {
    const page = await newPage(browser);
    await page.goto(`${server.url}http/503/`);
    await page.emulateMedia({ media: 'print' });
    const hidden = ['.site-header', '.site-search', '.site-nav', '.site-footer', '.skip-link', 'nav.toc',
      'nav.breadcrumb', '.snippet .copy', '.verify-status'];
    for (const selector of hidden) {
      const count = await page.locator(selector).count();
      assert.ok(count > 0, `${selector} is on the page`);
      assert.equal(await page.locator(selector).first().isVisible(), false, `${selector} is not printed`);
    }
    const kept = ['#steps .step', '.snippet pre', '#verify .check', '#quick-fix', '#sources'];
    for (const selector of kept) {
      const items = page.locator(selector);
      const count = await items.count();
      assert.ok(count > 0, `${selector} is on the page`);
      for (let i = 0; i < count; i++) {
        assert.equal(await items.nth(i).isVisible(), true, `${selector} #${i + 1} is printed`);
      }
    }
    // Link targets follow the links of the entry, for sources and for links between entries.
    const targets = await page.evaluate(() => ['#sources .source-list a', '#details .prose a[href*="http/500"]'].map((selector) => {
      const link = document.querySelector(selector);
      return link ? [link.getAttribute('href'), getComputedStyle(link, '::after').content] : [selector, 'missing'];
    }));
    for (const [href, content] of targets) {
      assert.ok(content.includes(href) || content.includes(new URL(href, location.href).href),
        `the printed link shows its target ${href}: ${content}`);
    }
    // Code is wrapped, not cut off at the page edge.
    const overflow = await page.evaluate(() => [...document.querySelectorAll('.snippet pre')]
      .filter((pre) => pre.scrollWidth > pre.clientWidth + 1).length);
    assert.equal(overflow, 0, 'no snippet is wider than the printed page');
    const pdf = await page.pdf({ format: 'A4' });
    assert.ok(pdf.length > 10_000, 'the entry prints');
    await page.context().close();
  });
});

describe('crawlers, feed readers and the API', () => {
  test('sitemap.xml and atom.xml are well-formed XML of the right kind', async () => {
    const page = await newPage(browser);
    await page.goto(server.url);
    const parsed = await page.evaluate(async () => {
      const check = async (name) => {
        const text = await (await fetch(name)).text();
        const doc = new DOMParser().parseFromString(text, 'application/xml');
        const error = doc.querySelector('parsererror');
        const root = doc.documentElement;
        return {
          error: error ? error.textContent : null,
          root: root.localName,
          ns: root.namespaceURI,
          children: [...root.children].map((c) => c.localName),
          entries: [...root.getElementsByTagName('entry')].map((e) => [...e.children].map((c) => c.localName)),
        };
      };
      return { sitemap: await check('sitemap.xml'), atom: await check('atom.xml') };
    });
    assert.equal(parsed.sitemap.error, null);
    assert.equal(parsed.sitemap.ns, 'http://www.sitemaps.org/schemas/sitemap/0.9');
    assert.ok(parsed.sitemap.children.length > 20);
    assert.equal(parsed.atom.error, null);
    assert.equal(parsed.atom.root, 'feed');
    assert.equal(parsed.atom.ns, 'http://www.w3.org/2005/Atom');
    for (const required of ['id', 'title', 'updated', 'author']) {
      assert.ok(parsed.atom.children.includes(required), `the feed has <${required}>`);
    }
    assert.equal(parsed.atom.entries.length, 20, 'site.yaml asks for 20 entries');
    for (const entry of parsed.atom.entries) {
      for (const required of ['id', 'title', 'updated', 'link']) {
        assert.ok(entry.includes(required), `every entry has <${required}>`);
      }
    }
    await page.context().close();
  });

  test('the JSON API validates against its published schemas', async () => {
    const { default: Ajv2020 } = await import('ajv/dist/2020.js');
    const ajv = new Ajv2020({ allErrors: true, strict: true, validateFormats: false });
    const read = async (rel) => JSON.parse(await readFile(path.join(out, rel), 'utf8'));
    const validateIndex = ajv.compile(await read('api/entries.schema.json'));
    const validateEntry = ajv.compile(await read('api/entry.schema.json'));
    const index = await read('api/entries.json');
    assert.ok(validateIndex(index), JSON.stringify(validateIndex.errors, null, 2));
    for (const summary of index.entries) {
      const doc = await read(`api/${summary.id}.json`);
      assert.ok(validateEntry(doc), `${summary.id}: ${JSON.stringify(validateEntry.errors, null, 2)}`);
    }
  });

  test('a redirect page and a short link lead to the entry', async () => {
    for (const javaScriptEnabled of [true, false]) {
      const page = await newPage(browser, { javaScriptEnabled });
      await page.goto(`${server.url}503/`);
      await page.waitForURL(`${server.url}http/503/`);
      assert.match(await page.locator('h1').textContent(), /503/);
      await page.goto(`${server.url}eacces/`);
      await page.waitForURL(`${server.url}linux/eacces/`);
      assertNoErrors(page);
      await page.context().close();
    }
  });
});

describe('the screenshots in the docs', () => {
  test('docs/theme.md shows the entry page at 360×740 and 1280×800, from PNG files of those sizes', async () => {
    const theme = await readFile(path.join(repoRoot, 'docs', 'theme.md'), 'utf8');
    for (const [file, width, height] of [['entry-360x740.png', 360, 740], ['entry-1280x800.png', 1280, 800]]) {
      assert.ok(theme.includes(`src="images/${file}"`), `docs/theme.md embeds images/${file}`);
      const png = await readFile(path.join(repoRoot, 'docs', 'images', file));
      assert.equal(png.subarray(1, 4).toString('latin1'), 'PNG', `${file} is a PNG file`);
      // The IHDR chunk, first in every PNG file, holds the width and the height.
      assert.deepEqual([png.readUInt32BE(16), png.readUInt32BE(20)], [width, height], `${file} is ${width}×${height}`);
      assert.ok(png.length < 300 * 1024, `${file} stays small: ${Math.round(png.length / 1024)} KiB`);
    }
  });
});
