// Passes the first N rows of its input, in input (task) order.
import type { Schema } from '../../types/schema.js';
import type { PhysicalPlan } from '../physical-plan.js';

/** Physical limit. */
export interface LimitExec {
  readonly kind: 'limit';
  readonly input: PhysicalPlan;
  readonly count: number;
  readonly schema: Schema;
}
