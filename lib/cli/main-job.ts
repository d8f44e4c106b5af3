// The job the quickstart runs on the sample data: a tour of what the generator wrote — the transaction
// log's schema, row counts and pruning-ready layout from Parquet footers, and its first rows.
import type { Writable } from 'node:stream';
import { summarizeDataset } from '../io/dataset/dataset-summary.js';
import { readHead } from '../io/dataset/read-head.js';
import { writeReport } from '../report/report-writer.js';
import { writeToSink } from '../report/sink-writer.js';
import { printSummary } from './schema-printer.js';

/** Prints what the dataset under `dataDir` holds. */
export async function runMainJob(dataDir: string, out: Writable): Promise<void> {
  const transactions = `${dataDir}/transactions`;
  await writeToSink(out, `\n== ${transactions} ==\n`);
  await printSummary(await summarizeDataset([transactions]), 'table', out);
  await writeToSink(out, `\n== first rows of ${transactions} ==\n`);
  const head = await readHead([transactions], 5);
  await writeReport({ schema: head.schema, batches: head.batches }, 'table', out, head.totalRows === null ? {} : { totalRows: head.totalRows });
  await writeToSink(
    out,
    [
      '',
      'Next:',
      `  paylake schema ${dataDir}/labels/fraud`,
      `  paylake head ${dataDir}/bank/settlement-2026-11-03.csv -n 5`,
      `  paylake head ${transactions} --format json -n 3`,
      '',
    ].join('\n'),
  );
}
