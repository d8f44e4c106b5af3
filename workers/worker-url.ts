// Locates compiled worker entry points: workers always run from dist/, whether the caller is compiled code
// in dist/ or a TypeScript source under vitest (tests run after `npm run build`).
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { PaylakeError } from '../lib/errors/paylake-error.js';

/**
 * The file URL of `dist/workers/<name>.js`.
 * @example new Piscina({ filename: workerUrl('gen.worker').href })
 */
export function workerUrl(name: string): URL {
  const here = import.meta.url;
  const url = here.endsWith('.ts') ? new URL(`../dist/workers/${name}.js`, here) : new URL(`./${name}.js`, here);
  if (!existsSync(fileURLToPath(url))) {
    throw new PaylakeError('INTERNAL', `worker ${fileURLToPath(url)} is missing; run \`npm run build\` first`);
  }
  return url;
}
