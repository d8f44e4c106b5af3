// CSV report renderer: RFC 4180 (CRLF, header row), deterministic bytes, safe to open in a spreadsheet.
import type { Writable } from 'node:stream';
import { stringify } from 'csv-stringify/sync';
import { guardCsvText } from '../io/csv/csv-injection-guard.js';
import { reportColumns } from './column-formatters.js';
import type { ReportInput } from './report-input.js';
import { writeToSink } from './sink-writer.js';

// quoted_match: csv-stringify only quotes a bare CR when it is the record delimiter; RFC 4180 wants it quoted.
const STRINGIFY_OPTIONS = { record_delimiter: '\r\n', eof: true, quoted_empty: false, quoted_match: /[\r\n]/ };

/**
 * Writes `input` as CSV: a header row, then one record per row, CRLF line ends. NULL is an empty
 * cell. Numeric columns (integer, decimal, float) are written as plain numbers (a refund `-12.50`
 * stays `-12.50`); every other cell, header names included, goes through guardCsvText (a leading
 * `=`, `+`, `-`, `@`, tab or CR gets a `'` prefix). Writes one batch at a time.
 * @example await renderCsv(toReportInput(table), createWriteStream('out.csv'))
 */
export async function renderCsv(input: ReportInput, sink: Writable): Promise<void> {
  const columns = reportColumns(input.schema);
  await writeToSink(sink, stringify([columns.map((c) => guardCsvText(c.name))], STRINGIFY_OPTIONS));
  for await (const batch of input.batches) {
    const children = batch.data.children;
    const records: (string | null)[][] = [];
    for (let r = 0; r < batch.numRows; r++) {
      const record = columns.map(({ formatter }, c) => {
        const text = formatter.text(children[c]!, r);
        return text === null || formatter.numeric ? text : guardCsvText(text);
      });
      records.push(record);
    }
    if (records.length > 0) await writeToSink(sink, stringify(records, STRINGIFY_OPTIONS));
  }
}
