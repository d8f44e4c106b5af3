// Range partitioning for a global sort, as Spark's RangePartitioner: each map task first returns an evenly
// spaced sample of its sort-key values with a weight (its rows per sampled row); the coordinator sorts the
// samples and cuts them at equal weight into P − 1 boundaries; map tasks then send each row to the first
// range whose upper boundary is above it. Ties go to one range, so each range sorted on its own and the
// ranges concatenated in order are the global order.
import { Field as ArrowField, Float64, RecordBatch, Schema as ArrowSchema, Struct, Table, makeData, tableFromIPC, tableToIPC } from 'apache-arrow';
import { ColumnNode } from '../../expr/nodes/column-node.js';
import type { SortKey } from '../../expr/sort-key.js';
import { columnFromVector } from '../../physical/expr-eval/arrow-column.js';
import type { Column } from '../../physical/expr-eval/column.js';
import { compileExpr } from '../../physical/expr-eval/compile-expr.js';
import { BatchInput } from '../../physical/expr-eval/eval-node.js';
import { takeRows } from '../../physical/expr-eval/selection.js';
import { keyComparator } from '../../physical/sort/row-comparator.js';
import type { RowComparator } from '../../physical/sort/row-comparator.js';
import { sortBatches } from '../../physical/sort/sort-batches.js';
import type { Schema } from '../../types/schema.js';
import { schemaOf } from '../../types/schema.js';
import { projectOperator } from '../batch-operators.js';
import type { RowPartitioner } from './hash-partitioner.js';

/** Sampled rows per task and per output partition (Spark samples 20 per partition). */
export const SAMPLES_PER_PARTITION = 20;

/** Name of the weight column of a sample batch. */
const WEIGHT = '__weight';

/** The sort keys as named columns `k0, k1, …` of a key batch. */
function keyExprs(keys: readonly SortKey[]) {
  return keys.map((k, i) => ({ expr: k.expr, name: `k${i}` }));
}

/** The schema of key batches (sort-key values), for keys analysed against `input`. */
export function keySchema(keys: readonly SortKey[], input: Schema): Schema {
  return schemaOf(keyExprs(keys).map((k) => ({ name: k.name, type: compileExpr(k.expr, input).type, nullable: true })));
}

/**
 * Up to `count` evenly spaced rows' key values out of `batches` (schema `input`), each weighted by the
 * task's rows per sample, as Arrow IPC; null when the task has no rows.
 */
export function sampleKeys(batches: readonly RecordBatch[], input: Schema, keys: readonly SortKey[], count: number): Uint8Array | null {
  const total = batches.reduce((s, b) => s + b.numRows, 0);
  if (total === 0) return null;
  const schema = keySchema(keys, input);
  const project = projectOperator(
    keyExprs(keys).map((k) => k.expr),
    input,
    schema,
  );
  const step = Math.max(1, total / count);
  const weight = total / Math.min(total, Math.ceil(total / step));
  const out: RecordBatch[] = [];
  let next = 0;
  let offset = 0;
  for (const b of batches) {
    const picks: number[] = [];
    for (; Math.floor(next) < offset + b.numRows; next += step) picks.push(Math.floor(next) - offset);
    offset += b.numRows;
    if (picks.length === 0) continue;
    const keysOfPicks = project(takeRows(b, Uint32Array.from(picks)))!;
    const weights = new Float64Array(picks.length).fill(weight);
    out.push(withWeight(keysOfPicks, weights));
  }
  return tableToIPC(new Table(out), 'stream');
}

function withWeight(batch: RecordBatch, weights: Float64Array): RecordBatch {
  const weight = makeData({ type: new Float64(), length: weights.length, data: weights });
  const fields = [...batch.schema.fields, new ArrowField(WEIGHT, weight.type, false)];
  const struct = makeData({ type: new Struct(fields), length: batch.numRows, nullCount: 0, children: [...batch.data.children, weight] });
  return new RecordBatch(new ArrowSchema(fields), struct);
}

/**
 * P − 1 (or fewer, equal ones merged) boundary rows cutting the weighted samples into equal weights, as
 * Arrow IPC of a key batch.
 */
export function chooseBoundaries(samples: readonly Uint8Array[], keys: readonly SortKey[], input: Schema, partitions: number): Uint8Array {
  const schema = keySchema(keys, input);
  const batches = samples.flatMap((s) => tableFromIPC(s).batches);
  const withWeights = schemaOf([...schema.fields, { name: WEIGHT, type: { kind: 'float64' }, nullable: false }]);
  const sortKeys = keys.map((k, i) => ({ ...k, expr: ColumnNode.create(`k${i}`) }));
  const sorted = sortBatches(batches, withWeights, sortKeys, null);
  const total = sorted.reduce((s, b) => s + sumWeights(b), 0);
  const picks: { batch: number; row: number }[] = [];
  const compare = sorted.length === 0 ? null : boundaryComparator(sorted, schema, keys);
  let cumulative = 0;
  let target = 1;
  sorted.forEach((b, bi) => {
    const w = b.getChild(WEIGHT)!.toArray() as Float64Array;
    for (let r = 0; r < b.numRows && target < partitions; r++) {
      cumulative += w[r]!;
      if (cumulative < (total * target) / partitions) continue;
      const last = picks[picks.length - 1];
      if (last === undefined || compare!(last.batch, last.row, bi, r) !== 0) picks.push({ batch: bi, row: r });
      while (target < partitions && cumulative >= (total * target) / partitions) target++;
    }
  });
  const keyCount = schema.fields.length;
  const rows = picks.map((p) => takeRows(sorted[p.batch]!, Uint32Array.of(p.row)).selectAt(Array.from({ length: keyCount }, (_, i) => i)));
  return tableToIPC(rows.length > 0 ? new Table(rows) : new Table(emptyKeyBatch(sorted, batches, keyCount)), 'stream');
}

function emptyKeyBatch(sorted: readonly RecordBatch[], batches: readonly RecordBatch[], keyCount: number): RecordBatch[] {
  const any = sorted[0] ?? batches[0];
  return any === undefined ? [] : [any.slice(0, 0).selectAt(Array.from({ length: keyCount }, (_, i) => i))];
}

function sumWeights(b: RecordBatch): number {
  const w = b.getChild(WEIGHT)!.toArray() as Float64Array;
  let s = 0;
  for (const x of w) s += x;
  return s;
}

function boundaryComparator(batches: readonly RecordBatch[], schema: Schema, keys: readonly SortKey[]): RowComparator {
  const per = keys.map((k, i) => {
    const type = schema.fields[i]!.type;
    const cols: Column[] = batches.map((b) => columnFromVector(b.getChildAt(i)!, type, `k${i}`));
    return keyComparator(cols, k.ascending, k.nullsFirst);
  });
  return (a, i, b, j) => {
    for (const c of per) {
      const r = c(a, i, b, j);
      if (r !== 0) return r;
    }
    return 0;
  };
}

/**
 * A partitioner sending each row to the first range whose boundary is above it (the last range when none
 * is): `boundaries` is chooseBoundaries' output, keys are analysed against `input`.
 */
export function rangePartitioner(keys: readonly SortKey[], input: Schema, boundaries: Uint8Array, partitions: number): RowPartitioner {
  const bounds = tableFromIPC(boundaries);
  const boundCount = Math.min(bounds.numRows, partitions - 1);
  const compiled = keys.map((k) => compileExpr(k.expr, input));
  const boundColumns = compiled.map((c, i) => {
    const v = bounds.getChildAt(i);
    return v === null ? null : columnFromVector(v, c.type, `k${i}`);
  });
  return (batch) => {
    const n = batch.numRows;
    const out = new Int32Array(n);
    if (boundCount === 0) return out;
    const source = new BatchInput(batch, input);
    const comparators = keys.map((k, i) => keyComparator([compiled[i]!.evaluateColumn(source, null), boundColumns[i]!], k.ascending, k.nullsFirst));
    // Row i of the batch (column set 0) against boundary j (column set 1).
    const compare = (i: number, j: number): number => {
      for (const c of comparators) {
        const r = c(0, i, 1, j);
        if (r !== 0) return r;
      }
      return 0;
    };
    for (let i = 0; i < n; i++) {
      let lo = 0;
      let hi = boundCount;
      while (lo < hi) {
        const mid = (lo + hi) >>> 1;
        if (compare(i, mid) < 0) hi = mid;
        else lo = mid + 1;
      }
      out[i] = lo;
    }
    return out;
  };
}
