// Runs one job for one date, as `paylake run` and the quickstart do: validates the date and the input
// directory, opens a session sized by --workers, wires Ctrl-C to cancellation, and always closes the session.
import { availableParallelism } from 'node:os';
import * as path from 'node:path';
import type { Writable } from 'node:stream';
import { abortOnSigint } from '../dataframe/exec/sigint-abort.js';
import { Session } from '../dataframe/session.js';
import { PaylakeError } from '../errors/paylake-error.js';
import { fileSystemFor } from '../io/fs/resolve-file-system.js';
import { resolveJobParams, type JobDefinition, type JobParamSpecs, type JobReportFormat } from './define-job.js';

/** How to run a job. */
export interface RunJobOptions {
  /** `YYYY-MM-DD`, a real calendar date. */
  readonly date: string;
  /** Dataset root, e.g. `data`. */
  readonly input: string;
  /** Default `out/<job>/dt=<date>`. */
  readonly output?: string;
  /** Worker threads; default the number of cores. */
  readonly workers?: number;
  readonly format?: JobReportFormat;
  /** No progress bar and no notes on stderr. */
  readonly quiet?: boolean;
  /** `name=value` assignments of the job's parameters. */
  readonly params?: readonly string[];
  readonly stdout?: Writable;
  readonly stderr?: Writable;
}

/**
 * Checks that `date` is `YYYY-MM-DD` and a real calendar date; throws USAGE otherwise.
 * @example checkJobDate('2026-11-01')
 */
export function checkJobDate(date: string): void {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(date);
  const ok = m !== null && new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]))).toISOString().slice(0, 10) === date;
  if (!ok) throw new PaylakeError('USAGE', `--date must be a calendar date as YYYY-MM-DD, got ${JSON.stringify(date)}`);
}

/** Where a job publishes by default: `out/<job>/dt=<date>`. */
export function defaultJobOutput(jobName: string, date: string): string {
  return path.join('out', jobName, `dt=${date}`);
}

/**
 * Runs `job` for `options.date`. Throws USAGE (bad date, parameter or worker count), NOT_FOUND (the input
 * directory, naming it) or whatever the job throws; CANCELLED on Ctrl-C, with nothing published.
 * @example await runJob(gatewayLogSummaryJob, { date: '2026-11-01', input: 'data' })
 */
export async function runJob<S extends JobParamSpecs>(job: JobDefinition<S>, options: RunJobOptions): Promise<void> {
  checkJobDate(options.date);
  const params = resolveJobParams(job, options.params ?? []);
  const workers = options.workers ?? availableParallelism();
  if (!Number.isInteger(workers) || workers < 1 || workers > 256) throw new PaylakeError('USAGE', `--workers must be an integer from 1 to 256, got ${workers}`);
  const fs = fileSystemFor(options.input);
  if (!(await fs.exists(options.input)) || !(await fs.isDirectory(options.input))) {
    throw new PaylakeError('NOT_FOUND', `--input ${options.input}: no such directory; give the dataset root (e.g. data, as written by paylake gen)`);
  }
  const stderr = options.stderr ?? process.stderr;
  const quiet = options.quiet === true;
  const session = new Session({ workers, progress: !quiet });
  using interrupt = abortOnSigint();
  try {
    await job.run({
      date: options.date,
      input: options.input,
      output: options.output ?? defaultJobOutput(job.name, options.date),
      params,
      session,
      format: options.format ?? 'table',
      stdout: options.stdout ?? process.stdout,
      log: (message) => void (quiet ? undefined : stderr.write(`${message}\n`)),
      signal: interrupt.signal,
    });
  } finally {
    await session.close();
  }
}
