// Compiles Spark SQL text into the same logical plan the DataFrame API builds, so `paylake sql` runs on the
// same optimizer and engine. Covered: SELECT [DISTINCT] with expressions, aliases, `*` and `t.*`; FROM a
// table, a subquery or a CTE (tables by name, or `parquet.`path`` / `csv.`path`` / `json.`path`` as Spark
// writes them), with [INNER|LEFT|RIGHT|FULL [OUTER]|LEFT SEMI|LEFT ANTI] JOIN ... ON / USING chains
// (sql-join-planner.ts); WHERE, GROUP BY (names, aliases, positions), HAVING, ORDER BY (output names, aliases,
// positions, or any expression over FROM's columns, as Spark resolves it; NULLS FIRST/LAST), LIMIT, WITH,
// UNION [ALL|DISTINCT]. Column references are bound against the FROM clause's scope (sql-scope.ts) before the
// plan builder analyses them. Refused with a message: joins without an equality between the sides (paylake
// runs hash joins only), INTERSECT/EXCEPT, OFFSET, window functions in an aggregating SELECT.
import { PaylakeError } from '../errors/paylake-error.js';
import type { ErrorCode } from '../errors/paylake-error.js';
import { containsAggregate, analyzeExpr } from '../dataframe/expr/analyze-expr.js';
import { displayExpr, outputName } from '../dataframe/expr/display-expr.js';
import type { Expr } from '../dataframe/expr/expr.js';
import { AliasNode } from '../dataframe/expr/nodes/alias-node.js';
import { ColumnNode } from '../dataframe/expr/nodes/column-node.js';
import { firstSpanStart, LocatedParseError, parseSql, pointAtSource, syntaxError } from '../dataframe/expr/parser/sql-parser.js';
import type { SqlPosition } from '../dataframe/expr/parser/sql-parser.js';
import { translateExpr } from '../dataframe/expr/parser/sql-expr-translator.js';
import { someExpr } from '../dataframe/expr/transform-expr.js';
import type { SortKey } from '../dataframe/expr/sort-key.js';
import { deduplicate } from '../dataframe/plan/join-builder.js';
import type { LogicalPlan } from '../dataframe/plan/logical-plan.js';
import { ProjectNode } from '../dataframe/plan/nodes/project-node.js';
import { aggregate, filter, limit, project, sort, union } from '../dataframe/plan/plan-builder.js';
import { closestName, schemaOf } from '../dataframe/types/schema.js';
import { joinRelations, joinTypeOf } from './sql-join-planner.js';
import type { JoinCondition } from './sql-join-planner.js';
import { bindColumns, displayColumns, hasColumn, relationOf, resolveColumn, shownName, starColumns, UnresolvedReference } from './sql-scope.js';
import type { Relation, ScopeColumn } from './sql-scope.js';

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

/** An error the planner raised about one place of the parsed text; planSql adds the line and a caret. */
class LocatedSqlError extends PaylakeError {
  constructor(
    code: ErrorCode,
    message: string,
    readonly position: SqlPosition,
    options?: { cause?: unknown },
  ) {
    super(code, message, options);
  }
}

/**
 * A located error pointing at the SQL text (line, column, caret); an unknown-column or unknown-table error
 * raised without a position pointing at the name's first use in the text; other errors unchanged.
 */
function withPosition(e: unknown, text: string): unknown {
  if (e instanceof LocatedParseError) return pointAtSource(e, text);
  if (e instanceof LocatedSqlError) return new PaylakeError(e.code, syntaxError(e.message, text, e.position).message, { cause: e.cause ?? e });
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

/** Runs `fn`; an error it raises points at `ast`: an unresolved column at its name, anything else at the node's start. */
function at<T>(ast: unknown, fn: () => T): T {
  try {
    return fn();
  } catch (e) {
    throw locate(e, ast);
  }
}

async function atAsync<T>(ast: unknown, fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (e) {
    throw locate(e, ast);
  }
}

function locate(e: unknown, ast: unknown): unknown {
  if (!(e instanceof PaylakeError) || e instanceof LocatedSqlError || e instanceof LocatedParseError) return e;
  const position = (e instanceof UnresolvedReference ? identifierPosition(ast, e.column, e.qualifier) : null) ?? firstSpanStart(ast);
  return position === null ? e : new LocatedSqlError(e.code, e.message, position, { cause: e });
}

/** Where `qualifier.name` (or a bare `name`) is first written inside `ast`, skipping function names. */
function identifierPosition(ast: unknown, name: string, qualifier: string | null): SqlPosition | null {
  const named = (part: unknown, value: string): boolean => String((part as Node | undefined)?.value ?? '').toLowerCase() === value.toLowerCase();
  const visit = (node: unknown): SqlPosition | null => {
    if (node === null || typeof node !== 'object') return null;
    if (Array.isArray(node)) {
      for (const child of node) {
        const found = visit(child);
        if (found) return found;
      }
      return null;
    }
    const n = node as Node;
    const parts = n.CompoundIdentifier;
    if (qualifier !== null && Array.isArray(parts) && parts.length === 2 && named(parts[0], qualifier) && named(parts[1], name)) return firstSpanStart(parts[0]);
    if (qualifier === null && n.Identifier !== undefined && named(n.Identifier, name)) return firstSpanStart(n.Identifier);
    for (const [key, child] of Object.entries(n)) {
      if (key === 'name' && 'args' in n) continue;
      const found = visit(child);
      if (found) return found;
    }
    return null;
  };
  return visit(ast);
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

function succeeds(fn: () => unknown): boolean {
  try {
    fn();
    return true;
  } catch {
    return false;
  }
}

function unaliased(e: Expr): Expr {
  return e.kind === 'alias' ? e.operand : e;
}

/** One select-list item: its bound expression (a column reference, an alias, or an expression the builder names) and its output name. */
interface SelectItem {
  readonly expr: Expr;
  readonly name: string;
  /** How the user wrote it, for messages. */
  readonly written: string;
}

/** A select's plan and how many of its leading columns are the answer (the rest are ORDER BY's hidden keys). */
interface Shaped {
  readonly plan: LogicalPlan;
  readonly visible: number;
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
        ctes.set(name.toLowerCase(), await this.query(cte.query as Node, ctes));
      }
    }
    const orderBy = q.order_by as Node | undefined;
    let keys: Node[] = [];
    if (orderBy) {
      const [kind, exprs] = variant(orderBy.kind);
      if (kind !== 'Expressions') throw unsupported('ORDER BY ALL');
      keys = exprs as unknown as Node[];
    }
    const [bodyKind, body] = variant(q.body);
    let shaped: Shaped;
    if (bodyKind === 'Select') {
      shaped = await this.select(body, ctes, keys);
    } else {
      const plan = await this.body(q.body, ctes);
      shaped = { plan: keys.length > 0 ? sort(plan, keys.map((e) => at(e, () => this.outputSortKey(e, plan)))) : plan, visible: plan.schema.fields.length };
    }
    let plan = shaped.plan;
    const limitClause = q.limit_clause as Node | undefined;
    if (limitClause) {
      const [kind, clause] = variant(limitClause);
      if (kind !== 'LimitOffset' || clause.offset) throw unsupported('OFFSET');
      const n = translateExpr(clause.limit);
      if (n.kind !== 'literal' || typeof n.value !== 'number') throw new PaylakeError('PARSE_ERROR', 'LIMIT needs a whole number');
      plan = limit(plan, n.value);
    }
    if (shaped.visible < plan.schema.fields.length) plan = project(plan, plan.schema.fields.slice(0, shaped.visible).map((f) => ColumnNode.create(f.name)));
    return plan;
  }

  private async body(body: unknown, ctes: ReadonlyMap<string, LogicalPlan>): Promise<LogicalPlan> {
    const [kind, b] = variant(body);
    switch (kind) {
      case 'Select':
        return (await this.select(b, ctes, [])).plan;
      case 'Query':
        return this.query(b, ctes);
      case 'SetOperation': {
        if (b.op !== 'Union') {
          const join = b.op === 'Intersect' ? 'LEFT SEMI JOIN' : 'LEFT ANTI JOIN';
          throw unsupported(`${String(b.op).toUpperCase()} (SELECT DISTINCT ... ${join} ... ON every column gives the same rows where no column is NULL)`);
        }
        const quantifier = String(b.set_quantifier);
        if (quantifier !== 'All' && quantifier !== 'Distinct' && quantifier !== 'None') throw unsupported(`UNION ${quantifier.replace(/([a-z])([A-Z])/g, '$1 $2').toUpperCase()}`);
        const all = union([await this.body(b.left, ctes), await this.body(b.right, ctes)]);
        // UNION without ALL removes duplicate rows, as SELECT DISTINCT over UNION ALL.
        return quantifier === 'All' ? all : deduplicate(all, []);
      }
      default:
        throw unsupported(kind);
    }
  }

  private async from(select: Node, ctes: ReadonlyMap<string, LogicalPlan>): Promise<Relation> {
    const from = (select.from as Node[] | undefined) ?? [];
    if (from.length === 0) throw unsupported('SELECT without FROM');
    if (from.length > 1) {
      throw locate(
        new PaylakeError('USAGE', 'FROM a, b is a cross join; paylake runs equi-joins (hash joins) only — write FROM a JOIN b ON a.key = b.key'),
        from[1]!.relation,
      );
    }
    return this.tableWithJoins(from[0]!, ctes);
  }

  /** A FROM item and its joins, left-deep: `a JOIN b ... JOIN c ...` is `(a JOIN b) JOIN c`. */
  private async tableWithJoins(item: Node, ctes: ReadonlyMap<string, LogicalPlan>): Promise<Relation> {
    let relation = await this.relation(item.relation, ctes);
    for (const j of (item.joins as Node[] | undefined) ?? []) {
      const right = await this.relation(j.relation, ctes);
      const [operator, constraint] = variant(j.join_operator);
      const [conditionKind, condition] = variant(constraint);
      const type = at(j.relation, () => joinTypeOf(operator, conditionKind));
      const left = relation;
      if (conditionKind === 'On') {
        relation = at(condition, () => joinRelations(left, right, type, { on: translateExpr(condition) }));
      } else if (conditionKind === 'Using') {
        const names = (condition as unknown as unknown[][]).map((parts) => {
          if (parts.length !== 1) throw locate(unsupported(`the qualified USING column ${parts.map(identifierOf).join('.')}`), parts);
          return identifierOf(parts[0]);
        });
        const using: JoinCondition = { using: names };
        relation = at(condition, () => joinRelations(left, right, type, using));
      } else {
        throw locate(unsupported(`JOIN ... ${conditionKind}`), j.relation);
      }
    }
    return relation;
  }

  /** One FROM item, its columns qualified by its alias (or table name). */
  private async relation(node: unknown, ctes: ReadonlyMap<string, LogicalPlan>): Promise<Relation> {
    const [kind, rel] = variant(node);
    const aliasNode = rel.alias as Node | undefined;
    const alias = aliasNode ? String((aliasNode.name as Node).value) : null;
    let plan: LogicalPlan;
    let qualifier: string | null;
    switch (kind) {
      case 'Table': {
        for (const k of ['args', 'version', 'sample', 'json_path'] as const) {
          if (rel[k] !== undefined && rel[k] !== null) throw locate(unsupported(`FROM ... with ${k === 'args' ? 'table function arguments' : k.toUpperCase()}`), node);
        }
        const parts = (rel.name as unknown[]).map(identifierOf);
        plan = await atAsync(rel.name, () => this.table(parts, ctes));
        qualifier = alias ?? parts[parts.length - 1]!;
        break;
      }
      case 'Derived':
        if (rel.lateral) throw locate(unsupported('LATERAL'), node);
        plan = await this.query(rel.subquery as Node, ctes);
        qualifier = alias;
        break;
      case 'NestedJoin':
        if (alias !== null) throw locate(unsupported('an alias on a parenthesised join'), aliasNode);
        return this.tableWithJoins(rel.table_with_joins as Node, ctes);
      default:
        throw locate(unsupported(`FROM ${kind}`), node);
    }
    const columnAliases = ((aliasNode?.columns as Node[] | undefined) ?? []).map((c) => String((c.name as Node).value));
    if (columnAliases.length > 0) {
      const fields = plan.schema.fields;
      if (columnAliases.length !== fields.length) {
        throw locate(new PaylakeError('USAGE', `${alias}(${columnAliases.join(', ')}) names ${columnAliases.length} columns, but the relation has ${fields.length}: ${fields.map((f) => f.name).join(', ')}`), aliasNode);
      }
      plan = project(plan, fields.map((f, i) => AliasNode.create(ColumnNode.create(f.name), columnAliases[i]!)));
    }
    return relationOf(qualifier === null ? plan : withQualifier(plan, qualifier), qualifier);
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

  private async select(s: Node, ctes: ReadonlyMap<string, LogicalPlan>, orderBy: readonly Node[]): Promise<Shaped> {
    for (const k of ['lateral_views', 'cluster_by', 'distribute_by', 'sort_by', 'named_window'] as const) {
      if (((s[k] as unknown[]) ?? []).length > 0) throw unsupported(k.replace('_', ' ').toUpperCase());
    }
    if (s.qualify) throw unsupported('QUALIFY');
    const from = await this.from(s, ctes);
    const scope = from.columns;
    const input = s.selection ? at(s.selection, () => filter(from.plan, bindColumns(translateExpr(s.selection), scope))) : from.plan;

    const items = this.projection(s.projection as Node[], scope);
    checkDistinctNames(items);
    const [gKind, gBody] = variant(s.group_by);
    if (gKind !== 'Expressions') throw unsupported('GROUP BY ALL');
    const groupKeys = ((gBody as unknown as unknown[][])[0] ?? []).map((g) => at(g, () => this.groupKey(translateExpr(g), items, scope)));
    const aliases = new Map(items.flatMap((i) => (i.expr.kind === 'alias' ? [[i.expr.name.toLowerCase(), i.expr.operand] as const] : [])));
    const having = s.having ? at(s.having, () => bindColumns(translateExpr(s.having), scope, aliases)) : undefined;
    const aggregated = groupKeys.length > 0 || having !== undefined || items.some((i) => containsAggregate(i.expr));
    // Window functions run over a select's rows; over an aggregation's groups they need a subquery for now.
    if (aggregated && items.some((i) => someExpr(i.expr, (x) => x.kind === 'window-call'))) {
      throw unsupported('a window function in an aggregating SELECT (compute the aggregation in a subquery or CTE, then the window over it)');
    }
    let distinct = false;
    if (s.distinct) {
      const [dKind] = variant(s.distinct);
      if (dKind !== 'Distinct') throw unsupported('DISTINCT ON');
      distinct = true;
    }

    /** The select's output: the items, then `extras` (ORDER BY keys the output lacks). */
    const build = (extras: readonly Expr[]): LogicalPlan => {
      const outputs = [...items.map((i) => i.expr), ...extras];
      let plan: LogicalPlan;
      if (aggregated) {
        // Keys get hidden names so that output items may repeat them (SELECT merchant_id, sum(x) ... GROUP BY merchant_id).
        const keys = groupKeys.map((k, i) => AliasNode.create(k, `_key${i}`));
        const agg = aggregate(input, keys, outputs, having);
        plan = project(agg, agg.schema.fields.slice(keys.length).map((f) => ColumnNode.create(f.name)));
      } else {
        plan = project(input, outputs);
      }
      return distinct ? aggregate(plan, plan.schema.fields.map((f) => ColumnNode.create(f.name)), []) : plan;
    };
    let plan = build([]);
    if (orderBy.length === 0) return { plan, visible: items.length };

    const extras: Expr[] = [];
    const extraKeys: unknown[] = [];
    const output = plan;
    const keys = orderBy.map((o) => {
      const options = o.options as { asc?: boolean | null; nulls_first?: boolean | null };
      const ascending = options.asc ?? true;
      const before = extras.length;
      const expr = at(o.expr, () => this.selectSortKey(translateExpr(o.expr), output, items, scope, distinct, extras));
      if (extras.length > before) extraKeys.push(o.expr);
      return { expr, ascending, nullsFirst: options.nulls_first ?? ascending };
    });
    if (extras.length > 0) {
      try {
        plan = build(extras);
      } catch (e) {
        // An aggregation refuses a hidden key that is neither grouped nor aggregated: name and point at that ORDER BY key.
        const i = extras.findIndex((_, n) => !succeeds(() => build(extras.slice(0, n + 1))));
        if (!(e instanceof PaylakeError) || i < 0) throw e;
        const written = `ORDER BY ${displayExpr(translateExpr(extraKeys[i]))}`;
        throw locate(new PaylakeError(e.code, e.message.replace(displayExpr(extras[i]!), written)), extraKeys[i]);
      }
    }
    return { plan: sort(plan, keys), visible: items.length };
  }

  /**
   * An ORDER BY key of a select, resolved as Spark does: a position; else an expression over the output
   * (names, aliases); else an expression over FROM's columns — the matching select item when there is one,
   * else a hidden extra output column (`_sort0`, ...) appended to `extras`.
   */
  private selectSortKey(e: Expr, output: LogicalPlan, items: readonly SelectItem[], scope: readonly ScopeColumn[], distinct: boolean, extras: Expr[]): Expr {
    const position = this.position(e, output, 'ORDER BY');
    if (position !== null) return position;
    try {
      analyzeExpr(e, output.schema);
      return e;
    } catch {
      // Not an expression over the output: resolve it over FROM below.
    }
    const bound = bindColumns(e, scope);
    const text = displayExpr(bound);
    const i = items.findIndex((item) => displayExpr(unaliased(item.expr)) === text);
    if (i >= 0) return ColumnNode.create(output.schema.fields[i]!.name);
    if (distinct) throw new PaylakeError('USAGE', `ORDER BY ${displayExpr(e)} must be one of the selected columns of a SELECT DISTINCT`);
    const name = `_sort${extras.length}`;
    extras.push(AliasNode.create(bound, name));
    return ColumnNode.create(name);
  }

  /** An ORDER BY key over a set operation's output: a name, a position, or an expression over them. */
  private outputSortKey(e: Node, plan: LogicalPlan): SortKey {
    const translated = translateExpr(e.expr);
    const expr = this.position(translated, plan, 'ORDER BY') ?? translated;
    const options = e.options as { asc?: boolean | null; nulls_first?: boolean | null };
    const ascending = options.asc ?? true;
    return { expr, ascending, nullsFirst: options.nulls_first ?? ascending };
  }

  /** A 1-based position in the select list (`ORDER BY 2`) as a reference to that output column; null if `e` is no position. */
  private position(e: Expr, plan: LogicalPlan, clause: string): Expr | null {
    if (e.kind !== 'literal' || typeof e.value !== 'number') return null;
    const field = plan.schema.fields[e.value - 1];
    if (field === undefined) throw new PaylakeError('PARSE_ERROR', `${clause} position ${e.value} is not in the select list (1..${plan.schema.fields.length})`);
    return ColumnNode.create(field.name);
  }

  /** The select list, bound to FROM's columns; `*` and `t.*` expand to columns under their user-visible names. */
  private projection(items: readonly Node[], scope: readonly ScopeColumn[]): SelectItem[] {
    return items.flatMap((item): SelectItem[] => {
      const [kind, body] = variant(item);
      switch (kind) {
        case 'Wildcard':
          return starColumns(scope, null).map(columnItem);
        case 'QualifiedWildcard': {
          const [objectName] = body as unknown as Node[];
          const parts = ((objectName?.ObjectName as unknown[] | undefined) ?? []).map(identifierOf);
          if (parts.length !== 1) throw locate(unsupported(`${parts.join('.')}.*`), item);
          return at(item, () => starColumns(scope, parts[0]!)).map(columnItem);
        }
        case 'UnnamedExpr':
          return [at(body, () => this.unnamedItem(translateExpr(body), scope))];
        case 'ExprWithAlias': {
          const name = String((body.alias as Node).value);
          const e = translateExpr(body.expr);
          return [{ expr: AliasNode.create(at(body.expr, () => bindColumns(e, scope)), name), name, written: `${displayExpr(e)} AS ${name}` }];
        }
        default:
          throw locate(unsupported(`the select item ${kind}`), item);
      }
    });
  }

  /**
   * An item without AS: a column keeps its user-visible name; an expression reading renamed join columns is
   * named from the names the user sees (`sum(amount)`, not `sum(amount#1)`); other expressions are named by
   * the plan builder, as the DataFrame API names them.
   */
  private unnamedItem(e: Expr, scope: readonly ScopeColumn[]): SelectItem {
    if (e.kind === 'column') return columnItem(resolveColumn(scope, e.name, e.qualifier));
    const bound = bindColumns(e, scope);
    const shown = displayColumns(e, scope);
    const name = outputName(shown);
    return { expr: displayExpr(bound) === displayExpr(shown) ? bound : AliasNode.create(bound, name), name, written: displayExpr(e) };
  }

  /** A GROUP BY item: a position (1-based) or an output alias resolve to the select item, as in Spark; else bound to FROM's columns. */
  private groupKey(e: Expr, items: readonly SelectItem[], scope: readonly ScopeColumn[]): Expr {
    if (e.kind === 'literal' && typeof e.value === 'number') {
      const item = items[e.value - 1];
      if (item === undefined) throw new PaylakeError('PARSE_ERROR', `GROUP BY position ${e.value} is not in the select list (1..${items.length})`);
      return unaliased(item.expr);
    }
    if (e.kind === 'column' && e.qualifier === null && !hasColumn(scope, e.name)) {
      const aliased = items.find((i) => i.expr.kind === 'alias' && i.name.toLowerCase() === e.name.toLowerCase());
      if (aliased) return unaliased(aliased.expr);
    }
    return bindColumns(e, scope);
  }
}

/** A column as a select item under its user-visible name. */
function columnItem(c: ScopeColumn): SelectItem {
  const expr = c.expr.kind === 'column' && c.expr.name === c.name ? c.expr : AliasNode.create(c.expr, c.name);
  return { expr, name: c.name, written: shownName(c) };
}

/** Refuses a select list that outputs one name twice (`SELECT a.id, b.id`, or `*` over a join), naming both items. */
function checkDistinctNames(items: readonly SelectItem[]): void {
  const seen = new Map<string, SelectItem>();
  for (const item of items) {
    const key = item.name.toLowerCase();
    const first = seen.get(key);
    if (first !== undefined) {
      const example = /^[^.\s()]+\.[^.\s()]+$/.test(item.written) ? `${item.written} AS ${item.written.replace('.', '_')}` : `... AS other_${item.name}`;
      throw new PaylakeError(
        'USAGE',
        `the select list produces the column "${item.name}" twice (${first.written} and ${item.written}); paylake needs unique column names: select the columns and give one another name with AS, e.g. ${example}`,
      );
    }
    seen.set(key, item);
  }
}

/** The plan with every column qualified by `name`, so `name.col` resolves (a table alias). */
function withQualifier(plan: LogicalPlan, name: string): LogicalPlan {
  const fields = plan.schema.fields.map((f) => ({ ...f, qualifier: name }));
  return ProjectNode.create(plan, plan.schema.fields.map((f) => ColumnNode.create(f.name)), schemaOf(fields));
}
