// min(x) and max(x) over every orderable type, exact: integers, dates and timestamps compare as
// integers (int64 as two int32 words), decimals as 128-bit words, strings/binary by bytes (UTF-8 byte
// order, as Spark), doubles with NaN greatest (Spark) and -0.0 < 0.0 (so the result does not depend on
// row order). The partial state is the current value itself, so merge = add. Per group: a 1-byte
// has-value flag plus 4 (int32/date/boolean), 8 (int64/timestamp/double), 16 (decimal) bytes, or
// 8 bytes of offsets plus the value's bytes (string/binary).
import { Field } from 'apache-arrow';
import type { Data } from 'apache-arrow';
import { assertNever } from '../../assert-never.js';
import { PaylakeError } from '../../../errors/paylake-error.js';
import { toArrowType } from '../../types/arrow-type.js';
import { typeName } from '../../types/data-type.js';
import type { DataType } from '../../types/data-type.js';
import { columnFromData, columnToData } from '../expr-eval/arrow-column.js';
import { getBit, makeColumn, newBitmap, setBit } from '../expr-eval/column.js';
import type { Column } from '../expr-eval/column.js';
import { compareBytes } from '../expr-eval/comparison-kernels.js';
import { compareDecimalSlots, int64Words } from '../expr-eval/wide-integers.js';
import { describeAggregate } from './aggregate-function.js';
import type { AggregateFunction, AggregateSpec } from './aggregate-function.js';
import { rowSource } from './group-key-store.js';
import { ensureCapacity } from './typed-array-growth.js';

/** Order of doubles for min/max: NaN greatest, -0.0 before 0.0. */
function compareForMinMax(a: number, b: number): number {
  if (a < b) return -1;
  if (a > b) return 1;
  if (a === b) return a === 0 ? Math.sign(1 / a - 1 / b) : 0;
  const an = a !== a;
  return an === (b !== b) ? 0 : an ? 1 : -1;
}

/** What the per-type state classes share: the has-value flags, direction, partial = result, merge = add. */
abstract class MinMaxBase implements AggregateFunction {
  readonly resultType: DataType;
  readonly stateFields: readonly Field[];
  protected has = new Uint8Array(16);
  /** +1 for max (keep the greater), -1 for min. */
  protected readonly sign: number;

  constructor(readonly spec: AggregateSpec, type: DataType) {
    this.resultType = type;
    this.stateFields = [new Field('value', toArrowType(type), true)];
    this.sign = spec.fn === 'max' ? 1 : -1;
  }

  init(groupCount: number): void {
    this.has = ensureCapacity(this.has, groupCount);
    this.grow(groupCount);
  }

  abstract add(groups: Int32Array, arg: Column | null, n: number): void;
  protected abstract grow(groupCount: number): void;
  protected abstract gather(order: Int32Array): Column;
  abstract bytesPerGroup(): number;

  merge(groups: Int32Array, state: readonly Data[], n: number): void {
    this.add(groups, columnFromData(state[0]!, this.resultType, this.spec.name), n);
  }

  partial(groupCount: number): Data[] {
    const order = new Int32Array(groupCount);
    for (let g = 0; g < groupCount; g++) order[g] = g;
    return [columnToData(this.gather(order))];
  }

  finish(order: Int32Array): Column {
    return this.gather(order);
  }

  protected validity(order: Int32Array): Uint8Array | null {
    const bits = newBitmap(order.length);
    let all = true;
    for (let i = 0; i < order.length; i++) {
      if (this.has[order[i]!] === 1) setBit(bits, i);
      else all = false;
    }
    return all ? null : bits;
  }
}

/** int32, date and boolean (read from the values bitmap; false < true). */
class Int32MinMax extends MinMaxBase {
  private values = new Int32Array(16);

  add(groups: Int32Array, arg: Column | null, n: number): void {
    const col = arg!;
    const boolean = col.type.kind === 'boolean';
    const v = col.values;
    const bits = col.validity;
    const has = this.has;
    const cur = this.values;
    const sign = this.sign;
    for (let i = 0; i < n; i++) {
      if (bits !== null && getBit(bits, i) === 0) continue;
      const g = groups[i]!;
      const x = boolean ? getBit(v as Uint8Array, i) : (v as Int32Array)[i]!;
      if (has[g] === 0 || (x - cur[g]!) * sign > 0) {
        cur[g] = x;
        has[g] = 1;
      }
    }
  }

  protected grow(groupCount: number): void {
    this.values = ensureCapacity(this.values, groupCount);
  }

  protected gather(order: Int32Array): Column {
    const n = order.length;
    if (this.resultType.kind === 'boolean') {
      const bits = newBitmap(n);
      for (let i = 0; i < n; i++) if (this.values[order[i]!] === 1) setBit(bits, i);
      return makeColumn(this.resultType, n, bits, this.validity(order));
    }
    const out = new Int32Array(n);
    for (let i = 0; i < n; i++) out[i] = this.values[order[i]!]!;
    return makeColumn(this.resultType, n, out, this.validity(order));
  }

  bytesPerGroup(): number {
    return 5;
  }
}

/** int64 and timestamp, compared as (signed high word, unsigned low word). */
class Int64MinMax extends MinMaxBase {
  private words = new Int32Array(32);

  add(groups: Int32Array, arg: Column | null, n: number): void {
    const col = arg!;
    const w = int64Words(col.values as BigInt64Array);
    const bits = col.validity;
    const has = this.has;
    const cur = this.words;
    const sign = this.sign;
    for (let i = 0; i < n; i++) {
      if (bits !== null && getBit(bits, i) === 0) continue;
      const g = groups[i]!;
      const hi = w[2 * i + 1]!;
      const lo = w[2 * i]!;
      let better = has[g] === 0;
      if (!better) {
        const chi = cur[2 * g + 1]!;
        const c = hi !== chi ? (hi < chi ? -1 : 1) : (lo >>> 0) - (cur[2 * g]! >>> 0);
        better = c * sign > 0;
      }
      if (better) {
        cur[2 * g] = lo;
        cur[2 * g + 1] = hi;
        has[g] = 1;
      }
    }
  }

  protected grow(groupCount: number): void {
    this.words = ensureCapacity(this.words, groupCount, 2);
  }

  protected gather(order: Int32Array): Column {
    const n = order.length;
    const out = new BigInt64Array(n);
    const ow = int64Words(out);
    for (let i = 0; i < n; i++) {
      const g = order[i]!;
      ow[2 * i] = this.words[2 * g]!;
      ow[2 * i + 1] = this.words[2 * g + 1]!;
    }
    return makeColumn(this.resultType, n, out, this.validity(order));
  }

  bytesPerGroup(): number {
    return 9;
  }
}

/** double: NaN greatest, -0.0 < 0.0. */
class Float64MinMax extends MinMaxBase {
  private values = new Float64Array(16);

  add(groups: Int32Array, arg: Column | null, n: number): void {
    const col = arg!;
    const v = col.values as Float64Array;
    const bits = col.validity;
    const has = this.has;
    const cur = this.values;
    const sign = this.sign;
    for (let i = 0; i < n; i++) {
      if (bits !== null && getBit(bits, i) === 0) continue;
      const g = groups[i]!;
      const x = v[i]!;
      if (has[g] === 0 || compareForMinMax(x, cur[g]!) * sign > 0) {
        cur[g] = x;
        has[g] = 1;
      }
    }
  }

  protected grow(groupCount: number): void {
    this.values = ensureCapacity(this.values, groupCount);
  }

  protected gather(order: Int32Array): Column {
    const out = new Float64Array(order.length);
    for (let i = 0; i < order.length; i++) out[i] = this.values[order[i]!]!;
    return makeColumn(this.resultType, order.length, out, this.validity(order));
  }

  bytesPerGroup(): number {
    return 9;
  }
}

/** decimal: 128-bit two's complement words. */
class DecimalMinMax extends MinMaxBase {
  private words = new Uint32Array(64);

  add(groups: Int32Array, arg: Column | null, n: number): void {
    const col = arg!;
    const w = col.values as Uint32Array;
    const bits = col.validity;
    const has = this.has;
    const sign = this.sign;
    for (let i = 0; i < n; i++) {
      if (bits !== null && getBit(bits, i) === 0) continue;
      const g = groups[i]!;
      if (has[g] === 0 || compareDecimalSlots(w, i, this.words, g) * sign > 0) {
        this.words.set(w.subarray(4 * i, 4 * i + 4), 4 * g);
        has[g] = 1;
      }
    }
  }

  protected grow(groupCount: number): void {
    this.words = ensureCapacity(this.words, groupCount, 4);
  }

  protected gather(order: Int32Array): Column {
    const out = new Uint32Array(4 * order.length);
    for (let i = 0; i < order.length; i++) out.set(this.words.subarray(4 * order[i]!, 4 * order[i]! + 4), 4 * i);
    return makeColumn(this.resultType, order.length, out, this.validity(order));
  }

  bytesPerGroup(): number {
    return 17;
  }
}

/**
 * string and binary: values live in a byte heap; a batch first picks each group's best row, then copies
 * at most one value per group, so garbage grows by at most one value per group per batch and the heap is
 * compacted when over half of it is garbage.
 */
class BytesMinMax extends MinMaxBase {
  private heap = new Uint8Array(256);
  private heapUsed = 0;
  private liveBytes = 0;
  private start = new Int32Array(16);
  private length = new Int32Array(16);
  /** Per group: the best row of the current batch, or -1 (kept all -1 between batches). */
  private best = new Int32Array(16).fill(-1);

  add(groups: Int32Array, arg: Column | null, n: number): void {
    const src = rowSource(arg!);
    const bytes = src.col.values as Uint8Array;
    const off = src.col.offsets!;
    const idx = src.index;
    const bits = src.validity;
    const best = this.best;
    const sign = this.sign;
    const touched: number[] = [];
    for (let i = 0; i < n; i++) {
      if (bits !== null && getBit(bits, i) === 0) continue;
      const g = groups[i]!;
      const b = best[g]!;
      if (b < 0) {
        best[g] = i;
        touched.push(g);
        continue;
      }
      const r = idx === null ? i : idx[i]!;
      const rb = idx === null ? b : idx[b]!;
      if (compareBytes(bytes, off[r]!, off[r + 1]!, bytes, off[rb]!, off[rb + 1]!) * sign > 0) best[g] = i;
    }
    for (const g of touched) {
      const i = best[g]!;
      best[g] = -1;
      const r = idx === null ? i : idx[i]!;
      const s = off[r]!;
      const e = off[r + 1]!;
      if (this.has[g] === 1) {
        const cs = this.start[g]!;
        if (compareBytes(bytes, s, e, this.heap, cs, cs + this.length[g]!) * sign <= 0) continue;
        this.liveBytes -= this.length[g]!;
      }
      this.store(g, bytes, s, e);
    }
  }

  protected grow(groupCount: number): void {
    this.start = ensureCapacity(this.start, groupCount);
    this.length = ensureCapacity(this.length, groupCount);
    if (this.best.length < groupCount) {
      const old = this.best.length;
      this.best = ensureCapacity(this.best, groupCount);
      this.best.fill(-1, old);
    }
  }

  protected gather(order: Int32Array): Column {
    const n = order.length;
    let total = 0;
    for (let i = 0; i < n; i++) if (this.has[order[i]!] === 1) total += this.length[order[i]!]!;
    const out = new Uint8Array(total);
    const offsets = new Int32Array(n + 1);
    let p = 0;
    for (let i = 0; i < n; i++) {
      const g = order[i]!;
      if (this.has[g] === 1) {
        out.set(this.heap.subarray(this.start[g]!, this.start[g]! + this.length[g]!), p);
        p += this.length[g]!;
      }
      offsets[i + 1] = p;
    }
    return makeColumn(this.resultType, n, out, this.validity(order), offsets);
  }

  bytesPerGroup(): number {
    return 13 + this.heap.length / Math.max(1, this.has.length);
  }

  private store(g: number, bytes: Uint8Array, s: number, e: number): void {
    const len = e - s;
    if (this.heapUsed + len > this.heap.length && this.heapUsed > 2 * this.liveBytes) this.compact();
    this.heap = ensureCapacity(this.heap, this.heapUsed + len);
    this.heap.set(bytes.subarray(s, e), this.heapUsed);
    this.start[g] = this.heapUsed;
    this.length[g] = len;
    this.heapUsed += len;
    this.liveBytes += len;
    this.has[g] = 1;
  }

  private compact(): void {
    const heap = new Uint8Array(Math.max(256, 2 * this.liveBytes));
    let p = 0;
    for (let g = 0; g < this.has.length; g++) {
      if (this.has[g] !== 1) continue;
      heap.set(this.heap.subarray(this.start[g]!, this.start[g]! + this.length[g]!), p);
      this.start[g] = p;
      p += this.length[g]!;
    }
    this.heap = heap;
    this.heapUsed = p;
  }
}

/** min/max of a NULL-typed argument: always NULL. */
class NullMinMax extends MinMaxBase {
  add(): void {}
  protected grow(): void {}
  protected gather(order: Int32Array): Column {
    return makeColumn(this.resultType, order.length, new Uint8Array(0), newBitmap(order.length));
  }
  bytesPerGroup(): number {
    return 1;
  }
}

/** The min or max aggregate for `spec`, by argument type. */
export function createMinMaxAggregate(spec: AggregateSpec): AggregateFunction {
  const t = spec.inputType;
  if (t === null) throw new PaylakeError('USAGE', `${describeAggregate(spec)}: ${spec.fn} needs an argument`);
  switch (t.kind) {
    case 'null':
      return new NullMinMax(spec, t);
    case 'boolean':
    case 'int32':
    case 'date':
      return new Int32MinMax(spec, t);
    case 'int64':
    case 'timestamp':
      return new Int64MinMax(spec, t);
    case 'float64':
      return new Float64MinMax(spec, t);
    case 'decimal':
      return new DecimalMinMax(spec, t);
    case 'string':
      return new BytesMinMax(spec, t);
    case 'binary':
      throw new PaylakeError('TYPE_ERROR', `${describeAggregate(spec)}: ${spec.fn} is not defined for ${typeName(t)} values`);
    default:
      return assertNever(t, 'min/max argument type');
  }
}
