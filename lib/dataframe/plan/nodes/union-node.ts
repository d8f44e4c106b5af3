// Concatenates inputs with the same column types by position (UNION ALL; no deduplication).
import type { LogicalPlan } from '../logical-plan.js';
import type { Schema } from '../../types/schema.js';

/** `df.union(other)` — names come from the first input, as in Spark. */
export interface UnionNode {
  readonly kind: 'union';
  readonly inputs: readonly LogicalPlan[];
  readonly schema: Schema;
}

/** Companion of UnionNode. */
export const UnionNode = Object.freeze({
  create(inputs: readonly LogicalPlan[], schema: Schema): UnionNode {
    return Object.freeze({ kind: 'union', inputs: Object.freeze([...inputs]), schema });
  },
});
