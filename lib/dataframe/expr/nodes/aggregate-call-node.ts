// An aggregate call: count(*), count(x), count(DISTINCT x), sum, min, max, avg.
// Only valid in an aggregation's output list (or HAVING); the planner checks that.
import type { Expr } from '../expr.js';

/** The aggregate functions. */
export type AggregateFn = 'count' | 'sum' | 'min' | 'max' | 'avg';

/** `sum(amount_minor)`, `count(*)` (arg null), `count(DISTINCT card_token)` */
export interface AggregateCallNode {
  readonly kind: 'aggregate-call';
  readonly fn: AggregateFn;
  /** null only for count(*). */
  readonly arg: Expr | null;
  readonly distinct: boolean;
}

/** Companion of AggregateCallNode. */
export const AggregateCallNode = Object.freeze({
  create(fn: AggregateFn, arg: Expr | null, distinct = false): AggregateCallNode {
    return Object.freeze({ kind: 'aggregate-call', fn, arg, distinct });
  },
});
