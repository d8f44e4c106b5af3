// Computes window functions that share one PARTITION BY and ORDER BY, appending one column per call to
// its input's columns (rows are not removed or merged).
import type { Expr } from '../../expr/expr.js';
import type { LogicalPlan } from '../logical-plan.js';
import type { Schema } from '../../types/schema.js';

/** `count(*) OVER (PARTITION BY card_token ORDER BY event_time RANGE BETWEEN INTERVAL 10 MINUTES PRECEDING AND CURRENT ROW)` */
export interface WindowNode {
  readonly kind: 'window';
  readonly input: LogicalPlan;
  /** Window calls analysed against the input, each aliased with its output column's name. */
  readonly windows: readonly Expr[];
  /** The input's fields, then one per window call. */
  readonly schema: Schema;
}

/** Companion of WindowNode. */
export const WindowNode = Object.freeze({
  create(input: LogicalPlan, windows: readonly Expr[], schema: Schema): WindowNode {
    return Object.freeze({ kind: 'window', input, windows: Object.freeze([...windows]), schema });
  },
});
