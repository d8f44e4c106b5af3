// The window kernel: given rows already sorted by (PARTITION BY..., ORDER BY...) — the caller sorts, and
// a partition may span any number of batches — appends one column per window call. The calls' inputs
// (arguments, partition and order keys) are evaluated per batch and laid end to end, partitions and peer
// groups are found in one pass, and each call is computed in O(n) over all rows (frame bounds by
// pointers, aggregates as running states). See frame-bounds.ts for RANGE frames and NULL order keys.
import { Field as ArrowField, RecordBatch, Schema as ArrowSchema, Struct, makeData } from 'apache-arrow';
import type { Data } from 'apache-arrow';
import { PaylakeError } from '../../../errors/paylake-error.js';
import { assertNever } from '../../assert-never.js';
import { displayExpr, displayFrame } from '../../expr/display-expr.js';
import type { Expr } from '../../expr/expr.js';
import type { WindowCallNode } from '../../expr/nodes/window-call-node.js';
import { windowSpecKey } from '../../expr/window-calls.js';
import { sameType, typeName } from '../../types/data-type.js';
import type { DataType } from '../../types/data-type.js';
import type { Schema } from '../../types/schema.js';
import { columnToData, concatColumns } from '../expr-eval/arrow-column.js';
import { makeColumn, sliceBits } from '../expr-eval/column.js';
import type { Column } from '../expr-eval/column.js';
import { compileExpr } from '../expr-eval/compile-expr.js';
import { BatchInput } from '../expr-eval/eval-node.js';
import { takeColumn } from '../expr-eval/take-column.js';
import { frameBounds } from './frame-bounds.js';
import type { FrameBounds } from './frame-bounds.js';
import { frameAvg, frameCount, frameSum } from './frame-sum.js';
import { frameFirstLast, frameMinMax } from './frame-value.js';
import { offsetColumn, rankingColumn } from './ranking-functions.js';
import { windowRows } from './window-partitions.js';
import type { OrderColumn, WindowRows } from './window-partitions.js';

/**
 * Computes window columns over rows already sorted by (partitionBy..., orderBy...) — the caller sorts.
 * `windows` are analysed calls (see analyzeExpr with allowWindows) over `schema`, all sharing the same
 * partitionBy and orderBy; `output` is `schema` followed by one field per call (its name and type).
 * Returns the input batches, row for row, with the window columns appended.
 * @example evaluateWindows(sorted, schema, [rowNumberCall], schemaOf([...schema.fields, { name: 'n', type: types.int32, nullable: false }]))
 */
export function evaluateWindows(batches: readonly RecordBatch[], schema: Schema, windows: readonly WindowCallNode[], output: Schema): RecordBatch[] {
  if (output.fields.length !== schema.fields.length + windows.length) {
    throw new PaylakeError('INTERNAL', `window output schema has ${output.fields.length} fields for ${schema.fields.length} inputs and ${windows.length} window calls; please report this`);
  }
  const first = windows[0];
  if (first === undefined) return [...batches];
  const spec = windowSpecKey(first);
  const other = windows.find((w) => windowSpecKey(w) !== spec);
  if (other !== undefined) {
    throw new PaylakeError('INTERNAL', `window calls of one Window node must share PARTITION BY and ORDER BY: ${displayExpr(first)} vs ${displayExpr(other)}; please report this`);
  }
  const inputs = new InputColumns(batches, schema);
  const rows = windowRows(
    inputs.count,
    first.partitionBy.map((e) => inputs.column(e)),
    first.orderBy.map((key) => ({ key, column: inputs.column(key.expr) })),
  );
  const orderKey: OrderColumn | null = first.orderBy.length === 1 ? { key: first.orderBy[0]!, column: inputs.column(first.orderBy[0]!.expr) } : null;
  const bounds = new Map<string, FrameBounds>();
  const results = windows.map((call, k) => {
    const field = output.fields[schema.fields.length + k]!;
    const frame = (): FrameBounds => {
      const key = displayFrame(call.frame);
      let b = bounds.get(key);
      if (b === undefined) {
        b = frameBounds(call.frame, rows, orderKey);
        bounds.set(key, b);
      }
      return b;
    };
    const column = windowColumn(call, field.type, inputs, rows, frame, field.name);
    if (!sameType(column.type, field.type)) {
      throw new PaylakeError('INTERNAL', `window "${field.name}" computed ${typeName(column.type)}, but its output field is ${typeName(field.type)}; please report this`);
    }
    return column;
  });
  return appendColumns(batches, output, schema.fields.length, results);
}

/** One call's values over all rows. */
function windowColumn(call: WindowCallNode, resultType: DataType, inputs: InputColumns, rows: WindowRows, frame: () => FrameBounds, name: string): Column {
  const arg = (i: number): Column => {
    const e = call.args[i];
    if (e === undefined) throw new PaylakeError('INTERNAL', `${displayExpr(call)} has no argument ${i + 1}; please report this`);
    return inputs.column(e);
  };
  switch (call.fn) {
    case 'row_number':
    case 'rank':
    case 'dense_rank':
      return rankingColumn(call.fn, rows);
    case 'lag':
    case 'lead': {
      const offset = call.args[1];
      if (offset?.kind !== 'literal' || typeof offset.value !== 'number') throw new PaylakeError('INTERNAL', `${displayExpr(call)} was not analysed; please report this`);
      return offsetColumn(call.fn, arg(0), offset.value, arg(2), rows);
    }
    case 'first':
    case 'last':
      return frameFirstLast(arg(0), call.fn, call.ignoreNulls, frame(), rows);
    case 'min':
    case 'max':
      return frameMinMax(arg(0), call.fn, frame(), rows);
    case 'count':
      return frameCount(call.args.length === 0 ? null : arg(0), frame(), rows);
    case 'sum':
      return frameSum(arg(0), resultType, frame(), rows, name);
    case 'avg':
      return frameAvg(arg(0), resultType, frame(), rows, name);
    default:
      return assertNever(call.fn, 'window function');
  }
}

/** Expressions over the input evaluated per batch and laid end to end (each distinct expression once). */
class InputColumns {
  readonly count: number;
  private readonly inputs: BatchInput[];
  private readonly cache = new Map<string, Column>();

  constructor(
    batches: readonly RecordBatch[],
    private readonly schema: Schema,
  ) {
    this.inputs = batches.map((b) => new BatchInput(b, schema));
    this.count = batches.reduce((s, b) => s + b.numRows, 0);
  }

  column(e: Expr): Column {
    const compiled = compileExpr(e, this.schema);
    // The type is part of the key: a NULL literal shows as NULL whatever its type.
    const key = `${displayExpr(e)}: ${typeName(compiled.type)}`;
    let c = this.cache.get(key);
    if (c === undefined) {
      const parts = this.inputs.map((input) => compiled.evaluateColumn(input, null));
      c = parts.length === 1 ? parts[0]! : concatColumns(parts, compiled.type);
      this.cache.set(key, c);
    }
    return c;
  }
}

/** Rows [start, start + n) of `c`, sharing its buffers for fixed-width types. */
function sliceRows(c: Column, start: number, n: number): Column {
  if (start === 0 && n === c.length) return c;
  const validity = c.validity === null ? null : sliceBits(c.validity, start, n);
  switch (c.type.kind) {
    case 'int32':
    case 'date':
    case 'int64':
    case 'timestamp':
    case 'float64':
      return makeColumn(c.type, n, (c.values as Int32Array | BigInt64Array | Float64Array).subarray(start, start + n), validity);
    case 'decimal':
      return makeColumn(c.type, n, (c.values as Uint32Array).subarray(4 * start, 4 * (start + n)), validity);
    default: {
      const rows = new Int32Array(n);
      for (let i = 0; i < n; i++) rows[i] = start + i;
      return takeColumn(c, rows);
    }
  }
}

/** The input batches with each window column's slice for their rows appended. */
function appendColumns(batches: readonly RecordBatch[], output: Schema, inputWidth: number, results: readonly Column[]): RecordBatch[] {
  let offset = 0;
  return batches.map((batch) => {
    const n = batch.numRows;
    const added: Data[] = results.map((c) => columnToData(sliceRows(c, offset, n)));
    offset += n;
    const fields = [
      ...batch.schema.fields,
      ...added.map((d, k) => {
        const f = output.fields[inputWidth + k]!;
        return new ArrowField(f.name, d.type, f.nullable || d.nullCount > 0);
      }),
    ];
    const children = [...batch.data.children, ...added];
    return new RecordBatch(new ArrowSchema(fields, batch.schema.metadata), makeData({ type: new Struct(fields), length: n, nullCount: 0, children }));
  });
}
