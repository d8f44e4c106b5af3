// Compiles Spark SQL text into the same logical plan the DataFrame API builds, so `paylake sql` runs on the
// same optimizer and engine. Covered now: SELECT [DISTINCT] with expressions and aliases, FROM one table or
// subquery (tables by name, or `parquet.`path`` / `csv.`path`` / `json.`path`` as Spark writes them), WHERE,
// GROUP BY (names, aliases, positions), HAVING, ORDER BY (names, aliases, positions; NULLS FIRST/LAST),
// LIMIT, WITH (CTEs), UNION ALL. Joins and window functions need the multi-stage engine and are refused
// with a message saying so.
import { PaylakeError } from '../errors/paylake-error.js';
import type { Expr } from '../dataframe/expr/expr.js';
import { AliasNode } from '../dataframe/expr/nodes/alias-node.js';
import { ColumnNode } from '../dataframe/expr/nodes/column-node.js';
import { LocatedParseError, parseSql, pointAtSource, syntaxError } from '../dataframe/expr/parser/sql-parser.js';
import { translateExpr } from '../dataframe/expr/parser/sql-expr-translator.js';
import type { SortKey } from '../dataframe/expr/sort-key.js';
import { containsAggregate } from '../dataframe/expr/analyze-expr.js';
import type { LogicalPlan } from '../dataframe/plan/logical-plan.js';
import { ProjectNode } from '../dataframe/plan/nodes/project-node.js';
import { aggregate, filter, limit, project, sort, union } from '../dataframe/plan/plan-builder.js';
import { closestName, schemaOf } from '../dataframe/types/schema.js';

type Node = Record<string, unknown>;

/** Resolves the tables a query names. */
export interface SqlCatalog {
  /** A registered table by (case-insensitive) name, or undefined. */
  table(name: string): LogicalPlan | undefined;
  /** Names of the registered tables, for suggestions. */
  tableNames(): readonly string[];
  /** A file source written as `format.`path`` (format parquet, csv or json). */
  path(format: 'parquet' | 'csv' | 'json', path: string): Promise<LogicalPlan>;
}

/**
 * The logical plan of one SQL query.
 * @example await planSql("SELECT status, count(*) AS n FROM tx GROUP BY status", catalog)
 */
export async function planSql(text: string, catalog: SqlCatalog): Promise<LogicalPlan> {
  const statements = parseSql(text);
  if (statements.length !== 1) throw new PaylakeError('PARSE_ERROR', `expected one SQL statement, found ${statements.length}`);
  const query = statements[0]!.Query as Node | undefined;
  if (query === undefined) throw new PaylakeError('PARSE_ERROR', `only queries (SELECT ...) can run; found ${Object.keys(statements[0]!)[0]}`);
  try {
    return await new SqlPlanner(catalog).query(query, new Map());
  } catch (e) {
    throw withPosition(e, text);
  }
}

/**
 * An unknown-column or unknown-table error pointing at the name's first use in the SQL text (line, column,
 * caret), as syntax errors do, and a translation error at its located position; other errors unchanged.
 */
function withPosition(e: unknown, text: string): unknown {
  if (e instanceof LocatedParseError) return pointAtSource(e, text);
  if (!(e instanceof PaylakeError) || e.code !== 'NOT_FOUND') return e;
  const m = /^unknown (?:column "([^"]+)"|table (\S+?)[;.]?(?:\s|$))/.exec(e.message);
  const name = m?.[1] ?? m?.[2];
  if (name === undefined) return e;
  const bare = name.split('.').pop()!;
  const re = new RegExp(`(?<![A-Za-z0-9_\`])\`?${bare.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\`?(?![A-Za-z0-9_])`, 'i');
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const hit = re.exec(lines[i]!);
    if (hit) {
      const located = syntaxError(e.message, text, { line: i + 1, column: hit.index + 1 });
      return new PaylakeError('NOT_FOUND', located.message, { cause: e });
    }
  }
  return e;
}

function variant(node: unknown): [string, Node] {
  if (typeof node === 'string') return [node, {}];
  const key = Object.keys(node as Node)[0] ?? '';
  return [key, (node as Node)[key] as Node];
}

function identifierOf(part: unknown): string {
  const [, body] = variant(part);
  return String(body.value);
}

function unsupported(what: string): PaylakeError {
  return new PaylakeError('PARSE_ERROR', `${what} is not supported by paylake sql yet`);
}

class SqlPlanner {
  constructor(private readonly catalog: SqlCatalog) {}

  async query(q: Node, outer: ReadonlyMap<string, LogicalPlan>): Promise<LogicalPlan> {
    const ctes = new Map(outer);
    const w = q.with as Node | undefined;
    if (w) {
      if (w.recursive) throw unsupported('WITH RECURSIVE');
      for (const cte of w.cte_tables as Node[]) {
        const name = String(((cte.alias as Node).name as Node).value);
        ctes.set(name.toLowerCase(), withQualifier(await this.query(cte.query as Node, ctes), name));
      }
    }
    let plan = await this.body(q.body, ctes);
    const orderBy = q.order_by as Node | undefined;
    if (orderBy) {
      const [kind, exprs] = variant(orderBy.kind);
      if (kind !== 'Expressions') throw unsupported('ORDER BY ALL');
      plan = sort(plan, (exprs as unknown as Node[]).map((e) => this.sortKey(e, plan)));
    }
    const limitClause = q.limit_clause as Node | undefined;
    if (limitClause) {
      const [kind, body] = variant(limitClause);
      if (kind !== 'LimitOffset' || body.offset) throw unsupported('OFFSET');
      const n = translateExpr(body.limit);
      if (n.kind !== 'literal' || typeof n.value !== 'number') throw new PaylakeError('PARSE_ERROR', 'LIMIT needs a whole number');
      plan = limit(plan, n.value);
    }
    return plan;
  }

  private async body(body: unknown, ctes: ReadonlyMap<string, LogicalPlan>): Promise<LogicalPlan> {
    const [kind, b] = variant(body);
    switch (kind) {
      case 'Select':
        return this.select(b, ctes);
      case 'Query':
        return this.query(b, ctes);
      case 'SetOperation': {
        if (b.op !== 'Union') throw unsupported(`${String(b.op).toUpperCase()}`);
        if (b.set_quantifier !== 'All') throw unsupported('UNION without ALL (it removes duplicates; write UNION ALL, or SELECT DISTINCT over it)');
        return union([await this.body(b.left, ctes), await this.body(b.right, ctes)]);
      }
      default:
        throw unsupported(kind);
    }
  }

  private async from(select: Node, ctes: ReadonlyMap<string, LogicalPlan>): Promise<LogicalPlan> {
    const from = (select.from as Node[] | undefined) ?? [];
    if (from.length === 0) throw unsupported('SELECT without FROM');
    if (from.length > 1 || ((from[0]!.joins as unknown[]) ?? []).length > 0) {
      throw unsupported('JOIN (joins arrive with the multi-stage engine)');
    }
    const [kind, rel] = variant(from[0]!.relation);
    const alias = rel.alias ? String(((rel.alias as Node).name as Node).value) : null;
    let plan: LogicalPlan;
    if (kind === 'Table') {
      const parts = (rel.name as unknown[]).map(identifierOf);
      plan = await this.table(parts, ctes);
      return withQualifier(plan, alias ?? parts[parts.length - 1]!);
    }
    if (kind === 'Derived') {
      plan = await this.query(rel.subquery as Node, ctes);
      return alias ? withQualifier(plan, alias) : plan;
    }
    throw unsupported(`FROM ${kind}`);
  }

  private async table(parts: readonly string[], ctes: ReadonlyMap<string, LogicalPlan>): Promise<LogicalPlan> {
    if (parts.length === 2) {
      const format = parts[0]!.toLowerCase();
      if (format === 'parquet' || format === 'csv' || format === 'json') return this.catalog.path(format, parts[1]!);
      throw new PaylakeError('PARSE_ERROR', `unknown source ${parts.join('.')}; write parquet.\`path\`, csv.\`path\` or json.\`path\``);
    }
    if (parts.length !== 1) throw unsupported(`the table name ${parts.join('.')}`);
    const name = parts[0]!;
    const plan = ctes.get(name.toLowerCase()) ?? this.catalog.table(name);
    if (plan) return plan;
    const names = [...ctes.keys(), ...this.catalog.tableNames()];
    const close = closestName(name, names);
    throw new PaylakeError(
      'NOT_FOUND',
      `unknown table ${name}${close ? `; did you mean ${close}?` : ''}${names.length ? ` Tables: ${names.join(', ')}` : ''}; register one with --table ${name}=PATH`,
    );
  }

  private async select(s: Node, ctes: ReadonlyMap<string, LogicalPlan>): Promise<LogicalPlan> {
    for (const k of ['lateral_views', 'cluster_by', 'distribute_by', 'sort_by', 'named_window'] as const) {
      if (((s[k] as unknown[]) ?? []).length > 0) throw unsupported(k.replace('_', ' ').toUpperCase());
    }
    if (s.qualify) throw unsupported('QUALIFY');
    let plan = await this.from(s, ctes);
    if (s.selection) plan = filter(plan, translateExpr(s.selection));

    const items = this.projection(s.projection as Node[], plan);
    const [gKind, gBody] = variant(s.group_by);
    if (gKind !== 'Expressions') throw unsupported('GROUP BY ALL');
    const groupExprs = ((gBody as unknown as unknown[][])[0] ?? []).map((g) => this.groupKey(translateExpr(g), items, plan));
    const having = s.having ? translateExpr(s.having) : undefined;
    const aggregated = groupExprs.length > 0 || having !== undefined || items.some(containsAggregate);
    if (aggregated) {
      // Keys get hidden names so that output items may repeat them (SELECT merchant_id, sum(x) ... GROUP BY merchant_id).
      const keys = groupExprs.map((k, i) => AliasNode.create(k, `_key${i}`));
      const agg = aggregate(plan, keys, items, having);
      plan = project(agg, agg.schema.fields.slice(keys.length).map((f) => ColumnNode.create(f.name)));
    } else {
      plan = project(plan, items);
    }
    if (s.distinct) {
      const [dKind] = variant(s.distinct);
      if (dKind !== 'Distinct') throw unsupported('DISTINCT ON');
      plan = aggregate(plan, plan.schema.fields.map((f) => ColumnNode.create(f.name)), []);
    }
    return plan;
  }

  /** The projection as named expressions; `*` and `t.*` expand to columns. */
  private projection(items: readonly Node[], input: LogicalPlan): Expr[] {
    return items.flatMap((item) => {
      const [kind, body] = variant(item);
      switch (kind) {
        case 'Wildcard':
          return input.schema.fields.map((f) => ColumnNode.create(f.name));
        case 'QualifiedWildcard': {
          const q = identifierOf(((variant(body)[1] as unknown as unknown[]) ?? [])[0] ?? body).toLowerCase();
          const fields = input.schema.fields.filter((f) => (f.qualifier ?? '').toLowerCase() === q);
          if (fields.length === 0) throw new PaylakeError('NOT_FOUND', `no table or alias named ${q} in FROM`);
          return fields.map((f) => ColumnNode.create(f.name, f.qualifier ?? null));
        }
        case 'UnnamedExpr':
          return [translateExpr(body)];
        case 'ExprWithAlias':
          return [AliasNode.create(translateExpr(body.expr), String((body.alias as Node).value))];
        default:
          throw unsupported(`the select item ${kind}`);
      }
    });
  }

  /** A GROUP BY item: a position (1-based) or an output alias resolve to the select item, as in Spark. */
  private groupKey(e: Expr, items: readonly Expr[], input: LogicalPlan): Expr {
    if (e.kind === 'literal' && typeof e.value === 'number') {
      const item = items[e.value - 1];
      if (item === undefined) throw new PaylakeError('PARSE_ERROR', `GROUP BY position ${e.value} is not in the select list (1..${items.length})`);
      return item.kind === 'alias' ? item.operand : item;
    }
    if (e.kind === 'column' && e.qualifier === null && !input.schema.fields.some((f) => f.name.toLowerCase() === e.name.toLowerCase())) {
      const aliased = items.find((i) => i.kind === 'alias' && i.name.toLowerCase() === e.name.toLowerCase());
      if (aliased?.kind === 'alias') return aliased.operand;
    }
    return e;
  }

  /** An ORDER BY item over the query's output: a name, an alias, a position, or an expression over them. */
  private sortKey(e: Node, plan: LogicalPlan): SortKey {
    let expr = translateExpr(e.expr);
    if (expr.kind === 'literal' && typeof expr.value === 'number') {
      const field = plan.schema.fields[expr.value - 1];
      if (field === undefined) throw new PaylakeError('PARSE_ERROR', `ORDER BY position ${expr.value} is not in the select list (1..${plan.schema.fields.length})`);
      expr = ColumnNode.create(field.name);
    }
    // `ORDER BY t.col` after an aggregation: the output has `col` but no longer the alias, as Spark resolves it.
    if (expr.kind === 'column' && expr.qualifier !== null) {
      const q = expr.qualifier.toLowerCase();
      if (!plan.schema.fields.some((f) => (f.qualifier ?? '').toLowerCase() === q)) expr = ColumnNode.create(expr.name);
    }
    const options = e.options as { asc?: boolean | null; nulls_first?: boolean | null };
    const ascending = options.asc ?? true;
    return { expr, ascending, nullsFirst: options.nulls_first ?? ascending };
  }
}

/** The plan with every column qualified by `name`, so `name.col` resolves (a table alias). */
function withQualifier(plan: LogicalPlan, name: string): LogicalPlan {
  const fields = plan.schema.fields.map((f) => ({ ...f, qualifier: name }));
  return ProjectNode.create(plan, plan.schema.fields.map((f) => ColumnNode.create(f.name)), schemaOf(fields));
}

