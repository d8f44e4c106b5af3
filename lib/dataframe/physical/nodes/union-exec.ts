// Concatenates its inputs in order (UNION ALL).
import type { Schema } from '../../types/schema.js';
import type { PhysicalPlan } from '../physical-plan.js';

/** Physical union. */
export interface UnionExec {
  readonly kind: 'union';
  readonly inputs: readonly PhysicalPlan[];
  readonly schema: Schema;
}
