// `paylake head PATH...`: the first rows of a dataset with every column decoded, as a table, CSV or JSON.
import type { CommandModule } from 'yargs';
import { PaylakeError } from '../errors/paylake-error.js';
import type { ReportFormat } from '../report/report-writer.js';

interface HeadArgs {
  paths: string[];
  n: number;
  format: ReportFormat;
}

/** `paylake head data/transactions -n 5` */
export const headCommand: CommandModule<object, HeadArgs> = {
  command: 'head <paths..>',
  describe: 'Show the first rows of a dataset (every column, nested types included)',
  builder: (y) =>
    y
      .positional('paths', { type: 'string', array: true, demandOption: true, description: 'Parquet file, directory or glob; or a CSV file' })
      .option('n', { alias: 'rows', type: 'number', default: 20, description: 'Number of rows' })
      .option('format', { choices: ['table', 'csv', 'json', 'jsonl'] as const, default: 'table' as const, description: 'Output format' })
      .check((a) => {
        if (!Number.isSafeInteger(a.n) || a.n < 0) throw new PaylakeError('USAGE', `-n must be a non-negative integer, got ${String(a.n)}`);
        return true;
      })
      .example('$0 head data/transactions -n 5', 'First five transactions as a table')
      .example('$0 head data/bank/settlement-2026-11-03.csv --format json', 'A bank file as JSON') as never,
  handler: async (args) => {
    const { readHead } = await import('../io/dataset/read-head.js');
    const { writeReport } = await import('../report/report-writer.js');
    const head = await readHead(args.paths, args.n);
    await writeReport({ schema: head.schema, batches: head.batches }, args.format, process.stdout, head.totalRows === null ? {} : { totalRows: head.totalRows });
  },
};
