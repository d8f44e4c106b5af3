// `paylake schema PATH...`: columns and types, rows, row groups, partition columns and codecs of a
// Parquet dataset (from footers only) or the inferred schema of CSV files.
import type { CommandModule } from 'yargs';

interface SchemaArgs {
  paths: string[];
  format: 'table' | 'json';
}

/** `paylake schema data/transactions` */
export const schemaCommand: CommandModule<object, SchemaArgs> = {
  command: 'schema <paths..>',
  describe: 'Show the columns, types, rows, row groups, partitions and codecs of a dataset',
  builder: (y) =>
    y
      .positional('paths', { type: 'string', array: true, demandOption: true, description: 'Parquet file, directory or glob; or CSV files' })
      .option('format', { choices: ['table', 'json'] as const, default: 'table' as const, description: 'Output format' })
      .example('$0 schema data/transactions', 'Summarise the generated transaction log')
      .example("$0 schema 'data/transactions/dt=2026-11-0*' --format json", 'The same for some days, as JSON') as never,
  handler: async (args) => {
    const { summarizeDataset } = await import('../io/dataset/dataset-summary.js');
    const { printSummary } = await import('./schema-printer.js');
    const summary = await summarizeDataset(args.paths);
    await printSummary(summary, args.format, process.stdout);
  },
};
