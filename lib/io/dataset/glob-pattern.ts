// Glob patterns for dataset paths (`data/tx/dt=2026-11-0*/*.parquet`): compiled to a RegExp over '/'-separated paths.
// Hand-written instead of a dependency: the supported syntax is small and fixed, and tests pin it.
import { PaylakeError } from '../../errors/paylake-error.js';

const GLOB_CHARS = /[*?[{]/;

/** Whether a path contains glob syntax (`*`, `?`, `[...]`, `{a,b}`). */
export function isGlob(p: string): boolean {
  return GLOB_CHARS.test(p);
}

/** The directory part of a glob before its first segment with glob syntax: where listing starts. */
export function globBase(pattern: string): string {
  const segs = pattern.split('/');
  const i = segs.findIndex((s) => isGlob(s));
  const base = segs.slice(0, i < 0 ? segs.length : i).join('/');
  return base === '' ? (pattern.startsWith('/') ? '/' : '.') : base;
}

function escape(c: string): string {
  return /[\\^$.*+?()[\]{}|/]/.test(c) ? `\\${c}` : c;
}

/**
 * Compiles a glob to a RegExp matching whole paths. `*` and `?` never cross '/', `**` matches any number of
 * directories, `[abc]`/`[a-z]`/`[!a]` are character classes, `{a,b}` alternatives (not nested).
 * @example globToRegExp('data/dt=2026-11-0*\/*.parquet').test('data/dt=2026-11-01/part-0.parquet') // true
 */
export function globToRegExp(pattern: string): RegExp {
  let re = '';
  let inBraces = false;
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i]!;
    if (c === '*') {
      if (pattern[i + 1] === '*') {
        const atSegmentStart = i === 0 || pattern[i - 1] === '/';
        if (atSegmentStart && pattern[i + 2] === '/') {
          re += '(?:[^/]*/)*';
          i += 2;
        } else {
          re += '.*';
          i += 1;
        }
      } else re += '[^/]*';
    } else if (c === '?') re += '[^/]';
    else if (c === '[') {
      const end = pattern.indexOf(']', i + 2);
      if (end < 0) re += '\\[';
      else {
        let body = pattern.slice(i + 1, end);
        const negate = body.startsWith('!') || body.startsWith('^');
        if (negate) body = body.slice(1);
        re += `[${negate ? '^/' : ''}${body.replace(/[\\\]]/g, '\\$&')}]`;
        i = end;
      }
    } else if (c === '{' && !inBraces) {
      inBraces = true;
      re += '(?:';
    } else if (c === '}' && inBraces) {
      inBraces = false;
      re += ')';
    } else if (c === ',' && inBraces) re += '|';
    else re += escape(c);
  }
  if (inBraces) throw new PaylakeError('INVALID_PATH', `${pattern}: unclosed "{" in the glob; close it or quote the brace`);
  return new RegExp(`^${re}$`);
}
