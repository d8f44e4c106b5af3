// The evaluator's column shape: Arrow's buffers (validity bitmap, values, offsets) with bit offset 0 and
// the logical type attached, plus an optional dictionary. Kernels work on these; Arrow Data is built only
// at the output edge (see arrow-column.ts for why not Arrow Data throughout).
import type { DataType } from '../../types/data-type.js';

/** The physical values buffer of a column, by logical type (see Column.values). */
export type ColumnValues = Uint8Array | Int32Array | BigInt64Array | Float64Array | Uint32Array;

/**
 * A column of `length` values of logical type `type`.
 * - `validity`: Arrow LSB bitmap, bit i set = row i is not NULL; null when no row is NULL.
 * - `values`: boolean → bitmap; int32/date → Int32Array; int64/timestamp(µs) → BigInt64Array;
 *   float64 → Float64Array; decimal → Uint32Array, 4 little-endian words (two's complement) per value;
 *   string/binary → UTF-8/raw bytes addressed by `offsets`; null type → empty Uint8Array.
 * - `dictionary`: string/binary only; when set, `values` is an Int32Array of indices into it and
 *   `offsets` is null.
 */
export interface Column {
  readonly type: DataType;
  readonly length: number;
  readonly validity: Uint8Array | null;
  readonly values: ColumnValues;
  readonly offsets: Int32Array | null;
  readonly dictionary: Column | null;
}

/** Builds a column (no dictionary). */
export function makeColumn(
  type: DataType,
  length: number,
  values: ColumnValues,
  validity: Uint8Array | null,
  offsets: Int32Array | null = null,
): Column {
  return { type, length, values, validity, offsets, dictionary: null };
}

/** A zeroed bitmap for `n` bits, padded to 8 bytes so word views are possible. */
export function newBitmap(n: number): Uint8Array {
  return new Uint8Array(((n + 63) >>> 6) << 3);
}

/** A bitmap with the first `n` bits set. */
export function fullBitmap(n: number): Uint8Array {
  const b = newBitmap(n);
  b.fill(255, 0, n >>> 3);
  if (n & 7) b[n >>> 3] = (1 << (n & 7)) - 1;
  return b;
}

/** Bit `i` of a bitmap, as 0 or 1. */
export function getBit(bits: Uint8Array, i: number): number {
  return (bits[i >>> 3]! >>> (i & 7)) & 1;
}

/** Sets bit `i`. */
export function setBit(bits: Uint8Array, i: number): void {
  bits[i >>> 3]! |= 1 << (i & 7);
}

/** Clears bit `i`. */
export function clearBit(bits: Uint8Array, i: number): void {
  bits[i >>> 3]! &= ~(1 << (i & 7));
}

/** Whether row `i` is valid (not NULL). */
export function isValid(c: Column, i: number): boolean {
  return c.validity === null || getBit(c.validity, i) === 1;
}

/** Intersection of two validity bitmaps over `n` rows, bytewise (8 rows per step); null = all valid. */
export function andValidity(a: Uint8Array | null, b: Uint8Array | null, n: number): Uint8Array | null {
  if (a === null) return b;
  if (b === null) return a;
  const out = newBitmap(n);
  const bytes = (n + 7) >>> 3;
  for (let i = 0; i < bytes; i++) out[i] = a[i]! & b[i]!;
  return out;
}

/** Number of set bits among the first `n`. */
export function countBits(bits: Uint8Array, n: number): number {
  let count = 0;
  const full = n >>> 3;
  for (let i = 0; i < full; i++) {
    let v = bits[i]!;
    v = v - ((v >>> 1) & 0x55);
    v = (v & 0x33) + ((v >>> 2) & 0x33);
    count += (v + (v >>> 4)) & 0x0f;
  }
  for (let i = full << 3; i < n; i++) count += getBit(bits, i);
  return count;
}

/** Copies `n` bits starting at bit `offset` of `bits` into a fresh bitmap starting at bit 0. */
export function sliceBits(bits: Uint8Array, offset: number, n: number): Uint8Array {
  const out = newBitmap(n);
  if ((offset & 7) === 0) {
    out.set(bits.subarray(offset >>> 3, (offset >>> 3) + ((n + 7) >>> 3)));
    if (n & 7) out[n >>> 3]! &= (1 << (n & 7)) - 1;
    return out;
  }
  for (let i = 0; i < n; i++) if (getBit(bits, offset + i)) setBit(out, i);
  return out;
}

/** The validity bitmap of a column with the given rows marked NULL on top of its own NULLs. */
export function withNulls(validity: Uint8Array | null, n: number, nullRows: Uint8Array): Uint8Array {
  const out = validity === null ? fullBitmap(n) : validity.slice();
  const bytes = (n + 7) >>> 3;
  for (let i = 0; i < bytes; i++) out[i] = out[i]! & ~nullRows[i]!;
  return out;
}

/** An all-NULL column of `type`, `n` rows (values zeroed). */
export function nullColumn(type: DataType, n: number): Column {
  const validity = newBitmap(n);
  switch (type.kind) {
    case 'null':
      return makeColumn(type, n, new Uint8Array(0), validity);
    case 'boolean':
      return makeColumn(type, n, newBitmap(n), validity);
    case 'int32':
    case 'date':
      return makeColumn(type, n, new Int32Array(n), validity);
    case 'int64':
    case 'timestamp':
      return makeColumn(type, n, new BigInt64Array(n), validity);
    case 'float64':
      return makeColumn(type, n, new Float64Array(n), validity);
    case 'decimal':
      return makeColumn(type, n, new Uint32Array(4 * n), validity);
    case 'string':
    case 'binary':
      return makeColumn(type, n, new Uint8Array(0), validity, new Int32Array(n + 1));
  }
}
