// Keeps the rows whose condition is TRUE (FALSE and NULL drop, as in SQL WHERE).
import type { Expr } from '../../expr/expr.js';
import type { LogicalPlan } from '../logical-plan.js';
import type { Schema } from '../../types/schema.js';

/** `df.filter("status = 'APPROVED'")` — the condition is analysed (boolean, columns resolved). */
export interface FilterNode {
  readonly kind: 'filter';
  readonly input: LogicalPlan;
  readonly condition: Expr;
  readonly schema: Schema;
}

/** Companion of FilterNode. */
export const FilterNode = Object.freeze({
  create(input: LogicalPlan, condition: Expr): FilterNode {
    return Object.freeze({ kind: 'filter', input, condition, schema: input.schema });
  },
});
