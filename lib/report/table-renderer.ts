// Terminal table renderer for `paylake head`/`agg`: boxed columns, right-aligned numbers, NULL shown
// as NULL, long cells cut with …, fitted to the terminal width, and a row-count footer. Never colours.
import type { Writable } from 'node:stream';
import { reportColumns } from './column-formatters.js';
import { displayWidth, truncateToWidth } from './display-width.js';
import type { ReportInput } from './report-input.js';
import { writeToSink } from './sink-writer.js';

/** Options of the terminal table. */
export interface TableRenderOptions {
  /** Total width to fit; defaults to the sink's `columns` when it is a TTY, else unlimited. */
  readonly maxWidth?: number;
  /** Widest a column may be before its cells are cut (default 48). */
  readonly maxCellWidth?: number;
  /** Box-drawing characters (default) or plain ASCII. */
  readonly boxStyle?: 'unicode' | 'ascii';
  /** Rows in the full result when the input is a prefix of it: the footer says "showing n of N rows". */
  readonly totalRows?: number;
  /** Whether to end with the row-count footer (default true); off for tables that are not query results. */
  readonly footer?: boolean;
}

interface Box {
  readonly h: string;
  readonly v: string;
  readonly top: [string, string, string];
  readonly mid: [string, string, string];
  readonly bottom: [string, string, string];
}

const BOXES: Record<'unicode' | 'ascii', Box> = {
  unicode: { h: '─', v: '│', top: ['┌', '┬', '┐'], mid: ['├', '┼', '┤'], bottom: ['└', '┴', '┘'] },
  ascii: { h: '-', v: '|', top: ['+', '+', '+'], mid: ['+', '+', '+'], bottom: ['+', '+', '+'] },
};

const CONTROL_CHARS = /[\u0000-\u001f\u007f-\u009f]/g;

/** Control characters shown as escapes, so data can neither break the layout nor drive the terminal. */
function escapeControls(text: string): string {
  return text.replace(CONTROL_CHARS, (ch) => {
    if (ch === '\n') return '\\n';
    if (ch === '\r') return '\\r';
    if (ch === '\t') return '\\t';
    return `\\u${ch.charCodeAt(0).toString(16).padStart(4, '0')}`;
  });
}

/** 1234567 → "1,234,567", independent of the locale. */
export function groupThousands(n: number): string {
  return String(n).replace(/\B(?=(\d{3})+(?!\d))/g, ',');
}

/** The footer line: "1 row", "20 rows" or "showing 20 of 1,234 rows". */
export function rowCountFooter(shown: number, total?: number): string {
  if (total !== undefined && total > shown) return `showing ${groupThousands(shown)} of ${groupThousands(total)} rows`;
  return `${groupThousands(shown)} ${shown === 1 ? 'row' : 'rows'}`;
}

/** Shrinks the widest columns until the table fits `maxWidth` (each column keeps at least 3 cells). */
function fitWidths(widths: number[], maxWidth: number): void {
  const total = (): number => widths.reduce((a, b) => a + b, 0) + 3 * widths.length + 1;
  while (total() > maxWidth) {
    let widest = 0;
    widths.forEach((w, i) => {
      if (w > widths[widest]!) widest = i;
    });
    if (widths[widest]! <= 3) return;
    widths[widest]! -= 1;
  }
}

/**
 * Writes `input` as a boxed table followed by a row-count footer. Reads every batch first (column
 * widths depend on all cells), so give it a bounded result such as `head`'s.
 * @example await renderTable(toReportInput(table), process.stdout, { totalRows: 1234 })
 */
export async function renderTable(input: ReportInput, sink: Writable, options: TableRenderOptions = {}): Promise<void> {
  const columns = reportColumns(input.schema);
  const box = BOXES[options.boxStyle ?? 'unicode'];
  const tty = sink as Writable & { isTTY?: boolean; columns?: number };
  const maxWidth = options.maxWidth ?? (tty.isTTY === true && tty.columns ? tty.columns : Infinity);
  const maxCellWidth = options.maxCellWidth ?? 48;

  const rows: string[][] = [];
  for await (const batch of input.batches) {
    const children = batch.data.children;
    for (let r = 0; r < batch.numRows; r++) {
      rows.push(columns.map(({ formatter }, c) => escapeControls(formatter.text(children[c]!, r) ?? 'NULL')));
    }
  }
  const headers = columns.map((c) => escapeControls(c.name));
  const widths = headers.map((h, c) => Math.min(maxCellWidth, Math.max(1, displayWidth(h), ...rows.map((row) => displayWidth(row[c]!)))));
  fitWidths(widths, maxWidth);

  const cell = (text: string, c: number): string => {
    const cut = truncateToWidth(text, widths[c]!);
    const gap = ' '.repeat(widths[c]! - displayWidth(cut));
    return columns[c]!.formatter.numeric ? gap + cut : cut + gap;
  };
  const rule = ([left, join, right]: [string, string, string]): string =>
    left + widths.map((w) => box.h.repeat(w + 2)).join(join) + right + '\n';
  const line = (cells: string[]): string => `${box.v} ${cells.map(cell).join(` ${box.v} `)} ${box.v}\n`;

  let text = '';
  if (columns.length > 0) {
    text += rule(box.top) + line(headers) + rule(box.mid);
    for (const row of rows) text += line(row);
    text += rule(box.bottom);
  }
  if (options.footer !== false) text += `${rowCountFooter(rows.length, options.totalRows)}\n`;
  await writeToSink(sink, text);
}
