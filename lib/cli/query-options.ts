// Options shared by the analyst commands (`agg`, `count-by-value`, `explain`): inputs, filter, session
// settings and output. One definition, so every command spells and checks them the same way.
import type { Argv } from 'yargs';
import { PaylakeError } from '../errors/paylake-error.js';

/** Output formats of query commands. */
export const QUERY_FORMATS = ['table', 'csv', 'json', 'jsonl'] as const;

/** A query command's output format. */
export type QueryFormat = (typeof QUERY_FORMATS)[number];

/** The parsed shared options. */
export interface QueryArgs {
  paths: string[];
  where?: string;
  limit?: number;
  format?: QueryFormat;
  output?: string;
  workers?: number;
  memory?: string;
  quiet?: boolean;
  rejects?: string;
  schema?: string;
}

/** Adds the shared options to a command that reads input paths. */
export function withQueryOptions<T>(y: Argv<T>): Argv<T & QueryArgs> {
  return withRunOptions(
    y
      .positional('paths', { type: 'string', array: true, demandOption: true, description: 'Parquet file, directory (dt= partitions) or glob; or .csv or .jsonl files' })
      .option('where', { type: 'string', description: "Filter, in Spark SQL: \"status = 'APPROVED' AND amount_minor > 10000\"" })
      .option('limit', { type: 'number', description: 'Keep at most N result rows' })
      .check((a) => {
        if (a.limit !== undefined && (!Number.isSafeInteger(a.limit) || a.limit < 0)) {
          throw new PaylakeError('USAGE', `--limit must be a non-negative integer, got ${String(a.limit)}`);
        }
        return true;
      }),
  ) as unknown as Argv<T & QueryArgs>;
}

/** The options of every query command, `sql` included: output, session settings, and how text inputs are read. */
export type RunArgs = Omit<QueryArgs, 'paths' | 'where' | 'limit'>;

/** Adds the output, session and text-input options (no input paths). */
export function withRunOptions<T>(y: Argv<T>): Argv<T & RunArgs> {
  return y
    .option('format', { choices: QUERY_FORMATS, description: 'Output format [default: table, or from the --output extension]' })
    .option('output', { type: 'string', description: 'Write the result to this file (.csv, .json, .jsonl) or directory (.parquet) instead of stdout' })
    .option('workers', { type: 'number', description: 'Worker threads [default: CPU count]' })
    .option('memory', { type: 'string', description: 'Memory budget, e.g. 2GB' })
    .option('quiet', { type: 'boolean', description: 'No progress bar' })
    .option('schema', { type: 'string', description: "CSV and JSON-lines inputs: column types, e.g. 'payout_minor int64, fx_rate decimal(20,10)' (others inferred)" })
    .option('rejects', { type: 'string', description: 'CSV and JSON-lines inputs: write malformed records (file, line, reason, text) here instead of failing' })
    .check((a) => {
      if (a.workers !== undefined && (!Number.isSafeInteger(a.workers) || a.workers < 1)) {
        throw new PaylakeError('USAGE', `--workers must be a positive integer, got ${String(a.workers)}`);
      }
      return true;
    }) as unknown as Argv<T & RunArgs>;
}
