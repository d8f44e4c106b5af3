// Reads selected columns of one Parquet row group at a time as apache-arrow RecordBatches, never the whole file.
// Decoding runs in a disposable worker (parquet-decode-client.ts); every result is checked against the footer.
import { RecordBatch, Schema, Struct, makeData, tableFromIPC } from 'apache-arrow';
import { PaylakeError } from '../../errors/paylake-error.js';
import type { FileSystem } from '../fs/file-system.js';
import { DecodeFailedError, sharedDecodeClient } from './parquet-decode-client.js';
import type { ParquetDecoder } from './parquet-decode-client.js';
import { readParquetMetadata } from './parquet-metadata.js';
import type { ParquetFileMetadata } from './parquet-metadata.js';

/** Rows per record batch unless asked otherwise (parquet-wasm's own default of 1024 is far too small). */
export const DEFAULT_BATCH_SIZE = 65_536;

/** Options for {@link ParquetReader.readRowGroup}. */
export interface ReadRowGroupOptions {
  /** Top-level column names, in the order wanted; all columns when omitted. `[]` gives row counts only. */
  readonly columns?: readonly string[];
  /** Rows per batch; default {@link DEFAULT_BATCH_SIZE}. */
  readonly batchSize?: number;
}

/** An open Parquet file: its footer, its Arrow schema and a row-group reader. */
export interface ParquetReader {
  readonly uri: string;
  readonly metadata: ParquetFileMetadata;
  /** The Arrow schema of all top-level columns, as the decoder produces them. */
  readonly schema: Schema;
  /**
   * Exactly the rows of row group `index`, with the requested columns in the requested order.
   * Throws PaylakeError PARQUET_CORRUPT (file and row group named) when the data cannot be decoded or
   * disagrees with the footer, PARQUET_UNSUPPORTED for INT96 timestamps outside 1677..2262, NOT_FOUND for an unknown column.
   * @example for (const b of await reader.readRowGroup(0, { columns: ['amount_minor', 'currency'] })) total += b.numRows
   */
  readRowGroup(index: number, options?: ReadRowGroupOptions): Promise<RecordBatch[]>;
}

/** Options for {@link openParquet}. */
export interface OpenParquetOptions {
  /** Limit for decoding one row group (or the schema); a corrupt file must not hang a job. */
  readonly timeoutMs?: number;
  /** The decoder to use; the thread's shared one by default. */
  readonly decoder?: ParquetDecoder;
}

function wrapFailure(e: unknown, where: string): PaylakeError {
  if (!(e instanceof DecodeFailedError)) {
    return e instanceof PaylakeError ? e : new PaylakeError('INTERNAL', `${where}: ${String(e)}; please report this`, { cause: e });
  }
  const f = e.failure;
  switch (f.kind) {
    case 'timeout':
      return new PaylakeError('PARQUET_CORRUPT', `${where}: decoding did not finish within ${f.ms} ms; the file is probably corrupt`, { cause: e });
    case 'crash':
      return new PaylakeError('PARQUET_CORRUPT', `${where}: the Parquet decoder crashed (${f.message}); the file is corrupt or uses a layout paylake cannot decode`, { cause: e });
    case 'error':
      if (f.int96OutOfRange) {
        return new PaylakeError(
          'PARQUET_UNSUPPORTED',
          `${where}: ${f.message}; paylake reads INT96 only within that range: rewrite the file with INT64 timestamps (Spark: spark.sql.parquet.outputTimestampType=TIMESTAMP_MICROS)`,
          { cause: e },
        );
      }
      if (/encrypt/i.test(f.message)) {
        return new PaylakeError('PARQUET_UNSUPPORTED', `${where}: the file uses Parquet modular encryption, which paylake cannot read (${f.message})`, { cause: e });
      }
      return new PaylakeError('PARQUET_CORRUPT', `${where}: cannot decode: ${f.message}`, { cause: e });
  }
}

/** A batch of `numRows` rows and no columns, for scans that only count. */
function emptyBatch(numRows: number): RecordBatch {
  return new RecordBatch(new Schema([]), makeData({ type: new Struct([]), length: numRows, nullCount: 0, children: [] }));
}

class ParquetFileReader implements ParquetReader {
  private readonly firstRows: number[];
  private readonly int96Top: ReadonlySet<string>;
  private readonly int96Nested: ReadonlySet<string>;

  constructor(
    readonly uri: string,
    readonly metadata: ParquetFileMetadata,
    readonly schema: Schema,
    private readonly decoder: ParquetDecoder,
    private readonly timeoutMs: number | undefined,
  ) {
    let first = 0;
    this.firstRows = metadata.rowGroups.map((rg) => {
      const f = first;
      first += rg.numRows;
      return f;
    });
    const top = new Set<string>();
    const nested = new Set<string>();
    for (const c of metadata.leafColumns) {
      if (c.physicalType !== 'INT96') continue;
      const [head, ...rest] = c.path.split('.');
      (rest.length === 0 ? top : nested).add(head!);
    }
    this.int96Top = top;
    this.int96Nested = nested;
  }

  async readRowGroup(index: number, options: ReadRowGroupOptions = {}): Promise<RecordBatch[]> {
    const where = `${this.uri}: row group ${index}`;
    const rg = this.metadata.rowGroups[index];
    if (rg === undefined || !Number.isInteger(index)) {
      throw new PaylakeError('USAGE', `${this.uri}: no row group ${index}; the file has ${this.metadata.rowGroups.length}`);
    }
    const names = options.columns ?? this.schema.fields.map((f) => f.name);
    for (const n of names) {
      if (this.schema.fields.findIndex((f) => f.name === n) < 0) {
        throw new PaylakeError('NOT_FOUND', `${this.uri}: no column "${n}"; the file has ${this.schema.fields.map((f) => f.name).join(', ')}`);
      }
    }
    if (names.length === 0) return rg.numRows === 0 ? [] : [emptyBatch(rg.numRows)];
    for (const n of names) {
      if (this.int96Nested.has(n)) {
        throw new PaylakeError('PARQUET_UNSUPPORTED', `${where}: column "${n}" nests INT96 timestamps, which paylake cannot check for overflow; rewrite it with INT64 timestamps`);
      }
    }
    // Measured: when the footer's file row count is below the row groups' sum (repeated_no_annotation.parquet
    // says 0), an explicit batchSize makes parquet-wasm return no rows; its default batch size does not.
    const footerTrustworthy = this.metadata.footerNumRows === this.metadata.numRows;
    let ipcs: readonly Uint8Array[];
    try {
      ipcs = await this.decoder.request(
        {
          kind: 'read',
          uri: this.uri,
          rowGroup: index,
          firstRow: this.firstRows[index]!,
          numRows: rg.numRows,
          columns: options.columns === undefined ? null : [...new Set(names)],
          batchSize: footerTrustworthy ? Math.max(1, options.batchSize ?? DEFAULT_BATCH_SIZE) : undefined,
          int96Columns: names.filter((n) => this.int96Top.has(n)),
        },
        this.timeoutMs,
      );
    } catch (e) {
      throw wrapFailure(e, where);
    }
    const batches = ipcs.flatMap((ipc) => tableFromIPC(ipc).batches).filter((b) => b.numRows > 0);
    const rows = batches.reduce((n, b) => n + b.numRows, 0);
    if (rows !== rg.numRows) {
      throw new PaylakeError('PARQUET_CORRUPT', `${where}: the decoder returned ${rows} rows but the footer says ${rg.numRows}; the file is corrupt`);
    }
    const first = batches[0];
    if (first === undefined) return [];
    const order = names.map((n) => first.schema.fields.findIndex((f) => f.name === n));
    if (order.some((i) => i < 0)) {
      throw new PaylakeError('PARQUET_CORRUPT', `${where}: the decoder did not return every requested column (${names.join(', ')})`);
    }
    const inOrder = order.every((i, k) => i === k) && order.length === first.schema.fields.length;
    return inOrder ? batches : batches.map((b) => b.selectAt(order));
  }
}

/**
 * Opens a Parquet file: reads its footer (ranged reads) and its Arrow schema (in the decode worker).
 * The worker resolves the file system from the URI (fileSystemFor), so `fs` must be the one serving `uri`.
 * @example const r = await openParquet(fs, 'data/tx/dt=2026-11-21/part-0.parquet'); const batches = await r.readRowGroup(0)
 */
export async function openParquet(fs: FileSystem, uri: string, options: OpenParquetOptions = {}): Promise<ParquetReader> {
  const metadata = await readParquetMetadata(fs, uri);
  const decoder = options.decoder ?? sharedDecodeClient();
  let schemaIpc: readonly Uint8Array[];
  try {
    schemaIpc = await decoder.request({ kind: 'schema', uri }, options.timeoutMs);
  } catch (e) {
    throw wrapFailure(e, `${uri}: schema`);
  }
  const schema = tableFromIPC(schemaIpc[0]!).schema;
  return new ParquetFileReader(uri, metadata, schema, decoder, options.timeoutMs);
}
