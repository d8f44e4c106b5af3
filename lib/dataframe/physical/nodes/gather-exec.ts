// The boundary between per-task work in workers (below) and the coordinator (above): runs the subtree
// once per scan task (or per exchange partition) on the worker pool and hands the results to the
// coordinator in task order, so the output does not depend on which task finished first or on the number
// of workers.
import type { Schema } from '../../types/schema.js';
import type { PhysicalPlan } from '../physical-plan.js';

/** Physical gather. */
export interface GatherExec {
  readonly kind: 'gather';
  readonly input: PhysicalPlan;
  readonly schema: Schema;
}
