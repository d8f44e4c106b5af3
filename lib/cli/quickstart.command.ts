// `paylake quickstart` (what `npm start` runs): generates a small sample dataset under ./data when none is
// there, then runs the main job on it and prints what it found.
import type { CommandModule } from 'yargs';

interface QuickstartArgs {
  data: string;
  rows: number;
}

/** Sample size: big enough to look real, small enough to generate in seconds. */
const SAMPLE_ROWS = 200_000;

/** `paylake quickstart` */
export const quickstartCommand: CommandModule<object, QuickstartArgs> = {
  command: 'quickstart',
  describe: 'Generate a sample dataset under ./data if absent, then run the main job on it',
  builder: (y) =>
    y
      .option('data', { type: 'string', default: 'data', description: 'Dataset directory' })
      .option('rows', { type: 'number', default: SAMPLE_ROWS, description: 'Rows to generate when the directory has no dataset' }) as never,
  handler: async (args) => {
    const { existsSync } = await import('node:fs');
    const { join } = await import('node:path');
    const { availableParallelism } = await import('node:os');
    const { GEN_MARKER, runGen } = await import('../../datasets/gen/run-gen.js');
    const { resolveGenParams } = await import('../../datasets/gen/gen-params.js');
    const { formatGenSummary } = await import('./gen-summary.js');
    if (!existsSync(join(args.data, GEN_MARKER))) {
      process.stdout.write(`No dataset in ${args.data}/ yet: generating ${args.rows.toLocaleString('en-US')} sample transactions...\n`);
      const workers = availableParallelism();
      const summary = await runGen({ outDir: args.data, params: resolveGenParams({ rows: args.rows }), workers });
      process.stdout.write(formatGenSummary(summary, workers));
    } else {
      process.stdout.write(`Using the dataset in ${args.data}/ (delete it to generate a new one).\n`);
    }
    const { runMainJob } = await import('./main-job.js');
    await runMainJob(args.data, process.stdout);
  },
};
