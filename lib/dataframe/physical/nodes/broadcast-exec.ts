// A broadcast boundary: the (small) input is run to completion first, its rows written once to the
// scratch directory, and every task of the stage above reads all of them (the build side of a broadcast
// hash join); each worker reads the file once and keeps it for the stage's later tasks.
import type { Schema } from '../../types/schema.js';
import type { PhysicalPlan } from '../physical-plan.js';

/** Physical broadcast exchange. */
export interface BroadcastExec {
  readonly kind: 'broadcast';
  /** Unique within a physical plan, as an exchange's. */
  readonly id: number;
  readonly input: PhysicalPlan;
  readonly schema: Schema;
}
