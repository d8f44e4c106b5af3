// The columns a FROM clause makes visible to a query's expressions, and how a reference resolves among them
// as in Spark: `t.col` by table name or alias, a bare `col` when exactly one visible column has that name.
// Join inputs may carry renamed columns (`amount#1`, see sql-join-planner.ts), so the SQL planner binds every
// reference here to the plan's own column before the plan builder analyses it.
import { PaylakeError } from '../errors/paylake-error.js';
import type { ErrorCode } from '../errors/paylake-error.js';
import type { Expr } from '../dataframe/expr/expr.js';
import { ColumnNode } from '../dataframe/expr/nodes/column-node.js';
import { rewriteExpr } from '../dataframe/expr/transform-expr.js';
import type { LogicalPlan } from '../dataframe/plan/logical-plan.js';
import { closestName } from '../dataframe/types/schema.js';

/** One column a query can name. */
export interface ScopeColumn {
  /** The table name or alias it comes from; null for the merged key of a USING join (and unaliased subqueries' computed columns). */
  readonly qualifier: string | null;
  /** The name users write and see. */
  readonly name: string;
  /** What it reads from the plan: a column (perhaps renamed), or `coalesce(l, r)` for a FULL JOIN USING key. */
  readonly expr: Expr;
  /** A USING join's per-side key: reachable only qualified (`a.k`) and not part of `*`, as in Spark. */
  readonly hidden: boolean;
}

/** A FROM item as the SQL planner carries it: its plan and the columns expressions over it may name. */
export interface Relation {
  readonly plan: LogicalPlan;
  readonly columns: readonly ScopeColumn[];
}

/** A reference that does not resolve (unknown or ambiguous), naming it so the planner can point at it in the text. */
export class UnresolvedReference extends PaylakeError {
  constructor(
    code: ErrorCode,
    message: string,
    /** The column name as written; `*` for `t.*`. */
    readonly column: string,
    readonly qualifier: string | null,
  ) {
    super(code, message);
  }
}

/** The plan's columns, each qualified by `qualifier` (a table name or alias), or by its own field qualifier when null. */
export function relationOf(plan: LogicalPlan, qualifier: string | null): Relation {
  return {
    plan,
    columns: plan.schema.fields.map((f) => ({ qualifier: qualifier ?? f.qualifier ?? null, name: f.name, expr: ColumnNode.create(f.name), hidden: false })),
  };
}

/** True when a bare `name` reaches some column (case-insensitive). */
export function hasColumn(columns: readonly ScopeColumn[], name: string): boolean {
  const lower = name.toLowerCase();
  return columns.some((c) => !c.hidden && c.name.toLowerCase() === lower);
}

/**
 * The column `qualifier.name` (or bare `name`) refers to. Throws UnresolvedReference: NOT_FOUND with a
 * suggestion, or TYPE_ERROR when the name is ambiguous (as the analyzer reports ambiguity).
 */
export function resolveColumn(columns: readonly ScopeColumn[], name: string, qualifier: string | null, alsoNames: readonly string[] = []): ScopeColumn {
  const lower = name.toLowerCase();
  if (qualifier === null) {
    const visible = columns.filter((c) => !c.hidden);
    const hits = visible.filter((c) => c.name.toLowerCase() === lower);
    if (hits.length === 1) return hits[0]!;
    if (hits.length > 1) throw ambiguous(name, null, hits);
    throw unknownColumn(name, null, [...new Set([...visible.map((c) => c.name), ...alsoNames])], '');
  }
  const ofQualifier = qualifiedBy(columns, name, qualifier);
  const hits = ofQualifier.filter((c) => c.name.toLowerCase() === lower);
  if (hits.length === 1) return hits[0]!;
  if (hits.length > 1) throw ambiguous(name, qualifier, hits);
  throw unknownColumn(name, qualifier, ofQualifier.map((c) => c.name), ` of ${qualifier}`);
}

/** The columns `*` (qualifier null) or `t.*` stands for, in order. */
export function starColumns(columns: readonly ScopeColumn[], qualifier: string | null): ScopeColumn[] {
  return qualifier === null ? columns.filter((c) => !c.hidden) : qualifiedBy(columns, '*', qualifier);
}

/**
 * `e` with every column reference bound to what it reads in the plan. A bare name that no column has may
 * name one of `aliases` (a select-list alias, as HAVING may use them in Spark).
 */
export function bindColumns(e: Expr, columns: readonly ScopeColumn[], aliases: ReadonlyMap<string, Expr> = new Map()): Expr {
  return rewriteExpr(e, (x) => {
    if (x.kind !== 'column') return undefined;
    if (x.qualifier === null && !hasColumn(columns, x.name)) {
      const aliased = aliases.get(x.name.toLowerCase());
      if (aliased !== undefined) return aliased;
    }
    return resolveColumn(columns, x.name, x.qualifier, [...aliases.keys()]).expr;
  });
}

/** `e` with every column reference replaced by the bare user-visible name it resolves to: what output names are made of. */
export function displayColumns(e: Expr, columns: readonly ScopeColumn[]): Expr {
  return rewriteExpr(e, (x) => (x.kind === 'column' ? ColumnNode.create(resolveColumn(columns, x.name, x.qualifier).name) : undefined));
}

/** How a column is written in messages: `b.amount`, or `amount` for a USING key. */
export function shownName(c: ScopeColumn): string {
  return c.qualifier === null ? c.name : `${c.qualifier}.${c.name}`;
}

/** The columns of `qualifier` (hidden ones too); an unknown qualifier is NOT_FOUND naming the tables in scope. */
function qualifiedBy(columns: readonly ScopeColumn[], name: string, qualifier: string): ScopeColumn[] {
  const q = qualifier.toLowerCase();
  const found = columns.filter((c) => c.qualifier?.toLowerCase() === q);
  if (found.length > 0) return found;
  const qualifiers = [...new Set(columns.flatMap((c) => (c.qualifier === null ? [] : [c.qualifier])))];
  const close = closestName(qualifier, qualifiers);
  throw new UnresolvedReference(
    'NOT_FOUND',
    `unknown table or alias "${qualifier}" in ${qualifier}.${name}${close ? `; did you mean "${close}"?` : ''}${qualifiers.length ? ` Tables and aliases in FROM: ${qualifiers.join(', ')}` : ''}`,
    name,
    qualifier,
  );
}

function unknownColumn(name: string, qualifier: string | null, names: readonly string[], of: string): UnresolvedReference {
  const prefix = qualifier === null ? '' : `${qualifier}.`;
  const close = closestName(name, names);
  const hint = close ? `; did you mean "${prefix}${close}"?` : '';
  const listed = names.length <= 40 ? names.join(', ') : `${names.slice(0, 40).join(', ')}, … (${names.length} in all)`;
  return new UnresolvedReference('NOT_FOUND', `unknown column "${prefix}${name}"${hint} Columns${of}: ${listed}`, name, qualifier);
}

function ambiguous(name: string, qualifier: string | null, hits: readonly ScopeColumn[]): UnresolvedReference {
  const shown = hits.map(shownName);
  const sameTable = new Set(shown).size === 1;
  const advice = sameTable ? 'the same table appears twice in FROM; give each an alias (FROM t a JOIN t b ON ...)' : `qualify it, e.g. ${shown[0]}`;
  const written = qualifier === null ? name : `${qualifier}.${name}`;
  return new UnresolvedReference('TYPE_ERROR', `column reference "${written}" is ambiguous: it could be ${shown.join(' or ')}; ${advice}`, name, qualifier);
}
