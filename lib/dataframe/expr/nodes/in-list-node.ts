// `x [NOT] IN (v1, v2, ...)` with SQL NULL semantics: NULL when no match and the list holds a NULL.
import type { Expr } from '../expr.js';

/** `currency IN ('EUR', 'USD')` */
export interface InListNode {
  readonly kind: 'in-list';
  readonly operand: Expr;
  readonly list: readonly Expr[];
  readonly negated: boolean;
}

/** Companion of InListNode. */
export const InListNode = Object.freeze({
  create(operand: Expr, list: readonly Expr[], negated = false): InListNode {
    return Object.freeze({ kind: 'in-list', operand, list: Object.freeze([...list]), negated });
  },
});
