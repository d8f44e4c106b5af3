// `paylake explain`: the logical, optimized and physical plans of an `agg` query, with what pruning skips.
import type { CommandModule } from 'yargs';
import type { AggArgs } from './agg-query.js';
import { withAggOptions } from './agg.command.js';

/** `paylake explain data/transactions --where "dt = '2026-11-03'" --agg 'count(*) AS n'` */
export const explainCommand: CommandModule<object, AggArgs> = {
  command: 'explain <paths..>',
  describe: 'Show the plans of an agg query (same options as agg) and what pruning skips; runs nothing',
  builder: (y) =>
    withAggOptions(y).example("$0 explain data/transactions --where \"dt = '2026-11-03'\" --group-by status --agg 'count(*) AS n'", 'Plans of a one-day count') as never,
  handler: async (args) => {
    const { withSession } = await import('./open-session.js');
    const { buildAggQuery } = await import('./agg-query.js');
    await withSession(args, async (session) => {
      process.stdout.write(await (await buildAggQuery(session, args)).explain());
    });
  },
};
