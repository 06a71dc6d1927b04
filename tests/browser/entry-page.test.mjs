// The entry page read mid-incident: the quick fix on the first screen, a complete outline that
// stays in view, heading links, a sticky header, the checklist's outcome and expiry, the
// light/dark toggle and tap targets. Measured on the bundled site (every entry) and on
// tests/fixtures/entry-page, whose entry has a long code, many long aliases and long steps.
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
const PHONE = { width: 360, height: 740 };
const LAPTOP = { width: 1280, height: 800 };
const FIXTURE = path.join(repoRoot, 'tests/fixtures/entry-page');
const LONG = 'nodejs/heap-out-of-memory/';

/** Paths (relative to the site root) of every entry page of a built site, sorted. */
async function entryPages(dir) {
  const found = [];
  async function walk(rel) {
    for (const item of await readdir(path.join(dir, rel), { withFileTypes: true })) {
      const child = path.posix.join(rel, item.name);
      if (item.isDirectory()) {
        await walk(child);
      } else if (item.name === 'index.html' && (await readFile(path.join(dir, child), 'utf8')).includes('<article class="entry"')) {
        found.push(`${rel}/`);
      }
    }
  }
  await walk('');
  return found.sort();
}

let demo;
let fixture;
let fixtureOut;
let browser;
const sites = {};

before(async () => {
  let demoOut;
  [demoOut, fixtureOut] = await Promise.all([builtSite(), builtSite({ root: FIXTURE })]);
  demo = await serveDir(demoOut);
  fixture = await serveDir(fixtureOut, { prefix: '/kb/' });
  sites.demo = { url: demo.url, entries: await entryPages(demoOut) };
  sites.fixture = { url: fixture.url, entries: await entryPages(fixtureOut) };
  browser = await launch();
});

after(async () => {
  await browser?.close();
  await demo?.close();
  await fixture?.close();
});

/** Where the quick fix's text starts, its line height and the window, at the top of the page. */
function firstScreen(page) {
  return page.evaluate(() => {
    const prose = document.querySelector('#quick-fix .prose');
    if (!prose) {
      return null;
    }
    const first = prose.firstElementChild || prose;
    return {
      top: first.getBoundingClientRect().top,
      line: parseFloat(getComputedStyle(first).lineHeight) || 26,
      height: window.innerHeight,
      scrollY: window.scrollY,
    };
  });
}

describe('the fix is on the first screen', () => {
  for (const [name, viewport] of [['phone', PHONE], ['laptop', LAPTOP]]) {
    for (const site of ['demo', 'fixture']) {
      test(`the first two lines of every quick fix show without scrolling (${site}, ${name})`, { timeout: 180_000 }, async () => {
        const { url, entries } = sites[site];
        assert.ok(entries.length >= (site === 'demo' ? 60 : 2), `${site} has its entries (${entries.length})`);
        const page = await newPage(browser, { viewport });
        const late = [];
        const wide = [];
        let measured = 0;
        for (const rel of entries) {
          await page.goto(url + rel);
          const at = await firstScreen(page);
          if (!at) {
            continue; // a retired entry has no quick fix
          }
          measured++;
          assert.equal(at.scrollY, 0, rel);
          const width = await page.evaluate(() => document.documentElement.scrollWidth);
          if (width > viewport.width) {
            wide.push(`${rel}: the page is ${width}px wide at ${viewport.width}px`);
          }
          if (at.top + 2 * at.line > at.height) {
            late.push(`${rel}: the quick fix's text starts at y=${Math.round(at.top)} of ${at.height}`);
          }
        }
        assert.ok(measured >= entries.length - 5, `measured ${measured} of ${entries.length}`);
        assert.deepEqual(late, [], late.join('\n'));
        // The listings the entries are on, too.
        for (const rel of ['', 'tags/', ...(site === 'fixture' ? ['k/', 'tags/a-tag-that-is-one-long-token-wider-than-any-phone-screen-could-ever-show/'] : ['http/'])]) {
          await page.goto(url + rel);
          const width = await page.evaluate(() => document.documentElement.scrollWidth);
          if (width > viewport.width) {
            wide.push(`${rel || 'home'}: the page is ${width}px wide at ${viewport.width}px`);
          }
        }
        assert.deepEqual(wide, [], `no page scrolls sideways:\n${wide.join('\n')}`);
        assertNoErrors(page);
        await page.context().close();
      });
    }
  }

  test('aliases beyond the first collapse behind "+N more", which opens from the keyboard', async () => {
    const page = await newPage(browser, { viewport: PHONE });
    await page.goto(demo.url + 'http/503/');
    const shown = page.locator('.aliases > .aliases-list li');
    assert.ok(await shown.count() >= 1 && await shown.count() <= 3, 'a few aliases show');
    const lines = (await readFile(path.join(repoRoot, 'content/http/503.md'), 'utf8')).split('\naliases:\n')[1].split('\n');
    const total = lines.findIndex((l) => !l.startsWith('  - '));
    const more = page.locator('.aliases-more');
    const summary = more.locator('summary');
    assert.equal(await summary.locator("span[aria-hidden]").textContent(), `+${total - await shown.count()} more`);
    assert.match(await summary.textContent(), new RegExp(`${total - await shown.count()} more names this error is seen as`), 'the control says what it opens');
    const hidden = more.locator('li').first();
    assert.equal(await hidden.isVisible(), false);
    await summary.focus();
    await page.keyboard.press('Enter');
    assert.equal(await hidden.isVisible(), true, 'Enter opens the rest');
    assert.equal(await more.locator('li').count() + await shown.count(), total, 'every alias is on the page');
    await page.keyboard.press('Space');
    assert.equal(await hidden.isVisible(), false, 'Space closes it again');
    await page.context().close();
  });

  test('without JavaScript every alias is one click away', async () => {
    const page = await newPage(browser, { viewport: PHONE, javaScriptEnabled: false });
    await page.goto(fixture.url + LONG);
    const more = page.locator('.aliases-more');
    assert.equal((await more.locator('summary').innerText()).trim(), '14 names', 'a first alias too long to show leaves them all behind the control');
    await more.locator('summary').click();
    assert.equal(await more.locator('li').count(), 14);
    assert.equal(await more.locator('li').nth(13).isVisible(), true);
    await page.context().close();
  });

  test('a long code is set smaller than the title; facts take a compact line or two on a laptop', async () => {
    const demoPage = await newPage(browser, { viewport: LAPTOP });
    await demoPage.goto(demo.url + 'http/503/');
    const demoFacts = await demoPage.locator('.entry-facts').evaluate((box) => [box.getBoundingClientRect().height, parseFloat(getComputedStyle(box).lineHeight)]);
    // Stats, the sources' count and both dates: a line and a bit at most.
    assert.ok(demoFacts[0] <= demoFacts[1] * 2.2, `the 503 entry's stats, sources and dates on at most two lines (${demoFacts[0]}px for ${demoFacts[1]}px lines)`);
    await demoPage.context().close();

    const page = await newPage(browser, { viewport: LAPTOP });
    await page.goto(fixture.url + LONG);
    const sizes = await page.evaluate(() => ({
      code: parseFloat(getComputedStyle(document.querySelector('.entry-code code')).fontSize),
      title: parseFloat(getComputedStyle(document.querySelector('.entry-title')).fontSize),
      codeLines: Math.round(document.querySelector('.entry-code code').getBoundingClientRect().height / parseFloat(getComputedStyle(document.querySelector('.entry-code code')).lineHeight)),
    }));
    assert.ok(sizes.code < sizes.title, `code ${sizes.code}px, title ${sizes.title}px`);
    assert.equal(sizes.codeLines, 1, 'the long code fits on one line');
    const facts = await page.evaluate(() => {
      const box = document.querySelector('.entry-facts');
      return { height: box.getBoundingClientRect().height, line: parseFloat(getComputedStyle(box).lineHeight), text: box.textContent };
    });
    // Every fact there is (stats, three sources, both dates) still keeps to two short lines.
    assert.ok(facts.height <= facts.line * 2.2, `stats, sources and dates on at most two lines (${facts.height}px for ${facts.line}px lines)`);
    assert.match(facts.text, /70%\s*fixable/);
    assert.match(facts.text, /Verified against\s*3 sources/);
    assert.match(facts.text, /Last verified/);
    assert.equal(await page.locator('.entry-facts a[href="#sources"]').count(), 1, 'the sources count leads to the list');
    await page.context().close();
  });
});

/** The outline's links and whether their targets follow one another on the page. */
function outline(page, which) {
  return page.evaluate((selector) => {
    const links = [...document.querySelectorAll(`${selector} a[href^="#"]`)];
    const targets = links.map((a) => document.getElementById(decodeURIComponent(a.getAttribute('href').slice(1))));
    const inOrder = targets.every((t, i) => i === 0 || (targets[i - 1] && t && (targets[i - 1].compareDocumentPosition(t) & Node.DOCUMENT_POSITION_FOLLOWING)));
    const expected = [...document.querySelectorAll('.entry > section.entry-section[id], .entry-rest > section.entry-section[id]:not(#details), .step[id], .details .prose > h2[id]')].map((e) => e.id);
    return { hrefs: links.map((a) => a.getAttribute('href').slice(1)), missing: targets.filter((t) => !t).length, inOrder, expected };
  }, which);
}

describe('a complete outline', () => {
  for (const site of ['demo', 'fixture']) {
    test(`lists every section in order, beside the entry on a laptop (${site})`, async () => {
      const rel = site === 'demo' ? 'http/503/' : LONG;
      const page = await newPage(browser, { viewport: LAPTOP });
      await page.goto(sites[site].url + rel);
      const side = await outline(page, '.toc');
      assert.equal(side.missing, 0, 'every link has a target');
      assert.ok(side.inOrder, `in page order: ${side.hrefs.join(', ')}`);
      assert.deepEqual([...side.hrefs].sort(), [...side.expected].sort(), 'quick fix, causes, each step, verify, body sections, FAQ, related and sources');
      for (const id of ['quick-fix', 'steps', 'step-1', 'verify', 'faq', 'sources']) {
        assert.ok(side.hrefs.includes(id), `the outline names #${id}`);
      }
      assert.equal(await page.locator('nav.toc').count(), 1, 'the outline is written once');
      assert.equal(await page.locator('.toc-details > summary').isVisible(), false, 'open, with no summary to click');
      assert.equal(await page.locator('.toc a').first().isVisible(), true, 'open beside the entry');
      const nav = page.locator('.toc-details');
      const top = await nav.evaluate((e) => e.getBoundingClientRect().top);
      assert.ok(top < LAPTOP.height / 2, `the outline shows from the top of the page (y=${top})`);
      const x = await page.evaluate(() => [document.querySelector('.entry').getBoundingClientRect().right, document.querySelector('nav.toc').getBoundingClientRect().left]);
      assert.ok(x[1] > x[0], 'beside the entry, not over it');

      // Deep in the steps the outline is still in view and marks the step being read.
      const step = side.hrefs.filter((h) => h.startsWith('step-')).at(-1);
      await page.evaluate((id) => { document.documentElement.style.scrollBehavior = 'auto'; document.getElementById(id).scrollIntoView(); }, step);
      await page.waitForFunction((id) => document.querySelector(`.toc a[aria-current="true"]`)?.getAttribute('href') === `#${id}`, step, { timeout: 5000 });
      const box = await nav.evaluate((e) => e.getBoundingClientRect().toJSON());
      const header = await page.evaluate(() => document.querySelector('.site-header').getBoundingClientRect().bottom);
      assert.ok(box.top >= header && box.top < LAPTOP.height, `the outline stays in view (y=${box.top}, header ends at ${header})`);
      assert.equal(await page.locator('.toc a[aria-current]').count(), 1, 'one section is current');
      await page.evaluate(() => window.scrollTo(0, document.documentElement.scrollHeight));
      await page.waitForFunction(() => document.querySelector('.toc a[aria-current="true"]')?.getAttribute('href') === '#sources', null, { timeout: 5000 });
      assertNoErrors(page);
      await page.context().close();
    });

    test(`is a collapsed "On this page" near the top on a phone (${site})`, async () => {
      const rel = site === 'demo' ? 'http/503/' : LONG;
      const page = await newPage(browser, { viewport: PHONE });
      await page.goto(sites[site].url + rel);
      const top = page.locator('nav.toc');
      assert.equal(await top.count(), 1, 'the outline is written once');
      assert.equal(await top.isVisible(), true);
      const y = await top.evaluate((e) => e.getBoundingClientRect().top);
      assert.ok(y < PHONE.height, `"On this page" is on the first screen (y=${y})`);
      const first = top.locator('a').first();
      assert.equal(await first.isVisible(), false, 'collapsed');
      await top.locator('summary').click();
      assert.equal(await first.isVisible(), true, 'opens');
      const links = await outline(page, '.toc');
      assert.equal(links.missing, 0, 'every link has a target');
      assert.deepEqual([...links.hrefs].sort(), [...links.expected].sort(), 'the whole outline');
      // Following a link lands the section below the sticky header.
      await page.evaluate(() => { document.documentElement.style.scrollBehavior = 'auto'; });
      await top.locator('a[href="#verify"]').click();
      await page.waitForFunction(() => window.scrollY > 0);
      const [target, header] = await page.evaluate(() => [document.getElementById('verify').getBoundingClientRect().top, document.querySelector('.site-header').getBoundingClientRect().bottom]);
      assert.ok(target >= header - 1, `the heading is not under the header (${target} < ${header})`);
      assertNoErrors(page);
      await page.context().close();
    });
  }

  test('the outline opens beside the entry as the window widens, and folds away as it narrows', async () => {
    const page = await newPage(browser, { viewport: PHONE });
    await page.goto(sites.demo.url + 'http/503/');
    const first = page.locator('.toc a').first();
    assert.equal(await first.isVisible(), false, 'collapsed on a phone');
    await page.setViewportSize(LAPTOP);
    await page.waitForFunction(() => document.querySelector('.toc-details').open);
    assert.equal(await first.isVisible(), true, 'open beside the entry');
    assert.equal(await page.locator('.toc-details > summary').isVisible(), false);
    await page.setViewportSize(PHONE);
    await page.waitForFunction(() => !document.querySelector('.toc-details').open);
    assert.equal(await first.isVisible(), false, 'folded away again');
    // An outline the reader opened on the phone stays open through a wide window and back.
    await page.locator('.toc summary').click();
    await page.setViewportSize(LAPTOP);
    await page.setViewportSize(PHONE);
    await page.waitForTimeout(100);
    assert.equal(await first.isVisible(), true, 'the reader\'s choice is kept');
    assertNoErrors(page);
    await page.context().close();
  });

  test('without the script, a wide window still shows the outline open beside the entry', async () => {
    const context = await browser.newContext({ viewport: LAPTOP, javaScriptEnabled: false });
    const page = await context.newPage();
    await page.goto(sites.demo.url + 'http/503/');
    assert.equal(await page.locator('.toc a').first().isVisible(), true, 'open beside the entry');
    const x = await page.evaluate(() => [document.querySelector('.entry').getBoundingClientRect().right, document.querySelector('nav.toc').getBoundingClientRect().left]);
    assert.ok(x[1] > x[0], 'beside the entry, not over it');
    await context.close();
  });

  test('every heading and step has a copy-link anchor, shown on hover and focus', async () => {
    const page = await newPage(browser, { viewport: LAPTOP });
    await page.goto(fixture.url + LONG);
    const anchors = await page.evaluate(() => {
      const wanted = [...document.querySelectorAll('.entry-section[id]:not(#details), .step[id], .faq-item[id], .details .prose h2[id]')].map((e) => e.id);
      const have = [...document.querySelectorAll('a.anchor')].map((a) => ({ href: a.getAttribute('href').slice(1), name: a.getAttribute('aria-label') || '' }));
      return { wanted, have };
    });
    for (const id of anchors.wanted) {
      const link = anchors.have.find((a) => a.href === id);
      assert.ok(link, `#${id} has an anchor`);
      assert.ok(link.name.length > 8, `the anchor to #${id} has a name (${link.name})`);
    }
    const anchor = page.locator('#step-2 .anchor');
    assert.equal(await anchor.evaluate((a) => getComputedStyle(a).opacity), '0');
    await page.locator('#step-2 .step-title').hover();
    assert.equal(await anchor.evaluate((a) => getComputedStyle(a).opacity), '1', 'hover shows it');
    await page.mouse.move(0, 0);
    await anchor.focus();
    assert.equal(await anchor.evaluate((a) => a === document.activeElement && a.matches(':focus-visible')), true);
    assert.equal(await anchor.evaluate((a) => getComputedStyle(a).opacity), '1', 'focus shows it');
    const body = page.locator('.details .prose h2 .anchor').first();
    assert.match(await body.getAttribute('href'), /^#background-part-1$/);
    assertNoErrors(page);
    await page.context().close();
  });

  test('a click on an anchor copies the address of its section and goes there', async () => {
    const page = await newPage(browser, { viewport: LAPTOP });
    await page.context().grantPermissions(['clipboard-read', 'clipboard-write'], { origin: new URL(fixture.url).origin });
    await page.goto(fixture.url + LONG);
    await page.evaluate(() => navigator.clipboard.writeText('before'));
    for (const selector of ['#step-2 .anchor', '.details .prose h2 .anchor', '#faq-1 .anchor']) {
      const anchor = page.locator(selector).first();
      const href = await anchor.evaluate((a) => a.href);
      await anchor.click();
      assert.equal(await page.evaluate(() => navigator.clipboard.readText()), href, `${selector} copies ${href}`);
      assert.equal(await page.evaluate(() => location.href), href, `${selector} still goes to its section`);
      assert.equal(await anchor.getAttribute('data-copied'), '', `${selector} says it copied`);
      assert.equal(await anchor.evaluate((a) => getComputedStyle(a, '::after').content), '"Link copied"');
    }
    await page.waitForFunction(() => [...document.querySelectorAll('[role=status]')].some((el) => el.textContent === 'Link copied'));
    assertNoErrors(page);
    await page.context().close();
  });
});

describe('around the page', () => {
  test('the header stays at the top of a long page', async () => {
    for (const viewport of [PHONE, LAPTOP]) {
      const page = await newPage(browser, { viewport });
      await page.goto(fixture.url + LONG);
      await page.evaluate(() => window.scrollTo(0, document.documentElement.scrollHeight * 0.8));
      await page.waitForFunction(() => window.scrollY > 2000);
      const box = await page.locator('.site-header').evaluate((e) => e.getBoundingClientRect().toJSON());
      assert.equal(Math.round(box.top), 0, 'pinned to the top');
      assert.ok(box.height < 80, `compact (${box.height}px at ${viewport.width}px)`);
      assert.equal(await page.locator('#site-search-input').isVisible(), true, 'search is there');
      await page.context().close();
    }
  });

  test('FAQ questions render their inline Markdown', async () => {
    const page = await newPage(browser);
    await page.goto(fixture.url + LONG);
    const first = page.locator('#faq-1 .faq-question');
    assert.equal(await first.locator('code').textContent(), '--max-old-space-size');
    assert.doesNotMatch(await first.textContent(), /`/);
    assert.equal(await page.locator('#faq-2 .faq-question strong').textContent(), 'raising the limit');
    await page.context().close();
  });

  test('a ticked checklist says the fix holds and points back when it does not', async () => {
    const page = await newPage(browser);
    await page.goto(demo.url + 'http/503/');
    const section = page.locator('#verify');
    const success = section.locator('.verify-success');
    const fallback = section.locator('.verify-fallback');
    assert.equal(await success.isVisible(), false);
    assert.match(await fallback.textContent(), /Still failing\?/);
    assert.equal(await fallback.locator('a[href="#steps"]').count(), 1);
    assert.equal(await fallback.locator('a[href="#faq"]').count(), 1);
    const boxes = section.locator('input[type="checkbox"]');
    const total = await boxes.count();
    for (let i = 0; i < total - 1; i++) {
      await boxes.nth(i).check();
    }
    assert.equal(await success.isVisible(), false, 'not before the last box');
    await boxes.nth(total - 1).check();
    assert.equal(await success.isVisible(), true);
    assert.match(await success.textContent(), /fix holds/);
    assert.equal(await fallback.isVisible(), true, 'the pointer stays beside it');
    await boxes.nth(0).uncheck();
    assert.equal(await success.isVisible(), false);
    await page.evaluate(() => window.localStorage.clear());
    await page.context().close();
  });

  test('ticks older than checklist_hours are cleared when the page loads', async () => {
    assert.equal(await (async () => {
      const page = await newPage(browser);
      await page.goto(demo.url + 'http/503/');
      const hours = await page.locator('#verify').getAttribute('data-verify-hours');
      await page.context().close();
      return hours;
    })(), '24', 'a day unless site.yaml says otherwise');

    const page = await newPage(browser);
    await page.goto(fixture.url + LONG);
    const section = page.locator('#verify');
    assert.equal(await section.getAttribute('data-verify-hours'), '2', 'the fixture keeps ticks two hours');
    const key = await section.getAttribute('data-verify-key');
    await section.locator('input').first().check();
    const saved = JSON.parse(await page.evaluate((k) => localStorage.getItem(k), key));
    assert.deepEqual(saved.ids, ['verify-1']);
    assert.ok(Math.abs(saved.at - Date.now()) < 60_000, 'the time of the tick is saved');

    const hour = 3600 * 1000;
    await page.evaluate(([k, at]) => localStorage.setItem(k, JSON.stringify({ at, ids: ['verify-1', 'verify-2'] })), [key, Date.now() - hour]);
    await page.reload();
    assert.equal(await section.locator('input:checked').count(), 2, 'an hour old: kept');

    await page.evaluate(([k, at]) => localStorage.setItem(k, JSON.stringify({ at, ids: ['verify-1', 'verify-2'] })), [key, Date.now() - 3 * hour]);
    await page.reload();
    await section.locator('.verify-status').waitFor({ state: 'visible' });
    assert.equal(await section.locator('input:checked').count(), 0, 'three hours old: cleared');
    assert.equal(await page.evaluate((k) => localStorage.getItem(k), key), null, 'and forgotten');
    await page.context().close();
  });

  test('the light/dark toggle overrides the system, persists, and never paints the other scheme first', async () => {
    const page = await newPage(browser, { colorScheme: 'light' });
    // Records the scheme in force when <body> is first parsed, before any deferred script runs.
    await page.addInitScript(() => {
      new MutationObserver((_, observer) => {
        if (document.body) {
          window.__themeAtBody = document.documentElement.getAttribute('data-theme');
          observer.disconnect();
        }
      }).observe(document, { childList: true, subtree: true });
    });
    await page.goto(demo.url + 'http/503/');
    const toggle = page.locator('.theme-toggle');
    const background = () => page.evaluate(() => getComputedStyle(document.body).backgroundColor);
    assert.equal(await toggle.getAttribute('aria-pressed'), 'false');
    assert.equal(await background(), 'rgb(255, 255, 255)');
    await toggle.click();
    assert.equal(await toggle.getAttribute('aria-pressed'), 'true');
    assert.equal(await background(), 'rgb(15, 18, 24)', 'dark on a light system');
    const code = () => page.evaluate(() => getComputedStyle(document.querySelector('.hl-code, pre code')).color);
    const darkCode = await code();
    await page.reload();
    assert.equal(await page.evaluate(() => window.__themeAtBody), 'dark', 'chosen before the body is painted');
    assert.equal(await background(), 'rgb(15, 18, 24)', 'remembered');
    assert.equal(await code(), darkCode, 'code colours follow the choice');
    await toggle.click();
    assert.equal(await background(), 'rgb(255, 255, 255)');
    await page.context().close();

    const dark = await newPage(browser, { colorScheme: 'dark' });
    await dark.goto(demo.url);
    await dark.evaluate(() => localStorage.setItem('errorbook:theme', 'light'));
    await dark.reload();
    assert.equal(await dark.evaluate(() => getComputedStyle(document.body).backgroundColor), 'rgb(255, 255, 255)', 'light on a dark system');
    assert.equal(await dark.locator('.theme-toggle').getAttribute('aria-pressed'), 'false');
    await dark.context().close();

    const noJs = await newPage(browser, { javaScriptEnabled: false });
    await noJs.goto(demo.url + 'http/503/');
    assert.equal(await noJs.locator('.theme-toggle').isVisible(), false, 'no dead toggle without JavaScript');
    await noJs.context().close();
  });
});

describe('every viewport', () => {
  const TARGETS = ['.snippet .copy', '.breadcrumb a', '.tag', '.footer-links a', '.footer-title', '.check input', '.badge-category', '.aliases-more summary', '.theme-toggle', '.toc summary'];
  for (const site of ['demo', 'fixture']) {
    test(`tap targets are at least 24×24 px and inputs at least 16 px (${site})`, async () => {
      const page = await newPage(browser, { viewport: PHONE });
      const small = [];
      // The fixture's second page is in a category whose name is one letter.
      for (const rel of site === 'demo' ? ['http/503/'] : [LONG, 'k/long-question/']) {
      await page.goto(sites[site].url + rel);
      for (const selector of TARGETS) {
        const boxes = await page.locator(selector).evaluateAll((els) => els
          .filter((e) => e.getClientRects().length)
          .map((e) => { const r = e.getBoundingClientRect(); return [Math.round(r.width * 10) / 10, Math.round(r.height * 10) / 10, e.textContent.trim().slice(0, 20)]; }));
        // The fixture's second page is short: it has no snippet, tags or checklist of its own.
        if (site === 'demo' || (rel === LONG && !['.tag'].includes(selector))) {
          assert.ok(boxes.length > 0, `${selector} is on the page`);
        }
        for (const [w, h, text] of boxes) {
          if (w < 24 || h < 24) {
            small.push(`${rel} ${selector} "${text}": ${w}×${h}`);
          }
        }
      }
      }
      assert.deepEqual(small, [], small.join('\n'));
      const font = await page.locator('#site-search-input').evaluate((e) => parseFloat(getComputedStyle(e).fontSize));
      assert.ok(font >= 16, `the search input's font is ${font}px`);
      // Every control of the search page, the filters included.
      await page.goto(sites[site].url + 'search/?q=503');
      const fonts = await page.locator('#search-page-form input, #search-page-form textarea, #search-page-form select')
        .evaluateAll((els) => els.map((e) => [e.id || e.name, parseFloat(getComputedStyle(e).fontSize)]));
      assert.ok(fonts.length >= 3, `the search page's controls: ${JSON.stringify(fonts)}`);
      assert.deepEqual(fonts.filter(([, size]) => size < 16), [], 'controls of the search page under 16 px');
      await page.context().close();
    });
  }

  test('the entry column lines up with the listings', async () => {
    for (const width of [1280, 1920]) {
      const page = await newPage(browser, { viewport: { width, height: 800 } });
      await page.goto(demo.url + 'http/');
      const listing = await page.locator('.page').evaluate((e) => e.getBoundingClientRect().left);
      await page.goto(demo.url + 'http/503/');
      const entry = await page.locator('.entry').evaluate((e) => e.getBoundingClientRect().left);
      assert.equal(Math.round(entry), Math.round(listing), `at ${width}px`);
      await page.context().close();
    }
  });
});

describe('quality of the fixture pages', () => {
  test('the Nu HTML Checker finds no errors', { timeout: 120_000 }, async () => {
    const jar = path.join(path.dirname(require.resolve('vnu-jar/package.json')), 'build', 'dist', 'vnu.jar');
    try {
      const result = await promisify(execFile)(process.env.JAVA || 'java', ['-jar', jar, '--errors-only', '--skip-non-html', fixtureOut]);
      assert.equal(result.stderr.trim(), '');
    } catch (err) {
      assert.fail(`vnu reported errors:\n${err.stderr || err.stdout || err.message}`);
    }
  });

  // The system scheme, and the reader's choice against it.
  for (const [scheme, chosen] of [['light', null], ['dark', null], ['light', 'dark'], ['dark', 'light']]) {
    test(`axe-core finds no violations on the long entry (${scheme} system${chosen ? `, ${chosen} chosen` : ''})`, async () => {
      for (const viewport of [PHONE, LAPTOP]) {
        const page = await newPage(browser, { colorScheme: scheme, viewport });
        if (chosen) {
          await page.addInitScript((value) => localStorage.setItem('errorbook:theme', value), chosen);
        }
        await page.goto(fixture.url + LONG);
        await page.locator('.aliases-more summary').click();
        await page.addScriptTag({ path: require.resolve('axe-core/axe.min.js') });
        const violations = await page.evaluate(async () => (await window.axe.run(document, { resultTypes: ['violations'] }))
          .violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`));
        assert.deepEqual(violations, [], `${viewport.width}px:\n${violations.join('\n')}`);
        await page.context().close();
      }
    });
  }
});
