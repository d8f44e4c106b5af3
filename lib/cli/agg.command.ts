// `paylake agg`: filter, group and aggregate a Parquet dataset from the terminal.
import type { Argv, CommandModule } from 'yargs';
import type { AggArgs } from './agg-query.js';
import { withQueryOptions } from './query-options.js';

/** `paylake agg data/transactions --group-by merchant_id --agg "sum(amount_minor) AS gross"` */
export const aggCommand: CommandModule<object, AggArgs> = {
  command: 'agg <paths..>',
  describe: 'Aggregate a dataset: --where, --group-by, --agg, --having, --order-by, --limit',
  builder: (y) =>
    withAggOptions(y)
      .example(
        "$0 agg data/transactions --where \"status = 'APPROVED'\" --group-by merchant_id --agg 'sum(amount_minor) AS gross, count(*) AS n' --order-by 'gross DESC' --limit 10",
        'Top 10 merchants by approved amount',
      )
      .example("$0 agg data/transactions --group-by currency --agg 'count(*) AS n' --format json", 'Rows per currency, as JSON') as never,
  handler: async (args) => {
    const { withSession } = await import('./open-session.js');
    const { buildAggQuery } = await import('./agg-query.js');
    const { writeQueryResult } = await import('./query-output.js');
    await withSession(args, async (session) => writeQueryResult(await buildAggQuery(session, args), args));
  },
};

/** The options of `agg`, shared with `explain`. */
export function withAggOptions<T>(y: Argv<T>): Argv<T & AggArgs> {
  return withQueryOptions(y)
    .option('agg', { type: 'string', demandOption: true, description: "Aggregates: 'sum(amount_minor) AS gross, count(*) AS n, count(DISTINCT card_token) AS cards'" })
    .option('group-by', { type: 'string', description: "Grouping columns or expressions: 'merchant_id, currency'" })
    .option('having', { type: 'string', description: "Keep groups where this holds: 'count(*) > 100'" })
    .option('order-by', { type: 'string', description: "Order: 'gross DESC, merchant_id' [default: the group-by columns]" }) as unknown as Argv<T & AggArgs>;
}
