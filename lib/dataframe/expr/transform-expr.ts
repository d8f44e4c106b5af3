// Generic traversal of expressions: map a node's children, rewrite top-down, collect referenced columns.
// The one exhaustive list of each node's children lives here, so rules need not repeat it.
import { assertNever } from '../assert-never.js';
import type { Expr } from './expr.js';

/** The node with each direct child replaced by `f(child)`; the same object when nothing changed. */
export function mapChildren(e: Expr, f: (child: Expr) => Expr): Expr {
  switch (e.kind) {
    case 'column':
    case 'literal':
    case 'interval':
      return e;
    case 'binary': {
      const left = f(e.left);
      const right = f(e.right);
      return left === e.left && right === e.right ? e : { ...e, left, right };
    }
    case 'unary':
    case 'alias':
    case 'cast': {
      const operand = f(e.operand);
      return operand === e.operand ? e : { ...e, operand };
    }
    case 'in-list': {
      const operand = f(e.operand);
      const list = e.list.map(f);
      return operand === e.operand && list.every((x, i) => x === e.list[i]) ? e : { ...e, operand, list };
    }
    case 'like': {
      const operand = f(e.operand);
      const pattern = f(e.pattern);
      return operand === e.operand && pattern === e.pattern ? e : { ...e, operand, pattern };
    }
    case 'case': {
      const branches = e.branches.map((b) => ({ when: f(b.when), then: f(b.then) }));
      const otherwise = e.otherwise === null ? null : f(e.otherwise);
      const same = otherwise === e.otherwise && branches.every((b, i) => b.when === e.branches[i]!.when && b.then === e.branches[i]!.then);
      return same ? e : { ...e, branches, otherwise };
    }
    case 'function': {
      const args = e.args.map(f);
      return args.every((x, i) => x === e.args[i]) ? e : { ...e, args };
    }
    case 'aggregate-call': {
      if (e.arg === null) return e;
      const arg = f(e.arg);
      return arg === e.arg ? e : { ...e, arg };
    }
    case 'window-call': {
      // The frame's offsets are constants, not children.
      const args = e.args.map(f);
      const partitionBy = e.partitionBy.map(f);
      const orderBy = e.orderBy.map((k) => {
        const expr = f(k.expr);
        return expr === k.expr ? k : { ...k, expr };
      });
      const same = args.every((x, i) => x === e.args[i]) && partitionBy.every((x, i) => x === e.partitionBy[i]) && orderBy.every((k, i) => k === e.orderBy[i]);
      return same ? e : { ...e, args, partitionBy, orderBy };
    }
    default:
      return assertNever(e, 'expression');
  }
}

/** The direct children of a node. */
export function childrenOf(e: Expr): Expr[] {
  const out: Expr[] = [];
  mapChildren(e, (c) => {
    out.push(c);
    return c;
  });
  return out;
}

/**
 * Rewrites top-down: where `fn` returns an expression it replaces the node (and is not descended into);
 * where it returns undefined the node's children are rewritten.
 */
export function rewriteExpr(e: Expr, fn: (node: Expr) => Expr | undefined): Expr {
  const replaced = fn(e);
  if (replaced !== undefined) return replaced;
  return mapChildren(e, (c) => rewriteExpr(c, fn));
}

/** Whether any node satisfies `predicate`. */
export function someExpr(e: Expr, predicate: (node: Expr) => boolean): boolean {
  return predicate(e) || childrenOf(e).some((c) => someExpr(c, predicate));
}

/** The names of the columns an expression reads, in first-use order, without duplicates. */
export function referencedColumns(e: Expr): string[] {
  const seen = new Set<string>();
  const visit = (x: Expr): void => {
    if (x.kind === 'column') seen.add(x.name);
    else for (const c of childrenOf(x)) visit(c);
  };
  visit(e);
  return [...seen];
}

/** `a AND b AND c` → [a, b, c]. */
export function splitConjunction(e: Expr): Expr[] {
  if (e.kind === 'binary' && e.op === 'AND') return [...splitConjunction(e.left), ...splitConjunction(e.right)];
  return [e];
}
