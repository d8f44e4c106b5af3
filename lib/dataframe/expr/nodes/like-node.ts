// `x [NOT] LIKE pattern` (`%`, `_`, escape `\`) and its case-insensitive form ILIKE.
import type { Expr } from '../expr.js';

/** `merchant_id LIKE 'm_00%'` */
export interface LikeNode {
  readonly kind: 'like';
  readonly operand: Expr;
  readonly pattern: Expr;
  readonly negated: boolean;
  readonly caseInsensitive: boolean;
}

/** Companion of LikeNode. */
export const LikeNode = Object.freeze({
  create(operand: Expr, pattern: Expr, negated = false, caseInsensitive = false): LikeNode {
    return Object.freeze({ kind: 'like', operand, pattern, negated, caseInsensitive });
  },
});
