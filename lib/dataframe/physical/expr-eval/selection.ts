// Filters as selection vectors: a predicate compiled once yields, per batch, the row indexes where it is
// TRUE (NULL and FALSE drop). Conjunctions cascade: each conjunct runs only on the rows the previous
// ones kept. `takeRows` materialises a selection into a new record batch.
import { makeData, RecordBatch, Struct } from 'apache-arrow';
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

/** The rows `selection` of `batch`, in that order, as a new record batch with the same schema. */
export function takeRows(batch: RecordBatch, selection: Uint32Array): RecordBatch {
  const children = batch.schema.fields.map((f, i) => {
    const vector = batch.getChildAt(i) as Vector;
    const column = columnFromVector(vector, fromArrowType(f.type, f.name), f.name);
    const taken = takeColumn(column, selection);
    const data = columnToData(taken);
    // Keep the input's Arrow type (e.g. dictionary or int8 columns are re-typed by the evaluator).
    if (String(data.type) !== String(f.type)) {
      return makeData({ ...(data as object), type: data.type } as never);
    }
    return data;
  });
  const schema = batch.schema;
  const struct = makeData({ type: new Struct(schema.fields), length: selection.length, nullCount: 0, children });
  return new RecordBatch(schema.fields.length === children.length ? (schema as never) : schema, struct);
}
