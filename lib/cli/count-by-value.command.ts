// `paylake count-by-value`: how often each value of a column or expression occurs.
import type { CommandModule } from 'yargs';
import type { QueryArgs } from './query-options.js';
import { withQueryOptions } from './query-options.js';

interface CountByValueArgs extends QueryArgs {
  column: string;
}

/** `paylake count-by-value data/transactions --column status` */
export const countByValueCommand: CommandModule<object, CountByValueArgs> = {
  command: 'count-by-value <paths..>',
  describe: 'Count rows by the value of a column or expression, most frequent first',
  builder: (y) =>
    withQueryOptions(y)
      .option('column', { type: 'string', demandOption: true, description: "Column or expression: status, or 'substr(card_bin, 1, 1)'" })
      .example('$0 count-by-value data/transactions --column status', 'Events by status')
      .example("$0 count-by-value data/transactions --column response_code --where \"status = 'DECLINED'\" --limit 5 --format json", 'Top decline codes') as never,
  handler: async (args) => {
    const { readInput, withSession } = await import('./open-session.js');
    const { writeQueryResult } = await import('./query-output.js');
    await withSession(args, async (session) => {
      let df = await readInput(session, args);
      if (args.where !== undefined) df = df.filter(args.where);
      let counts = df.valueCounts(args.column);
      if (args.limit !== undefined) counts = counts.limit(args.limit);
      await writeQueryResult(counts, args);
    });
  },
};
