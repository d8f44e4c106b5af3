// Names an expression's output column: `sum(amount_minor) AS gross`.
import type { Expr } from '../expr.js';

/** `expr AS name` */
export interface AliasNode {
  readonly kind: 'alias';
  readonly operand: Expr;
  readonly name: string;
}

/** Companion of AliasNode. */
export const AliasNode = Object.freeze({
  create(operand: Expr, name: string): AliasNode {
    return Object.freeze({ kind: 'alias', operand, name });
  },
});
