// Finding window calls in a select list, for the plan builder: it computes them in a Window node (one per
// distinct PARTITION BY + ORDER BY, since one sort serves every call that shares them) and replaces each
// by a reference to its output column.
import { displayExpr, displaySortKey } from './display-expr.js';
import type { Expr } from './expr.js';
import type { WindowCallNode } from './nodes/window-call-node.js';
import { childrenOf, someExpr } from './transform-expr.js';

/**
 * The window calls in `exprs`, each distinct call (by its SQL text) once, in first-use order. Calls inside
 * a window call's arguments are not collected (the analyzer refuses nested window functions).
 * @example collectWindowCalls(parseExpressionList('amount, sum(amount) OVER (PARTITION BY m) AS total'))
 */
export function collectWindowCalls(exprs: readonly Expr[]): WindowCallNode[] {
  const found = new Map<string, WindowCallNode>();
  const visit = (e: Expr): void => {
    if (e.kind === 'window-call') {
      const key = displayExpr(e);
      if (!found.has(key)) found.set(key, e);
      return;
    }
    for (const c of childrenOf(e)) visit(c);
  };
  for (const e of exprs) visit(e);
  return [...found.values()];
}

/** True if the expression contains a window call. */
export function containsWindowCall(e: Expr): boolean {
  return someExpr(e, (x) => x.kind === 'window-call');
}

/** The text two calls share exactly when they have the same PARTITION BY and ORDER BY (so one sort serves both). */
export function windowSpecKey(call: WindowCallNode): string {
  return `PARTITION BY ${call.partitionBy.map(displayExpr).join(', ')} ORDER BY ${call.orderBy.map(displaySortKey).join(', ')}`;
}

/**
 * Calls grouped by PARTITION BY + ORDER BY, groups in first-use order: each group is one Window node's
 * work (evaluateWindows takes calls sharing both).
 */
export function groupWindowCalls(calls: readonly WindowCallNode[]): WindowCallNode[][] {
  const groups = new Map<string, WindowCallNode[]>();
  for (const c of calls) {
    const key = windowSpecKey(c);
    const g = groups.get(key);
    if (g) g.push(c);
    else groups.set(key, [c]);
  }
  return [...groups.values()];
}
