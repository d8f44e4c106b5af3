// Builds the DataFrame of `paylake agg` / `paylake explain` from their options: filter, group, aggregate,
// HAVING, order and limit. Without --order-by, grouped results are ordered by the group-by columns
// ascending with NULLs first (the output contract), explicitly, so explain shows it.
import { DataFrame } from '../dataframe/dataframe.js';
import { quoteIdentifier } from '../dataframe/expr/display-expr.js';
import { parseExpressionList } from '../dataframe/expr/parser/parse-expression.js';
import { aggregate } from '../dataframe/plan/plan-builder.js';
import type { Session } from '../dataframe/session.js';
import { readInput } from './open-session.js';
import type { QueryArgs } from './query-options.js';

/** Options of `paylake agg`. */
export interface AggArgs extends QueryArgs {
  agg: string;
  'group-by'?: string;
  having?: string;
  'order-by'?: string;
}

/** The query `paylake agg` runs. */
export async function buildAggQuery(session: Session, args: AggArgs): Promise<DataFrame> {
  let df = await readInput(session, args);
  if (args.where !== undefined) df = df.filter(args.where);
  const keys = args['group-by'] === undefined ? [] : parseExpressionList(args['group-by']);
  df = new DataFrame(session, aggregate(df.plan, keys, [args.agg], args.having));
  if (args['order-by'] !== undefined) df = df.orderBy(args['order-by']);
  else if (keys.length > 0) df = df.orderBy(df.columns.slice(0, keys.length).map(quoteIdentifier).join(', '));
  if (args.limit !== undefined) df = df.limit(args.limit);
  return df;
}
