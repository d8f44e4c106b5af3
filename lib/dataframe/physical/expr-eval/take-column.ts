// Gathers rows of columns by index: `takeColumn` for a selection, `interleave` to assemble a result from
// several branch columns (CASE, COALESCE, short-circuit AND/OR). One typed loop per physical layout.
import { assertNever } from '../../assert-never.js';
import type { DataType } from '../../types/data-type.js';
import { getBit, makeColumn, newBitmap, setBit } from './column.js';
import type { Column } from './column.js';

/** Row indexes (a selection vector or positions). */
export type RowIndexes = Uint32Array | Int32Array;

/** The rows `rows` of `c`, in that order. A dictionary column stays dictionary-encoded. */
export function takeColumn(c: Column, rows: RowIndexes): Column {
  const n = rows.length;
  let validity: Uint8Array | null = null;
  if (c.validity !== null) {
    const src = c.validity;
    validity = newBitmap(n);
    for (let i = 0; i < n; i++) if (getBit(src, rows[i]!)) setBit(validity, i);
  }
  if (c.dictionary !== null) {
    const src = c.values as Int32Array;
    const out = new Int32Array(n);
    for (let i = 0; i < n; i++) out[i] = src[rows[i]!]!;
    return { ...c, length: n, validity, values: out };
  }
  const kind = c.type.kind;
  switch (kind) {
    case 'null':
      return makeColumn(c.type, n, new Uint8Array(0), newBitmap(n));
    case 'boolean': {
      const src = c.values as Uint8Array;
      const out = newBitmap(n);
      for (let i = 0; i < n; i++) if (getBit(src, rows[i]!)) setBit(out, i);
      return makeColumn(c.type, n, out, validity);
    }
    case 'int32':
    case 'date': {
      const src = c.values as Int32Array;
      const out = new Int32Array(n);
      for (let i = 0; i < n; i++) out[i] = src[rows[i]!]!;
      return makeColumn(c.type, n, out, validity);
    }
    case 'int64':
    case 'timestamp': {
      // Copy int64 as two int32 words: no BigInt per row.
      const s = c.values as BigInt64Array;
      const src = new Int32Array(s.buffer, s.byteOffset, s.length * 2);
      const res = new BigInt64Array(n);
      const out = new Int32Array(res.buffer);
      for (let i = 0; i < n; i++) {
        const r = rows[i]! * 2;
        out[2 * i] = src[r]!;
        out[2 * i + 1] = src[r + 1]!;
      }
      return makeColumn(c.type, n, res, validity);
    }
    case 'float64': {
      const src = c.values as Float64Array;
      const out = new Float64Array(n);
      for (let i = 0; i < n; i++) out[i] = src[rows[i]!]!;
      return makeColumn(c.type, n, out, validity);
    }
    case 'decimal': {
      const src = c.values as Uint32Array;
      const out = new Uint32Array(4 * n);
      for (let i = 0; i < n; i++) {
        const r = rows[i]! * 4;
        out[4 * i] = src[r]!;
        out[4 * i + 1] = src[r + 1]!;
        out[4 * i + 2] = src[r + 2]!;
        out[4 * i + 3] = src[r + 3]!;
      }
      return makeColumn(c.type, n, out, validity);
    }
    case 'string':
    case 'binary': {
      const offs = c.offsets!;
      const bytes = c.values as Uint8Array;
      const outOffsets = new Int32Array(n + 1);
      let total = 0;
      for (let i = 0; i < n; i++) {
        const r = rows[i]!;
        total += offs[r + 1]! - offs[r]!;
        outOffsets[i + 1] = total;
      }
      const out = new Uint8Array(total);
      for (let i = 0; i < n; i++) {
        const r = rows[i]!;
        out.set(bytes.subarray(offs[r]!, offs[r + 1]!), outOffsets[i]!);
      }
      return makeColumn(c.type, n, out, validity, outOffsets);
    }
    default:
      return assertNever(kind, 'type');
  }
}

/** A plain (non-dictionary) column with the same values as `c`. */
export function flattenDictionary(c: Column): Column {
  if (c.dictionary === null) return c;
  const dict = c.dictionary.dictionary ? flattenDictionary(c.dictionary) : c.dictionary;
  const idx = c.values as Int32Array;
  const n = c.length;
  // Rows that are NULL may hold any index; point them at entry 0 (or take from an empty dictionary safely).
  if (dict.length === 0) return { ...makeColumn(c.type, n, new Uint8Array(0), newBitmap(n), new Int32Array(n + 1)) };
  let rows: Int32Array = idx;
  if (c.validity !== null) {
    rows = new Int32Array(n);
    for (let i = 0; i < n; i++) rows[i] = getBit(c.validity, i) ? idx[i]! : 0;
  }
  const taken = takeColumn(dict, rows);
  const validity = combineValidity(c.validity, taken.validity, n);
  return { ...taken, validity };
}

function combineValidity(a: Uint8Array | null, b: Uint8Array | null, n: number): Uint8Array | null {
  if (a === null) return b;
  if (b === null) return a;
  const out = newBitmap(n);
  for (let i = 0; i < out.length; i++) out[i] = a[i]! & b[i]!;
  return out;
}

/**
 * A column of `which.length` rows where row i is `sources[which[i]]` at row `rows[i]`, or NULL when
 * `which[i]` is -1. All sources have logical type `type`.
 */
export function interleave(type: DataType, sources: readonly Column[], which: Int32Array, rows: Int32Array): Column {
  const flat = sources.map((s) => (s.dictionary ? flattenDictionary(s) : s));
  const n = which.length;
  const validity = newBitmap(n);
  for (let i = 0; i < n; i++) {
    const w = which[i]!;
    if (w < 0) continue;
    const v = flat[w]!.validity;
    if (v === null || getBit(v, rows[i]!)) setBit(validity, i);
  }
  const kind = type.kind;
  switch (kind) {
    case 'null':
      return makeColumn(type, n, new Uint8Array(0), validity);
    case 'boolean': {
      const out = newBitmap(n);
      for (let i = 0; i < n; i++) {
        const w = which[i]!;
        if (w >= 0 && getBit(flat[w]!.values as Uint8Array, rows[i]!)) setBit(out, i);
      }
      return makeColumn(type, n, out, validity);
    }
    case 'int32':
    case 'date': {
      const srcs = flat.map((s) => s.values as Int32Array);
      const out = new Int32Array(n);
      for (let i = 0; i < n; i++) {
        const w = which[i]!;
        if (w >= 0) out[i] = srcs[w]![rows[i]!]!;
      }
      return makeColumn(type, n, out, validity);
    }
    case 'int64':
    case 'timestamp': {
      const srcs = flat.map((s) => {
        const v = s.values as BigInt64Array;
        return new Int32Array(v.buffer, v.byteOffset, v.length * 2);
      });
      const res = new BigInt64Array(n);
      const out = new Int32Array(res.buffer);
      for (let i = 0; i < n; i++) {
        const w = which[i]!;
        if (w < 0) continue;
        const src = srcs[w]!;
        const r = rows[i]! * 2;
        out[2 * i] = src[r]!;
        out[2 * i + 1] = src[r + 1]!;
      }
      return makeColumn(type, n, res, validity);
    }
    case 'float64': {
      const srcs = flat.map((s) => s.values as Float64Array);
      const out = new Float64Array(n);
      for (let i = 0; i < n; i++) {
        const w = which[i]!;
        if (w >= 0) out[i] = srcs[w]![rows[i]!]!;
      }
      return makeColumn(type, n, out, validity);
    }
    case 'decimal': {
      const srcs = flat.map((s) => s.values as Uint32Array);
      const out = new Uint32Array(4 * n);
      for (let i = 0; i < n; i++) {
        const w = which[i]!;
        if (w < 0) continue;
        const src = srcs[w]!;
        const r = rows[i]! * 4;
        out[4 * i] = src[r]!;
        out[4 * i + 1] = src[r + 1]!;
        out[4 * i + 2] = src[r + 2]!;
        out[4 * i + 3] = src[r + 3]!;
      }
      return makeColumn(type, n, out, validity);
    }
    case 'string':
    case 'binary': {
      const outOffsets = new Int32Array(n + 1);
      let total = 0;
      for (let i = 0; i < n; i++) {
        const w = which[i]!;
        if (w >= 0) {
          const o = flat[w]!.offsets!;
          total += o[rows[i]! + 1]! - o[rows[i]!]!;
        }
        outOffsets[i + 1] = total;
      }
      const out = new Uint8Array(total);
      for (let i = 0; i < n; i++) {
        const w = which[i]!;
        if (w < 0) continue;
        const o = flat[w]!.offsets!;
        const r = rows[i]!;
        out.set((flat[w]!.values as Uint8Array).subarray(o[r]!, o[r + 1]!), outOffsets[i]!);
      }
      return makeColumn(type, n, out, validity, outOffsets);
    }
    default:
      return assertNever(kind, 'type');
  }
}
