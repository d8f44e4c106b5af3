// Handler references: source modules map to their compiled twins; only dist/ and test/fixtures/ may be imported.
import { mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { checkHandlerModule, handlerRef } from '../../../lib/dataframe/exec/handler-ref.js';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));

describe('handlerRef', () => {
  it('maps a source module of the package to its compiled twin under dist/', () => {
    const ref = handlerRef(new URL('../../../lib/dataframe/exec/worker-pool.ts', import.meta.url), 'x');
    expect(ref).toEqual({ module: pathToFileURL(path.join(ROOT, 'dist/lib/dataframe/exec/worker-pool.js')).href, handler: 'x' });
    const sameFromJs = handlerRef(new URL('../../../lib/dataframe/exec/worker-pool.js', import.meta.url), 'x');
    expect(sameFromJs).toEqual(ref);
  });

  it('keeps test fixtures where they are', () => {
    const url = new URL('../../fixtures/scheduler-handlers.mjs', import.meta.url);
    expect(handlerRef(url, 'echo').module).toBe(url.href);
  });

  it('refuses what is not a file: URL', () => {
    expect(() => handlerRef('https://example.com/x.js', 'x')).toThrow(/not a file: URL/);
  });
});

describe('checkHandlerModule', () => {
  it('refuses modules outside dist/ and test/fixtures/, including through a symlink', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'paylake-handler-'));
    try {
      const outside = path.join(dir, 'evil.mjs');
      writeFileSync(outside, 'export const x = () => 1;');
      expect(() => checkHandlerModule(pathToFileURL(outside).href)).toThrow(expect.objectContaining({ code: 'INVALID_PATH' }));
      const link = path.join(ROOT, 'test/fixtures', `link-${path.basename(dir)}.mjs`);
      symlinkSync(outside, link);
      try {
        expect(() => checkHandlerModule(pathToFileURL(link).href)).toThrow(expect.objectContaining({ code: 'INVALID_PATH' }));
      } finally {
        rmSync(link);
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('refuses missing files, non-modules and query strings', () => {
    expect(() => checkHandlerModule(pathToFileURL(path.join(ROOT, 'dist/nope.js')).href)).toThrow(expect.objectContaining({ code: 'NOT_FOUND' }));
    expect(() => checkHandlerModule(pathToFileURL(path.join(ROOT, 'package.json')).href)).toThrow(/not a compiled/);
    expect(() => checkHandlerModule(`${pathToFileURL(path.join(ROOT, 'dist/workers/protocol.js')).href}?x=1`)).toThrow(/plain file/);
    expect(() => checkHandlerModule('not a url')).toThrow(/not a URL/);
  });

  it('accepts compiled package modules', () => {
    const url = pathToFileURL(path.join(ROOT, 'dist/workers/protocol.js')).href;
    expect(checkHandlerModule(url).href).toBe(url);
  });
});
