// What the JavaScript tests and tools share: the repository, the binary under test, the search
// engine as node loads it, building a site (or taking a built one from the cache, the demo's or
// a small one a test describes), copying the demo site and starting `errorbook serve`. Used by tests/js, tests/browser (through
// harness.mjs) and bench/. Only node's own modules here: tests/js and bench have no packages.
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { cp, mkdir, readFile, readdir, rename, rm, stat, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { createServer } from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const require = createRequire(import.meta.url);

/** The repository root. */
export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');

/** The search engine (static/assets/search/engine.js), as node sees it. */
export const engine = require(path.join(repoRoot, 'static/assets/search/engine.js'));

/** The errorbook binary: ERRORBOOK_BIN, else target/debug/errorbook. */
export function binaryPath() {
  return process.env.ERRORBOOK_BIN
    ? path.resolve(process.env.ERRORBOOK_BIN)
    : path.join(repoRoot, 'target', 'debug', 'errorbook');
}

/**
 * Runs `errorbook build --root <root> --out <out> ...args`. Resolves with {stdout, stderr};
 * rejects with the binary's output when it fails or cannot run.
 */
export function buildSite({ root = repoRoot, out, args = [] } = {}) {
  if (!out) {
    throw new Error('buildSite: `out` is required');
  }
  const bin = binaryPath();
  const argv = ['build', '--root', root, '--out', out, ...args];
  return new Promise((resolve, reject) => {
    const child = spawn(bin, argv, {
      cwd: root,
      env: { ...process.env, NO_COLOR: '1' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk) => { stdout += chunk; });
    child.stderr.setEncoding('utf8').on('data', (chunk) => { stderr += chunk; });
    child.on('error', (err) => {
      reject(new Error(`could not run ${bin}: ${err.message} (build it with \`cargo build\` or set ERRORBOOK_BIN)`));
    });
    child.on('close', (code, signal) => {
      if (code === 0) {
        resolve({ stdout, stderr });
      } else {
        const status = signal ? `signal ${signal}` : `exit status ${code}`;
        reject(new Error(`${bin} ${argv.join(' ')} failed with ${status}:\n${stderr || stdout}`));
      }
    });
  });
}

/** The files a build of `root` reads (besides the binary), as "path size mtime" lines. */
async function inputStamp(root) {
  const lines = [];
  async function walk(rel) {
    let items;
    try {
      items = await readdir(path.join(root, rel), { withFileTypes: true });
    } catch {
      return;
    }
    items.sort((a, b) => (a.name < b.name ? -1 : 1));
    for (const item of items) {
      const child = path.join(rel, item.name);
      if (item.isDirectory()) {
        await walk(child);
      } else {
        const info = await stat(path.join(root, child));
        lines.push(`${child} ${info.size} ${info.mtimeMs}`);
      }
    }
  }
  for (const part of ['site.yaml', 'content', 'templates', 'static']) {
    const info = await stat(path.join(root, part)).catch(() => null);
    if (info?.isDirectory()) {
      await walk(part);
    } else if (info) {
      lines.push(`${part} ${info.size} ${info.mtimeMs}`);
    }
  }
  return lines.join('\n');
}

const digest = (text) => createHash('sha256').update(text).digest('hex');

/** Where built fixtures are kept between test files and runs. */
export const fixtureCache = path.join(repoRoot, 'target', 'test-sites');

/**
 * The output of `errorbook build --root <root> ...args`, built once and kept in
 * target/test-sites/ until the binary or a file the build reads changes, so every test file
 * that asks for the same fixture shares one build. The folder is shared: read it, never write
 * into it (build into a folder of your own with buildSite for that).
 */
export async function builtSite({ root = repoRoot, args = [] } = {}) {
  const slot = path.join(fixtureCache, digest(JSON.stringify([path.resolve(root), args])).slice(0, 16));
  const bin = await stat(binaryPath()).catch(() => null);
  const key = digest([binaryPath(), bin?.size, bin?.mtimeMs, await inputStamp(root)].join('\n'));
  const out = path.join(slot, 'site');
  const current = async () => (await readFile(path.join(slot, 'key'), 'utf8').catch(() => '')) === key;
  if (await current()) {
    return out;
  }
  await mkdir(fixtureCache, { recursive: true });
  const fresh = `${slot}.${process.pid}.${Date.now()}`;
  await buildSite({ root, out: path.join(fresh, 'site'), args });
  await writeFile(path.join(fresh, 'key'), key);
  if (await current()) {
    // Another test file built it meanwhile: keep the one in place, which it may be reading.
    await rm(fresh, { recursive: true, force: true });
    return out;
  }
  await rm(slot, { recursive: true, force: true });
  await rename(fresh, slot).catch(async (err) => {
    await rm(fresh, { recursive: true, force: true });
    if (!(await current())) {
      throw err;
    }
  });
  return out;
}

/**
 * The output of a build of the small site `files` describes ({'site.yaml': text,
 * 'content/http/500.md': text, ...}), with `args`: the sources are written once under
 * target/test-sites/ and built as builtSite builds, so a test that makes its own site shares
 * the setup, and the build, with every other run. Read the folder, never write into it.
 */
export async function builtSiteOf(files, { args = [] } = {}) {
  const entries = Object.entries(files).sort(([a], [b]) => (a < b ? -1 : 1));
  const root = path.join(fixtureCache, `src-${digest(JSON.stringify(entries)).slice(0, 16)}`);
  if (!(await stat(root).catch(() => null))) {
    await mkdir(fixtureCache, { recursive: true });
    const fresh = `${root}.${process.pid}.${Date.now()}`;
    for (const [file, text] of entries) {
      await mkdir(path.dirname(path.join(fresh, file)), { recursive: true });
      await writeFile(path.join(fresh, file), text);
    }
    // Another test file may have written the same sources meanwhile: theirs stay.
    await rename(fresh, root).catch(() => rm(fresh, { recursive: true, force: true }));
  }
  return builtSite({ root, args });
}

/** Copies the demo site's sources (site.yaml and content/) into `to`, for a test that edits them. */
export async function copyDemoSite(to) {
  for (const part of ['site.yaml', 'content']) {
    await cp(path.join(repoRoot, part), path.join(to, part), { recursive: true });
  }
  return to;
}

/** A TCP port free on 127.0.0.1 a moment ago. */
export function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

/**
 * Starts `errorbook serve --root <root>` on a free port and waits until it serves.
 * Resolves with {url, stop()}; `url` has no trailing slash.
 */
export async function startServe(root, { timeout = 120_000 } = {}) {
  const port = await freePort();
  const child = spawn(binaryPath(), ['serve', '--root', root, '--port', String(port)], {
    stdio: ['ignore', 'ignore', 'pipe'],
    env: { ...process.env, NO_COLOR: '1' },
  });
  let log = '';
  await new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGINT');
      reject(new Error(`serve did not start within ${timeout} ms:\n${log}`));
    }, timeout);
    child.stderr.on('data', (chunk) => {
      log += chunk;
      if (log.includes('serving ')) {
        clearTimeout(timer);
        resolve();
      }
    });
    child.once('error', (err) => {
      clearTimeout(timer);
      reject(new Error(`could not run ${binaryPath()}: ${err.message}`));
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`serve exited with ${code}:\n${log}`));
    });
  });
  return { url: `http://127.0.0.1:${port}`, stop: () => child.kill('SIGINT') };
}

/**
 * A loader for engine.createEngine that reads `<site>/search/<name>.js` and runs it the way a
 * browser would, catching what it registers. `onLoad(name, bytes)` hears of every file read.
 */
export function fileLoader(site, { onLoad } = {}) {
  return async (name) => {
    const bytes = await readFile(path.join(site, 'search', `${name}.js`));
    onLoad?.(name, bytes);
    let registered;
    new Function('errorbookShard', bytes.toString('utf8'))((n, data) => {
      if (n !== name) {
        throw new Error(`search/${name}.js registered itself as ${n}`);
      }
      registered = data;
    });
    if (registered === undefined) {
      throw new Error(`search/${name}.js did not register`);
    }
    return registered;
  };
}
