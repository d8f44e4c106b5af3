// Plans one JOIN of a FROM clause: the join type as Spark SQL 3.5 spells it, the ON or USING condition bound
// against both sides, and the renaming that keeps the two inputs' column names apart, which the join
// builder requires (references are by name after analysis): a right-side column whose name the left side
// already has is renamed `name#1` (`#2`, ... if taken) in the plan, while the scope keeps its user-visible
// name and qualifier, so `b.amount` still resolves and a bare `amount` is ambiguous.
import { PaylakeError } from '../errors/paylake-error.js';
import type { Expr } from '../dataframe/expr/expr.js';
import { AliasNode } from '../dataframe/expr/nodes/alias-node.js';
import { BinaryNode } from '../dataframe/expr/nodes/binary-node.js';
import { ColumnNode } from '../dataframe/expr/nodes/column-node.js';
import { FunctionNode } from '../dataframe/expr/nodes/function-node.js';
import { displayExpr } from '../dataframe/expr/display-expr.js';
import { referencedColumns, rewriteExpr, splitConjunction } from '../dataframe/expr/transform-expr.js';
import { join } from '../dataframe/plan/join-builder.js';
import { ProjectNode } from '../dataframe/plan/nodes/project-node.js';
import type { JoinType } from '../dataframe/physical/join/join-type.js';
import type { Schema } from '../dataframe/types/schema.js';
import { schemaOf } from '../dataframe/types/schema.js';
import { bindColumns, resolveColumn, UnresolvedReference } from './sql-scope.js';
import type { Relation, ScopeColumn } from './sql-scope.js';

/** The parser's join operators that paylake runs, by AST variant name (`JOIN` is `Join`, `INNER JOIN` is `Inner`). */
const JOIN_OPERATORS: Readonly<Record<string, JoinType>> = {
  Join: 'inner',
  Inner: 'inner',
  Left: 'left',
  LeftOuter: 'left',
  Right: 'right',
  RightOuter: 'right',
  FullOuter: 'full',
  LeftSemi: 'left_semi',
  Semi: 'left_semi',
  LeftAnti: 'left_anti',
  Anti: 'left_anti',
};

const EQUI_ONLY = 'paylake runs equi-joins (hash joins) only';

/** How the two sides are matched: a condition, or USING's list of names both sides have. */
export type JoinCondition = { readonly on: Expr } | { readonly using: readonly string[] };

/**
 * The join type of a parsed join operator (its AST variant name); refuses the joins that have no equality
 * between the sides (CROSS JOIN, NATURAL JOIN, JOIN without ON/USING) and the ones Spark does not have.
 */
export function joinTypeOf(operator: string, constraint: string): JoinType {
  if (operator === 'CrossJoin') {
    throw new PaylakeError('USAGE', `CROSS JOIN pairs every row with every row; ${EQUI_ONLY} — write JOIN ... ON left_col = right_col`);
  }
  const type = JOIN_OPERATORS[operator];
  if (type === undefined) {
    const hint = operator === 'RightSemi' || operator === 'RightAnti' ? ` (Spark has none; swap the tables and write LEFT ${operator.slice(5).toUpperCase()} JOIN)` : '';
    throw new PaylakeError('PARSE_ERROR', `the join ${operator} is not supported by paylake sql${hint}`);
  }
  if (constraint === 'Natural') throw new PaylakeError('USAGE', 'NATURAL JOIN is not supported: name the join keys with USING (col, ...) or ON left_col = right_col');
  if (constraint === 'None') {
    throw new PaylakeError('USAGE', `a JOIN without ON or USING is a cross join; ${EQUI_ONLY} — add ON left_col = right_col`);
  }
  return type;
}

/**
 * `left` joined with `right`: the plan (through the join builder) and the columns the query may name after
 * it — both sides' (only the left's for semi and anti joins), and for USING the merged keys first, as Spark
 * orders `*`: the left's key (the right's for RIGHT, coalesce of both for FULL), each side's own key then
 * reachable only qualified.
 */
export function joinRelations(left: Relation, right: Relation, type: JoinType, condition: JoinCondition): Relation {
  const r = renamedApart(left.plan.schema, right);
  const leftOnly = type === 'left_semi' || type === 'left_anti';
  if ('on' in condition) {
    const both = [...left.columns, ...r.columns];
    const bound = bindColumns(condition.on, both);
    if (!hasEquality(bound, left.plan.schema, r.plan.schema)) {
      // The join builder refuses it too, but would show the internal names; show the condition as written.
      throw new PaylakeError('USAGE', `the join condition ${displayExpr(condition.on)} has no equality between a column of each side; ${EQUI_ONLY} — add one such as left_col = right_col`);
    }
    const plan = join(left.plan, r.plan, bound, type);
    return { plan, columns: leftOnly ? left.columns : both };
  }
  const names = [...new Map(condition.using.map((n) => [n.toLowerCase(), n])).values()];
  const keys = names.map((n) => ({ left: usingKey(left.columns, n, 'left'), right: usingKey(r.columns, n, 'right') }));
  const on = keys.map((k): Expr => BinaryNode.create('=', k.left.expr, k.right.expr)).reduce((a, b) => BinaryNode.create('AND', a, b));
  const plan = join(left.plan, r.plan, on, type);
  const merged = keys.map(
    (k): ScopeColumn => ({
      qualifier: null,
      name: k.left.name,
      expr: type === 'right' ? k.right.expr : type === 'full' ? FunctionNode.create('coalesce', [k.left.expr, k.right.expr]) : k.left.expr,
      hidden: false,
    }),
  );
  const hide = (columns: readonly ScopeColumn[], used: readonly ScopeColumn[]): ScopeColumn[] =>
    columns.map((c) => (used.includes(c) ? { ...c, hidden: true } : c));
  const rest = leftOnly ? [] : hide(r.columns, keys.map((k) => k.right));
  return { plan, columns: [...merged, ...hide(left.columns, keys.map((k) => k.left)), ...rest] };
}

/** Whether some conjunct of `condition` is `l = r` with `l` over the left's columns only and `r` over the right's (or swapped). */
function hasEquality(condition: Expr, left: Schema, right: Schema): boolean {
  const over = (e: Expr, schema: Schema): boolean => {
    const names = new Set(schema.fields.map((f) => f.name));
    const cols = referencedColumns(e);
    return cols.length > 0 && cols.every((c) => names.has(c));
  };
  return splitConjunction(condition).some(
    (c) => c.kind === 'binary' && c.op === '=' && ((over(c.left, left) && over(c.right, right)) || (over(c.left, right) && over(c.right, left))),
  );
}

function usingKey(columns: readonly ScopeColumn[], name: string, side: 'left' | 'right'): ScopeColumn {
  try {
    return resolveColumn(columns, name, null);
  } catch (e) {
    if (!(e instanceof UnresolvedReference)) throw e;
    throw new UnresolvedReference(e.code, `USING (${name}) on the ${side} side of the join: ${e.message}`, e.column, e.qualifier);
  }
}

/** `right` with each column whose name `left` has renamed `name#k`, its scope following the new names. */
function renamedApart(left: Schema, right: Relation): Relation {
  const leftNames = new Set(left.fields.map((f) => f.name.toLowerCase()));
  const fields = right.plan.schema.fields;
  const taken = new Set([...leftNames, ...fields.map((f) => f.name.toLowerCase())]);
  const renames = new Map<string, string>();
  for (const f of fields) {
    if (!leftNames.has(f.name.toLowerCase())) continue;
    let k = 1;
    while (taken.has(`${f.name}#${k}`.toLowerCase())) k++;
    const internal = `${f.name}#${k}`;
    taken.add(internal.toLowerCase());
    renames.set(f.name, internal);
  }
  if (renames.size === 0) return right;
  const plan = ProjectNode.create(
    right.plan,
    fields.map((f) => {
      const to = renames.get(f.name);
      return to === undefined ? ColumnNode.create(f.name) : AliasNode.create(ColumnNode.create(f.name), to);
    }),
    schemaOf(fields.map((f) => ({ ...f, name: renames.get(f.name) ?? f.name }))),
  );
  const renamed = (e: Expr): Expr =>
    rewriteExpr(e, (x) => {
      const to = x.kind === 'column' ? renames.get(x.name) : undefined;
      return to === undefined ? undefined : ColumnNode.create(to);
    });
  return { plan, columns: right.columns.map((c) => ({ ...c, expr: renamed(c.expr) })) };
}
