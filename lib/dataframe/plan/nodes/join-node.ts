// Joins two inputs on equality of key expressions, Spark SQL 3.5 semantics: a NULL key never matches;
// an optional extra condition over the joined row must also be TRUE for a pair to match. Output columns are
// the left input's then the right input's (only the left's for left semi and left anti joins).
import type { Expr } from '../../expr/expr.js';
import type { JoinType } from '../../physical/join/join-type.js';
import type { LogicalPlan } from '../logical-plan.js';
import type { Schema } from '../../types/schema.js';

/** `tx.join(bank, 'txn_id = psp_reference', 'left')` */
export interface JoinNode {
  readonly kind: 'join';
  readonly left: LogicalPlan;
  readonly right: LogicalPlan;
  readonly type: JoinType;
  /** Key expressions over the left input; each has the type of its partner in `rightKeys`. */
  readonly leftKeys: readonly Expr[];
  readonly rightKeys: readonly Expr[];
  /** Extra condition over the joined columns (left then right), or null. */
  readonly condition: Expr | null;
  readonly schema: Schema;
}

/** Companion of JoinNode. */
export const JoinNode = Object.freeze({
  create(
    left: LogicalPlan,
    right: LogicalPlan,
    type: JoinType,
    leftKeys: readonly Expr[],
    rightKeys: readonly Expr[],
    condition: Expr | null,
    schema: Schema,
  ): JoinNode {
    return Object.freeze({ kind: 'join', left, right, type, leftKeys: Object.freeze([...leftKeys]), rightKeys: Object.freeze([...rightKeys]), condition, schema });
  },
});
