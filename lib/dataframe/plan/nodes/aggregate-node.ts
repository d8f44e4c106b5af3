// Groups rows by key expressions and computes aggregates per group; with no keys, one row for the whole
// input (an empty input still gives one row: count 0, sum NULL — Spark's global aggregate).
import type { Expr } from '../../expr/expr.js';
import type { LogicalPlan } from '../logical-plan.js';
import type { Schema } from '../../types/schema.js';

/** `df.groupBy("merchant_id").agg("sum(amount_minor) AS gross")` */
export interface AggregateNode {
  readonly kind: 'aggregate';
  readonly input: LogicalPlan;
  /** Grouping expressions, each a column reference or an alias; output first, in this order. */
  readonly keys: readonly Expr[];
  /** Output expressions over aggregate calls (and keys), each named; output after the keys. */
  readonly aggregates: readonly Expr[];
  readonly schema: Schema;
}

/** Companion of AggregateNode. */
export const AggregateNode = Object.freeze({
  create(input: LogicalPlan, keys: readonly Expr[], aggregates: readonly Expr[], schema: Schema): AggregateNode {
    return Object.freeze({ kind: 'aggregate', input, keys: Object.freeze([...keys]), aggregates: Object.freeze([...aggregates]), schema });
  },
});
