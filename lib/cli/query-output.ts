// Writes a query command's result: to stdout in the chosen format, or to --output (format from
// --format or the file extension) with the same atomic commit as DataFrame writers.
import { PaylakeError } from '../errors/paylake-error.js';
import type { DataFrame } from '../dataframe/dataframe.js';
import { writeReport } from '../report/report-writer.js';
import type { QueryArgs, QueryFormat } from './query-options.js';

/** Runs `df` and writes its result where the arguments say. */
export async function writeQueryResult(df: DataFrame, args: Pick<QueryArgs, 'output' | 'format'>): Promise<void> {
  if (args.output === undefined) {
    await writeReport(await df.toArrow(), args.format ?? 'table', process.stdout);
    return;
  }
  const format = args.format ?? formatOf(args.output);
  switch (format) {
    case 'csv':
      await df.write.csv(args.output);
      return;
    case 'json':
      await df.write.json(args.output);
      return;
    case 'jsonl':
      await df.write.jsonl(args.output);
      return;
    case 'parquet':
      await df.write.parquet(args.output);
      return;
    case 'table':
      throw new PaylakeError('USAGE', '--format table cannot be written to --output; use csv, json, jsonl or a .parquet directory');
  }
}

function formatOf(output: string): QueryFormat | 'parquet' {
  const ext = /\.([a-z]+)$/i.exec(output)?.[1]?.toLowerCase();
  if (ext === 'csv' || ext === 'json' || ext === 'jsonl' || ext === 'parquet') return ext;
  throw new PaylakeError('USAGE', `cannot tell the format of --output ${output}; end it in .csv, .json, .jsonl or .parquet, or give --format`);
}
