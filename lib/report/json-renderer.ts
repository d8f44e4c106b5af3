// JSON and JSON Lines report renderers: one array of row objects, or one row object per line.
import type { Writable } from 'node:stream';
import type { Data } from 'apache-arrow';
import { reportColumns, type ReportColumn } from './column-formatters.js';
import type { ReportInput } from './report-input.js';
import { writeToSink } from './sink-writer.js';

/** One row as compact JSON text, keys in column order (built as text, so `__proto__` is just a key). */
function rowJson(columns: readonly ReportColumn[], keys: readonly string[], children: readonly Data[], row: number): string {
  let out = '{';
  for (let c = 0; c < columns.length; c++) {
    if (c > 0) out += ',';
    out += keys[c]! + JSON.stringify(columns[c]!.formatter.json(children[c]!, row));
  }
  return out + '}';
}

async function render(input: ReportInput, sink: Writable, lines: boolean): Promise<void> {
  const columns = reportColumns(input.schema, true);
  const keys = columns.map((c) => `${JSON.stringify(c.name)}:`);
  let rows = 0;
  if (!lines) await writeToSink(sink, '[');
  for await (const batch of input.batches) {
    const children = batch.data.children;
    let text = '';
    for (let r = 0; r < batch.numRows; r++) {
      const json = rowJson(columns, keys, children, r);
      text += lines ? `${json}\n` : `${rows === 0 ? '\n' : ',\n'}${json}`;
      rows++;
    }
    await writeToSink(sink, text);
  }
  if (!lines) await writeToSink(sink, rows === 0 ? ']\n' : '\n]\n');
}

/**
 * Writes one JSON array of row objects (`[\n{...},\n{...}\n]\n`; `[]\n` when empty), one batch at a time.
 * @example await renderJson(toReportInput(table), process.stdout)
 */
export function renderJson(input: ReportInput, sink: Writable): Promise<void> {
  return render(input, sink, false);
}

/**
 * Writes one JSON object per line (JSON Lines), one batch at a time.
 * @example await renderJsonLines(toReportInput(table), process.stdout)
 */
export function renderJsonLines(input: ReportInput, sink: Writable): Promise<void> {
  return render(input, sink, true);
}
