// Keeps rows whose condition is TRUE, vectorized with a selection vector.
import type { Expr } from '../../expr/expr.js';
import type { Schema } from '../../types/schema.js';
import type { PhysicalPlan } from '../physical-plan.js';

/** Physical filter. */
export interface FilterExec {
  readonly kind: 'filter';
  readonly input: PhysicalPlan;
  readonly condition: Expr;
  readonly schema: Schema;
}
