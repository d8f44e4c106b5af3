// Reads a text file as lines (split on \n, one trailing \r stripped, gzip when the name ends .gz),
// streaming, as Arrow Utf8 batches; a byte range reads one split of a large file (Hadoop
// TextInputFormat semantics) so several workers can share one file.
//
// Why Arrow Utf8 batches and not string[]: the line bytes are copied straight from the file into
// the batch's data buffer (no decode/encode round trip), and a batch is two ArrayBuffers (bytes and
// offsets) owned by it alone, which a worker can transfer to another thread without copying.
// A string[] would be decoded here and structured-cloned string by string at every thread hop.
import { Buffer, isUtf8 } from 'node:buffer';
import type { Readable } from 'node:stream';
import { createGunzip } from 'node:zlib';
import { Utf8, makeData, makeVector, type Vector } from 'apache-arrow';
import { PaylakeError, messageOf } from '../../errors/paylake-error.js';
import type { FileSystem } from '../fs/file-system.js';
import { fileSystemFor } from '../fs/resolve-file-system.js';

/** A byte range `[start, end)` of an uncompressed file: one split. */
export interface TextByteRange {
  readonly start: number;
  readonly end: number;
}

/** Options of readTextLines. */
export interface TextLineReadOptions {
  /**
   * Read one split: the lines whose first byte is in `(start, end]`, or `[0, end]` when start is 0.
   * That is, skip through the first newline at or after `start` (unless start = 0) and read through
   * the line that crosses `end`. Splits that tile a file yield every line exactly once. Not for .gz.
   */
  readonly range?: TextByteRange;
  /** Most lines per batch (default 8192). */
  readonly batchLines?: number;
  /** Most bytes per batch before it is cut early (default 8 MiB). */
  readonly batchBytes?: number;
  readonly fileSystem?: FileSystem;
}

/** Counts of one read, final when the generator completes. */
export interface TextLineStats {
  lines: number;
  /** Lines that were not valid UTF-8 and were decoded with U+FFFD replacement characters. */
  invalidUtf8Lines: number;
}

/** Collects line bytes into one Utf8 batch with exactly-sized buffers. */
class LineBatchBuilder {
  private bytes = new Uint8Array(1 << 16);
  private used = 0;
  private offsets: number[] = [0];

  get lines(): number {
    return this.offsets.length - 1;
  }

  get byteLength(): number {
    return this.used;
  }

  add(parts: readonly Uint8Array[]): void {
    let len = 0;
    for (const p of parts) len += p.length;
    const last = parts.findLast((p) => p.length > 0);
    if (last !== undefined && last[last.length - 1] === 13) len--; // one trailing \r
    if (this.used + len > this.bytes.length) {
      const grown = new Uint8Array(Math.max(this.bytes.length * 2, this.used + len));
      grown.set(this.bytes.subarray(0, this.used));
      this.bytes = grown;
    }
    let left = len;
    for (const p of parts) {
      const take = Math.min(left, p.length);
      this.bytes.set(p.subarray(0, take), this.used);
      this.used += take;
      left -= take;
    }
    this.offsets.push(this.used);
  }

  finish(stats: TextLineStats): Vector<Utf8> {
    let data = this.bytes.slice(0, this.used);
    let offsets = Int32Array.from(this.offsets);
    if (!isUtf8(data)) [data, offsets] = repairUtf8(data, offsets, stats);
    this.bytes = new Uint8Array(1 << 16);
    this.used = 0;
    this.offsets = [0];
    return makeVector(makeData({ type: new Utf8(), length: offsets.length - 1, nullCount: 0, valueOffsets: offsets, data }));
  }
}

/** Re-encodes the lines that are not valid UTF-8 (with U+FFFD), counting them. */
function repairUtf8(data: Uint8Array, offsets: Int32Array, stats: TextLineStats): [Uint8Array<ArrayBuffer>, Int32Array<ArrayBuffer>] {
  const parts: Buffer[] = [];
  const out = new Int32Array(offsets.length);
  for (let i = 0; i + 1 < offsets.length; i++) {
    let line = Buffer.from(data.buffer, data.byteOffset + offsets[i]!, offsets[i + 1]! - offsets[i]!);
    if (!isUtf8(line)) {
      stats.invalidUtf8Lines++;
      line = Buffer.from(line.toString('utf8'), 'utf8');
    }
    parts.push(line);
    out[i + 1] = out[i]! + line.length;
  }
  return [new Uint8Array(Buffer.concat(parts)), out];
}

/**
 * The lines of `uri` as Arrow Utf8 vectors of at most `batchLines` lines. `stats` fills as it reads.
 * @example
 * const stats = { lines: 0, invalidUtf8Lines: 0 };
 * for await (const lines of readTextLines('gateway.log.gz', stats)) for (const line of lines) ...
 */
export async function* readTextLines(uri: string, stats: TextLineStats, options: TextLineReadOptions = {}): AsyncGenerator<Vector<Utf8>> {
  const fs = options.fileSystem ?? fileSystemFor(uri);
  const gzip = uri.endsWith('.gz');
  const batchLines = options.batchLines ?? 8192;
  const batchBytes = options.batchBytes ?? 8 << 20;
  const size = (await fs.stat(uri)).size;
  const range = options.range ?? { start: 0, end: size };
  if (gzip && options.range !== undefined) {
    throw new PaylakeError('USAGE', `${uri}: a gzip file cannot be split into byte ranges; read it whole`);
  }
  if (range.start < 0 || range.end < range.start) throw new PaylakeError('USAGE', `${uri}: bad byte range [${range.start}, ${range.end})`);
  if (range.start >= size) return;

  let stream: Readable = fs.openReadStream(uri, gzip ? undefined : { start: range.start, end: size });
  if (gzip) stream = stream.pipe(createGunzip());
  const builder = new LineBatchBuilder();
  let skipping = range.start !== 0; // throw away the first partial line of a split
  let position = range.start; // byte offset of the next unread byte (uncompressed files)
  let lineStart = range.start;
  let pending: Uint8Array[] = [];
  let pastEnd = false;
  try {
    for await (const chunk of stream) {
      const buf = chunk as Buffer;
      let from = 0;
      for (let nl = buf.indexOf(10); nl !== -1; nl = buf.indexOf(10, from)) {
        if (skipping) skipping = false;
        else {
          if (!gzip && lineStart > range.end) {
            pastEnd = true;
            break;
          }
          pending.push(buf.subarray(from, nl));
          builder.add(pending);
          stats.lines++;
        }
        pending = [];
        from = nl + 1;
        lineStart = position + from;
        if (builder.lines >= batchLines || builder.byteLength >= batchBytes) yield builder.finish(stats);
      }
      if (pastEnd) break;
      if (from < buf.length) pending.push(from === 0 ? Buffer.from(buf) : Buffer.from(buf.subarray(from)));
      position += buf.length;
    }
    if (!pastEnd && !skipping && pending.length > 0 && (gzip || lineStart <= range.end)) {
      builder.add(pending);
      stats.lines++;
    }
    if (builder.lines > 0) yield builder.finish(stats);
  } catch (e) {
    if (e instanceof PaylakeError) throw e;
    throw new PaylakeError('IO', `${uri}: cannot read lines: ${messageOf(e)}`, { cause: e });
  } finally {
    stream.destroy();
  }
}
