// Rule: fold constant sub-expressions that need no evaluator — numeric widening casts of literals
// (so `amount_minor > CAST(10000 AS BIGINT)` compares with 10000L and can use row-group statistics),
// boolean connectives with TRUE/FALSE, NOT of a literal, IS [NOT] NULL of a literal — and drop filters
// that are always TRUE.
import type { Expr } from '../../expr/expr.js';
import { LiteralNode } from '../../expr/nodes/literal-node.js';
import type { LiteralValue } from '../../expr/nodes/literal-node.js';
import { mapChildren } from '../../expr/transform-expr.js';
import { formatUnscaled } from '../../expr/display-expr.js';
import type { DataType } from '../../types/data-type.js';
import { types } from '../../types/data-type.js';
import type { LogicalPlan } from '../../plan/logical-plan.js';
import { FilterNode } from '../../plan/nodes/filter-node.js';
import { ProjectNode } from '../../plan/nodes/project-node.js';
import { transformUp } from '../../plan/with-inputs.js';

/** The rule. */
export function foldConstants(plan: LogicalPlan): LogicalPlan {
  return transformUp(plan, (p) => {
    switch (p.kind) {
      case 'filter': {
        const condition = foldExpr(p.condition);
        if (condition.kind === 'literal' && condition.value === true) return p.input;
        return condition === p.condition ? p : FilterNode.create(p.input, condition);
      }
      case 'project': {
        const exprs = p.exprs.map(foldExpr);
        return exprs.every((e, i) => e === p.exprs[i]) ? p : ProjectNode.create(p.input, exprs, p.schema);
      }
      default:
        return p;
    }
  });
}

/** Folds an expression bottom-up. */
export function foldExpr(e: Expr): Expr {
  return foldNode(mapChildren(e, foldExpr));
}

const TRUE = LiteralNode.create(true, types.boolean);
const FALSE = LiteralNode.create(false, types.boolean);

function isBool(e: Expr, value: boolean): boolean {
  return e.kind === 'literal' && e.value === value;
}

function foldNode(e: Expr): Expr {
  switch (e.kind) {
    case 'cast': {
      if (e.operand.kind !== 'literal') return e;
      const value = castLiteral(e.operand.value, e.operand.type, e.to);
      return value === undefined ? e : LiteralNode.create(value, e.to);
    }
    case 'binary':
      if (e.op === 'AND') {
        if (isBool(e.left, false) || isBool(e.right, false)) return FALSE;
        if (isBool(e.left, true)) return e.right;
        if (isBool(e.right, true)) return e.left;
      }
      if (e.op === 'OR') {
        if (isBool(e.left, true) || isBool(e.right, true)) return TRUE;
        if (isBool(e.left, false)) return e.right;
        if (isBool(e.right, false)) return e.left;
      }
      return e;
    case 'unary':
      if (e.operand.kind !== 'literal') return e;
      if (e.op === 'isnull') return e.operand.value === null ? TRUE : FALSE;
      if (e.op === 'isnotnull') return e.operand.value === null ? FALSE : TRUE;
      if (e.op === 'NOT' && typeof e.operand.value === 'boolean') return e.operand.value ? FALSE : TRUE;
      return e;
    default:
      return e;
  }
}

/** A literal's value converted exactly to a wider numeric type, or undefined when that is not a pure widening. */
function castLiteral(value: LiteralValue, from: DataType, to: DataType): LiteralValue | undefined {
  if (value === null) return null;
  if (from.kind === 'int32' && to.kind === 'int64') return BigInt(value as number);
  // To double: the nearest double, exactly as the runtime cast computes it (Java's long→double, BigDecimal.doubleValue).
  if ((from.kind === 'int32' || from.kind === 'int64') && to.kind === 'float64') return Number(value);
  if (from.kind === 'decimal' && to.kind === 'float64') return Number(formatUnscaled(value as bigint, from.scale));
  if ((from.kind === 'int32' || from.kind === 'int64') && to.kind === 'decimal') {
    const unscaled = BigInt(value as number | bigint) * 10n ** BigInt(to.scale);
    return unscaled.toString().replace('-', '').length <= to.precision ? unscaled : undefined;
  }
  if (from.kind === 'decimal' && to.kind === 'decimal' && to.scale >= from.scale) {
    const unscaled = (value as bigint) * 10n ** BigInt(to.scale - from.scale);
    return unscaled.toString().replace('-', '').length <= to.precision ? unscaled : undefined;
  }
  if (from.kind === 'date' && to.kind === 'timestamp') return BigInt(value as number) * 86_400_000_000n;
  return undefined;
}
