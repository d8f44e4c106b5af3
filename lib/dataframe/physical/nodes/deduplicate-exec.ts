// Keeps the first row of each distinct key (a hash set of keys) in the order rows arrive: per map task
// before the exchange (fewer rows to move), then per reduce partition over map outputs in map-task order,
// which makes the kept row the first in input order.
import type { Schema } from '../../types/schema.js';
import type { PhysicalPlan } from '../physical-plan.js';

/** Physical deduplication. */
export interface DeduplicateExec {
  readonly kind: 'deduplicate';
  readonly input: PhysicalPlan;
  /** Names of the key columns of the input. */
  readonly keys: readonly string[];
  readonly schema: Schema;
}
