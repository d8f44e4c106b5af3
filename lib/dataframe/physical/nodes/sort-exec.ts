// Sorts rows by keys, stably; with `limit`, keeps only the top N (a bounded heap per task, then a merge).
import type { SortKey } from '../../expr/sort-key.js';
import type { Schema } from '../../types/schema.js';
import type { PhysicalPlan } from '../physical-plan.js';

/** Physical sort (or top-N when limit is set). */
export interface SortExec {
  readonly kind: 'sort';
  readonly input: PhysicalPlan;
  readonly keys: readonly SortKey[];
  readonly limit: number | null;
  readonly schema: Schema;
}
