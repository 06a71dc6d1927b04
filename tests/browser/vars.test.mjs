// Placeholders: an entry declares `vars`, its snippets write `<<name>>`, and the page shows
// and copies the reader's values. Runs against a small site built for the test, served under
// a sub-path so values are kept per site.
// Run from the repository root: node --test tests/browser/vars.test.mjs
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { assertNoErrors, builtSiteOf, launch, newPage, serveDir } from './harness.mjs';

const require = createRequire(import.meta.url);
const ENTRY = 'k8s/rollout/';
const OTHER = 'k8s/logs/';

const SITE_YAML = `title: Placeholder test KB
base_url: https://kb.test/kb/
categories:
  k8s: { name: Kubernetes }
`;

// Every kind of snippet: the quick fix, a step's console session (commands and output), a
// danger block, inline code in the checklist and a code block of the body.
const ENTRY_MD = `---
code: "RolloutStuck"
title: A rollout that does not finish
summary: The deployment's new pods never become ready.
severity: major
updated: 2026-06-14
vars: { namespace: default, deployment: myapp }
quick_fix: |
  \`\`\`bash
  kubectl rollout status deploy/<<deployment>> -n <<namespace>>
  \`\`\`
steps:
  - title: Look at the pods
    body: |
      \`\`\`console
      $ kubectl get pods -n <<namespace>> -l app=<<deployment>>
      NAME READY
      <<deployment>>-0 0/1
      \`\`\`
  - title: Roll back
    body: |
      \`\`\`bash danger="rolls back the deployment"
      kubectl rollout undo deploy/<<deployment>> -n <<namespace>>
      \`\`\`
verify:
  - "\`kubectl get deploy <<deployment>> -n <<namespace>>\` shows every replica ready."
---

## Why it happens

\`\`\`yaml
metadata:
  name: <<deployment>>
  namespace: <<namespace>>
\`\`\`
`;

const OTHER_MD = `---
code: "LogsMissing"
title: Logs that are missing
summary: The pod wrote nothing.
severity: minor
updated: 2026-06-14
vars: { namespace: default, pod: api-0 }
quick_fix: |
  \`\`\`bash
  kubectl logs <<pod>> -n <<namespace>>
  \`\`\`
steps:
  - title: Read the logs
    body: Run the quick fix.
verify:
  - "The logs show."
---

Body.
`;

let server;
let browser;

before(async () => {
  const files = { 'site.yaml': SITE_YAML, 'content/k8s/rollout.md': ENTRY_MD, 'content/k8s/logs.md': OTHER_MD };
  const out = await builtSiteOf(files, { args: ['--strict'] });
  server = await serveDir(out, { prefix: '/kb/' });
  browser = await launch();
});

after(async () => {
  await browser?.close();
  await server?.close();
});

async function clipboardPage(opts = {}) {
  const page = await newPage(browser, opts);
  await page.context().grantPermissions(['clipboard-read', 'clipboard-write'], {
    origin: new URL(server.url).origin,
  });
  return page;
}

/** The visible text of every snippet's code, in page order. */
function snippetTexts(page) {
  return page.locator('.snippet pre code').evaluateAll((codes) => codes.map((c) => c.textContent));
}

/** What each copy button puts on the clipboard, in page order (danger blocks pressed twice). */
async function copiedTexts(page) {
  const buttons = page.locator('.snippet button.copy');
  const copied = [];
  for (let i = 0; i < await buttons.count(); i++) {
    const button = buttons.nth(i);
    await page.evaluate(() => navigator.clipboard.writeText('before'));
    await button.click();
    if (await button.getAttribute('data-confirm') !== null) {
      await page.waitForTimeout(600);
      await button.click();
    }
    await page.waitForFunction((b) => b.textContent.trim() === 'Copied', await button.elementHandle());
    copied.push(await page.evaluate(() => navigator.clipboard.readText()));
  }
  return copied;
}

function expectedTexts(ns, dep) {
  return [
    `kubectl rollout status deploy/${dep} -n ${ns}\n`,
    `$ kubectl get pods -n ${ns} -l app=${dep}\nNAME READY\n${dep}-0 0/1\n`,
    `kubectl rollout undo deploy/${dep} -n ${ns}\n`,
    `metadata:\n  name: ${dep}\n  namespace: ${ns}\n`,
  ];
}

function expectedCopies(ns, dep) {
  return [
    `kubectl rollout status deploy/${dep} -n ${ns}`,
    // A console session copies its commands alone.
    `kubectl get pods -n ${ns} -l app=${dep}`,
    `kubectl rollout undo deploy/${dep} -n ${ns}`,
    `metadata:\n  name: ${dep}\n  namespace: ${ns}`,
  ];
}

async function typeInto(page, name, value) {
  const input = page.getByLabel(name, { exact: true });
  await input.fill(value);
}

describe('placeholders', () => {
  test('show the defaults, with one labelled input each, big enough to use', async () => {
    const page = await clipboardPage();
    await page.goto(server.url + ENTRY);
    const panel = page.locator('.vars');
    await panel.waitFor({ state: 'visible' });
    assert.equal(await page.locator('.vars').count(), 1, 'the inputs stand once');
    // At the foot of the quick fix.
    assert.equal(await page.locator('#quick-fix .vars').count(), 1);
    for (const [name, value] of [['namespace', 'default'], ['deployment', 'myapp']]) {
      const input = page.getByLabel(name, { exact: true });
      assert.equal(await input.inputValue(), value);
      const box = await input.boundingBox();
      assert.ok(box.height >= 24 && box.width >= 24, `${name} input is ${box.width}×${box.height}`);
      const size = await input.evaluate((el) => parseFloat(getComputedStyle(el).fontSize));
      assert.ok(size >= 16, `${name} input font is ${size}px`);
    }
    const reset = page.locator('.vars-reset');
    const box = await reset.boundingBox();
    assert.ok(box.height >= 24 && box.width >= 24, `reset is ${box.width}×${box.height}`);
    assert.deepEqual(await snippetTexts(page), expectedTexts('default', 'myapp'));
    assert.deepEqual(await copiedTexts(page), expectedCopies('default', 'myapp'));
    assert.equal(
      (await page.locator('#verify-1 + label').textContent()).trim(),
      'kubectl get deploy myapp -n default shows every replica ready.',
    );
    // The highlighting around the values is kept.
    assert.ok(await page.locator('#quick-fix .snippet code [class^="hl-"]').count() > 0);
    assertNoErrors(page);
    await page.context().close();
  });

  test('every snippet shows and copies what the reader types, as they type', async () => {
    const page = await clipboardPage();
    await page.goto(server.url + ENTRY);
    await page.locator('.vars').waitFor({ state: 'visible' });
    const highlighted = () => page.locator('.snippet code [class^="hl-"]').count();
    const before = await highlighted();
    assert.ok(before > 0);
    const input = page.getByLabel('namespace', { exact: true });
    await input.click();
    await input.press('End');
    await page.keyboard.type('-x');
    // Live: the snippets follow each key.
    assert.equal(await page.locator('.var[data-var="namespace"]').first().textContent(), 'default-x');
    await typeInto(page, 'namespace', 'prod');
    await typeInto(page, 'deployment', 'web');
    assert.deepEqual(await snippetTexts(page), expectedTexts('prod', 'web'));
    assert.deepEqual(await copiedTexts(page), expectedCopies('prod', 'web'));
    assert.equal(
      (await page.locator('#verify-1 + label').textContent()).trim(),
      'kubectl get deploy web -n prod shows every replica ready.',
    );
    // Only the values changed: the highlighting around them is all there.
    assert.equal(await highlighted(), before);
    assert.equal(await page.locator('.snippet code .var').count(), 9);
    // An empty input stands for the default.
    await typeInto(page, 'deployment', '');
    assert.deepEqual(await snippetTexts(page), expectedTexts('prod', 'myapp'));
    assertNoErrors(page);
    await page.context().close();
  });

  test('are remembered for the site, on reload and on other entries, until reset', async () => {
    const page = await clipboardPage();
    await page.goto(server.url + ENTRY);
    await page.locator('.vars').waitFor({ state: 'visible' });
    await typeInto(page, 'namespace', 'staging');
    await typeInto(page, 'deployment', 'shop');
    const keys = await page.evaluate(() => Object.keys(localStorage).filter((k) => k.startsWith('errorbook:var:')).sort());
    assert.deepEqual(keys, ['errorbook:var:/kb/:deployment', 'errorbook:var:/kb/:namespace']);

    await page.reload();
    await page.locator('.vars').waitFor({ state: 'visible' });
    assert.equal(await page.getByLabel('namespace', { exact: true }).inputValue(), 'staging');
    assert.deepEqual(await snippetTexts(page), expectedTexts('staging', 'shop'));

    // Another entry with the same placeholder shows the value; its own keeps its default.
    await page.goto(server.url + OTHER);
    await page.locator('.vars').waitFor({ state: 'visible' });
    assert.equal(await page.getByLabel('namespace', { exact: true }).inputValue(), 'staging');
    assert.equal(await page.getByLabel('pod', { exact: true }).inputValue(), 'api-0');
    assert.deepEqual(await snippetTexts(page), ['kubectl logs api-0 -n staging\n']);
    assert.deepEqual(await copiedTexts(page), ['kubectl logs api-0 -n staging']);

    // Reset brings the defaults back, here and on the other entry.
    await page.locator('.vars-reset').click();
    assert.deepEqual(await snippetTexts(page), ['kubectl logs api-0 -n default\n']);
    assert.equal(await page.getByLabel('namespace', { exact: true }).inputValue(), 'default');
    await page.goto(server.url + ENTRY);
    await page.locator('.vars').waitFor({ state: 'visible' });
    assert.deepEqual(await snippetTexts(page), expectedTexts('default', 'shop'));
    await page.locator('.vars-reset').click();
    assert.deepEqual(await snippetTexts(page), expectedTexts('default', 'myapp'));
    const left = await page.evaluate(() => Object.keys(localStorage).filter((k) => k.startsWith('errorbook:var:')));
    assert.deepEqual(left, []);
    assertNoErrors(page);
    await page.context().close();
  });

  test('a value that looks like markup shows and copies as the text it is', async () => {
    const page = await clipboardPage();
    let dialogs = 0;
    page.on('dialog', async (dialog) => {
      dialogs++;
      await dialog.dismiss();
    });
    await page.goto(server.url + ENTRY);
    await page.locator('.vars').waitFor({ state: 'visible' });
    const evil = '<img src=x onerror=alert(1)>';
    await typeInto(page, 'namespace', evil);
    await typeInto(page, 'deployment', '"&amp;');
    assert.deepEqual(await snippetTexts(page), expectedTexts(evil, '"&amp;'));
    assert.deepEqual(await copiedTexts(page), expectedCopies(evil, '"&amp;'));
    assert.ok(await page.locator('.entry .var').count() > 0, 'the values stand in the entry');
    assert.equal(await page.locator('.entry img').count(), 0, 'no element was made from the value');
    await page.reload();
    await page.locator('.vars').waitFor({ state: 'visible' });
    assert.equal(await page.locator('.var[data-var="namespace"]').first().textContent(), evil);
    assert.equal(await page.locator('.entry img').count(), 0);
    assert.equal(dialogs, 0, 'no script ran');
    await page.context().close();
  });

  test('without JavaScript the snippets show the defaults and the inputs stay hidden', async () => {
    const page = await newPage(browser, { javaScriptEnabled: false });
    await page.goto(server.url + ENTRY);
    assert.deepEqual(await snippetTexts(page), expectedTexts('default', 'myapp'));
    assert.equal(await page.locator('.vars').isVisible(), false);
    assert.equal(await page.locator('.vars').count(), 1);
    await page.context().close();
  });

  test('the page with its inputs passes axe-core in light and dark mode', async () => {
    for (const colorScheme of ['light', 'dark']) {
      const page = await newPage(browser, { colorScheme });
      await page.goto(server.url + ENTRY);
      await page.locator('.vars').waitFor({ state: 'visible' });
      await page.addScriptTag({ path: require.resolve('axe-core/axe.min.js') });
      const violations = await page.evaluate(async () => {
        const results = await window.axe.run(document, { resultTypes: ['violations'] });
        return results.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
      });
      assert.deepEqual(violations, [], `${colorScheme} mode`);
      await page.context().close();
    }
  });
});
