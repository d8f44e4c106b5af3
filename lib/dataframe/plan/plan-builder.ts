// Builds analysed logical plan nodes: every expression is resolved and type-checked against its input
// when the node is made (as Spark's analyzer does eagerly), so errors appear where the user wrote them.
// Aggregations are normalised: the Aggregate node computes keys and plain aggregate calls only; output
// expressions over them (`sum(a) / count(*)`) go into a Project above it.
import { PaylakeError } from '../../errors/paylake-error.js';
import { analyzeExpr, containsAggregate } from '../expr/analyze-expr.js';
import type { AnalyzedExpr } from '../expr/analyzed-expr.js';
import { castTo } from '../expr/analyzed-expr.js';
import { displayExpr, outputName } from '../expr/display-expr.js';
import type { Expr } from '../expr/expr.js';
import { AliasNode } from '../expr/nodes/alias-node.js';
import { ColumnNode } from '../expr/nodes/column-node.js';
import { parseExpression, parseExpressionList, parseSortKeys } from '../expr/parser/parse-expression.js';
import type { SortKey } from '../expr/sort-key.js';
import { rewriteExpr, someExpr } from '../expr/transform-expr.js';
import { sameType, typeName } from '../types/data-type.js';
import type { Field, Schema } from '../types/schema.js';
import { schemaOf } from '../types/schema.js';
import { commonType } from '../types/type-coercion.js';
import type { LogicalPlan } from './logical-plan.js';
import { AggregateNode } from './nodes/aggregate-node.js';
import { FilterNode } from './nodes/filter-node.js';
import { LimitNode } from './nodes/limit-node.js';
import { ProjectNode } from './nodes/project-node.js';
import { SortNode } from './nodes/sort-node.js';
import { UnionNode } from './nodes/union-node.js';
import { WindowNode } from './nodes/window-node.js';
import type { WindowCallNode } from '../expr/nodes/window-call-node.js';
import { collectWindowCalls, groupWindowCalls } from '../expr/window-calls.js';

/** An expression given as SQL text or as a built expression. */
export type ExprInput = string | Expr;

function toExpr(e: ExprInput): Expr {
  return typeof e === 'string' ? parseExpression(e) : e;
}

/** Expressions from strings that may each hold a comma-separated list (`"a, b AS c"`). */
function toExprList(items: readonly ExprInput[]): Expr[] {
  return items.flatMap((i) => (typeof i === 'string' ? parseExpressionList(i) : [i]));
}

/** A named output: aliases kept, bare columns by name, anything else aliased with its SQL text. */
function named(a: AnalyzedExpr): Expr {
  if (a.expr.kind === 'alias' || a.expr.kind === 'column') return a.expr;
  return AliasNode.create(a.expr, outputName(a.expr));
}

function fieldFor(a: AnalyzedExpr, input: Schema): Field {
  const e = a.expr;
  const name = outputName(e);
  // A bare column keeps its qualifier, so `t.col` still resolves after a projection.
  const qualifier = e.kind === 'column' ? (input.fields.find((f) => f.name === e.name)?.qualifier ?? null) : null;
  return { name, type: a.type, nullable: a.nullable, qualifier };
}

function checkUniqueNames(fields: readonly Field[], where: string): void {
  const seen = new Set<string>();
  for (const f of fields) {
    const key = f.name.toLowerCase();
    if (seen.has(key)) {
      throw new PaylakeError('USAGE', `${where} produces the column "${f.name}" twice; give one of them another name with AS`);
    }
    seen.add(key);
  }
}

/**
 * Keeps the rows where `condition` is TRUE.
 * @example filter(plan, "status = 'APPROVED' AND amount_minor > 10000")
 */
export function filter(input: LogicalPlan, condition: ExprInput): FilterNode {
  const a = analyzeExpr(toExpr(condition), input.schema);
  if (a.type.kind !== 'boolean' && a.type.kind !== 'null') {
    throw new PaylakeError('TYPE_ERROR', `a filter condition must be boolean, but ${displayExpr(a.expr)} is ${typeName(a.type)}`);
  }
  return FilterNode.create(input, castTo(a, { kind: 'boolean' }).expr);
}

/**
 * Computes the given output columns.
 * @example project(plan, ['merchant_id', 'amount_minor * 2 AS doubled'])
 */
export function project(input: LogicalPlan, items: readonly ExprInput[]): ProjectNode {
  const exprs = toExprList(items);
  const calls = collectWindowCalls(exprs);
  if (calls.length > 0) return projectOverWindows(input, exprs, calls);
  const analysed = exprs.map((e) => analyzeExpr(e, input.schema));
  const fields = analysed.map((a) => fieldFor(a, input.schema));
  checkUniqueNames(fields, 'select');
  return ProjectNode.create(input, analysed.map(named), schemaOf(fields));
}

/** Prefix of the internal columns that carry window function results up to the projection that uses them. */
const WINDOW_COLUMN_PREFIX = '__window';

/**
 * A projection whose expressions use window calls: one Window node per distinct PARTITION BY + ORDER BY
 * computes the calls as extra columns, and the projection reads them in place of the calls.
 */
function projectOverWindows(input: LogicalPlan, exprs: readonly Expr[], calls: readonly WindowCallNode[]): ProjectNode {
  const columnOf = new Map<string, string>();
  let plan = input;
  for (const group of groupWindowCalls(calls)) {
    const analysed = group.map((c) => analyzeExpr(c, input.schema, { allowWindows: true }));
    const fields = analysed.map((a, i) => ({ name: `${WINDOW_COLUMN_PREFIX}${columnOf.size + i}`, type: a.type, nullable: a.nullable }));
    group.forEach((c, i) => columnOf.set(displayExpr(c), fields[i]!.name));
    const windows = analysed.map((a, i) => AliasNode.create(a.expr, fields[i]!.name));
    plan = WindowNode.create(plan, windows, schemaOf([...plan.schema.fields, ...fields]));
  }
  const rewritten = exprs.map((e) => {
    // Unnamed outputs keep the name of what the user wrote, not of the internal column.
    const named = e.kind === 'alias' || e.kind === 'column' ? e : AliasNode.create(e, outputName(e));
    return rewriteExpr(named, (node) => (node.kind === 'window-call' ? ColumnNode.create(columnOf.get(displayExpr(node))!) : undefined));
  });
  return project(plan, rewritten);
}

/** Adds or replaces (case-insensitively) one column. */
export function withColumn(input: LogicalPlan, name: string, value: ExprInput): ProjectNode {
  const lower = name.toLowerCase();
  const exprs: Expr[] = input.schema.fields.map((f) => ColumnNode.create(f.name));
  const computed = AliasNode.create(toExpr(value), name);
  const at = input.schema.fields.findIndex((f) => f.name.toLowerCase() === lower);
  if (at >= 0) exprs[at] = computed;
  else exprs.push(computed);
  return project(input, exprs);
}

/**
 * Groups by `keys` and computes `outputs` (aggregates, optionally combined with keys and each other), then
 * keeps the groups where `having` is TRUE. Non-aggregated columns in outputs and HAVING must be grouping
 * keys, as in Spark; aggregates used only in HAVING are computed but not output.
 * @example aggregate(plan, ['merchant_id'], ['sum(amount_minor) AS gross', 'count(*) AS n'], 'count(*) > 100')
 */
export function aggregate(input: LogicalPlan, keys: readonly ExprInput[], outputs: readonly ExprInput[], having?: ExprInput): LogicalPlan {
  const analysedKeys = toExprList(keys).map((k) => {
    const a = analyzeExpr(k, input.schema);
    if (containsAggregate(a.expr)) throw new PaylakeError('USAGE', `GROUP BY cannot contain an aggregate: ${displayExpr(a.expr)}`);
    return a;
  });
  const keyFields = analysedKeys.map((a) => fieldFor(a, input.schema));
  const keyExprs = analysedKeys.map(named);
  const analysedOutputs = toExprList(outputs).map((o) => analyzeExpr(o, input.schema, { allowAggregates: true }));
  if (analysedOutputs.length === 0 && analysedKeys.length === 0) throw new PaylakeError('USAGE', 'an aggregation needs at least one aggregate or key');

  // Aggregate calls, deduplicated by their SQL text; a bare `agg AS name` output keeps its name.
  const calls = new Map<string, { name: string; analysed: AnalyzedExpr; expr: Expr }>();
  const callName = (call: Expr, preferred: string | null): string => {
    const text = displayExpr(call);
    const existing = calls.get(text);
    if (existing) return existing.name;
    const name = preferred ?? `_agg${calls.size}`;
    calls.set(text, { name, analysed: analyzeExpr(call, input.schema, { allowAggregates: true }), expr: call });
    return name;
  };
  const keyTexts = new Map(analysedKeys.map((a, i) => [displayExpr(a.expr.kind === 'alias' ? a.expr.operand : a.expr), keyFields[i]!.name]));
  /** `expr` over the aggregation's output: aggregate calls and key expressions become column references. */
  const overAggregate = (expr: Expr, name: string | null, shown: Expr): Expr => {
    const rewritten = rewriteExpr(expr, (node) => {
      if (node.kind === 'aggregate-call') return ColumnNode.create(callName(node, node === expr ? name : null));
      const key = keyTexts.get(displayExpr(node));
      return key === undefined ? undefined : ColumnNode.create(key);
    });
    const known = new Set([...keyTexts.values(), ...[...calls.values()].map((c) => c.name)]);
    if (someExpr(rewritten, (x) => x.kind === 'column' && !known.has(x.name))) {
      throw new PaylakeError(
        'USAGE',
        `${displayExpr(shown)} uses a column that is neither grouped nor aggregated; add it to the group-by keys or wrap it in an aggregate such as max()`,
      );
    }
    return rewritten;
  };
  const outputExprs = analysedOutputs.map((o) => {
    const name = outputName(o.expr);
    return { name, rewritten: overAggregate(o.expr.kind === 'alias' ? o.expr.operand : o.expr, name, o.expr) };
  });
  const havingExpr = having === undefined ? null : overAggregate(analyzeExpr(toExpr(having), input.schema, { allowAggregates: true }).expr, null, toExpr(having));

  const aggExprs = [...calls.values()].map((c) => AliasNode.create(c.expr, c.name));
  const aggFields = [...calls.values()].map((c) => ({ name: c.name, type: c.analysed.type, nullable: c.analysed.nullable }));
  const aggSchema = schemaOf([...keyFields, ...aggFields]);
  checkUniqueNames(aggSchema.fields, 'the aggregation');
  const agg = AggregateNode.create(input, keyExprs, aggExprs, aggSchema);
  const kept = havingExpr === null ? agg : filter(agg, havingExpr);

  // When every output is one aggregate call under its own name, the Aggregate node is the whole answer.
  const direct = outputExprs.every((o) => o.rewritten.kind === 'column' && o.rewritten.name === o.name);
  if (direct && outputExprs.length === calls.size) return kept;
  return project(kept, [
    ...keyFields.map((f) => ColumnNode.create(f.name)),
    ...outputExprs.map((o) => (o.rewritten.kind === 'column' && o.rewritten.name === o.name ? o.rewritten : AliasNode.create(o.rewritten, o.name))),
  ]);
}

/**
 * Orders rows by keys.
 * @example sort(plan, 'gross DESC, merchant_id')
 */
export function sort(input: LogicalPlan, keys: string | readonly SortKey[]): SortNode {
  const list = typeof keys === 'string' ? parseSortKeys(keys) : keys;
  const analysed = list.map((k) => {
    const a = analyzeExpr(k.expr, input.schema);
    if (a.type.kind === 'binary') throw new PaylakeError('TYPE_ERROR', `cannot order by the binary value ${displayExpr(a.expr)}`);
    return { ...k, expr: a.expr };
  });
  return SortNode.create(input, analysed);
}

/** Keeps the first `count` rows. */
export function limit(input: LogicalPlan, count: number): LimitNode {
  if (!Number.isSafeInteger(count) || count < 0) throw new PaylakeError('USAGE', `limit must be a non-negative integer, got ${count}`);
  return LimitNode.create(input, count);
}

/** UNION ALL by position; column types widen to their common type, names come from the first input. */
export function union(inputs: readonly LogicalPlan[]): LogicalPlan {
  const [first, ...rest] = inputs;
  if (!first) throw new PaylakeError('USAGE', 'union needs at least one input');
  if (rest.length === 0) return first;
  const width = first.schema.fields.length;
  for (const [i, p] of rest.entries()) {
    if (p.schema.fields.length !== width) {
      throw new PaylakeError('USAGE', `union inputs must have the same number of columns: the first has ${width}, input ${i + 2} has ${p.schema.fields.length}`);
    }
  }
  const fields: Field[] = first.schema.fields.map((f, c) => {
    const ts = inputs.map((p) => p.schema.fields[c]!.type);
    const t = commonType(ts);
    if (t === null) {
      throw new PaylakeError('TYPE_ERROR', `union column ${c + 1} ("${f.name}") has incompatible types: ${ts.map(typeName).join(', ')}`);
    }
    return { name: f.name, type: t, nullable: inputs.some((p) => p.schema.fields[c]!.nullable) };
  });
  const aligned = inputs.map((p) => {
    // Names come from the first input, by position; only types need aligning.
    const same = p.schema.fields.every((f, c) => sameType(f.type, fields[c]!.type));
    if (same) return p;
    return project(
      p,
      p.schema.fields.map((f, c) => {
        const col = analyzeExpr(ColumnNode.create(f.name), p.schema);
        return AliasNode.create(castTo(col, fields[c]!.type).expr, f.name);
      }),
    );
  });
  return UnionNode.create(aligned, schemaOf(fields));
}
