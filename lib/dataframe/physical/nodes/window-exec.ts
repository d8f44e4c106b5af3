// Window functions inside a task: the input arrives sorted by the calls' PARTITION BY then ORDER BY keys
// (a sort the planner puts below, after a hash exchange on the PARTITION BY keys so that each window
// partition is whole in one task), and each call's column is appended.
import type { Expr } from '../../expr/expr.js';
import type { Schema } from '../../types/schema.js';
import type { PhysicalPlan } from '../physical-plan.js';

/** Physical window. */
export interface WindowExec {
  readonly kind: 'window';
  readonly input: PhysicalPlan;
  /** Aliased window calls sharing PARTITION BY and ORDER BY, analysed against the input. */
  readonly windows: readonly Expr[];
  readonly schema: Schema;
}
