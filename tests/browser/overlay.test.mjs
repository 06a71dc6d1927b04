// The preview's error overlay (src/serve/live.js) over a real page of the built site, in light
// and dark: its text stays readable because the site's CSS cannot reach into it.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { builtSite, launch, newPage, repoRoot, serveDir } from './harness.mjs';

let server;
let browser;

before(async () => {
  server = await serveDir(await builtSite());
  browser = await launch();
});

after(async () => {
  await browser?.close();
  await server?.close();
});

/** WCAG contrast ratio of two `rgb(...)`/`rgba(...)` colours (the second opaque). */
function contrast(fg, bg) {
  const parse = (c) => c.match(/[\d.]+/g).map(Number);
  const lum = ([r, g, b]) => {
    const f = (v) => { const s = v / 255; return s <= 0.03928 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4; };
    return 0.2126 * f(r) + 0.7152 * f(g) + 0.0722 * f(b);
  };
  const [a, b] = [lum(parse(fg)), lum(parse(bg))];
  return (Math.max(a, b) + 0.05) / (Math.min(a, b) + 0.05);
}

const REPORT = 'content/http/503.md:5:11: error: unknown severity "blocking"\n  help: did you mean "blocker"?';

for (const scheme of ['light', 'dark']) {
  test(`the build-failed overlay is readable over an entry in ${scheme} mode`, async () => {
    const page = await newPage(browser, { colorScheme: scheme });
    // The preview server's event stream, answered here: one failed build.
    await page.route('**/__errorbook/events', (route) => route.fulfill({
      status: 200,
      headers: { 'Content-Type': 'text/event-stream', 'Cache-Control': 'no-store' },
      body: `retry: 600000\nevent: failed\ndata: ${JSON.stringify({ generation: 2, report: REPORT })}\n\n`,
    }));
    await page.goto(`${server.url}http/503/`);
    await page.addScriptTag({ path: path.join(repoRoot, 'src/serve/live.js') });
    const pre = page.locator('#errorbook-overlay pre');
    await pre.waitFor();
    assert.equal(await pre.textContent(), REPORT);
    const colours = await page.evaluate(() => {
      const host = document.getElementById('errorbook-overlay');
      const root = host.shadowRoot;
      const panel = root.querySelector('.panel');
      const pre = root.querySelector('pre');
      const title = root.querySelector('.title');
      return {
        shadow: Boolean(root) && host.children.length === 0,
        panel: getComputedStyle(panel).backgroundColor,
        pre: getComputedStyle(pre).color,
        preBackground: getComputedStyle(pre).backgroundColor,
        title: getComputedStyle(title).color,
        covers: panel.getBoundingClientRect().width === window.innerWidth,
        font: getComputedStyle(pre).fontFamily,
        role: panel.getAttribute('role'),
      };
    });
    assert.ok(colours.shadow, 'the overlay keeps its content in a shadow root');
    assert.equal(colours.preBackground, 'rgba(0, 0, 0, 0)', "the site's `pre` background does not apply");
    // The panel is nearly opaque: judge the text against it as drawn over the page.
    const panel = colours.panel.replace(/rgba\(([^,]+),([^,]+),([^,]+),[^)]+\)/, 'rgb($1,$2,$3)');
    assert.ok(contrast(colours.pre, panel) >= 7, `report ${colours.pre} on ${panel}`);
    assert.ok(contrast(colours.title, panel) >= 4.5, `title ${colours.title} on ${panel}`);
    assert.ok(colours.covers, 'it covers the window');
    assert.match(colours.font, /monospace/);
    assert.equal(colours.role, 'alertdialog');
    assert.equal(await page.getByRole('alertdialog', { name: 'Build failed' }).count(), 1);
    await page.context().close();
  });
}

// Rules a site may well have, and hostile ones: none of them may move, fade or hide the overlay.
const HOSTILE_CSS = `
  body > div, body > * { position: relative !important; }
  div, * { opacity: .3 !important; }
  html > *, body > * { z-index: -1 !important; visibility: hidden; transform: translateY(100vh); }
  body { transform: translateX(0); overflow: hidden; }
  header, main { position: relative; z-index: 2147483647; }
  * { display: none; direction: rtl !important; unicode-bidi: bidi-override !important; }
  :root { font-size: 200px !important; zoom: .1 !important; content-visibility: hidden !important; }
  @font-face { font-family: "ui-monospace"; src: local("DejaVu Sans Mono"); size-adjust: 1%; }
  @font-face { font-family: "Menlo"; src: local("DejaVu Sans Mono"); size-adjust: 1%; }
`;

test('the overlay stays over the whole window whatever the site\'s CSS says', async () => {
  const page = await newPage(browser, { colorScheme: 'light', viewport: { width: 1280, height: 800 } });
  await page.route('**/__errorbook/events', (route) => route.fulfill({
    status: 200,
    headers: { 'Content-Type': 'text/event-stream', 'Cache-Control': 'no-store' },
    body: `retry: 600000\nevent: failed\ndata: ${JSON.stringify({ generation: 2, report: REPORT })}\n\n`,
  }));
  await page.goto(`${server.url}http/503/`);
  await page.addStyleTag({ content: HOSTILE_CSS });
  await page.evaluate(() => window.scrollTo(0, 3000));
  await page.addScriptTag({ path: path.join(repoRoot, 'src/serve/live.js') });
  await page.locator('#errorbook-overlay pre').waitFor();
  const seen = await page.evaluate(() => {
    const host = document.getElementById('errorbook-overlay');
    const box = host.getBoundingClientRect();
    const style = getComputedStyle(host);
    // What a click in the middle and at the corners of the window lands on.
    const points = [[640, 400], [5, 5], [1270, 790]].map(([x, y]) => document.elementFromPoint(x, y) === host);
    const pre = host.shadowRoot.querySelector('pre');
    const text = pre.getBoundingClientRect();
    return {
      text: [Math.round(text.width), parseFloat(getComputedStyle(pre).fontSize), getComputedStyle(pre).direction],
      box: [box.x, box.y, box.width, box.height],
      position: style.position, opacity: style.opacity, visibility: style.visibility,
      points, tag: host.localName,
    };
  });
  assert.deepEqual(seen.box, [0, 0, 1280, 800], 'the overlay covers the window');
  assert.equal(seen.position, 'fixed');
  assert.equal(seen.opacity, '1');
  assert.equal(seen.visibility, 'visible');
  assert.deepEqual(seen.points, [true, true, true], 'the overlay is on top everywhere');
  assert.equal(seen.tag, 'errorbook-overlay');
  const [width, size, direction] = seen.text;
  assert.ok(width > 1000, `the report has the window's width to itself (${width}px)`);
  assert.equal(size, 14, 'the report is 14 px, whatever the root font size');
  assert.equal(direction, 'ltr');
  const glyph = await page.evaluate(() => {
    // The report's font is the generic monospace, which no @font-face of the site can rename.
    const pre = document.getElementById('errorbook-overlay').shadowRoot.querySelector('pre');
    const range = document.createRange();
    range.selectNodeContents(pre.firstChild);
    return range.getClientRects()[0].height;
  });
  assert.ok(glyph >= 14, `a line of the report is ${glyph}px tall`);
  await page.context().close();
});
