// Streaming Parquet writer: Arrow record batches in, one Parquet file out, one row group in memory at a time.
// Encoding is parquet-wasm's (arrow-rs) `transformParquetStream`; the file appears under its final name only when complete.
import { once } from 'node:events';
import * as path from 'node:path';
import type { Writable } from 'node:stream';
import { RecordBatch, Struct, Table, makeData, tableToIPC, type Schema } from 'apache-arrow';
import * as pw from 'parquet-wasm';
import { PaylakeError, messageOf } from '../../errors/paylake-error.js';
import type { FileSystem } from '../fs/file-system.js';
import { fileSystemFor } from '../fs/resolve-file-system.js';

/** Compression codecs paylake writes. */
export type ParquetCodec = 'ZSTD' | 'SNAPPY' | 'UNCOMPRESSED';

/** Options of {@link ParquetFileWriter.open}. */
export interface ParquetWriterOptions {
  /** Page compression; default ZSTD. */
  readonly codec?: ParquetCodec;
  /** Maximum rows per row group; default 1,048,576. */
  readonly maxRowGroupRows?: number;
  /** Min/max/null-count statistics: per page and column chunk (default), per chunk only, or none. */
  readonly statistics?: 'page' | 'chunk' | 'none';
  /** Written into the footer's `created_by`; default `paylake`. */
  readonly createdBy?: string;
  /** Extra footer key-value metadata (arrow-rs adds `ARROW:schema` itself). */
  readonly keyValueMetadata?: Readonly<Record<string, string>>;
  /** The file system to write through; default chosen from the path. */
  readonly fileSystem?: FileSystem;
}

/** What a closed writer wrote. */
export interface ParquetWriteResult {
  readonly uri: string;
  readonly rows: number;
  readonly bytes: number;
}

const CODECS: Record<ParquetCodec, pw.Compression> = {
  ZSTD: pw.Compression.ZSTD,
  SNAPPY: pw.Compression.SNAPPY,
  UNCOMPRESSED: pw.Compression.UNCOMPRESSED,
};

const STATISTICS = {
  page: pw.EnabledStatistics.Page,
  chunk: pw.EnabledStatistics.Chunk,
  none: pw.EnabledStatistics.None,
} as const;

/** Default maximum rows per row group. */
export const DEFAULT_ROW_GROUP_ROWS = 1_048_576;

function buildProperties(options: ParquetWriterOptions): pw.WriterProperties {
  const rowGroupRows = options.maxRowGroupRows ?? DEFAULT_ROW_GROUP_ROWS;
  if (!Number.isInteger(rowGroupRows) || rowGroupRows < 1) {
    throw new PaylakeError('USAGE', `max row-group rows must be a positive integer, got ${rowGroupRows}`);
  }
  let builder = new pw.WriterPropertiesBuilder()
    .setCompression(CODECS[options.codec ?? 'ZSTD'])
    .setMaxRowGroupSize(rowGroupRows)
    .setStatisticsEnabled(STATISTICS[options.statistics ?? 'page'])
    .setCreatedBy(options.createdBy ?? 'paylake');
  const kv = options.keyValueMetadata;
  if (kv && Object.keys(kv).length > 0) {
    builder = builder.setKeyValueMetadata(new Map(Object.entries(kv).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))));
  }
  return builder.build();
}

/**
 * Writes one Parquet file from a stream of Arrow record batches with bounded memory: batches are handed to
 * the wasm encoder one at a time (write() waits for the encoder to take each one), and the encoder emits
 * each row group as soon as it is full. Bytes go to a hidden temporary file beside the target, renamed into
 * place by close(); abort() removes it. Columns of one batch must not share a typed array (arrow-js then
 * writes an IPC stream that arrow-rs rejects).
 * @example
 * const w = await ParquetFileWriter.open('out/part-00000.parquet', schema, { codec: 'ZSTD' });
 * for (const batch of batches) await w.write(batch);
 * await w.close();
 */
export class ParquetFileWriter {
  private rows = 0;
  private bytes = 0;
  private failure: unknown;
  private closed = false;
  private waiter: (() => void) | undefined;
  private readonly pump: Promise<void>;

  private constructor(
    private readonly fs: FileSystem,
    private readonly uri: string,
    private readonly tmpUri: string,
    private readonly schema: Schema,
    private readonly input: ReadableStreamDefaultController<pw.RecordBatch>,
    output: Promise<ReadableStream<Uint8Array>>,
    sink: Writable,
    pullSignal: { onPull: () => void },
  ) {
    pullSignal.onPull = () => {
      const w = this.waiter;
      this.waiter = undefined;
      w?.();
    };
    this.pump = this.drain(output, sink);
  }

  /** Starts a new file at `uri` (a temporary sibling until close()). */
  static async open(uri: string, schema: Schema, options: ParquetWriterOptions = {}): Promise<ParquetFileWriter> {
    const fs = options.fileSystem ?? fileSystemFor(uri);
    const tmpUri = fs.join(path.dirname(uri), `.${path.basename(uri)}.tmp-${process.pid}-${threadTag()}`);
    const props = buildProperties(options);
    const sink = await fs.openWriteStream(tmpUri);
    const pullSignal = { onPull: (): void => undefined };
    let controller: ReadableStreamDefaultController<pw.RecordBatch> | undefined;
    const input = new ReadableStream<pw.RecordBatch>(
      {
        start(c) {
          controller = c;
        },
        pull() {
          pullSignal.onPull();
        },
      },
      { highWaterMark: 1 },
    );
    // transformParquetStream resolves only once it has read the first batch (it needs the schema), so the
    // promise is awaited by the drain loop, not here.
    const output = pw.transformParquetStream(input, props) as Promise<ReadableStream<Uint8Array>>;
    if (!controller) throw new PaylakeError('INTERNAL', 'ReadableStream did not call start()');
    return new ParquetFileWriter(fs, uri, tmpUri, schema, controller, output, sink, pullSignal);
  }

  /** Rows written so far. */
  get rowCount(): number {
    return this.rows;
  }

  /** Appends a record batch (or every batch of a table); resolves when the encoder has taken it. */
  async write(data: RecordBatch | Table): Promise<void> {
    if (this.closed) throw new PaylakeError('INTERNAL', `${this.uri}: write after close`);
    this.rethrow();
    const table = data instanceof Table ? data : new Table([data]);
    if (table.numRows === 0) return;
    await this.enqueue(table);
    this.rows += table.numRows;
  }

  /** Finishes the footer, flushes and renames the file into place. */
  async close(): Promise<ParquetWriteResult> {
    if (this.closed) throw new PaylakeError('INTERNAL', `${this.uri}: closed twice`);
    // arrow-rs needs at least one batch to learn the schema: an empty file gets one empty batch.
    if (this.rows === 0) await this.enqueue(new Table(this.schema));
    this.closed = true;
    this.input.close();
    await this.pump;
    this.rethrow();
    await this.fs.remove(this.uri);
    await this.fs.rename(this.tmpUri, this.uri);
    return { uri: this.uri, rows: this.rows, bytes: this.bytes };
  }

  /** Stops writing and removes the temporary file. */
  async abort(): Promise<void> {
    if (!this.closed) {
      this.closed = true;
      try {
        this.input.error(new Error('aborted'));
      } catch {
        // already errored or closed
      }
    }
    await this.pump.catch(() => undefined);
    await this.fs.remove(this.tmpUri);
  }

  private async enqueue(table: Table): Promise<void> {
    let wasmTable: pw.Table;
    try {
      wasmTable = pw.Table.fromIPCStream(tableToIPC(table, 'stream'));
    } catch (e) {
      throw new PaylakeError('INTERNAL', `${this.uri}: the Parquet encoder rejected a batch: ${messageOf(e)}`, { cause: e });
    }
    const batches = wasmTable.recordBatches();
    // The batches hold their own references to the buffers; free the table now, not at GC time, so wasm
    // memory stays at about one row group.
    wasmTable.free();
    if (batches.length === 0 && table.numRows === 0) {
      // An empty table has no batch; an empty IPC stream with a schema still carries it.
      this.input.enqueue(emptyWasmBatch(table.schema));
      return;
    }
    for (const batch of batches) {
      this.input.enqueue(batch);
      while ((this.input.desiredSize ?? 0) <= 0 && this.failure === undefined) {
        await new Promise<void>((resolve) => {
          this.waiter = resolve;
        });
      }
      this.rethrow();
    }
  }

  private async drain(output: Promise<ReadableStream<Uint8Array>>, sink: Writable): Promise<void> {
    try {
      const reader = (await output).getReader();
      for (;;) {
        const { done, value } = await reader.read();
        if (done) break;
        this.bytes += value.byteLength;
        if (!sink.write(value)) await once(sink, 'drain');
      }
      sink.end();
      await once(sink, 'finish');
    } catch (e) {
      this.failure = e;
      sink.destroy();
      this.waiter?.();
    }
  }

  private rethrow(): void {
    if (this.failure !== undefined) {
      const e = this.failure;
      if (e instanceof PaylakeError) throw e;
      throw new PaylakeError('IO', `${this.uri}: writing Parquet failed: ${messageOf(e)}`, { cause: e });
    }
  }
}

function emptyWasmBatch(schema: Schema): pw.RecordBatch {
  const children = schema.fields.map((f) => makeData({ type: f.type, length: 0, nullCount: 0 }));
  const empty = new RecordBatch(schema, makeData({ type: new Struct(schema.fields), length: 0, nullCount: 0, children }));
  const t = pw.Table.fromIPCStream(tableToIPC(new Table([empty]), 'stream'));
  const b = t.recordBatches()[0];
  t.free();
  if (!b) throw new PaylakeError('INTERNAL', 'could not build an empty record batch for the Parquet encoder');
  return b;
}

let threadCounter = 0;
function threadTag(): string {
  threadCounter += 1;
  return `${Date.now().toString(36)}${threadCounter.toString(36)}${Math.floor(Math.random() * 1e9).toString(36)}`;
}
