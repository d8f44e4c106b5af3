// Keeps one row per distinct combination of key columns: the first in input order (files in listing order,
// row groups and rows in file order), so the kept row does not depend on timing or the number of workers.
import type { LogicalPlan } from '../logical-plan.js';
import type { Schema } from '../../types/schema.js';

/** `df.dropDuplicates(['txn_id'])`; `df.distinct()` names every column. */
export interface DeduplicateNode {
  readonly kind: 'deduplicate';
  readonly input: LogicalPlan;
  /** Names of the input columns that identify a duplicate. */
  readonly keys: readonly string[];
  readonly schema: Schema;
}

/** Companion of DeduplicateNode. */
export const DeduplicateNode = Object.freeze({
  create(input: LogicalPlan, keys: readonly string[]): DeduplicateNode {
    return Object.freeze({ kind: 'deduplicate', input, keys: Object.freeze([...keys]), schema: input.schema });
  },
});
