// What every reader of a text data format (CSV, JSON lines) returns: a schema known before any batch, the
// batches, and counts that add up (rows read + rejected + blank lines = physical records), by reject reason.
import type { RecordBatch, Schema } from 'apache-arrow';
import type { CsvColumnType } from './csv/csv-column-type.js';
import type { CsvRejectSink } from './csv/csv-rejects.js';
import type { FileSystem } from './fs/file-system.js';

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

/** Options every text data reader takes; `R` is its reject reason codes. */
export interface TextDataReadOptions<R extends string> {
  /** Declared types by column name (CSV header name, JSON key). Columns not named here are inferred (or, with `inferSchema: false`, CSV reads them as strings and JSON lines ignores them). */
  readonly schema?: Readonly<Record<string, CsvColumnType>>;
  /** Infer undeclared columns from the first `inferenceRows` records (default true). */
  readonly inferSchema?: boolean;
  /** Records sampled for inference (default 1000). */
  readonly inferenceRows?: number;
  /** Rows per record batch (default 65,536). */
  readonly batchSize?: number;
  /** `reject` (default): bad records go to `rejects` and are counted. `fail`: the first one throws CSV_INVALID (the code for an unreadable record of a text data file). */
  readonly onBadRecord?: 'reject' | 'fail';
  /** Receives rejected records; without one they are still counted in `stats`. */
  readonly rejects?: CsvRejectSink<R>;
  /** Largest record in bytes (default 1 MiB); bounds memory on runaway records, which are rejected as RECORD_TOO_LARGE. */
  readonly maxRecordBytes?: number;
  /** The file system to read through (default: chosen by the URI). */
  readonly fileSystem?: FileSystem;
}
