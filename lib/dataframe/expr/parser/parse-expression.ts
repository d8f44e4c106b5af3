// Parses the expression strings of the CLI and the API (`--where`, `--agg`, `--group-by`, `--order-by`,
// `df.filter("...")`) with the same parser `paylake sql` uses, so there is one expression grammar.
import { PaylakeError } from '../../../errors/paylake-error.js';
import type { Expr } from '../expr.js';
import type { SortKey } from '../sort-key.js';
import { AliasNode } from '../nodes/alias-node.js';
import { parseSql, pointAtSource, syntaxError } from './sql-parser.js';
import type { SqlAst } from './sql-parser.js';
import { translateExpr, translateSortKey } from './sql-expr-translator.js';

const SELECT = 'SELECT ';

function selectBody(statement: SqlAst | undefined, text: string): Record<string, unknown> {
  const query = statement?.Query as Record<string, unknown> | undefined;
  const body = query?.body as Record<string, unknown> | undefined;
  const select = body?.Select as Record<string, unknown> | undefined;
  if (!query || !select) throw new PaylakeError('PARSE_ERROR', `not an expression: ${text}`);
  return { ...select, order_by: query.order_by, limit: query.limit_clause };
}

function parseSelectOf(text: string, suffix = ''): Record<string, unknown> {
  if (text.trim() === '') throw new PaylakeError('PARSE_ERROR', 'empty expression');
  const statements = parseSql(`${SELECT}${text}${suffix}`, text, SELECT.length);
  if (statements.length !== 1) throw syntaxError('expected one expression, found more than one statement', text, { line: 1, column: 1 });
  return selectBody(statements[0], text);
}

/** Translates one projection item, keeping its alias; located errors point into `text`. */
function translateItem(item: unknown, text: string): Expr {
  try {
    return translateItemAt(item, text);
  } catch (e) {
    throw pointAtSource(e, text, SELECT.length);
  }
}

function translateItemAt(item: unknown, text: string): Expr {
  const entry = item as Record<string, Record<string, unknown>>;
  if (entry.UnnamedExpr) return translateExpr(entry.UnnamedExpr);
  if (entry.ExprWithAlias) {
    const alias = String((entry.ExprWithAlias.alias as Record<string, unknown>).value);
    return AliasNode.create(translateExpr(entry.ExprWithAlias.expr), alias);
  }
  throw new PaylakeError('PARSE_ERROR', `\`*\` is not an expression here: ${text}`);
}

/**
 * One expression, e.g. a filter condition.
 * @example parseExpression("status = 'APPROVED' AND amount_minor > 10000")
 */
export function parseExpression(text: string): Expr {
  const select = parseSelectOf(text);
  const items = select.projection as unknown[];
  if (items.length !== 1) throw new PaylakeError('PARSE_ERROR', `expected one expression, found ${items.length}: ${text}`);
  const expr = translateItem(items[0], text);
  if (expr.kind === 'alias') throw new PaylakeError('PARSE_ERROR', `an alias (AS ${expr.name}) is not allowed here: ${text}`);
  return expr;
}

/**
 * A comma-separated list of expressions with optional aliases, e.g. `--agg` or `--group-by`.
 * @example parseExpressionList('sum(amount_minor) AS gross, count(*) AS n')
 */
export function parseExpressionList(text: string): Expr[] {
  const select = parseSelectOf(text);
  return (select.projection as unknown[]).map((item) => translateItem(item, text));
}

/**
 * An ORDER BY list, e.g. `--order-by "gross DESC, merchant_id"`.
 * @example parseSortKeys('gross DESC NULLS LAST, merchant_id')
 */
export function parseSortKeys(text: string): SortKey[] {
  if (text.trim() === '') throw new PaylakeError('PARSE_ERROR', 'empty ORDER BY list');
  const prefix = 'SELECT 1 ORDER BY ';
  const statements = parseSql(`${prefix}${text}`, text, prefix.length);
  const orderBy = (statements[0]?.Query as Record<string, unknown> | undefined)?.order_by as Record<string, unknown> | undefined;
  const kind = orderBy?.kind as Record<string, unknown> | undefined;
  const exprs = kind?.Expressions as Record<string, unknown>[] | undefined;
  if (!exprs) throw new PaylakeError('PARSE_ERROR', `not an ORDER BY list: ${text}`);
  try {
    return exprs.map(translateSortKey);
  } catch (e) {
    throw pointAtSource(e, text, prefix.length);
  }
}
