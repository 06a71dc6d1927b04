// `errorbook serve` in a real browser: an edit reloads the open tab at the same scroll
// position, a broken entry shows the diagnostics as an overlay over the last good page, and
// fixing the entry clears it.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { assertNoErrors, copyDemoSite, launch, newPage, startServe } from './harness.mjs';

test('serve reloads on save, keeps the scroll position, and overlays errors', async (t) => {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'errorbook-serve-'));
  const root = await copyDemoSite(path.join(dir, 'site'));
  const server = await startServe(root);
  const browser = await launch();
  t.after(async () => {
    await browser.close();
    server.stop();
    await rm(dir, { recursive: true, force: true });
  });

  const page = await newPage(browser, { viewport: { width: 1000, height: 700 } });
  await page.goto(`${server.url}/http/503/`);
  await page.evaluate(() => window.scrollTo(0, 1500));
  await page.waitForFunction(() => window.scrollY >= 1400);

  const file = path.join(root, 'content/http/503.md');
  const original = await readFile(file, 'utf8');
  const section = '## Our position';
  assert.ok(original.includes(section), `the 503 entry has a "${section}" section`);
  await writeFile(file, original.replace(section, `A sentence added while the page was open.\n\n${section}`));
  await page.waitForFunction(() => document.body.textContent.includes('A sentence added while the page was open.'), null, { timeout: 30_000 });
  await page.waitForFunction(() => window.scrollY >= 1400, null, { timeout: 10_000 });

  await writeFile(file, original.replace('severity: blocker', 'severity: blocking'));
  const overlay = page.locator('#errorbook-overlay');
  await overlay.waitFor({ timeout: 30_000 });
  // The report is inside the overlay's shadow root; the locator reaches into it.
  const report = await page.locator('#errorbook-overlay pre').textContent();
  assert.match(report, /content\/http\/503\.md:\d+:\d+: error: unknown severity "blocking"/);
  assert.match(report, /did you mean "blocker"\?/);
  assert.ok(await page.locator('h1').isVisible(), 'the last good page is still there under the overlay');

  await writeFile(file, original);
  await overlay.waitFor({ state: 'detached', timeout: 30_000 });
  assertNoErrors(page);
});
