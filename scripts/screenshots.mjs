// Takes the screenshots of the docs: the HTTP 503 entry of the bundled site as a phone (360×740)
// and a laptop (1280×800) show it on arrival, the first screen only, in the light scheme.
// Writes docs/images/entry-360x740.png and docs/images/entry-1280x800.png, crushed with optipng
// when it is installed (Debian: apt-get install optipng).
//
//   cargo build && (cd tests/browser && npm ci) && node scripts/screenshots.mjs
//
// ERRORBOOK_BIN picks the errorbook binary (default target/debug/errorbook), CHROMIUM_PATH the
// browser (default /usr/bin/chromium).
import { execFileSync } from 'node:child_process';
import { mkdir, mkdtemp, rm, stat } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { buildSite, launch, repoRoot, serveDir } from '../tests/browser/harness.mjs';

const SHOTS = [
  { file: 'entry-360x740.png', viewport: { width: 360, height: 740 } },
  { file: 'entry-1280x800.png', viewport: { width: 1280, height: 800 } },
];
const ENTRY = 'http/503/';

const images = path.join(repoRoot, 'docs', 'images');
const work = await mkdtemp(path.join(os.tmpdir(), 'errorbook-shots-'));
let server;
let browser;
try {
  await buildSite({ out: path.join(work, 'site') });
  server = await serveDir(path.join(work, 'site'));
  browser = await launch();
  await mkdir(images, { recursive: true });
  for (const shot of SHOTS) {
    const context = await browser.newContext({ viewport: shot.viewport, deviceScaleFactor: 1, colorScheme: 'light' });
    const page = await context.newPage();
    await page.goto(server.url + ENTRY, { waitUntil: 'networkidle' });
    // The script shows the copy buttons and the toggle; wait for them, as a reader sees the page.
    await page.locator('.theme-toggle:not([hidden])').waitFor();
    const file = path.join(images, shot.file);
    await page.screenshot({ path: file, animations: 'disabled', caret: 'hide' });
    await context.close();
    try {
      execFileSync('optipng', ['-quiet', '-o2', '-strip', 'all', file], { stdio: 'inherit' });
    } catch (err) {
      if (err.code !== 'ENOENT') {
        throw err;
      }
      console.warn('optipng is not installed: the image is written as Chromium made it');
    }
    const { size } = await stat(file);
    console.log(`${path.relative(repoRoot, file)}: ${shot.viewport.width}×${shot.viewport.height}, ${Math.round(size / 1024)} KiB`);
  }
} finally {
  await browser?.close();
  await server?.close();
  await rm(work, { recursive: true, force: true });
}
