// The job the quickstart runs on the sample data: gateway-log-summary on the first generated day, whose
// table (status × response code, with control totals) is printed, followed by commands to try next.
import { readdir, readFile } from 'node:fs/promises';
import * as path from 'node:path';
import type { Writable } from 'node:stream';
import { PaylakeError } from '../errors/paylake-error.js';
import { writeToSink } from '../report/sink-writer.js';

/**
 * The first day of generated gateway logs under `dataDir`: the generator's start date from its marker file
 * when that day's logs exist, else the first `dt=` directory.
 */
export async function firstGeneratedDay(dataDir: string): Promise<string> {
  const gatewayDir = path.join(dataDir, 'raw', 'gateway');
  let days: string[];
  try {
    days = (await readdir(gatewayDir)).filter((d) => /^dt=\d{4}-\d{2}-\d{2}$/.test(d)).map((d) => d.slice(3)).sort();
  } catch {
    days = [];
  }
  try {
    const marker = JSON.parse(await readFile(path.join(dataDir, '_paylake_gen.json'), 'utf8')) as { params?: { start?: unknown } };
    const start = marker.params?.start;
    if (typeof start === 'string' && days.includes(start)) return start;
  } catch {
    // No readable marker: fall back to the directories.
  }
  const first = days[0];
  if (first === undefined) throw new PaylakeError('NOT_FOUND', `${gatewayDir}: no dt=YYYY-MM-DD directories of gateway logs; regenerate with paylake gen`);
  return first;
}

/** Runs gateway-log-summary on the first generated day of `dataDir` and prints its report to `out`. */
export async function runMainJob(dataDir: string, out: Writable): Promise<void> {
  const { runJob } = await import('../jobs/run-job.js');
  const { gatewayLogSummaryJob } = await import('../../jobs/gateway-log-summary.job.js');
  const date = await firstGeneratedDay(dataDir);
  await writeToSink(out, `\n== main job: gateway-log-summary for ${date} ==\n`);
  await runJob(gatewayLogSummaryJob, { date, input: dataDir, stdout: out, stderr: out });
  await writeToSink(
    out,
    [
      '',
      'Next:',
      `  paylake jobs`,
      `  paylake run gateway-log-summary --date ${date} --input ${dataDir} --format json --quiet`,
      `  paylake schema ${dataDir}/transactions`,
      `  paylake head ${dataDir}/transactions -n 5`,
      '',
    ].join('\n'),
  );
}
