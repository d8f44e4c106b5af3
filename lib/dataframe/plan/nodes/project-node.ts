// Computes output columns from input columns: select, withColumn, rename.
import type { Expr } from '../../expr/expr.js';
import type { LogicalPlan } from '../logical-plan.js';
import type { Schema } from '../../types/schema.js';

/** `df.select("merchant_id", "amount_minor * 2 AS doubled")` — every expression analysed and named. */
export interface ProjectNode {
  readonly kind: 'project';
  readonly input: LogicalPlan;
  /** One per output column, each a column reference or an alias. */
  readonly exprs: readonly Expr[];
  readonly schema: Schema;
}

/** Companion of ProjectNode. */
export const ProjectNode = Object.freeze({
  create(input: LogicalPlan, exprs: readonly Expr[], schema: Schema): ProjectNode {
    return Object.freeze({ kind: 'project', input, exprs: Object.freeze([...exprs]), schema });
  },
});
