// `paylake run JOB --date D --input DIR`: runs one job for one date (see jobs/registry.ts), publishing its
// output atomically under --output (default out/JOB/dt=D) and printing its report.
import type { CommandModule } from 'yargs';
import type { JobReportFormat } from '../jobs/define-job.js';

interface RunArgs {
  job: string;
  date: string;
  input: string;
  output: string | undefined;
  workers: number | undefined;
  format: JobReportFormat;
  quiet: boolean;
  param: string[];
}

/** `paylake run gateway-log-summary --date 2026-11-01 --input data` */
export const runCommand: CommandModule<object, RunArgs> = {
  command: 'run <job>',
  describe: 'Run a job for one date (`paylake jobs` lists them)',
  builder: (y) =>
    y
      .positional('job', { type: 'string', demandOption: true, description: 'Job name' })
      .option('date', { type: 'string', demandOption: true, description: 'Logical date to process, YYYY-MM-DD' })
      .option('input', { type: 'string', demandOption: true, description: 'Dataset root, as written by paylake gen (e.g. data)' })
      .option('output', { type: 'string', description: 'Output directory; default out/JOB/dt=DATE. Replaced atomically' })
      .option('workers', { type: 'number', description: 'Worker threads; default the number of cores' })
      .option('format', { choices: ['table', 'csv', 'json'] as const, default: 'table' as const, description: 'Report format on stdout' })
      .option('quiet', { type: 'boolean', default: false, description: 'No progress bar and no notes on stderr' })
      .option('param', { alias: 'p', type: 'string', array: true, default: [], description: 'A job parameter, name=value (repeatable)' })
      .example('$0 run gateway-log-summary --date 2026-11-01 --input data', 'Summarise one day of gateway logs')
      .example('$0 run gateway-log-summary --date 2026-11-01 --input data --format json --quiet', 'The same, as JSON for scripts') as never,
  handler: async (args) => {
    const { findJob } = await import('../../jobs/registry.js');
    const { runJob } = await import('../jobs/run-job.js');
    await runJob(findJob(args.job), {
      date: args.date,
      input: args.input,
      ...(args.output === undefined ? {} : { output: args.output }),
      ...(args.workers === undefined ? {} : { workers: args.workers }),
      format: args.format,
      quiet: args.quiet,
      params: args.param,
    });
  },
};
