// Filters as selection vectors: a predicate compiled once yields, per batch, the row indexes where it is
// TRUE (NULL and FALSE drop). Conjunctions cascade: each conjunct runs only on the rows the previous
// ones kept; string-literal conjuncts read the column in place (in-place-string-filter.ts). `takeRows`
// materialises a selection into a new record batch.
import { Field, makeData, RecordBatch, Schema as ArrowSchema, Struct } from 'apache-arrow';
import type { Vector } from 'apache-arrow';
import { PaylakeError } from '../../../errors/paylake-error.js';
import { displayExpr } from '../../expr/display-expr.js';
import type { Expr } from '../../expr/expr.js';
import { fromArrowType } from '../../types/arrow-type.js';
import type { Schema } from '../../types/schema.js';
import { columnFromVector, columnToData } from './arrow-column.js';
import { truePositions } from './boolean-kernels.js';
import { compileNode, composeSelection, evaluateFull } from './compile-expr.js';
import { BatchInput } from './eval-node.js';
import { compileInPlaceStringFilter } from './in-place-string-filter.js';
import type { InPlaceFilter } from './in-place-string-filter.js';
import type { EvalInput, EvalNode } from './eval-node.js';
import { takeColumn } from './take-column.js';

/** A compiled filter predicate. */
export interface CompiledPredicate {
  /**
   * Row indexes of `batch` (ascending, restricted to `selection` when given) where the predicate is TRUE.
   * @example compilePredicate(analyzeExpr(parseExpression("status = 'APPROVED'"), schema).expr, schema).select(batch)
   */
  select(batch: RecordBatch, selection?: Uint32Array): Uint32Array;
  /** The same over an evaluator input. */
  selectInput(input: EvalInput, selection: Uint32Array | null): Uint32Array;
}

/** Compiles an analysed boolean expression into a predicate. */
export function compilePredicate(expr: Expr, schema: Schema): CompiledPredicate {
  const conjuncts = splitConjuncts(expr).map((c): InPlaceFilter => {
    // `status = 'APPROVED'` and friends read the column's bytes in place instead of gathering the rows.
    const inPlace = compileInPlaceStringFilter(c, schema);
    if (inPlace !== null) return inPlace;
    const node = compileNode(c, schema);
    if (node.type.kind !== 'boolean' && node.type.kind !== 'null') {
      throw new PaylakeError('TYPE_ERROR', `a filter needs a boolean condition, got ${node.type.kind} in ${displayExpr(c)}`);
    }
    return (input, sel) => selectOne(node, input, sel);
  });
  const selectInput = (input: EvalInput, selection: Uint32Array | null): Uint32Array => {
    let sel = selection;
    for (const conjunct of conjuncts) {
      if (sel !== null && sel.length === 0) return sel;
      sel = conjunct(input, sel);
    }
    return sel ?? Uint32Array.from({ length: input.numRows }, (_, i) => i);
  };
  return {
    select: (batch, selection) => selectInput(new BatchInput(batch, schema), selection ?? null),
    selectInput,
  };
}

function selectOne(node: EvalNode, input: EvalInput, sel: Uint32Array | null): Uint32Array {
  const result = evaluateFull(node, input, sel);
  if (result.type.kind === 'null') return new Uint32Array(0);
  return composeSelection(sel, truePositions(result));
}

/** `a AND b AND c` as [a, b, c] (Spark may reorder conjuncts too; see the report on ANSI errors). */
function splitConjuncts(e: Expr): Expr[] {
  if (e.kind === 'binary' && e.op === 'AND') return [...splitConjuncts(e.left), ...splitConjuncts(e.right)];
  return [e];
}

/**
 * The rows `selection` of `batch`, in that order, as a new record batch with the same column names.
 * Each output column has type `toArrowType(fromArrowType(input type))`, the engine's representation:
 * narrow inputs are widened (int8/int16 → int32, uint32 → int64, float32 → float64, ms/s timestamps → µs,
 * date64 → date32, large and dictionary strings → utf8), so the batch matches what expressions return.
 * Column types the engine cannot compute on (nested, uint64) raise TYPE_ERROR naming the column.
 */
export function takeRows(batch: RecordBatch, selection: Uint32Array): RecordBatch {
  const fields: Field[] = [];
  const children = batch.schema.fields.map((f, i) => {
    const type = fromArrowType(f.type, f.name);
    const vector = batch.getChildAt(i) as Vector;
    const data = columnToData(takeColumn(columnFromVector(vector, type, f.name), selection));
    fields.push(new Field(f.name, data.type, f.nullable, f.metadata));
    return data;
  });
  const struct = makeData({ type: new Struct(fields), length: selection.length, nullCount: 0, children });
  return new RecordBatch(new ArrowSchema(fields, batch.schema.metadata), struct);
}
