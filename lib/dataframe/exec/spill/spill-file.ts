// Spill files: record batches written to local disk as Arrow IPC streams, one batch at a time, and read
// back one batch at a time. One file may hold several streams back to back, each read by its byte range.
//
// Writes are synchronous (a worker thread runs one task, and the task waits for its spill anyway): the
// Arrow stream writer's output for a batch is collected and written with one writev, so no more than one
// batch is ever held beyond the caller's. Reads are asynchronous (a task's worker stays responsive to
// cancellation) and pull exactly the bytes Arrow's stream reader asks for from a file handle, so a batch
// read is its message body, uncopied, and memory stays one batch whatever the file size (measured:
// reading a 400 MiB file of 16 MiB batches holds 16 MiB). Every read is a fresh buffer starting at an
// 8-byte aligned stream position (IPC messages are padded to 8 bytes), so Arrow's int64/decimal views on
// it stay aligned and zero-copy.
import { closeSync, openSync, rmSync, writevSync } from 'node:fs';
import { open } from 'node:fs/promises';
import type { FileHandle } from 'node:fs/promises';
import {
  AsyncByteQueue, DataType, Dictionary, RecordBatch, RecordBatchReader, RecordBatchStreamWriter, Schema as ArrowSchema, Struct, util,
} from 'apache-arrow';
import { PaylakeError, messageOf } from '../../../errors/paylake-error.js';
import { equivalentSchemas, relabel } from '../conform-batches.js';

/** Byte range `[start, end)` of one IPC stream inside a spill file. */
export interface SpillRange {
  readonly start: number;
  readonly end: number;
}

/** Collects what the Arrow stream writer emits, for one writev per batch. */
class PendingChunks extends AsyncByteQueue {
  private chunks: Uint8Array[] = [];

  override write(value: Uint8Array): void {
    if (value.byteLength > 0) this.chunks.push(value);
  }

  /** The chunks collected since the last call. */
  take(): Uint8Array[] {
    const out = this.chunks;
    this.chunks = [];
    return out;
  }
}

/** The IPC stream being written: its writer, its output collector, its schema and where it began. */
interface OpenStream {
  readonly writer: RecordBatchStreamWriter;
  readonly sink: PendingChunks;
  readonly schema: ArrowSchema;
  readonly start: number;
}

/**
 * Writes Arrow IPC streams to a new local file. Every batch of one stream must have the same Arrow
 * schema; zero-row batches carry nothing and are skipped, so a stream without rows is empty (0 bytes).
 * @example
 * const w = new SpillFileWriter(join(dir, 'part-0.arrow'));
 * for (const b of batches) w.write(b);
 * const range = w.endStream(); // read back with readSpillRange(w.path, range.start, range.end)
 * w.close();
 */
export class SpillFileWriter {
  private fd: number | null;
  private stream: OpenStream | null = null;
  private position = 0;

  /** Creates (or truncates) the file at `path`. */
  constructor(readonly path: string) {
    try {
      this.fd = openSync(path, 'w');
    } catch (e) {
      throw ioError(`cannot create spill file ${path}`, e);
    }
  }

  /** Bytes written to the file so far (where the next stream starts). */
  get bytesWritten(): number {
    return this.position;
  }

  /** Appends a batch to the current stream, starting one (schema message first) if none is open. */
  write(batch: RecordBatch): void {
    if (batch.numRows === 0) return;
    let stream = this.stream;
    if (stream === null) {
      const writer = new RecordBatchStreamWriter();
      const sink = new PendingChunks();
      writer.reset(sink);
      stream = { writer, sink, schema: batch.schema, start: this.position };
      this.stream = stream;
    } else if (!sameSchema(stream.schema, batch.schema)) {
      const conformed = withDictionaryIds(batch, stream.schema) ?? (equivalentSchemas(stream.schema, batch.schema) ? relabel(batch, stream.schema) : null);
      // Arrow's writer would silently end the stream here and drop the batch.
      if (conformed === null) {
        throw new PaylakeError(
          'INTERNAL',
          `spill file ${this.path}: a batch with schema ${String(batch.schema.fields)} does not match the stream's schema ${String(stream.schema.fields)}; please report this`,
        );
      }
      batch = conformed;
    }
    stream.writer.write(batch);
    this.flush(stream.sink);
  }

  /** Ends the current stream (its end-of-stream marker) and returns its byte range; the next write starts a new stream. */
  endStream(): SpillRange {
    const stream = this.stream;
    if (stream === null) return { start: this.position, end: this.position };
    this.stream = null;
    stream.writer.close();
    this.flush(stream.sink);
    return { start: stream.start, end: this.position };
  }

  /** Ends any open stream and closes the file; returns the file's size in bytes. */
  close(): number {
    if (this.fd === null) return this.position;
    this.endStream();
    const fd = this.fd;
    this.fd = null;
    try {
      closeSync(fd);
    } catch (e) {
      throw ioError(`cannot close spill file ${this.path}`, e);
    }
    return this.position;
  }

  /** Closes the file without finishing it and removes it (after an error). */
  discard(): void {
    this.stream = null;
    if (this.fd !== null) {
      try {
        closeSync(this.fd);
      } catch {
        // The file is being removed; a failed close changes nothing for the caller.
      }
      this.fd = null;
    }
    removeSpillFile(this.path);
  }

  private flush(sink: PendingChunks): void {
    if (this.fd === null) throw new PaylakeError('INTERNAL', `spill file ${this.path} is closed; please report this`);
    let chunks = sink.take();
    try {
      while (chunks.length > 0) {
        let n = writevSync(this.fd, chunks);
        if (n <= 0) throw new Error('the write made no progress');
        this.position += n;
        // A partial write (rare for regular files): drop what was written and go on with the rest.
        let i = 0;
        while (i < chunks.length && n >= chunks[i]!.byteLength) n -= chunks[i++]!.byteLength;
        chunks = chunks.slice(i);
        if (n > 0) chunks[0] = chunks[0]!.subarray(n);
      }
    } catch (e) {
      throw ioError(`cannot write spill file ${this.path} (is the scratch disk full?)`, e);
    }
  }
}

/**
 * Writes `batches` to a new file as one IPC stream, batch by batch, and returns the bytes written. On
 * an error (of the source or of the disk) the file is removed.
 * @example const bytes = await writeSpillFile(join(dir, 'run-0.arrow'), sortedBatches());
 */
export async function writeSpillFile(path: string, batches: Iterable<RecordBatch> | AsyncIterable<RecordBatch>): Promise<number> {
  const writer = new SpillFileWriter(path);
  try {
    for await (const batch of batches) writer.write(batch);
    return writer.close();
  } catch (e) {
    writer.discard();
    throw e;
  }
}

/**
 * The batches of a spill file holding one IPC stream, read one at a time.
 * @example for await (const batch of readSpillFile(path)) consume(batch);
 */
export function readSpillFile(path: string): AsyncGenerator<RecordBatch, void, undefined> {
  return readStream(path, 0, null);
}

/**
 * The batches of the IPC stream at bytes `[start, end)` of a file (a range SpillFileWriter.endStream
 * returned), read one at a time. An empty range has no batches.
 * @example for await (const batch of readSpillRange(path, range.start, range.end)) consume(batch);
 */
export function readSpillRange(path: string, start: number, end: number): AsyncGenerator<RecordBatch, void, undefined> {
  if (!(Number.isSafeInteger(start) && Number.isSafeInteger(end) && start >= 0 && end >= start)) {
    throw new PaylakeError('INTERNAL', `spill file ${path}: invalid byte range [${start}, ${end}); please report this`);
  }
  return readStream(path, start, end);
}

/** Removes a spill file; a file that is already gone is fine. */
export function removeSpillFile(path: string): void {
  try {
    rmSync(path, { force: true });
  } catch (e) {
    throw ioError(`cannot remove spill file ${path}`, e);
  }
}

async function* readStream(path: string, start: number, end: number | null): AsyncGenerator<RecordBatch, void, undefined> {
  if (end === start) return;
  let fh: FileHandle;
  try {
    fh = await open(path, 'r');
  } catch (e) {
    throw ioError(`cannot open spill file ${path}`, e);
  }
  const where = end === null ? path : `${path} bytes [${start}, ${end})`;
  try {
    const stop = end ?? (await fh.stat()).size;
    if (stop <= start) return;
    const reader = await RecordBatchReader.from(fileBytes(fh, start, stop));
    // Arrow yields an empty placeholder for a stream without batches; writers never write empty ones.
    for await (const batch of reader) if (batch.numRows > 0) yield batch;
  } catch (e) {
    throw ioError(`cannot read spill file ${where}`, e);
  } finally {
    await fh.close();
  }
}

/**
 * Bytes `[start, end)` of a file, in fresh buffers. Arrow's reader passes how many bytes it needs next
 * as the argument of `next`, and gets exactly that (rounded up to 8 bytes, for alignment). Reading
 * exactly what is asked matters: a read that ran ahead into the next message body would make Arrow join
 * it with the rest of that body into a new buffer, and the read chunk stays referenced by Arrow's
 * adapter until the next read — two copies of every batch instead of one. A message costs three reads
 * (prefix, metadata, body).
 */
async function* fileBytes(fh: FileHandle, start: number, end: number): AsyncGenerator<Uint8Array, void, number | undefined> {
  let position = start;
  let wanted: number | undefined;
  while (position < end) {
    const size = Math.min(end - position, Math.ceil(Math.max(wanted ?? 0, 8) / 8) * 8);
    const buffer = new Uint8Array(size);
    let got = 0;
    while (got < size) {
      const { bytesRead } = await fh.read(buffer, got, size - got, position + got);
      if (bytesRead === 0) break;
      got += bytesRead;
    }
    if (got === 0) throw new Error(`the file ends at byte ${position}, before the end of the stream at ${end}`);
    position += got;
    wanted = yield got === size ? buffer : buffer.subarray(0, got);
  }
}

/**
 * `batch` relabelled with the dictionary ids of `schema` when it differs from it only in those (Arrow JS
 * numbers every Dictionary type it creates, so batches from different sources never share ids); null
 * when it differs in anything else. The writer then sends the batch's dictionary as a replacement.
 */
function withDictionaryIds(batch: RecordBatch, schema: ArrowSchema): RecordBatch | null {
  const fields = batch.schema.fields;
  if (fields.length !== schema.fields.length) return null;
  const children = batch.data.children.map((d, i) => {
    const want = schema.fields[i]!.type;
    if (!DataType.isDictionary(want) || !DataType.isDictionary(d.type) || want.id === d.type.id) return d;
    return d.clone(new Dictionary(d.type.dictionary, d.type.indices, want.id, d.type.isOrdered));
  });
  const relabelled = new ArrowSchema(fields.map((f, i) => f.clone({ type: children[i]!.type })), batch.schema.metadata);
  if (!sameSchema(schema, relabelled)) return null;
  return new RecordBatch(relabelled, batch.data.clone(new Struct(relabelled.fields), undefined, undefined, undefined, undefined, children));
}

/**
 * Whether two Arrow schemas have the same fields (names, nullability, types), checked both ways: Arrow's
 * comparison is one-directional (a generic Int_ "equals" an Int64 but not the reverse), and its stream
 * writer, seeing a difference, silently ends the stream and starts another inside the same file.
 */
function sameSchema(a: ArrowSchema, b: ArrowSchema): boolean {
  return util.compareSchemas(a, b) && util.compareSchemas(b, a);
}

function ioError(what: string, cause: unknown): PaylakeError {
  if (cause instanceof PaylakeError) return cause;
  return new PaylakeError('IO', `${what}: ${messageOf(cause)}`, { cause });
}
