// Reads one CSV or JSON-lines file of a scan inside a worker: parses it with the column types fixed when
// the source was read, keeps the scan's read columns in order, and sends every malformed record to the
// task's rejects file (when the source has one) while counting them by reason — none is dropped unseen.
import { Field as ArrowField, RecordBatch, Schema as ArrowSchema, Struct, makeData } from 'apache-arrow';
import { openCsv } from '../../io/csv/csv-reader.js';
import { openJsonLines } from '../../io/jsonl/jsonl-reader.js';
import { CsvRejectsWriter } from '../../io/csv/csv-rejects.js';
import type { CsvReject, CsvRejectSink } from '../../io/csv/csv-rejects.js';
import type { TextSourceOptions } from '../plan/nodes/scan-node.js';
import type { Schema } from '../types/schema.js';

/** What a worker needs to read one text file of a scan. */
export interface TextScanTaskSpec {
  readonly format: 'csv' | 'jsonl';
  readonly uri: string;
  readonly readSchema: Schema;
  readonly text: TextSourceOptions;
  /** Scratch file for this task's rejects; null when the source has no rejects file (rejects then fail). */
  readonly rejectsFile: string | null;
}

/** Malformed records of one task: how many, by reason, and the first one (for messages). */
export interface RejectsCount {
  readonly count: number;
  readonly byReason: Readonly<Record<string, number>>;
  readonly first: { readonly file: string; readonly line: number; readonly message: string } | null;
}

/**
 * Streams the task's rows (columns exactly `readSchema`) into `onBatch`, one parsed batch at a time, so a
 * file of any size is read in bounded memory; returns its rejects.
 */
export async function readTextScanTask(spec: TextScanTaskSpec, onBatch: (batch: RecordBatch) => void | Promise<void>): Promise<RejectsCount> {
  const writer = spec.rejectsFile === null ? null : await CsvRejectsWriter.open(spec.rejectsFile);
  let first: RejectsCount['first'] = null;
  const sink: CsvRejectSink<string> = {
    reject(r: CsvReject<string>) {
      first ??= { file: r.file, line: r.line, message: r.message };
      return writer?.reject(r);
    },
  };
  try {
    const options = { schema: spec.text.columnTypes, inferSchema: false, rejects: sink } as const;
    const reader = spec.format === 'csv' ? await openCsv(spec.uri, options) : await openJsonLines(spec.uri, options);
    const fields = spec.readSchema.fields;
    const arrowSchema = new ArrowSchema(fields.map((f) => new ArrowField(f.name, reader.schema.fields.find((x) => x.name === f.name)!.type, f.nullable)));
    for await (const b of reader.batches()) {
      if (b.numRows === 0) continue;
      const children = fields.map((f) => b.getChild(f.name)!.data[0]!);
      await onBatch(new RecordBatch(arrowSchema, makeData({ type: new Struct(arrowSchema.fields), length: b.numRows, nullCount: 0, children })));
    }
    return { count: reader.stats.rowsRejected, byReason: { ...reader.stats.byReason }, first };
  } finally {
    await writer?.close();
  }
}
