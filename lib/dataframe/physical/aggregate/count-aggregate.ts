// count(*) and count(x): per-group row counts in a Float64Array (exact to 2^53 rows, no BigInt per row);
// 8 bytes per group. The partial state and the result are int64; count of an empty group is 0, never NULL.
import { Field, Int64, makeData } from 'apache-arrow';
import type { Data } from 'apache-arrow';
import { types } from '../../types/data-type.js';
import { columnFromData } from '../expr-eval/arrow-column.js';
import { getBit, makeColumn } from '../expr-eval/column.js';
import type { Column } from '../expr-eval/column.js';
import { int64AsSafeNumber, int64Words, writeInt64Number } from '../expr-eval/wide-integers.js';
import type { AggregateFunction, AggregateSpec } from './aggregate-function.js';
import { rowSource } from './group-key-store.js';
import { ensureCapacity } from './typed-array-growth.js';

/** Per-group counts as an int64 array in `order` (or groups 0…n-1 when order is null). */
export function countsToInt64(counts: Float64Array, order: Int32Array | null, n: number): BigInt64Array {
  const out = new BigInt64Array(n);
  const w = int64Words(out);
  for (let i = 0; i < n; i++) writeInt64Number(w, i, counts[order === null ? i : order[i]!]!);
  return out;
}

/** Adds an int64 count column (a partial state) into `counts`. */
export function mergeCounts(counts: Float64Array, groups: Int32Array, data: Data, n: number): void {
  const w = int64Words(columnFromData(data, types.int64, 'count').values as BigInt64Array);
  for (let i = 0; i < n; i++) counts[groups[i]!] = counts[groups[i]!]! + int64AsSafeNumber(w, i);
}

/** The partial state of a count: int64 Data for groups 0…groupCount-1. */
export function countsPartial(counts: Float64Array, groupCount: number): Data {
  return makeData({ type: new Int64(), length: groupCount, nullCount: 0, data: countsToInt64(counts, null, groupCount) });
}

/** count(*) (spec.inputType null) or count(x): counts rows, or non-NULL values of x. */
export class CountAggregate implements AggregateFunction {
  readonly resultType = types.int64;
  readonly stateFields = [new Field('count', new Int64(), false)];
  private counts = new Float64Array(16);

  constructor(readonly spec: AggregateSpec) {}

  init(groupCount: number): void {
    this.counts = ensureCapacity(this.counts, groupCount);
  }

  add(groups: Int32Array, arg: Column | null, n: number): void {
    const counts = this.counts;
    const bits = arg === null ? null : rowSource(arg).validity;
    if (bits === null) {
      for (let i = 0; i < n; i++) counts[groups[i]!]!++;
      return;
    }
    for (let i = 0; i < n; i++) if (getBit(bits, i) === 1) counts[groups[i]!]!++;
  }

  merge(groups: Int32Array, state: readonly Data[], n: number): void {
    mergeCounts(this.counts, groups, state[0]!, n);
  }

  partial(groupCount: number): Data[] {
    return [countsPartial(this.counts, groupCount)];
  }

  finish(order: Int32Array): Column {
    return makeColumn(types.int64, order.length, countsToInt64(this.counts, order, order.length), null);
  }

  bytesPerGroup(): number {
    return 8;
  }
}
