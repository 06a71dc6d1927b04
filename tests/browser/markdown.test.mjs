// The Markdown copy of an entry from its page: the `<link rel="alternate">` leads to it, and the
// "Copy as Markdown" button puts it on the clipboard, or opens it when the page is read from
// disk and cannot fetch it. Runs against a small site built for the test, under a sub-path.
// Run from the repository root: node --test tests/browser/
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { assertNoErrors, builtSiteOf, launch, newPage, serveDir } from './harness.mjs';

const SITE_YAML = `title: Markdown test KB
base_url: https://kb.test/kb/
categories:
  http: { name: HTTP }
`;

const ENTRY_MD = `---
code: "500"
title: HTTP 500 Internal Server Error
summary: The server failed while handling the request.
severity: major
updated: 2026-06-14
steps:
  - title: Read the log
    body: |
      \`\`\`bash
      journalctl -u app -n 50
      \`\`\`
verify:
  - "The error rate is back to normal."
---

Body.
`;

const FILES = { 'site.yaml': SITE_YAML, 'content/http/500.md': ENTRY_MD };

let out;
let offline;
let server;
let browser;

before(async () => {
  out = await builtSiteOf(FILES, { args: ['--strict'] });
  offline = await builtSiteOf(FILES, { args: ['--strict', '--offline'] });
  server = await serveDir(out, { prefix: '/kb/' });
  browser = await launch();
});

after(async () => {
  await browser?.close();
  await server?.close();
});

describe('the Markdown copy of an entry', () => {
  test('is the alternate of the page, and the link leads to it', async () => {
    const page = await newPage(browser);
    await page.goto(server.url + 'http/500/');
    const link = page.locator('link[rel="alternate"][type="text/markdown"]');
    assert.equal(await link.count(), 1);
    const href = await link.evaluate((el) => el.href);
    assert.equal(href, server.url + 'http/500/index.md');
    const response = await page.request.get(href);
    assert.equal(response.status(), 200);
    const expected = await readFile(path.join(out, 'http', '500', 'index.md'), 'utf8');
    assert.equal(await response.text(), expected);
    assert.match(expected, /^# HTTP 500 Internal Server Error\n/);
    // A printed page has no use for the button.
    await page.getByRole('button', { name: 'Copy as Markdown' }).waitFor({ state: 'visible' });
    await page.emulateMedia({ media: 'print' });
    assert.equal(await page.locator('button.copy-markdown').isVisible(), false, 'the button is printed');
    assertNoErrors(page);
    await page.context().close();
  });

  test('is copied by the button, which says so', async () => {
    const page = await newPage(browser);
    await page.context().grantPermissions(['clipboard-read', 'clipboard-write'], {
      origin: new URL(server.url).origin,
    });
    await page.goto(server.url + 'http/500/');
    await page.evaluate(() => navigator.clipboard.writeText('before'));
    await page.getByRole('button', { name: 'Copy as Markdown' }).waitFor({ state: 'visible' });
    // Found by its class from here on: its name changes with what it says.
    const button = page.locator('button.copy-markdown');
    await button.click();
    await page.waitForFunction((b) => b.textContent.trim() === 'Copied', await button.elementHandle());
    const expected = await readFile(path.join(out, 'http', '500', 'index.md'), 'utf8');
    assert.equal(await page.evaluate(() => navigator.clipboard.readText()), expected);
    await page.waitForFunction(() => [...document.querySelectorAll('[role="status"]')]
      .some((el) => el.textContent === 'Markdown copied to clipboard'));
    // It goes back to its label.
    await page.waitForFunction((b) => b.textContent.trim() === 'Copy as Markdown', await button.elementHandle(), { timeout: 8000 });
    assertNoErrors(page);
    await page.context().close();
  });

  test('is opened instead when the page is read from disk', async () => {
    const page = await newPage(browser, { acceptDownloads: true });
    const entry = pathToFileURL(path.join(offline, 'http', '500', 'index.html')).href;
    await page.goto(entry);
    const link = page.locator('link[rel="alternate"][type="text/markdown"]');
    assert.equal(await link.evaluate((el) => el.href), pathToFileURL(path.join(offline, 'http', '500', 'index.md')).href);
    const button = page.getByRole('button', { name: 'Copy as Markdown' });
    await button.waitFor({ state: 'visible' });
    const target = pathToFileURL(path.join(offline, 'http', '500', 'index.md')).href;
    // Chromium shows the file or downloads it; either way the reader gets the copy.
    const opened = Promise.race([
      page.waitForEvent('download').then((d) => d.url()),
      page.waitForURL(target).then(() => page.url()),
    ]);
    await button.click();
    assert.equal(await opened, target);
    await page.context().close();
  });
});
