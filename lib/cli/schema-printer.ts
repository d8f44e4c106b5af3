// Prints a dataset summary for `paylake schema`: a header line and a column table, or one JSON object.
import { Bool, Table, Utf8, vectorFromArray } from 'apache-arrow';
import type { Writable } from 'node:stream';
import type { DatasetSummary } from '../io/dataset/dataset-summary.js';
import { groupThousands } from '../report/table-renderer.js';
import { writeReport } from '../report/report-writer.js';
import { writeToSink } from '../report/sink-writer.js';

/** Writes the summary in the chosen format. */
export async function printSummary(s: DatasetSummary, format: 'table' | 'json', out: Writable): Promise<void> {
  if (format === 'json') {
    await writeToSink(out, `${JSON.stringify(s, null, 2)}\n`);
    return;
  }
  const facts = [
    s.format,
    `${groupThousands(s.files)} file${s.files === 1 ? '' : 's'}`,
    s.rows === null ? 'rows not counted' : `${groupThousands(s.rows)} rows`,
    ...(s.rowGroups === null ? [] : [`${groupThousands(s.rowGroups)} row group${s.rowGroups === 1 ? '' : 's'}`]),
    formatBytes(s.bytes),
    ...(s.codecs.length ? [s.codecs.join('/')] : []),
  ];
  const partitions = s.columns.filter((c) => c.partition).map((c) => `${c.name} (${c.type})`);
  const header = [`${s.paths.join(' ')}: ${facts.join(', ')}`];
  if (partitions.length) header.push(`partitioned by ${partitions.join(', ')}`);
  if (s.createdBy.length) header.push(`written by ${s.createdBy.join('; ')}`);
  await writeToSink(out, `${header.join('\n')}\n`);
  const table = new Table({
    column: vectorFromArray(s.columns.map((c) => c.name), new Utf8()),
    type: vectorFromArray(s.columns.map((c) => c.type), new Utf8()),
    nullable: vectorFromArray(s.columns.map((c) => c.nullable), new Bool()),
    partition: vectorFromArray(s.columns.map((c) => c.partition), new Bool()),
  });
  await writeReport(table, 'table', out, { footer: false });
}

/** `40.8 MB` — decimal units, as file managers show sizes. */
function formatBytes(n: number): string {
  const units = ['B', 'kB', 'MB', 'GB', 'TB'];
  let v = n;
  let u = 0;
  while (v >= 1000 && u < units.length - 1) {
    v /= 1000;
    u++;
  }
  return `${u === 0 ? v : v.toFixed(1)} ${units[u]}`;
}
