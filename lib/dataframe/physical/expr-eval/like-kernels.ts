// LIKE / ILIKE. Patterns made of literal text and `%` only ('acme%', '%-eu', '%store%', exact) match on
// UTF-8 bytes without decoding (UTF-8 is self-synchronising, so a byte match is a code point match);
// patterns with `_` and ILIKE become a RegExp over code points (dotAll, as Spark's) on decoded rows, which
// on low-cardinality columns the dictionary fast path (dictionary-eval.ts) runs once per distinct value.
import { PaylakeError } from '../../../errors/paylake-error.js';
import { types } from '../../types/data-type.js';
import { getBit, makeColumn, newBitmap, setBit } from './column.js';
import type { Column } from './column.js';
import { stridedValidity } from './comparison-kernels.js';
import { readRow } from './cast-kernels.js';
import { flattenDictionary } from './take-column.js';

/** The RegExp equivalent of a LIKE pattern; PARSE_ERROR for a dangling or misplaced escape. */
export function likePatternToRegExp(pattern: string, what: string): RegExp {
  let src = '';
  const chars = [...pattern];
  for (let k = 0; k < chars.length; k++) {
    const ch = chars[k]!;
    if (ch === '\\') {
      const next = chars[k + 1];
      if (next !== '%' && next !== '_' && next !== '\\') {
        throw new PaylakeError('PARSE_ERROR', `the LIKE pattern '${pattern}' in ${what} has an escape \\ not followed by %, _ or \\`);
      }
      src += next.replace(/[\\^$.*+?()[\]{}|]/g, '\\$&');
      k++;
    } else if (ch === '%') src += '.*';
    else if (ch === '_') src += '.';
    // Only syntax characters: with the u flag an escaped '-' or '/' is a SyntaxError.
    else src += ch.replace(/[\\^$.*+?()[\]{}|]/g, '\\$&');
  }
  // ILIKE lower-cases the pattern and the row before matching (as Spark's ILike), so no i flag.
  return new RegExp(`^${src}$`, 'su');
}

/**
 * The literal pieces between the `%`s of a LIKE pattern, escapes resolved ('a%b\\%c' → ['a', 'b%c']), or
 * null when the pattern has a `_` (which needs a code point, not a byte). PARSE_ERROR as likePatternToRegExp.
 */
export function likeSegments(pattern: string, what: string): string[] | null {
  const segments: string[] = [];
  let current = '';
  for (let k = 0; k < pattern.length; k++) {
    const ch = pattern[k]!;
    if (ch === '\\') {
      const next = pattern[k + 1];
      if (next !== '%' && next !== '_' && next !== '\\') {
        throw new PaylakeError('PARSE_ERROR', `the LIKE pattern '${pattern}' in ${what} has an escape \\ not followed by %, _ or \\`);
      }
      current += next;
      k++;
    } else if (ch === '%') {
      segments.push(current);
      current = '';
    } else if (ch === '_') return null;
    else current += ch;
  }
  segments.push(current);
  return segments;
}

/** Whether the bytes v[s, end) match a pattern given as its `%`-separated pieces (see likeSegments). */
export type BytePatternTest = (v: Uint8Array, s: number, end: number) => boolean;

/** A byte matcher for a pattern's pieces: first piece anchored at the start, last at the end, the rest found leftmost in order. */
export function byteLikeMatcher(segments: readonly string[]): BytePatternTest {
  const segs = segments.map((x) => encoder.encode(x));
  const first = segs[0]!;
  if (segs.length === 1) return (v, s, end) => end - s === first.length && startsWith(v, s, first);
  const last = segs[segs.length - 1]!;
  const middle = segs.slice(1, -1).filter((x) => x.length > 0);
  const minLength = segs.reduce((a, x) => a + x.length, 0);
  return (v, s, end) => {
    if (end - s < minLength || !startsWith(v, s, first) || !startsWith(v, end - last.length, last)) return false;
    let p = s + first.length;
    const limit = end - last.length;
    for (const seg of middle) {
      const at = indexOfBytes(v, p, limit, seg);
      if (at < 0) return false;
      p = at + seg.length;
    }
    return true;
  };
}

function startsWith(v: Uint8Array, s: number, lit: Uint8Array): boolean {
  for (let k = 0; k < lit.length; k++) if (v[s + k] !== lit[k]) return false;
  return true;
}

/** First position ≥ from where `lit` (non-empty) occurs wholly before `limit`, or -1. */
function indexOfBytes(v: Uint8Array, from: number, limit: number, lit: Uint8Array): number {
  const b0 = lit[0]!;
  const last = limit - lit.length;
  for (let p = from; p <= last; p++) {
    if (v[p] !== b0) continue;
    let k = 1;
    while (k < lit.length && v[p + k] === lit[k]) k++;
    if (k === lit.length) return p;
  }
  return -1;
}

const encoder = new TextEncoder();

/** `x [NOT] [I]LIKE pattern` over n rows; `constant` when the pattern is a one-row literal. */
export function likeColumn(x0: Column, p0: Column, constant: boolean, negated: boolean, ci: boolean, n: number, what: string): Column {
  const x = x0.dictionary ? flattenDictionary(x0) : x0;
  const p = p0.dictionary ? flattenDictionary(p0) : p0;
  const ps = constant ? 0 : 1;
  const xv = x.validity;
  const pv = stridedValidity(p, ps, n);
  const out = newBitmap(n);
  if (constant && !ci && (pv === null || getBit(pv, 0) === 1)) {
    const segments = likeSegments(readRow(p, 0) as string, what);
    if (segments !== null) {
      const test = byteLikeMatcher(segments);
      const o = x.offsets!;
      const v = x.values as Uint8Array;
      for (let i = 0; i < n; i++) if (test(v, o[i]!, o[i + 1]!) !== negated && (xv === null || getBit(xv, i) === 1)) setBit(out, i);
      return makeColumn(types.boolean, n, out, xv);
    }
  }
  let cachedPattern: string | null = null;
  let re: RegExp | null = null;
  for (let i = 0; i < n; i++) {
    if ((xv !== null && !getBit(xv, i)) || (pv !== null && !getBit(pv, i))) continue;
    const pattern = readRow(p, i * ps) as string;
    if (pattern !== cachedPattern || re === null) {
      re = likePatternToRegExp(ci ? pattern.toLowerCase() : pattern, what);
      cachedPattern = pattern;
    }
    const s = readRow(x, i) as string;
    if (re.test(ci ? s.toLowerCase() : s) !== negated) setBit(out, i);
  }
  let validity: Uint8Array | null = xv;
  if (pv !== null) {
    validity = newBitmap(n);
    for (let k = 0; k < validity.length; k++) validity[k] = (xv === null ? 0xff : xv[k]!) & pv[k]!;
  }
  return makeColumn(types.boolean, n, out, validity);
}
