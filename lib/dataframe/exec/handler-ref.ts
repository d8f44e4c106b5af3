// Names a task handler (module URL + export) and checks that a worker may import it: only compiled modules
// of this package (dist/) and test fixtures, never a path that came from user input.
import { realpathSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { PaylakeError } from '../../errors/paylake-error.js';

/** A task handler: the file URL of a compiled ES module and the name of the function it exports. */
export interface HandlerRef {
  /** `file:` URL (href) of a compiled `.js`/`.mjs` module under the package's dist/ or test/fixtures/. */
  readonly module: string;
  /** Export name; the function is called as `handler(payload, context)` (see workers/protocol.ts). */
  readonly handler: string;
}

// This file is <root>/lib/dataframe/exec/handler-ref.ts (vitest) or <root>/dist/lib/dataframe/exec/handler-ref.js.
const up3 = fileURLToPath(new URL('../../../', import.meta.url));
const PACKAGE_ROOT = path.basename(up3) === 'dist' && import.meta.url.endsWith('.js') ? path.dirname(up3) : path.resolve(up3);
const DIST_DIR = path.join(PACKAGE_ROOT, 'dist');
const FIXTURE_DIR = path.join(PACKAGE_ROOT, 'test', 'fixtures');

let realRoots: readonly string[] | undefined;

// Real paths on both sides, so a symlink can neither smuggle a module in nor lock a real one out.
function allowedRoots(): readonly string[] {
  realRoots ??= [DIST_DIR, FIXTURE_DIR].map((dir) => {
    try {
      return realpathSync(dir);
    } catch {
      return dir;
    }
  });
  return realRoots;
}

function isInside(dir: string, file: string): boolean {
  const rel = path.relative(dir, file);
  return rel !== '' && !rel.startsWith('..') && !path.isAbsolute(rel);
}

/**
 * Names a handler, mapping a source module of this package to its compiled twin, so one line works from
 * dist/ and from TypeScript sources under vitest (tests run after `npm run build`).
 * @example
 * const RUN_FRAGMENT = handlerRef(new URL('./fragment-handlers.js', import.meta.url), 'runFragment');
 */
export function handlerRef(moduleUrl: URL | string, handler: string): HandlerRef {
  const url = new URL(moduleUrl);
  if (url.protocol !== 'file:') {
    throw new PaylakeError('INVALID_PATH', `task handler module ${url.href} is not a file: URL`);
  }
  const file = fileURLToPath(url);
  const mapped =
    isInside(PACKAGE_ROOT, file) && !isInside(DIST_DIR, file) && !isInside(FIXTURE_DIR, file)
      ? path.join(DIST_DIR, path.relative(PACKAGE_ROOT, file)).replace(/\.ts$/, '.js')
      : file;
  const ref: HandlerRef = { module: pathToFileURL(mapped).href, handler };
  checkHandlerModule(ref.module);
  return ref;
}

/**
 * Checks that `moduleUrl` is a `file:` URL of an existing `.js`/`.mjs` file whose real path lies under the
 * package's dist/ or test/fixtures/, and returns that real path's URL. Called by the scheduler before any
 * task starts and again by the worker before it imports (the worker is the boundary that matters).
 */
export function checkHandlerModule(moduleUrl: string): URL {
  let url: URL;
  try {
    url = new URL(moduleUrl);
  } catch {
    throw new PaylakeError('INVALID_PATH', `task handler module ${JSON.stringify(moduleUrl)} is not a URL`);
  }
  if (url.protocol !== 'file:' || url.search !== '' || url.hash !== '') {
    throw new PaylakeError('INVALID_PATH', `task handler module ${url.href} is not a plain file: URL`);
  }
  const file = fileURLToPath(url);
  if (!/\.m?js$/.test(file)) {
    throw new PaylakeError('INVALID_PATH', `task handler module ${file} is not a compiled .js/.mjs module`);
  }
  let real: string;
  try {
    real = realpathSync(file);
  } catch {
    throw new PaylakeError('NOT_FOUND', `task handler module ${file} does not exist; run \`npm run build\` first`);
  }
  const roots = allowedRoots();
  if (!roots.some((dir) => isInside(dir, real))) {
    throw new PaylakeError('INVALID_PATH', `task handler module ${real} is outside ${roots.join(' and ')}; workers import only paylake's own modules`);
  }
  return pathToFileURL(real);
}
