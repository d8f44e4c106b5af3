// The one entry point commands use to print a result: pick a renderer by format and stream to a sink.
import type { Writable } from 'node:stream';
import type { Table } from 'apache-arrow';
import { PaylakeError } from '../errors/paylake-error.js';
import { renderCsv } from './csv-renderer.js';
import { renderJson, renderJsonLines } from './json-renderer.js';
import { toReportInput, type ReportInput } from './report-input.js';
import { renderTable, type TableRenderOptions } from './table-renderer.js';

/** Output formats of `paylake head`, `agg`, `count-by-value` and reports. */
export type ReportFormat = 'table' | 'csv' | 'json' | 'jsonl';

/** Every ReportFormat, for CLI `choices`. */
export const REPORT_FORMATS: readonly ReportFormat[] = ['table', 'csv', 'json', 'jsonl'];

/** Options of writeReport; only the table format reads them. */
export type ReportOptions = TableRenderOptions;

/**
 * Writes `source` to `sink` in `format`. Values follow one contract in every format (see
 * value-formatter.ts): exact integers (strings beyond ±(2^53−1) in JSON), decimals with their full
 * scale, RFC 3339 UTC timestamps, base64 binary, nested values as JSON. Does not end the sink.
 * Throws PaylakeError('TYPE_ERROR') before writing anything when a column type cannot be rendered.
 * @example await writeReport(table, 'csv', process.stdout)
 */
export async function writeReport(source: Table | ReportInput, format: ReportFormat, sink: Writable, options: ReportOptions = {}): Promise<void> {
  const input = toReportInput(source);
  switch (format) {
    case 'table':
      return renderTable(input, sink, options);
    case 'csv':
      return renderCsv(input, sink);
    case 'json':
      return renderJson(input, sink);
    case 'jsonl':
      return renderJsonLines(input, sink);
    default: {
      const never: never = format;
      throw new PaylakeError('USAGE', `unknown report format "${String(never)}"; use one of ${REPORT_FORMATS.join(', ')}`);
    }
  }
}
