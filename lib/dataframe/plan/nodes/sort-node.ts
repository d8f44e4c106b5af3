// Orders rows by keys, with NULLS FIRST/LAST per key; a stable sort, so ties keep input order.
import type { SortKey } from '../../expr/sort-key.js';
import type { LogicalPlan } from '../logical-plan.js';
import type { Schema } from '../../types/schema.js';

/** `df.orderBy("gross DESC")` — keys analysed against the input. */
export interface SortNode {
  readonly kind: 'sort';
  readonly input: LogicalPlan;
  readonly keys: readonly SortKey[];
  readonly schema: Schema;
}

/** Companion of SortNode. */
export const SortNode = Object.freeze({
  create(input: LogicalPlan, keys: readonly SortKey[]): SortNode {
    return Object.freeze({ kind: 'sort', input, keys: Object.freeze([...keys]), schema: input.schema });
  },
});
