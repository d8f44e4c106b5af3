// count(DISTINCT x), exact: one GroupHashTable over (group id, x) pairs serves as every group's hash set
// (values normalised as group keys are: one NaN, -0.0 = 0.0). A new non-NULL pair bumps its group's count.
// The partial state is each group's distinct values as a List column; merge re-inserts them (set union).
// Per distinct (group, value) pair: 4 B hash + ≤ 8 B slots + 5 B group id key + 1 B NULL flag + the value
// (4/8/16 B, or 4 B offset + bytes), plus 8 B of count per group.
import { Field, List, makeData } from 'apache-arrow';
import type { Data } from 'apache-arrow';
import { PaylakeError } from '../../../errors/paylake-error.js';
import { toArrowType } from '../../types/arrow-type.js';
import { types } from '../../types/data-type.js';
import type { DataType } from '../../types/data-type.js';
import { columnFromData, columnToData } from '../expr-eval/arrow-column.js';
import { makeColumn } from '../expr-eval/column.js';
import type { Column } from '../expr-eval/column.js';
import { describeAggregate } from './aggregate-function.js';
import type { AggregateFunction, AggregateSpec } from './aggregate-function.js';
import { countsToInt64 } from './count-aggregate.js';
import { GroupHashTable } from './group-hash-table.js';
import { int32KeyAt } from './group-key-store.js';
import { ensureCapacity } from './typed-array-growth.js';

/** count(DISTINCT x): NULLs are not counted; an empty group counts 0. */
export class CountDistinctAggregate implements AggregateFunction {
  readonly resultType = types.int64;
  readonly stateFields: readonly Field[];
  private readonly pairs: GroupHashTable;
  private counts = new Float64Array(16);

  constructor(readonly spec: AggregateSpec, private readonly input: DataType) {
    this.pairs = new GroupHashTable([types.int32, input]);
    this.stateFields = [new Field('values', new List(new Field('item', toArrowType(input), true)), false)];
  }

  init(groupCount: number): void {
    this.counts = ensureCapacity(this.counts, groupCount);
  }

  add(groups: Int32Array, arg: Column | null, n: number): void {
    const before = this.pairs.groupCount;
    this.pairs.findOrInsert([makeColumn(types.int32, n, groups, null), arg!], n);
    const [groupStore, valueStore] = this.pairs.stores;
    for (let p = before; p < this.pairs.groupCount; p++) {
      if (!valueStore!.isNull(p)) this.counts[int32KeyAt(groupStore!, p)]!++;
    }
  }

  merge(groups: Int32Array, state: readonly Data[], n: number): void {
    const list = state[0]!;
    const offsets = list.valueOffsets as Int32Array;
    const child = list.children[0]!;
    const base = list.offset;
    if (offsets[base] !== 0 || offsets[base + n] !== child.length) {
      throw new PaylakeError('INTERNAL', `${describeAggregate(this.spec)}: a partial state's value list is sliced; please report this`);
    }
    const elementGroups = new Int32Array(child.length);
    for (let r = 0; r < n; r++) elementGroups.fill(groups[r]!, offsets[base + r]!, offsets[base + r + 1]!);
    this.add(elementGroups, columnFromData(child, this.input, this.spec.name), child.length);
  }

  partial(groupCount: number): Data[] {
    // Counting sort of the non-NULL pairs by group id gives each group's list.
    const pairCount = this.pairs.groupCount;
    const [groupStore, valueStore] = this.pairs.stores;
    const offsets = new Int32Array(groupCount + 1);
    for (let p = 0; p < pairCount; p++) if (!valueStore!.isNull(p)) offsets[int32KeyAt(groupStore!, p) + 1]!++;
    for (let g = 0; g < groupCount; g++) offsets[g + 1]! += offsets[g]!;
    const cursor = offsets.slice(0, groupCount);
    const order = new Int32Array(offsets[groupCount]!);
    for (let p = 0; p < pairCount; p++) if (!valueStore!.isNull(p)) order[cursor[int32KeyAt(groupStore!, p)]!++] = p;
    const child = columnToData(this.pairs.keyColumn(1, order));
    const type = this.stateFields[0]!.type as List;
    return [makeData({ type, length: groupCount, nullCount: 0, valueOffsets: offsets, child })];
  }

  finish(order: Int32Array): Column {
    return makeColumn(types.int64, order.length, countsToInt64(this.counts, order, order.length), null);
  }

  bytesPerGroup(): number {
    return 8 + this.pairs.bytesPerGroup() * (this.pairs.groupCount / Math.max(1, this.counts.length));
  }
}

