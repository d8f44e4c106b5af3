// Keeps the first `count` rows of its input (after a sort: top-N).
import type { LogicalPlan } from '../logical-plan.js';
import type { Schema } from '../../types/schema.js';

/** `df.limit(20)` */
export interface LimitNode {
  readonly kind: 'limit';
  readonly input: LogicalPlan;
  readonly count: number;
  readonly schema: Schema;
}

/** Companion of LimitNode. */
export const LimitNode = Object.freeze({
  create(input: LogicalPlan, count: number): LimitNode {
    return Object.freeze({ kind: 'limit', input, count, schema: input.schema });
  },
});
