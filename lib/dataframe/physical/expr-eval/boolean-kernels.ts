// Three-valued boolean logic on bitmaps, eight rows per byte: AND, OR, NOT, IS [NOT] NULL.
import { types } from '../../types/data-type.js';
import { fullBitmap, makeColumn, newBitmap } from './column.js';
import type { Column } from './column.js';

/**
 * `l AND r` (or OR) with SQL's three-valued logic: FALSE AND NULL = FALSE, TRUE OR NULL = TRUE.
 * Both columns have n rows.
 */
export function andOr(op: 'AND' | 'OR', l: Column, r: Column, n: number): Column {
  const lv = l.values as Uint8Array;
  const rv = r.values as Uint8Array;
  const la = l.validity;
  const ra = r.validity;
  const bytes = (n + 7) >>> 3;
  const value = newBitmap(n);
  if (la === null && ra === null) {
    for (let k = 0; k < bytes; k++) value[k] = op === 'AND' ? lv[k]! & rv[k]! : lv[k]! | rv[k]!;
    return makeColumn(types.boolean, n, value, null);
  }
  const lValid = la ?? fullBitmap(n);
  const rValid = ra ?? fullBitmap(n);
  const validity = newBitmap(n);
  for (let k = 0; k < bytes; k++) {
    const lt = lv[k]! & lValid[k]!;
    const rt = rv[k]! & rValid[k]!;
    const lf = ~lv[k]! & lValid[k]!;
    const rf = ~rv[k]! & rValid[k]!;
    if (op === 'AND') {
      const t = lt & rt;
      value[k] = t;
      validity[k] = t | lf | rf;
    } else {
      const t = lt | rt;
      value[k] = t;
      validity[k] = t | (lf & rf);
    }
  }
  return makeColumn(types.boolean, n, value, validity);
}

/** NOT p (NULL stays NULL). */
export function not(c: Column): Column {
  const v = c.values as Uint8Array;
  const out = newBitmap(c.length);
  const bytes = (c.length + 7) >>> 3;
  for (let k = 0; k < bytes; k++) out[k] = ~v[k]! & 0xff;
  if (c.length & 7) out[c.length >>> 3]! &= (1 << (c.length & 7)) - 1;
  return makeColumn(types.boolean, c.length, out, c.validity);
}

/** `x IS NULL` (or IS NOT NULL when `negated`): never NULL. */
export function isNull(c: Column, negated: boolean, n: number): Column {
  if (c.validity === null) return makeColumn(types.boolean, n, negated ? fullBitmap(n) : newBitmap(n), null);
  const out = newBitmap(n);
  const bytes = (n + 7) >>> 3;
  for (let k = 0; k < bytes; k++) out[k] = negated ? c.validity[k]! : ~c.validity[k]! & 0xff;
  if (n & 7) out[n >>> 3]! &= (1 << (n & 7)) - 1;
  return makeColumn(types.boolean, n, out, null);
}

/** Positions (0..n-1) where a boolean column is TRUE (not NULL, not FALSE). */
export function truePositions(c: Column): Uint32Array {
  const n = c.length;
  const v = c.values as Uint8Array;
  const a = c.validity;
  const out = new Uint32Array(n);
  let m = 0;
  const bytes = (n + 7) >>> 3;
  for (let k = 0; k < bytes; k++) {
    let b = a === null ? v[k]! : v[k]! & a[k]!;
    while (b !== 0) {
      const bit = 31 - Math.clz32(b & -b);
      const i = (k << 3) + bit;
      if (i < n) out[m++] = i;
      b &= b - 1;
    }
  }
  return out.slice(0, m);
}

/** Positions where a boolean column is not FALSE (TRUE or NULL): the rows Spark evaluates AND's right side on. */
export function notFalsePositions(c: Column, wantTrue: boolean): Uint32Array {
  const n = c.length;
  const v = c.values as Uint8Array;
  const a = c.validity;
  const out = new Uint32Array(n);
  let m = 0;
  const bytes = (n + 7) >>> 3;
  for (let k = 0; k < bytes; k++) {
    // Keep rows that are NULL, or whose value is `wantTrue`.
    const value = wantTrue ? v[k]! : ~v[k]! & 0xff;
    let b = a === null ? value : (value & a[k]!) | (~a[k]! & 0xff);
    while (b !== 0) {
      const bit = 31 - Math.clz32(b & -b);
      const i = (k << 3) + bit;
      if (i < n) out[m++] = i;
      b &= b - 1;
    }
  }
  return out.slice(0, m);
}
