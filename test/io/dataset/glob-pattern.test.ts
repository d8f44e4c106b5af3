// Glob matching for dataset paths.
import { describe, expect, it } from 'vitest';
import { globBase, globToRegExp, isGlob } from '../../../lib/io/dataset/glob-pattern.js';

describe('glob-pattern', () => {
  it.each([
    ['data/dt=2026-11-0*/*.parquet', 'data/dt=2026-11-01/part-0.parquet', true],
    ['data/dt=2026-11-0*/*.parquet', 'data/dt=2026-11-10/part-0.parquet', false],
    ['data/dt=2026-11-0*/*.parquet', 'data/dt=2026-11-01/x/part-0.parquet', false],
    ['data/**/*.parquet', 'data/a/b/c.parquet', true],
    ['data/**/*.parquet', 'data/c.parquet', true],
    ['data/dt=2026-11-0[1-3]/*', 'data/dt=2026-11-02/a', true],
    ['data/dt=2026-11-0[!1-3]/*', 'data/dt=2026-11-02/a', false],
    ['data/{a,b}/?.parquet', 'data/b/x.parquet', true],
    ['data/{a,b}/?.parquet', 'data/c/x.parquet', false],
    ['data/a+b(1).parquet', 'data/a+b(1).parquet', false],
  ])('%s vs %s → %s', (pattern, p, want) => {
    expect(globToRegExp(pattern).test(p)).toBe(isGlob(pattern) ? want : pattern === p);
  });

  it('finds the fixed prefix', () => {
    expect(globBase('data/tx/dt=2026-11-0*/*.parquet')).toBe('data/tx');
    expect(globBase('/abs/x/*.parquet')).toBe('/abs/x');
    expect(globBase('*.parquet')).toBe('.');
  });
});

describe('glob errors', () => {
  it('names an unclosed brace as an invalid path', () => {
    expect(() => globToRegExp('data/{a,b/*.parquet')).toThrow(/unclosed "\{"/);
  });
});
