// Exact int64 and decimal128 values read and written without allocating a BigInt when the value fits in
// ±2^53 (the common case for money in minor units), falling back to BigInt beyond that.

/** 2^32. */
export const TWO32 = 4294967296;
/** 2^53: doubles hold every integer strictly below this magnitude exactly. */
export const TWO53 = 9007199254740992;

/** An Int32Array view of an int64 buffer: word 2i is the low half (read it `>>> 0`), 2i+1 the signed high half. */
export function int64Words(a: BigInt64Array): Int32Array {
  return new Int32Array(a.buffer, a.byteOffset, a.length * 2);
}

/** Value i of an int64 word view as a double, or NaN when |v| ≥ 2^53 (caller falls back to BigInt). */
export function int64AsSafeNumber(w: Int32Array, i: number): number {
  const hi = w[2 * i + 1]!;
  if (hi < -0x200000 || hi >= 0x200000) return NaN;
  return hi * TWO32 + (w[2 * i]! >>> 0);
}

/** Writes an integer double with |v| < 2^53 into slot i of an int64 word view. */
export function writeInt64Number(w: Int32Array, i: number, v: number): void {
  const hi = Math.floor(v / TWO32);
  w[2 * i] = (v - hi * TWO32) | 0;
  w[2 * i + 1] = hi;
}

/** powers of ten as BigInt, 10^0 … 10^80. */
const POW10_BIG: bigint[] = [];
for (let i = 0, p = 1n; i <= 80; i++, p *= 10n) POW10_BIG.push(p);

/** 10^k as a BigInt (0 ≤ k ≤ 80). */
export function pow10Big(k: number): bigint {
  const p = POW10_BIG[k];
  if (p === undefined) throw new RangeError(`10^${k} is out of range`);
  return p;
}

/** 10^k as a double, exact for k ≤ 22. */
export function pow10Number(k: number): number {
  return 10 ** k;
}

/** Decimal128 slot i (4 little-endian words) as a double, or NaN when |v| > 2^53. */
export function decimalAsSafeNumber(w: Uint32Array, i: number): number {
  const b = 4 * i;
  const w1 = w[b + 1]!;
  const w2 = w[b + 2]!;
  const w3 = w[b + 3]!;
  if (w3 === 0 && w2 === 0 && w1 < 0x200000) return w1 * TWO32 + w[b]!;
  if (w3 === 0xffffffff && w2 === 0xffffffff && w1 >= 0xffe00000) return (w1 - TWO32) * TWO32 + w[b]!;
  return NaN;
}

/** Decimal128 slot i as a BigInt (the unscaled value). */
export function decimalAsBigInt(w: Uint32Array, i: number): bigint {
  const n = decimalAsSafeNumber(w, i);
  if (n === n) return BigInt(n);
  const b = 4 * i;
  return BigInt.asIntN(128, (BigInt(w[b + 3]!) << 96n) | (BigInt(w[b + 2]!) << 64n) | (BigInt(w[b + 1]!) << 32n) | BigInt(w[b]!));
}

/** Writes an integer double with |v| < 2^53 into decimal128 slot i. */
export function writeDecimalNumber(w: Uint32Array, i: number, v: number): void {
  const b = 4 * i;
  const hi = Math.floor(v / TWO32);
  w[b] = v - hi * TWO32;
  w[b + 1] = hi;
  const ext = v < 0 ? 0xffffffff : 0;
  w[b + 2] = ext;
  w[b + 3] = ext;
}

/** Writes a BigInt (|v| < 2^127) into decimal128 slot i. */
export function writeDecimalBigInt(w: Uint32Array, i: number, v: bigint): void {
  if (v > -9007199254740992n && v < 9007199254740992n) {
    writeDecimalNumber(w, i, Number(v));
    return;
  }
  const u = BigInt.asUintN(128, v);
  const b = 4 * i;
  w[b] = Number(u & 0xffffffffn);
  w[b + 1] = Number((u >> 32n) & 0xffffffffn);
  w[b + 2] = Number((u >> 64n) & 0xffffffffn);
  w[b + 3] = Number(u >> 96n);
}

/** Compares decimal128 slots as signed 128-bit integers: -1, 0 or 1. */
export function compareDecimalSlots(a: Uint32Array, i: number, b: Uint32Array, j: number): number {
  const ai = 4 * i;
  const bj = 4 * j;
  const ah = a[ai + 3]! | 0;
  const bh = b[bj + 3]! | 0;
  if (ah !== bh) return ah < bh ? -1 : 1;
  for (let k = 2; k >= 0; k--) {
    const x = a[ai + k]!;
    const y = b[bj + k]!;
    if (x !== y) return x < y ? -1 : 1;
  }
  return 0;
}

/** Rounds the exact quotient n / d (d > 0) half away from zero, as Java's RoundingMode.HALF_UP. */
export function divideHalfUp(n: bigint, d: bigint): bigint {
  const q = n / d;
  const r = n % d;
  if (r === 0n) return q;
  const twice = (r < 0n ? -r : r) * 2n;
  if (twice >= (d < 0n ? -d : d)) return (n < 0n) !== (d < 0n) ? q - 1n : q + 1n;
  return q;
}
