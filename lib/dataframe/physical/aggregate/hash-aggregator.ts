// The hash aggregation driver (Spark's partial/final HashAggregate): workers `addBatch` evaluated key
// and argument vectors and ship `partialToBatch()` (Arrow, transferable as IPC); the coordinator
// `mergeBatch`es the partials and `finish`es, sorted by the keys ascending with NULLs first, so the
// result is the same whatever the number and order of partials.
//
// Memory per group: the hash table's (group-hash-table.ts: ~12 B + key bytes) plus each aggregate's
// state: count 8 B, exact sum 17 B, float sum 17 B, avg +8 B, min/max 5–17 B (strings: + bytes),
// count distinct 8 B + ~22 B + value bytes per distinct pair. Arrays double, so up to 2× while growing.
import { Field, makeData, RecordBatch, Schema, Struct } from 'apache-arrow';
import type { Data, Vector } from 'apache-arrow';
import { assertNever } from '../../assert-never.js';
import { PaylakeError } from '../../../errors/paylake-error.js';
import { toArrowType } from '../../types/arrow-type.js';
import type { DataType } from '../../types/data-type.js';
import { columnFromData, columnFromVector, columnToData } from '../expr-eval/arrow-column.js';
import type { Column } from '../expr-eval/column.js';
import { flattenDictionary } from '../expr-eval/take-column.js';
import type { AggregateFunction, AggregateSpec } from './aggregate-function.js';
import { describeAggregate } from './aggregate-function.js';
import { createAvgAggregate } from './avg-aggregate.js';
import { CountAggregate } from './count-aggregate.js';
import { CountDistinctAggregate } from './count-distinct-aggregate.js';
import { GroupHashTable } from './group-hash-table.js';
import { createMinMaxAggregate } from './min-max-aggregate.js';
import { createSumAggregate } from './sum-aggregate.js';

/** A group-by key column: its output name and logical type. */
export interface KeySpec {
  readonly name: string;
  readonly type: DataType;
}

/** Schema metadata key that marks a partial-state batch (value: the format version). */
export const PARTIAL_STATE_METADATA_KEY = 'paylake.aggregate.partial';

/** The aggregate function state machine for one spec. */
export function createAggregateFunction(spec: AggregateSpec): AggregateFunction {
  switch (spec.fn) {
    case 'count':
      if (spec.inputType === null) return new CountAggregate(spec);
      return spec.distinct ? new CountDistinctAggregate(spec, spec.inputType) : new CountAggregate(spec);
    case 'sum':
    case 'avg':
      if (spec.distinct) {
        throw new PaylakeError('USAGE', `${describeAggregate(spec)}: ${spec.fn}(DISTINCT …) is not supported by the local engine yet; use count(DISTINCT …) or aggregate a DISTINCT subquery`);
      }
      return spec.fn === 'sum' ? createSumAggregate(spec) : createAvgAggregate(spec);
    case 'min':
    case 'max':
      return createMinMaxAggregate(spec);
    default:
      return assertNever(spec.fn, 'aggregate');
  }
}

/**
 * Two-phase hash aggregation over evaluated Arrow vectors.
 * @example
 * const agg = new HashAggregator([{ name: 'merchant', type: types.string }],
 *   [{ fn: 'sum', inputType: types.int64, distinct: false, name: 'total' },
 *    { fn: 'count', inputType: null, distinct: false, name: 'n' }]);
 * agg.addBatch([merchantVector], [amountVector, null]);
 * coordinator.mergeBatch(agg.partialToBatch());
 * const result = coordinator.finish(); // merchant, total, n — sorted by merchant, NULL first
 */
export class HashAggregator {
  private readonly table: GroupHashTable;
  private readonly functions: readonly AggregateFunction[];
  /** Schema of `partialToBatch` (keys, then each aggregate's state fields). */
  readonly partialSchema: Schema;
  /** Schema of `finish` (keys, then one column per aggregate in its Spark result type). */
  readonly resultSchema: Schema;

  constructor(
    readonly keys: readonly KeySpec[],
    readonly aggregates: readonly AggregateSpec[],
  ) {
    this.table = new GroupHashTable(keys.map((k) => k.type));
    this.functions = aggregates.map(createAggregateFunction);
    this.functions.forEach((f) => f.init(this.table.groupCount));
    const keyFields = keys.map((k) => new Field(k.name, toArrowType(k.type), true));
    const stateFields = this.functions.flatMap((f, i) => f.stateFields.map((s) => new Field(`${i}:${f.spec.name}:${s.name}`, s.type, s.nullable)));
    this.partialSchema = new Schema([...keyFields, ...stateFields], new Map([[PARTIAL_STATE_METADATA_KEY, '1']]));
    const resultFields = this.functions.map((f) => new Field(f.spec.name, toArrowType(f.resultType), f.spec.fn !== 'count'));
    this.resultSchema = new Schema([...keyFields, ...resultFields]);
  }

  /** Number of groups so far (1 for a global aggregation, even before any row). */
  get groupCount(): number {
    return this.table.groupCount;
  }

  /**
   * Aggregates one batch: `keyVectors[k]` holds key k, `argVectors[a]` aggregate a's argument (null for
   * count(*)). `numRows` is needed only when no vector is given (a global count(*)).
   */
  addBatch(keyVectors: readonly Vector[], argVectors: readonly (Vector | null)[], numRows?: number): void {
    if (keyVectors.length !== this.keys.length || argVectors.length !== this.aggregates.length) {
      throw new PaylakeError('USAGE', `addBatch expects ${this.keys.length} key and ${this.aggregates.length} argument vectors, got ${keyVectors.length} and ${argVectors.length}`);
    }
    const n = numRows ?? keyVectors[0]?.length ?? argVectors.find((v) => v !== null)?.length;
    if (n === undefined) throw new PaylakeError('USAGE', 'addBatch needs numRows when there are no key or argument vectors (global count(*))');
    const keys = keyVectors.map((v, k) => this.checkedLength(columnFromVector(v, this.keys[k]!.type, this.keys[k]!.name), n));
    const groups = this.table.findOrInsert(keys, n);
    for (let a = 0; a < this.functions.length; a++) {
      const f = this.functions[a]!;
      const v = argVectors[a] ?? null;
      if ((v === null) !== (f.spec.inputType === null)) {
        throw new PaylakeError('USAGE', `${describeAggregate(f.spec)}: ${v === null ? 'missing argument vector' : 'count(*) takes no argument vector'}`);
      }
      f.init(this.table.groupCount);
      f.add(groups, v === null ? null : this.checkedLength(plain(columnFromVector(v, f.spec.inputType!, f.spec.name)), n), n);
    }
  }

  /** The partial state of every group as one RecordBatch of `partialSchema` (groups in first-seen order). */
  partialToBatch(): RecordBatch {
    const g = this.table.groupCount;
    const order = new Int32Array(g);
    for (let i = 0; i < g; i++) order[i] = i;
    const children: Data[] = this.keys.map((_k, k) => columnToData(this.table.keyColumn(k, order)));
    for (const f of this.functions) children.push(...f.partial(g));
    return batchOf(this.partialSchema, children, g);
  }

  /** Merges a partial-state batch of another aggregator with the same keys and aggregates. */
  mergeBatch(batch: RecordBatch): void {
    const expected = this.partialSchema.fields;
    const got = batch.schema.fields;
    if (got.length !== expected.length || got.some((f, i) => String(f.type) !== String(expected[i]!.type))) {
      throw new PaylakeError('INTERNAL', `mergeBatch: the partial state has columns (${got.map((f) => `${f.name} ${String(f.type)}`).join(', ')}), expected (${expected.map((f) => `${f.name} ${String(f.type)}`).join(', ')}); please report this`);
    }
    const n = batch.numRows;
    const data = batch.data.children;
    const keys = this.keys.map((k, i) => columnFromData(data[i]!, k.type, k.name));
    const groups = this.table.findOrInsert(keys, n);
    let c = this.keys.length;
    for (const f of this.functions) {
      f.init(this.table.groupCount);
      f.merge(groups, data.slice(c, c + f.stateFields.length), n);
      c += f.stateFields.length;
    }
  }

  /** The final result: one row per group, key columns then aggregates, sorted by the keys (NULLs first). */
  finish(): RecordBatch {
    const order = this.table.sortedGroupOrder();
    const children: Data[] = this.keys.map((_k, k) => columnToData(this.table.keyColumn(k, order)));
    for (const f of this.functions) children.push(columnToData(f.finish(order)));
    return batchOf(this.resultSchema, children, order.length);
  }

  /** Approximate bytes held per group (hash table, keys and every aggregate's state). */
  bytesPerGroup(): number {
    return this.table.bytesPerGroup() + this.functions.reduce((a, f) => a + f.bytesPerGroup(), 0);
  }

  private checkedLength(c: Column, n: number): Column {
    if (c.length < n) throw new PaylakeError('USAGE', `addBatch: a vector has ${c.length} rows, expected ${n}`);
    return c;
  }
}

/** Non-string dictionaries are flattened once; string dictionaries stay (aggregates read them indirectly). */
function plain(c: Column): Column {
  return c.dictionary !== null && c.type.kind !== 'string' && c.type.kind !== 'binary' ? flattenDictionary(c) : c;
}

function batchOf(schema: Schema, children: Data[], length: number): RecordBatch {
  return new RecordBatch(schema, makeData({ type: new Struct(schema.fields), length, nullCount: 0, children }));
}
