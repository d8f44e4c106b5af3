// Per-group running sums shared by sum() and avg(): exact integer sums (int32, int64, decimal unscaled
// values) without a BigInt per row, and compensated float64 sums.
//
// Exactness method (ExactSumAccumulator): a group's sum is big + mid·2^52 + lo, where lo and mid are
// doubles kept in (-2^52, 2^52) and big is a rarely used bigint. Adding v with |v| ≤ 2^52 to lo gives
// |lo + v| < 2^53, which a double holds exactly; when |lo| reaches 2^52 its multiple of 2^52 moves to
// mid ("fold"), and when |mid| reaches 2^52 it moves to big. An int64 outside ±2^52 is split without
// BigInt into (hi >> 20)·2^52 + r with 0 ≤ r < 2^52 from its two int32 words; only decimals beyond
// ±2^52 go to big directly. So the sum is exact for any input, and per row costs one double add and
// one compare. Cost: 17 bytes per group (lo, mid, seen flag) plus a map entry for groups that use big.
import { Data, Field, Float64, makeData } from 'apache-arrow';
import { PaylakeError } from '../../../errors/paylake-error.js';
import { toArrowType } from '../../types/arrow-type.js';
import { types } from '../../types/data-type.js';
import type { DecimalType } from '../../types/data-type.js';
import { getBit, newBitmap, setBit } from '../expr-eval/column.js';
import type { Column } from '../expr-eval/column.js';
import { decimalAsBigInt, decimalAsSafeNumber, int64Words, TWO32, TWO53, writeDecimalBigInt, writeDecimalNumber } from '../expr-eval/wide-integers.js';
import { ensureCapacity } from './typed-array-growth.js';

/** 2^52: lo and mid stay strictly inside ±2^52 between rows. */
export const TWO52 = 4503599627370496;
const TWO52N = 4503599627370496n;
const INT128_LIMIT = 1n << 127n;

/** Exact per-group integer sums (see the file header). Also used for decimal unscaled values. */
export class ExactSumAccumulator {
  private lo = new Float64Array(16);
  private mid = new Float64Array(16);
  /** 1 once a group has seen a non-NULL value (a sum over no values is NULL). */
  private seen = new Uint8Array(16);
  private readonly big = new Map<number, bigint>();

  /** Makes room for `groupCount` groups. */
  init(groupCount: number): void {
    this.lo = ensureCapacity(this.lo, groupCount);
    this.mid = ensureCapacity(this.mid, groupCount);
    this.seen = ensureCapacity(this.seen, groupCount);
  }

  /** Whether group g has seen a value. */
  hasValue(g: number): boolean {
    return this.seen[g] === 1;
  }

  /** Adds an int32 column. */
  addInt32(groups: Int32Array, col: Column, n: number): void {
    const v = col.values as Int32Array;
    const bits = col.validity;
    const lo = this.lo;
    const seen = this.seen;
    for (let i = 0; i < n; i++) {
      if (bits !== null && getBit(bits, i) === 0) continue;
      const g = groups[i]!;
      seen[g] = 1;
      const l = lo[g]! + v[i]!;
      lo[g] = l;
      if (l >= TWO52 || l <= -TWO52) this.fold(g);
    }
  }

  /** Adds an int64 column (read as int32 word pairs; no BigInt). */
  addInt64(groups: Int32Array, col: Column, n: number): void {
    const w = int64Words(col.values as BigInt64Array);
    const bits = col.validity;
    const lo = this.lo;
    const seen = this.seen;
    for (let i = 0; i < n; i++) {
      if (bits !== null && getBit(bits, i) === 0) continue;
      const g = groups[i]!;
      seen[g] = 1;
      const hw = w[2 * i + 1]!;
      if (hw >= -0x100000 && hw < 0x100000) {
        // |v| ≤ 2^52, so |lo + v| < 2^53: exact.
        const l = lo[g]! + (hw * TWO32 + (w[2 * i]! >>> 0));
        lo[g] = l;
        if (l >= TWO52 || l <= -TWO52) this.fold(g);
      } else {
        // v = (hw >> 20)·2^52 + r with 0 ≤ r < 2^52.
        const l = lo[g]! + ((hw & 0xfffff) * TWO32 + (w[2 * i]! >>> 0));
        lo[g] = l;
        if (l >= TWO52 || l <= -TWO52) this.fold(g);
        this.addMid(g, hw >> 20);
      }
    }
  }

  /** Adds a decimal128 column's unscaled values (also how partial sums are merged). */
  addDecimal(groups: Int32Array, col: Column, n: number): void {
    const w = col.values as Uint32Array;
    const bits = col.validity;
    const lo = this.lo;
    const seen = this.seen;
    for (let i = 0; i < n; i++) {
      if (bits !== null && getBit(bits, i) === 0) continue;
      const g = groups[i]!;
      seen[g] = 1;
      const v = decimalAsSafeNumber(w, i);
      if (v <= TWO52 && v >= -TWO52) {
        const l = lo[g]! + v;
        lo[g] = l;
        if (l >= TWO52 || l <= -TWO52) this.fold(g);
      } else {
        this.big.set(g, (this.big.get(g) ?? 0n) + decimalAsBigInt(w, i));
      }
    }
  }

  /** The exact sum of group g as a double when |sum| < 2^53 and no bigint part, else NaN. */
  totalNumber(g: number): number {
    if (this.big.has(g)) return NaN;
    const t = this.mid[g]! * TWO52 + this.lo[g]!;
    return t < TWO53 && t > -TWO53 ? t : NaN;
  }

  /** The exact sum of group g (0n when it has seen no value). */
  total(g: number): bigint {
    const t = this.totalNumber(g);
    if (t === t) return BigInt(t);
    return (this.big.get(g) ?? 0n) + BigInt(this.mid[g]!) * TWO52N + BigInt(this.lo[g]!);
  }

  /** The sums of groups 0…groupCount-1 as decimal128 `type` data (NULL where no value was seen). */
  partial(groupCount: number, type: DecimalType, what: string): Data {
    const words = new Uint32Array(4 * groupCount);
    const validity = newBitmap(groupCount);
    let nulls = 0;
    for (let g = 0; g < groupCount; g++) {
      if (this.seen[g] === 0) {
        nulls++;
        continue;
      }
      setBit(validity, g);
      const t = this.totalNumber(g);
      if (t === t) writeDecimalNumber(words, g, t);
      else {
        const b = this.total(g);
        if (b >= INT128_LIMIT || b < -INT128_LIMIT) {
          throw new PaylakeError('OVERFLOW', `${what}: a partial sum exceeds 128 bits (${b}); the result cannot be represented`);
        }
        writeDecimalBigInt(words, g, b);
      }
    }
    return makeData({ type: toArrowType(type) as never, length: groupCount, nullCount: nulls, nullBitmap: nulls > 0 ? validity : null, data: words } as never);
  }

  /** Bytes per group (excluding the rare bigint map entries). */
  bytesPerGroup(): number {
    return 17;
  }

  private fold(g: number): void {
    const l = this.lo[g]!;
    const q = Math.trunc(l / TWO52);
    this.lo[g] = l - q * TWO52;
    this.addMid(g, q);
  }

  private addMid(g: number, q: number): void {
    const m = this.mid[g]! + q;
    if (m >= TWO52 || m <= -TWO52) {
      this.big.set(g, (this.big.get(g) ?? 0n) + BigInt(m) * TWO52N);
      this.mid[g] = 0;
    } else this.mid[g] = m;
  }
}

/** The decimal type of an exact partial sum of integers: decimal(38,0). */
export const INTEGER_PARTIAL_SUM_TYPE = types.decimal(38, 0);

/**
 * Per-group float64 sums with Neumaier compensation (sum s plus correction c), so the result depends on
 * the order of additions only in rare last-bit cases. 17 bytes per group.
 */
export class FloatSumAccumulator {
  private s = new Float64Array(16);
  private c = new Float64Array(16);
  private seen = new Uint8Array(16);

  /** The partial-state fields: the running sum and its compensation. */
  static readonly fields: readonly Field[] = [new Field('sum', new Float64(), true), new Field('compensation', new Float64(), true)];

  /** Makes room for `groupCount` groups. */
  init(groupCount: number): void {
    this.s = ensureCapacity(this.s, groupCount);
    this.c = ensureCapacity(this.c, groupCount);
    this.seen = ensureCapacity(this.seen, groupCount);
  }

  /** Whether group g has seen a value. */
  hasValue(g: number): boolean {
    return this.seen[g] === 1;
  }

  /** Adds a float64 column. */
  add(groups: Int32Array, col: Column, n: number): void {
    const v = col.values as Float64Array;
    const bits = col.validity;
    for (let i = 0; i < n; i++) {
      if (bits !== null && getBit(bits, i) === 0) continue;
      const g = groups[i]!;
      this.seen[g] = 1;
      this.addOne(g, v[i]!);
    }
  }

  /** Merges partial (sum, compensation) columns. */
  merge(groups: Int32Array, sum: Column, comp: Column, n: number): void {
    const sv = sum.values as Float64Array;
    const cv = comp.values as Float64Array;
    const bits = sum.validity;
    for (let i = 0; i < n; i++) {
      if (bits !== null && getBit(bits, i) === 0) continue;
      const g = groups[i]!;
      this.seen[g] = 1;
      this.addOne(g, sv[i]!);
      this.c[g] = this.c[g]! + cv[i]!;
    }
  }

  /** The sum of group g (meaningful only when hasValue). */
  total(g: number): number {
    const s = this.s[g]!;
    // Once the sum is ±Infinity or NaN the compensation is meaningless (Inf - Inf).
    return Number.isFinite(s) ? s + this.c[g]! : s;
  }

  /** The partial state of groups 0…groupCount-1: [sum (NULL where empty), compensation]. */
  partial(groupCount: number): Data[] {
    const validity = newBitmap(groupCount);
    let nulls = 0;
    for (let g = 0; g < groupCount; g++) {
      if (this.seen[g] === 1) setBit(validity, g);
      else nulls++;
    }
    const type = new Float64();
    return [
      makeData({ type, length: groupCount, nullCount: nulls, nullBitmap: nulls > 0 ? validity : null, data: this.s.slice(0, groupCount) }),
      makeData({ type, length: groupCount, nullCount: 0, data: this.c.slice(0, groupCount) }),
    ];
  }

  private addOne(g: number, x: number): void {
    const s = this.s[g]!;
    const t = s + x;
    if (Math.abs(s) >= Math.abs(x)) this.c[g] = this.c[g]! + (s - t + x);
    else this.c[g] = this.c[g]! + (x - t + s);
    this.s[g] = t;
  }
}
