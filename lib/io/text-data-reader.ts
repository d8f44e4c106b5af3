// What every reader of a text data format (CSV, JSON lines) returns: a schema known before any batch, the
// batches, and counts that add up (rows read + rejected + blank lines = physical records), by reject reason.
import type { RecordBatch, Schema } from 'apache-arrow';
import type { CsvColumnType } from './csv/csv-column-type.js';

/** Counts of one file's records; `R` is the reader's reject reason codes. */
export interface TextReadStats<R extends string> {
  rowsRead: number;
  rowsRejected: number;
  /** Blank lines, skipped (as Spark does) and not counted as records. */
  blankLines: number;
  byReason: Partial<Record<R, number>>;
}

/** An opened text data file: its schema is known before any batch is read. */
export interface TextDataReader<R extends string> {
  readonly uri: string;
  readonly schema: Schema;
  /** The type of each column, in schema order, spelt as a declared schema spells it. */
  readonly columnTypes: readonly CsvColumnType[];
  /** Live counts; final once `batches()` has completed. */
  readonly stats: TextReadStats<R>;
  /** The rows as batches of at most `batchSize` rows. Streams: memory is bounded by one batch. */
  batches(): AsyncGenerator<RecordBatch>;
}
