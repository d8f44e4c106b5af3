// Arithmetic, comparison and boolean connectives between two expressions, with SQL semantics
// (NULL propagates; AND/OR use three-valued logic; integer overflow is an error, not a wrap).
import type { Expr } from '../expr.js';

/** Binary operators, spelled as in Spark SQL. */
export type BinaryOp = '+' | '-' | '*' | '/' | '%' | '=' | '!=' | '<' | '<=' | '>' | '>=' | '<=>' | 'AND' | 'OR';

/** `a + b`, `status = 'APPROVED'`, `p AND q` */
export interface BinaryNode {
  readonly kind: 'binary';
  readonly op: BinaryOp;
  readonly left: Expr;
  readonly right: Expr;
}

/** Companion of BinaryNode. */
export const BinaryNode = Object.freeze({
  create(op: BinaryOp, left: Expr, right: Expr): BinaryNode {
    return Object.freeze({ kind: 'binary', op, left, right });
  },
});
