// The lines `paylake gen` (and the quickstart) print after generating datasets.
import type { GenSummary } from '../../datasets/gen/run-gen.js';

/** What a generator run wrote, as a few aligned lines ending in a newline. */
export function formatGenSummary(summary: GenSummary, workers: number): string {
  const fmt = (n: number): string => n.toLocaleString('en-US');
  return [
    `paylake gen: wrote ${summary.outDir}`,
    `  transactions   ${fmt(summary.rows)} rows in ${summary.tasks} part files`,
    `  labels/fraud   ${fmt(summary.labelRows)} rows`,
    `  raw/gateway    ${fmt(summary.logLines)} lines`,
    `  bank           ${fmt(summary.settlementLines)} lines in ${summary.bankFiles} settlement files`,
    `  reference      ${Object.entries(summary.referenceRows).map(([k, v]) => `${k} ${fmt(v)}`).join(', ')}`,
    `  ${summary.seconds.toFixed(1)} s, ${fmt(Math.round(summary.rowsPerSecond))} rows/s with ${workers} worker${workers === 1 ? '' : 's'}`,
    '',
  ].join('\n');
}
