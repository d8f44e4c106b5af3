// Evaluates the output expressions of a projection over each batch.
import type { Expr } from '../../expr/expr.js';
import type { Schema } from '../../types/schema.js';
import type { PhysicalPlan } from '../physical-plan.js';

/** Physical projection. */
export interface ProjectExec {
  readonly kind: 'project';
  readonly input: PhysicalPlan;
  readonly exprs: readonly Expr[];
  readonly schema: Schema;
}
