// One ORDER BY key: an expression, a direction and where NULLs go.
import type { Expr } from './expr.js';

/** `expr [ASC|DESC] [NULLS FIRST|LAST]` */
export interface SortKey {
  readonly expr: Expr;
  readonly ascending: boolean;
  /** Spark's default: NULLS FIRST for ASC, NULLS LAST for DESC. */
  readonly nullsFirst: boolean;
}
