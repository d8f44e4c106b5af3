// Splits a JSON-lines file (gzip when the name ends .gz) into physical lines with exact 1-based line
// numbers, streaming, in memory bounded by the longest accepted line: a line longer than the limit is
// not kept, only its head for the reject. Invalid UTF-8 is flagged per line, never repaired silently.
import { Buffer, isUtf8 } from 'node:buffer';
import type { Readable } from 'node:stream';
import { createGunzip } from 'node:zlib';
import { PaylakeError, messageOf } from '../../errors/paylake-error.js';
import { MAX_RAW_CHARS } from '../csv/csv-record-source.js';
import type { FileSystem } from '../fs/file-system.js';

/** One physical line: its text without the line break (and without a leading BOM on line 1), or its head when too large. */
export type JsonLine =
  | { readonly kind: 'text'; readonly line: number; readonly text: string; readonly invalidUtf8: boolean }
  | { readonly kind: 'too-large'; readonly line: number; readonly head: string; readonly bytes: number };

/** Options of jsonLines. */
export interface JsonLineSourceOptions {
  /** Longest line in bytes (without its line break) before it is reported as too large. */
  readonly maxRecordBytes: number;
}

const HEAD_BYTES = MAX_RAW_CHARS * 4; // enough bytes for MAX_RAW_CHARS characters of any script

/** Accumulates the bytes of the line being read, keeping only a head once it is over the limit. */
class LineAssembler {
  private parts: Uint8Array[] = [];
  private kept = 0;
  private total = 0;
  private lastByte = -1;
  line = 1;

  constructor(private readonly maxBytes: number) {}

  get isEmpty(): boolean {
    return this.total === 0;
  }

  add(part: Uint8Array): void {
    if (part.length > 0) this.lastByte = part[part.length - 1]!;
    this.total += part.length;
    if (this.total <= this.maxBytes + 1) {
      this.parts.push(part); // +1: room for the \r of a CRLF line that is exactly at the limit
      this.kept += part.length;
    } else if (this.kept < HEAD_BYTES) {
      const take = part.subarray(0, HEAD_BYTES - this.kept);
      this.parts.push(take);
      this.kept += take.length;
    }
  }

  /** The finished line; starts the next one. */
  finish(): JsonLine {
    let bytes = this.parts.length === 1 ? this.parts[0]! : Buffer.concat(this.parts);
    const total = this.total - (this.lastByte === 13 ? 1 : 0); // without the \r of CRLF
    if (this.lastByte === 13 && this.kept === this.total) bytes = bytes.subarray(0, bytes.length - 1);
    const line = this.line++;
    this.parts = [];
    this.kept = 0;
    this.total = 0;
    this.lastByte = -1;
    if (total > this.maxBytes) {
      const head = Buffer.from(bytes.buffer, bytes.byteOffset, Math.min(bytes.length, HEAD_BYTES)).toString('utf8');
      return { kind: 'too-large', line, head: head.length > MAX_RAW_CHARS ? `${head.slice(0, MAX_RAW_CHARS)}…` : head, bytes: total };
    }
    if (line === 1 && bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) bytes = bytes.subarray(3);
    const view = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    return { kind: 'text', line, text: view.toString('utf8'), invalidUtf8: !isUtf8(view) };
  }
}

/**
 * The physical lines of `uri` in order, in arrays (one per chunk read). Every line is reported,
 * blank ones included; a last line without a line break counts, an empty one after the final
 * break does not. Throws PaylakeError('IO') when the file (or its gzip stream) cannot be read.
 */
export async function* jsonLines(fs: FileSystem, uri: string, options: JsonLineSourceOptions): AsyncGenerator<JsonLine[]> {
  const gzip = uri.endsWith('.gz');
  let stream: Readable = fs.openReadStream(uri);
  const raw = stream;
  if (gzip) {
    const gunzip = createGunzip();
    raw.on('error', (e) => gunzip.destroy(e));
    stream = raw.pipe(gunzip);
  }
  const assembler = new LineAssembler(options.maxRecordBytes);
  try {
    for await (const chunk of stream) {
      const buf = chunk as Buffer;
      const lines: JsonLine[] = [];
      let from = 0;
      for (let nl = buf.indexOf(10); nl !== -1; nl = buf.indexOf(10, from)) {
        assembler.add(buf.subarray(from, nl));
        lines.push(assembler.finish());
        from = nl + 1;
      }
      // The stream may reuse its buffer; keep a copy of the unfinished line's bytes.
      if (from < buf.length) assembler.add(Buffer.from(buf.subarray(from)));
      if (lines.length > 0) yield lines;
    }
    if (!assembler.isEmpty) yield [assembler.finish()];
  } catch (e) {
    if (e instanceof PaylakeError) throw e;
    const what = gzip ? 'cannot read it as gzip' : 'cannot read it';
    throw new PaylakeError('IO', `${uri}:${assembler.line}: ${what}: ${messageOf(e)}${gzip ? '; check that the file is complete and really gzip-compressed' : ''}`, { cause: e });
  } finally {
    stream.destroy();
    raw.destroy();
  }
}
