// Helpers for the browser tests: serve a built site over loopback and drive headless Chromium
// through playwright-core. Building sites comes from tests/js/support.mjs.
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import http from 'node:http';
import path from 'node:path';
import assert from 'node:assert/strict';
import { chromium } from 'playwright-core';

// Building, the fixture cache, the demo site and `errorbook serve`: shared with tests/js and bench.
export { binaryPath, builtSite, builtSiteOf, buildSite, copyDemoSite, repoRoot, startServe } from '../js/support.mjs';

/** The base URL of the demo site's build for a sub-path, which the tests serve under /kb/ on
 * 127.0.0.1: its pages name the path, never the host, of what they load and link to. */
export const KB_BASE_URL = 'https://example.org/kb/';

const CONTENT_TYPES = {
  '.html': 'text/html; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.xml': 'application/xml; charset=utf-8',
  '.txt': 'text/plain; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.gif': 'image/gif',
  '.webp': 'image/webp',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.wasm': 'application/wasm',
};

function contentType(file) {
  if (path.basename(file) === 'atom.xml') {
    return 'application/atom+xml; charset=utf-8';
  }
  return CONTENT_TYPES[path.extname(file).toLowerCase()] || 'application/octet-stream';
}

async function fileAt(file) {
  try {
    const info = await stat(file);
    return info;
  } catch {
    return null;
  }
}

/**
 * Serves `dir` on 127.0.0.1 at a free port, under `prefix` (e.g. '/kb/').
 * Folders answer with their index.html (a folder without the trailing slash
 * is redirected to it); anything missing answers 404 with the site's 404.html.
 * Resolves with {url, close()}; `url` ends with the prefix.
 */
export function serveDir(dir, { prefix = '/' } = {}) {
  const base = path.resolve(dir);
  let pre = prefix.startsWith('/') ? prefix : `/${prefix}`;
  if (!pre.endsWith('/')) {
    pre += '/';
  }

  async function notFound(res, method) {
    const page = path.join(base, '404.html');
    const info = await fileAt(page);
    if (info && info.isFile()) {
      res.writeHead(404, { 'Content-Type': 'text/html; charset=utf-8', 'Content-Length': info.size });
      if (method === 'HEAD') {
        res.end();
      } else {
        createReadStream(page).pipe(res);
      }
    } else {
      res.writeHead(404, { 'Content-Type': 'text/plain; charset=utf-8' });
      res.end('not found\n');
    }
  }

  const server = http.createServer(async (req, res) => {
    try {
      if (req.method !== 'GET' && req.method !== 'HEAD') {
        res.writeHead(405, { Allow: 'GET, HEAD' });
        res.end();
        return;
      }
      const url = new URL(req.url, 'http://127.0.0.1');
      let pathname;
      try {
        pathname = decodeURIComponent(url.pathname);
      } catch {
        res.writeHead(400);
        res.end();
        return;
      }
      if (pathname === pre.slice(0, -1)) {
        res.writeHead(301, { Location: pre + url.search });
        res.end();
        return;
      }
      if (!pathname.startsWith(pre) || pathname.includes('\0')) {
        await notFound(res, req.method);
        return;
      }
      let file = path.join(base, pathname.slice(pre.length));
      if (file !== base && !file.startsWith(base + path.sep)) {
        await notFound(res, req.method);
        return;
      }
      let info = await fileAt(file);
      if (info && info.isDirectory()) {
        if (!pathname.endsWith('/')) {
          res.writeHead(301, { Location: `${url.pathname}/${url.search}` });
          res.end();
          return;
        }
        file = path.join(file, 'index.html');
        info = await fileAt(file);
      }
      if (!info || !info.isFile()) {
        await notFound(res, req.method);
        return;
      }
      res.writeHead(200, {
        'Content-Type': contentType(file),
        'Content-Length': info.size,
        'Cache-Control': 'no-store',
      });
      if (req.method === 'HEAD') {
        res.end();
      } else {
        createReadStream(file).pipe(res);
      }
    } catch (err) {
      res.writeHead(500, { 'Content-Type': 'text/plain; charset=utf-8' });
      res.end(String(err && err.stack ? err.stack : err));
    }
  });

  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      resolve({
        url: `http://127.0.0.1:${port}${pre}`,
        close: () => new Promise((done) => {
          server.closeAllConnections?.();
          server.close(() => done());
        }),
      });
    });
  });
}

export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];

/** Launches headless Chromium (CHROMIUM_PATH, else /usr/bin/chromium). */
export function launch() {
  return chromium.launch({
    executablePath: process.env.CHROMIUM_PATH || '/usr/bin/chromium',
    args: CHROMIUM_ARGS,
  });
}

/**
 * Opens a page in a fresh context (options go to browser.newContext) that
 * records console errors, uncaught exceptions and failed requests.
 * A response with status >= 400 counts as failed, except the one for a
 * navigation the test expects to fail: pass `allowStatus: [404]` for that.
 */
export async function newPage(browser, opts = {}) {
  const { allowStatus = [], ...contextOptions } = opts;
  const context = await browser.newContext(contextOptions);
  const page = await context.newPage();
  const records = [];
  const allowedNavigations = new Set();
  page.on('console', (msg) => {
    if (msg.type() === 'error') {
      const where = msg.location();
      records.push({ text: `console error: ${msg.text()}`, url: (where && where.url) || '' });
    }
  });
  page.on('pageerror', (err) => {
    records.push({ text: `uncaught exception: ${err.message}`, url: '' });
  });
  page.on('requestfailed', (req) => {
    const failure = req.failure();
    // A request cut short because the test navigated on (a favicon still
    // loading, say) is not a fault of the page; a missing file shows up as
    // an HTTP error status below.
    if (failure && failure.errorText === 'net::ERR_ABORTED') {
      return;
    }
    records.push({ text: `request failed: ${req.url()} (${failure ? failure.errorText : 'unknown'})`, url: req.url() });
  });
  page.on('response', (res) => {
    const status = res.status();
    if (status < 400) {
      return;
    }
    if (res.request().isNavigationRequest() && allowStatus.includes(status)) {
      allowedNavigations.add(res.url());
      return;
    }
    records.push({ text: `HTTP ${status}: ${res.url()}`, url: res.url() });
  });
  // Chromium also logs "Failed to load resource" for a navigation that
  // answered with an expected error status: that one is not a problem.
  page.errorbookProblems = () => records
    .filter((r) => !(r.text.startsWith('console error: Failed to load resource') && allowedNavigations.has(r.url)))
    .map((r) => (r.url && !r.text.includes(r.url) ? `${r.text} (${r.url})` : r.text));
  return page;
}

/** Fails the test if the page logged a console error or a request failed. */
export function assertNoErrors(page) {
  const problems = page.errorbookProblems ? page.errorbookProblems() : [];
  assert.deepEqual(problems, [], `problems on ${page.url()}:\n  ${problems.join('\n  ')}`);
}
