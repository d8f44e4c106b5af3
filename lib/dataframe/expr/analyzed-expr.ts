// The result of analysing an expression against a schema: the rewritten expression (columns resolved,
// implicit casts made explicit), its type and whether it can be NULL.
import type { DataType } from '../types/data-type.js';
import type { Expr } from './expr.js';
import { CastNode } from './nodes/cast-node.js';
import { sameType } from '../types/data-type.js';

/** An expression whose types check, with its result type. */
export interface AnalyzedExpr {
  readonly expr: Expr;
  readonly type: DataType;
  readonly nullable: boolean;
}

/** `a` converted to `to` by an explicit CAST node (no node when the type already matches). */
export function castTo(a: AnalyzedExpr, to: DataType): AnalyzedExpr {
  if (sameType(a.type, to)) return a;
  if (a.expr.kind === 'literal' && a.expr.value === null) {
    return { expr: { ...a.expr, type: to }, type: to, nullable: true };
  }
  return { expr: CastNode.create(a.expr, to), type: to, nullable: a.nullable };
}
