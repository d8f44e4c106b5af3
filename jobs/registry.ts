// The jobs `paylake run` knows, by name. Add a job here after writing its `<name>.job.ts`.
import { PaylakeError } from '../lib/errors/paylake-error.js';
import type { JobDefinition } from '../lib/jobs/define-job.js';
import { gatewayLogSummaryJob } from './gateway-log-summary.job.js';

/** Every job, in the order `paylake jobs` lists them. */
export const JOBS: readonly JobDefinition[] = [gatewayLogSummaryJob];

/**
 * The job named `name`; throws USAGE listing the jobs when there is none.
 * @example await runJob(findJob('gateway-log-summary'), { date: '2026-11-01', input: 'data' })
 */
export function findJob(name: string): JobDefinition {
  const job = JOBS.find((j) => j.name === name);
  if (job === undefined) throw new PaylakeError('USAGE', `unknown job ${JSON.stringify(name)}; the jobs are: ${JOBS.map((j) => j.name).join(', ')} (see \`paylake jobs\`)`);
  return job;
}
