// NOT, unary minus and the IS [NOT] NULL tests.
import type { Expr } from '../expr.js';

/** Unary operators. `isnull`/`isnotnull` never return NULL. */
export type UnaryOp = 'NOT' | 'negate' | 'isnull' | 'isnotnull';

/** `NOT p`, `-x`, `x IS NULL` */
export interface UnaryNode {
  readonly kind: 'unary';
  readonly op: UnaryOp;
  readonly operand: Expr;
}

/** Companion of UnaryNode. */
export const UnaryNode = Object.freeze({
  create(op: UnaryOp, operand: Expr): UnaryNode {
    return Object.freeze({ kind: 'unary', op, operand });
  },
});
