// A block marked `danger`: the page shows its warning, and its copy button copies only on a
// second, deliberate press. Runs against a small site built for the test.
// Run from the repository root: node --test tests/browser/
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { createRequire } from 'node:module';
import path from 'node:path';
import { promisify } from 'node:util';
import { assertNoErrors, builtSiteOf, launch, newPage, serveDir } from './harness.mjs';

const require = createRequire(import.meta.url);
const ENTRY = 'http/500/';

const SITE_YAML = `title: Snippet test KB
base_url: https://kb.test/
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
  - title: Look at the rollout
    body: |
      \`\`\`bash
      kubectl rollout history deploy/myapp
      \`\`\`
  - title: Roll back
    body: |
      \`\`\`bash danger="rolls back production to the previous release"
      kubectl rollout undo deploy/myapp
      \`\`\`
verify:
  - "The error rate is back to normal."
---

Body.
`;

// A console session with a root prompt, a continued command, a here-document and output.
const CONSOLE_ENTRY = 'http/502/';
const CONSOLE_MD = `---
code: "502"
title: HTTP 502 Bad Gateway
summary: The proxy got no valid answer from the upstream.
severity: major
updated: 2026-06-14
steps:
  - title: Restart the upstream
    body: |
      \`\`\`console
      # systemctl reload app
      $ curl -sS -o /dev/null \\
          -w '%{http_code}' http://127.0.0.1:8080/health
      200
      $ sudo tee /etc/app/limits.conf <<'EOF'
      max_connections = 512
      EOF
      max_connections = 512
      \`\`\`
verify:
  - "The proxy answers 200."
---

Body.
`;

let out;
let server;
let browser;

before(async () => {
  const files = { 'site.yaml': SITE_YAML, 'content/http/500.md': ENTRY_MD, 'content/http/502.md': CONSOLE_MD };
  out = await builtSiteOf(files, { args: ['--strict'] });
  server = await serveDir(out);
  browser = await launch();
});

after(async () => {
  await browser?.close();
  await server?.close();
});

async function clipboardPage() {
  const page = await newPage(browser);
  await page.context().grantPermissions(['clipboard-read', 'clipboard-write'], {
    origin: new URL(server.url).origin,
  });
  return page;
}

describe('a block marked danger', () => {
  test('shows its warning and reason above the code', async () => {
    const page = await newPage(browser);
    await page.goto(server.url + ENTRY);
    const danger = page.locator('.snippet-danger');
    assert.equal(await danger.count(), 1, 'one block is marked');
    const warning = danger.locator('.snippet-warning');
    assert.equal(await warning.isVisible(), true);
    assert.equal(
      (await warning.textContent()).trim(),
      'Changes or deletes data: rolls back production to the previous release.',
    );
    // The warning stands between the header and the code.
    const order = await danger.evaluate((el) => [...el.children].map((c) => c.className));
    assert.deepEqual(order, ['snippet-head', 'snippet-warning', 'code']);
    // The other block has no warning.
    assert.equal(await page.locator('.snippet:not(.snippet-danger) .snippet-warning').count(), 0);
    assertNoErrors(page);
    await page.context().close();
  });

  test('copies only on a second press, and the first press wears off', async () => {
    const page = await clipboardPage();
    await page.goto(server.url + ENTRY);
    await page.evaluate(() => navigator.clipboard.writeText('before'));
    const button = page.locator('.snippet-danger button.copy');
    await button.waitFor({ state: 'visible' });

    await button.click();
    assert.equal((await button.textContent()).trim(), 'Press again to copy');
    assert.equal(await page.evaluate(() => navigator.clipboard.readText()), 'before', 'nothing copied on the first press');
    await page.waitForFunction(() => [...document.querySelectorAll('[aria-live]')]
      .some((el) => /press again to copy/i.test(el.textContent)));

    // Left alone, it disarms: the next press arms it again instead of copying.
    await page.waitForFunction((b) => b.textContent.trim() === 'Copy', await button.elementHandle(), { timeout: 8000 });
    await button.click();
    assert.equal((await button.textContent()).trim(), 'Press again to copy');
    assert.equal(await page.evaluate(() => navigator.clipboard.readText()), 'before');

    // A press right after arming is the same gesture (a double click), not a second thought.
    await button.click();
    assert.equal((await button.textContent()).trim(), 'Press again to copy');
    assert.equal(await page.evaluate(() => navigator.clipboard.readText()), 'before', 'a quick second press copies nothing');

    await page.waitForTimeout(600);
    await button.click();
    await page.waitForFunction((b) => b.textContent.trim() === 'Copied', await button.elementHandle());
    assert.equal(await page.evaluate(() => navigator.clipboard.readText()), 'kubectl rollout undo deploy/myapp');
    assertNoErrors(page);
    await page.context().close();
  });

  test('a double click on a danger block copies nothing', async () => {
    const page = await clipboardPage();
    await page.goto(server.url + ENTRY);
    await page.evaluate(() => navigator.clipboard.writeText('before'));
    const button = page.locator('.snippet-danger button.copy');
    await button.waitFor({ state: 'visible' });
    await button.dblclick();
    assert.equal((await button.textContent()).trim(), 'Press again to copy');
    assert.equal(await page.evaluate(() => navigator.clipboard.readText()), 'before');
    await page.context().close();
  });

  test('a block without the mark copies on the first press', async () => {
    const page = await clipboardPage();
    await page.goto(server.url + ENTRY);
    const button = page.locator('.snippet:not(.snippet-danger) button.copy').first();
    await button.waitFor({ state: 'visible' });
    await button.click();
    await page.waitForFunction((b) => b.textContent.trim() === 'Copied', await button.elementHandle());
    assert.equal(await page.evaluate(() => navigator.clipboard.readText()), 'kubectl rollout history deploy/myapp');
    await page.context().close();
  });

  test('passes axe-core in light and dark mode', async () => {
    for (const colorScheme of ['light', 'dark']) {
      const page = await newPage(browser, { colorScheme });
      await page.goto(server.url + ENTRY);
      await page.locator('.snippet-danger button.copy').click();
      await page.addScriptTag({ path: require.resolve('axe-core/axe.min.js') });
      const violations = await page.evaluate(async () => {
        const results = await window.axe.run(document, { resultTypes: ['violations'] });
        return results.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
      });
      assert.deepEqual(violations, [], `${colorScheme} mode`);
      await page.context().close();
    }
  });

  test('is valid HTML for the Nu HTML Checker', async () => {
    const jar = path.join(path.dirname(require.resolve('vnu-jar/package.json')), 'build', 'dist', 'vnu.jar');
    const page = path.join(out, 'http', '500', 'index.html');
    const result = await promisify(execFile)(process.env.JAVA || 'java', ['-jar', jar, '--errors-only', page]);
    assert.equal(result.stderr.trim(), '');
  });
});

describe('a console block', () => {
  test('copies the commands after both prompts, with continuations and here-documents', async () => {
    const page = await clipboardPage();
    await page.goto(server.url + CONSOLE_ENTRY);
    const snippet = page.locator('.snippet[data-lang="console"]');
    assert.deepEqual(await snippet.locator('.hl-prompt').allTextContents(), ['# ', '$ ', '$ ']);
    assert.deepEqual(await snippet.locator('.hl-output').allTextContents(), ['200', 'max_connections = 512']);
    const button = snippet.locator('button.copy');
    await button.waitFor({ state: 'visible' });
    await button.click();
    await page.waitForFunction((b) => b.textContent.trim() === 'Copied', await button.elementHandle());
    assert.equal(
      await page.evaluate(() => navigator.clipboard.readText()),
      [
        'systemctl reload app',
        'curl -sS -o /dev/null \\',
        "    -w '%{http_code}' http://127.0.0.1:8080/health",
        "sudo tee /etc/app/limits.conf <<'EOF'",
        'max_connections = 512',
        'EOF',
      ].join('\n'),
    );
    assertNoErrors(page);
    await page.context().close();
  });
});
