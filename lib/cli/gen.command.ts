// `paylake gen`: writes the synthetic payments datasets (see datasets/README.md).
import { availableParallelism } from 'node:os';
import type { CommandModule } from 'yargs';

interface GenArgs {
  out: string;
  rows?: number;
  days?: number;
  start?: string;
  seed?: number;
  merchants?: number;
  cards?: number;
  'fraud-rate'?: number;
  workers?: number;
  'part-rows'?: number;
  'row-group-rows'?: number;
  codec?: string;
}

/** `paylake gen --out DIR [--rows N] [--days D] [--start YYYY-MM-DD] [--seed S] ...` */
export const genCommand: CommandModule<object, GenArgs> = {
  command: 'gen',
  describe: 'Generate the synthetic payments datasets (transactions, fraud labels, gateway logs, bank files, reference data)',
  builder: (y) =>
    y
      .option('out', { type: 'string', demandOption: true, description: 'Output directory (empty, new, or a previous gen output)' })
      .option('rows', { type: 'number', description: 'Transaction log rows in total [default: 1000000]' })
      .option('days', { type: 'number', description: 'Number of days [default: 7]' })
      .option('start', { type: 'string', description: 'First day, YYYY-MM-DD (UTC) [default: 2026-11-01]' })
      .option('seed', { type: 'number', description: 'Random seed [default: 42]' })
      .option('merchants', { type: 'number', description: 'Number of merchants [default: 2000]' })
      .option('cards', { type: 'number', description: 'Number of cards [default: 200000]' })
      .option('fraud-rate', { type: 'number', description: 'Share of rows in injected fraud scenarios [default: 0.002]' })
      .option('workers', { type: 'number', description: 'Worker threads (never changes the output) [default: CPU count]' })
      .option('part-rows', { type: 'number', description: 'Maximum rows per transactions part file [default: 1048576]' })
      .option('row-group-rows', { type: 'number', description: 'Maximum rows per Parquet row group [default: 1048576]' })
      .option('codec', { type: 'string', choices: ['ZSTD', 'SNAPPY'], description: 'Parquet compression [default: ZSTD]' }) as never,
  handler: async (args) => {
    const { resolveGenParams } = await import('../../datasets/gen/gen-params.js');
    const { runGen } = await import('../../datasets/gen/run-gen.js');
    const { PaylakeError } = await import('../errors/paylake-error.js');
    for (const name of ['rows', 'days', 'seed', 'merchants', 'cards', 'fraud-rate', 'workers', 'part-rows', 'row-group-rows'] as const) {
      if (args[name] !== undefined && Number.isNaN(args[name])) throw new PaylakeError('USAGE', `--${name} must be a number`);
    }
    const params = resolveGenParams({
      rows: args.rows,
      days: args.days,
      start: args.start,
      seed: args.seed,
      merchants: args.merchants,
      cards: args.cards,
      fraudRate: args['fraud-rate'],
      partRows: args['part-rows'],
      rowGroupRows: args['row-group-rows'],
      codec: args.codec as 'ZSTD' | 'SNAPPY' | undefined,
    });
    const workers = args.workers ?? availableParallelism();
    const tty = process.stderr.isTTY === true;
    const summary = await runGen({
      outDir: args.out,
      params,
      workers,
      onProgress: tty
        ? (done, total, rows) => process.stderr.write(`\rgen: ${done}/${total} tasks, ${rows.toLocaleString('en-US')} rows`)
        : undefined,
    });
    if (tty) process.stderr.write('\n');
    const { formatGenSummary } = await import('./gen-summary.js');
    process.stdout.write(formatGenSummary(summary, workers));
  },
};
