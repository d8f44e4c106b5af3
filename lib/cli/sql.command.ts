// `paylake sql`: Spark SQL over registered tables (`--table NAME=PATH`) and `parquet.`path`` sources, on the
// same engine and with the same output contract as `paylake agg`.
import type { CommandModule } from 'yargs';
import { PaylakeError } from '../errors/paylake-error.js';
import type { RunArgs } from './query-options.js';
import { withRunOptions } from './query-options.js';

interface SqlArgs extends RunArgs {
  query?: string;
  file?: string;
  table: string[];
  explain?: boolean;
}

/** `paylake sql "SELECT status, count(*) AS n FROM tx GROUP BY status" --table tx=data/transactions` */
export const sqlCommand: CommandModule<object, SqlArgs> = {
  command: 'sql [query]',
  describe: 'Run a Spark SQL query (SELECT ... FROM table or parquet.`path`) on the engine',
  builder: (y) =>
    withRunOptions(y)
      .positional('query', { type: 'string', description: 'The SQL text (or use --file)' })
      .option('file', { type: 'string', description: 'Read the SQL from this file' })
      .option('table', { type: 'string', array: true, default: [] as string[], description: 'Register a table: NAME=PATH (Parquet, or .csv / .jsonl), repeatable' })
      .option('explain', { type: 'boolean', description: 'Print the plans instead of running the query' })
      .check((a) => {
        if ((a.query === undefined) === (a.file === undefined)) throw new PaylakeError('USAGE', 'give the SQL either as an argument or with --file, not both');
        return true;
      })
      .example('$0 sql "SELECT status, count(*) AS n FROM tx GROUP BY status ORDER BY n DESC" --table tx=data/transactions', 'Events by status')
      .example("$0 sql \"SELECT currency, sum(amount_minor) AS gross FROM parquet.`data/transactions` WHERE dt = '2026-11-02' GROUP BY 1\"", 'A path in the query, as Spark writes it') as never,
  handler: async (args) => {
    const { readFile } = await import('node:fs/promises');
    const { readPaths, withSession } = await import('./open-session.js');
    const { writeQueryResult } = await import('./query-output.js');
    const text = args.query ?? (await readFile(args.file!, 'utf8').catch(() => {
      throw new PaylakeError('NOT_FOUND', `${args.file}: cannot read the SQL file; check the path`);
    }));
    await withSession(args, async (session) => {
      for (const spec of args.table) {
        const eq = spec.indexOf('=');
        if (eq <= 0) throw new PaylakeError('USAGE', `--table ${spec}: write it as NAME=PATH`);
        session.registerTable(spec.slice(0, eq), await readPaths(session, [spec.slice(eq + 1)], args));
      }
      const df = await session.sql(text);
      if (args.explain) process.stdout.write(await df.explain());
      else await writeQueryResult(df, args);
    });
  },
};
