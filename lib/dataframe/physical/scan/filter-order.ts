// Orders a scan's filter conjuncts so the cheap ones run first: each conjunct is evaluated only on the rows
// the previous ones kept, so a fixed-width comparison (`amount_minor > 10000`) before a string test
// (`status = 'APPROVED'`) or a LIKE leaves fewer strings to look at. Stable among equals, so the written
// order decides ties (and explain shows the order used).
import { assertNever } from '../../assert-never.js';
import type { Expr } from '../../expr/expr.js';
import { childrenOf } from '../../expr/transform-expr.js';
import { fieldOf } from '../../types/schema.js';
import type { Schema } from '../../types/schema.js';

/** The conjuncts, cheapest first. */
export function orderByCost(conjuncts: readonly Expr[], schema: Schema): Expr[] {
  return conjuncts
    .map((e, i) => ({ e, i, cost: cost(e, schema) }))
    .sort((a, b) => a.cost - b.cost || a.i - b.i)
    .map((x) => x.e);
}

/** A rough relative cost per row: fixed-width work 1, string bytes 4, pattern matching and functions more. */
function cost(e: Expr, schema: Schema): number {
  const own = ((): number => {
    switch (e.kind) {
      case 'column': {
        const k = fieldOf(schema, e.name, e.qualifier).type.kind;
        return k === 'string' || k === 'binary' ? 4 : 1;
      }
      case 'literal':
      case 'interval':
        return 0;
      case 'binary':
      case 'unary':
      case 'cast':
      case 'in-list':
      case 'case':
      case 'alias':
      case 'aggregate-call':
      case 'window-call':
        return 1;
      case 'like':
        return 8;
      case 'function':
        return 6;
      default:
        return assertNever(e, 'expression');
    }
  })();
  return own + childrenOf(e).reduce((s, c) => s + cost(c, schema), 0);
}
