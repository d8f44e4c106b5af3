// Searched CASE: the first branch whose condition is true gives the value; else the ELSE value or NULL.
// The simple form `CASE x WHEN v THEN ...` is rewritten to this one by the builders and the parser.
import type { Expr } from '../expr.js';

/** One `WHEN condition THEN value`. */
export interface CaseBranch {
  readonly when: Expr;
  readonly then: Expr;
}

/** `CASE WHEN status = 'DECLINED' THEN 1 ELSE 0 END` */
export interface CaseNode {
  readonly kind: 'case';
  readonly branches: readonly CaseBranch[];
  readonly otherwise: Expr | null;
}

/** Companion of CaseNode. */
export const CaseNode = Object.freeze({
  create(branches: readonly CaseBranch[], otherwise: Expr | null = null): CaseNode {
    return Object.freeze({ kind: 'case', branches: Object.freeze([...branches]), otherwise });
  },
});
