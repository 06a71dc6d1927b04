// Runs the browser search engine under node against a built site's search/ folder.
import { readFile } from 'node:fs/promises';
import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const require = createRequire(import.meta.url);

/** The repository root. */
export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');

/** static/assets/search.js, as node sees it. */
export const search = require(path.join(repoRoot, 'static/assets/search.js'));

/**
 * A loader for createEngine that reads `<site>/search/<name>.js` and runs it the way a browser
 * would, catching what it registers. `onLoad(name, bytes)` hears of every file read.
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

/** The errorbook binary: ERRORBOOK_BIN, else target/debug/errorbook. */
export function binaryPath() {
  return process.env.ERRORBOOK_BIN
    ? path.resolve(process.env.ERRORBOOK_BIN)
    : path.join(repoRoot, 'target', 'debug', 'errorbook');
}

/** Runs `errorbook build` and throws with its output if it fails. */
export function build(root, out, args = []) {
  const r = spawnSync(binaryPath(), ['build', '--root', root, '--out', out, ...args], {
    encoding: 'utf8',
    env: { ...process.env, NO_COLOR: '1' },
  });
  if (r.error) {
    throw new Error(`could not run ${binaryPath()}: ${r.error.message} (run \`cargo build\` first)`);
  }
  if (r.status !== 0) {
    throw new Error(`errorbook build failed (${r.status}):\n${r.stderr}`);
  }
}
