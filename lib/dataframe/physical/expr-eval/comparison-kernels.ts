// Comparison kernels (=, !=, <, <=, >, >=, <=>) producing boolean bitmaps, one typed loop per physical
// layout. Either side may be a one-row constant, read with stride 0. Orderings are Spark's: NaN equals
// NaN and sorts above every number; strings compare by UTF-8 bytes (= code point order).
import { assertNever } from '../../assert-never.js';
import { types } from '../../types/data-type.js';
import { fullBitmap, getBit, makeColumn, newBitmap } from './column.js';
import type { Column } from './column.js';
import { flattenDictionary } from './take-column.js';
import { compareDecimalSlots } from './wide-integers.js';

/** The comparison operators. */
export type ComparisonOp = '=' | '!=' | '<' | '<=' | '>' | '>=' | '<=>';

/** For each op, which signs of compare(a, b) make it true: bit 0 for -1, bit 1 for 0, bit 2 for +1. */
const SIGN_MASK: Record<ComparisonOp, number> = { '=': 0b010, '<=>': 0b010, '!=': 0b101, '<': 0b001, '<=': 0b011, '>': 0b100, '>=': 0b110 };

/** Validity of `c` read with stride `s` over n rows (a constant NULL makes every row NULL). */
export function stridedValidity(c: Column, s: number, n: number): Uint8Array | null {
  if (s === 1) return c.validity;
  if (c.validity === null || getBit(c.validity, 0)) return null;
  return newBitmap(n);
}

/**
 * `l op r` over n rows; `ls`/`rs` are 1 for full columns and 0 for one-row constants. Both sides have
 * the same logical type (the analyzer inserted the casts).
 */
export function compareColumns(op: ComparisonOp, l: Column, ls: number, r: Column, rs: number, n: number): Column {
  const left = l.dictionary ? flattenDictionary(l) : l;
  const right = r.dictionary ? flattenDictionary(r) : r;
  const signs = compareSigns(left, ls, right, rs, n);
  const mask = SIGN_MASK[op];
  const out = newBitmap(n);
  for (let i = 0; i < n; i++) {
    if ((mask >>> (signs[i]! + 1)) & 1) out[i >>> 3]! |= 1 << (i & 7);
  }
  const lv = stridedValidity(left, ls, n);
  const rv = stridedValidity(right, rs, n);
  if (op !== '<=>') {
    let validity: Uint8Array | null = null;
    if (lv !== null && rv !== null) {
      validity = newBitmap(n);
      for (let k = 0; k < validity.length; k++) validity[k] = lv[k]! & rv[k]!;
    } else validity = lv ?? rv;
    return makeColumn(types.boolean, n, out, validity);
  }
  // Null-safe equality: NULL <=> NULL is true, NULL <=> x is false, never NULL.
  if (lv === null && rv === null) return makeColumn(types.boolean, n, out, null);
  const a = lv ?? fullBitmap(n);
  const b = rv ?? fullBitmap(n);
  for (let k = 0; k < out.length; k++) out[k] = (out[k]! & a[k]! & b[k]!) | (~a[k]! & ~b[k]! & 0xff);
  if (n & 7) out[n >>> 3]! &= (1 << (n & 7)) - 1;
  out.fill(0, (n + 7) >>> 3);
  return makeColumn(types.boolean, n, out, null);
}

/** compare(l[i*ls], r[i*rs]) ∈ {-1, 0, 1} per row; values of NULL rows are unspecified. */
function compareSigns(l: Column, ls: number, r: Column, rs: number, n: number): Int8Array {
  const out = new Int8Array(n);
  const kind = l.type.kind;
  switch (kind) {
    case 'null':
      return out;
    case 'boolean': {
      const a = l.values as Uint8Array;
      const b = r.values as Uint8Array;
      for (let i = 0; i < n; i++) out[i] = getBit(a, i * ls) - getBit(b, i * rs);
      return out;
    }
    case 'int32':
    case 'date': {
      const a = l.values as Int32Array;
      const b = r.values as Int32Array;
      for (let i = 0; i < n; i++) {
        const x = a[i * ls]!;
        const y = b[i * rs]!;
        out[i] = +(x > y) - +(x < y);
      }
      return out;
    }
    case 'int64':
    case 'timestamp': {
      // Signed high words first, then unsigned low words: no BigInt per row.
      const av = l.values as BigInt64Array;
      const bv = r.values as BigInt64Array;
      const a = new Int32Array(av.buffer, av.byteOffset, av.length * 2);
      const b = new Int32Array(bv.buffer, bv.byteOffset, bv.length * 2);
      for (let i = 0; i < n; i++) {
        const ia = 2 * i * ls;
        const ib = 2 * i * rs;
        const xh = a[ia + 1]!;
        const yh = b[ib + 1]!;
        if (xh !== yh) out[i] = xh < yh ? -1 : 1;
        else {
          const xl = a[ia]! >>> 0;
          const yl = b[ib]! >>> 0;
          out[i] = +(xl > yl) - +(xl < yl);
        }
      }
      return out;
    }
    case 'float64': {
      const a = l.values as Float64Array;
      const b = r.values as Float64Array;
      for (let i = 0; i < n; i++) {
        const x = a[i * ls]!;
        const y = b[i * rs]!;
        if (x < y) out[i] = -1;
        else if (x > y) out[i] = 1;
        else if (x === y) out[i] = 0;
        else out[i] = x !== x ? (y !== y ? 0 : 1) : -1; // NaN is the largest value and equals itself
      }
      return out;
    }
    case 'decimal': {
      const a = l.values as Uint32Array;
      const b = r.values as Uint32Array;
      for (let i = 0; i < n; i++) out[i] = compareDecimalSlots(a, i * ls, b, i * rs);
      return out;
    }
    case 'string':
    case 'binary': {
      const ao = l.offsets!;
      const bo = r.offsets!;
      const a = l.values as Uint8Array;
      const b = r.values as Uint8Array;
      for (let i = 0; i < n; i++) {
        const ia = i * ls;
        const ib = i * rs;
        out[i] = compareBytes(a, ao[ia]!, ao[ia + 1]!, b, bo[ib]!, bo[ib + 1]!);
      }
      return out;
    }
    default:
      return assertNever(kind, 'type');
  }
}

/** Lexicographic comparison of two byte ranges: -1, 0 or 1. */
export function compareBytes(a: Uint8Array, as: number, ae: number, b: Uint8Array, bs: number, be: number): number {
  const la = ae - as;
  const lb = be - bs;
  const m = la < lb ? la : lb;
  for (let k = 0; k < m; k++) {
    const x = a[as + k]!;
    const y = b[bs + k]!;
    if (x !== y) return x < y ? -1 : 1;
  }
  return la === lb ? 0 : la < lb ? -1 : 1;
}

/** Whether two byte ranges are equal (length first, so most mismatches cost one comparison). */
export function equalBytes(a: Uint8Array, as: number, ae: number, b: Uint8Array, bs: number, be: number): boolean {
  const len = ae - as;
  if (len !== be - bs) return false;
  for (let k = 0; k < len; k++) if (a[as + k] !== b[bs + k]) return false;
  return true;
}
