// Turns a CSV file into records with exact physical line numbers, through csv-parse. When csv-parse
// meets a structural error (bad quote, unterminated quote, oversized record) it cannot go on, so
// this source reports that physical line as broken and restarts a fresh parser on the next line.
import { parse, type CsvError, type Info } from 'csv-parse';
import { PaylakeError, messageOf } from '../../errors/paylake-error.js';
import type { FileSystem } from '../fs/file-system.js';
import { CsvByteScanner } from './csv-byte-scanner.js';

/** Why a physical line could not be parsed as CSV at all. */
export type CsvStructureError = 'UNTERMINATED_QUOTE' | 'INVALID_QUOTE' | 'RECORD_TOO_LARGE';

/** One record or one broken line, in file order. */
export type CsvRecordEvent =
  | { readonly kind: 'record'; readonly line: number; readonly fields: string[]; readonly raw: string; readonly invalidUtf8: boolean }
  | { readonly kind: 'broken'; readonly line: number; readonly raw: string; readonly error: CsvStructureError; readonly message: string };

/** Options of csvRecords. */
export interface CsvRecordSourceOptions {
  readonly delimiter: string;
  /** Largest record in bytes before it is reported as RECORD_TOO_LARGE (or an unterminated quote). */
  readonly maxRecordBytes: number;
}

/** Longest raw text kept for a reject. */
export const MAX_RAW_CHARS = 1000;

function trimRaw(raw: string): string {
  const text = raw.replace(/\r?\n$|\r$/, '');
  return text.length > MAX_RAW_CHARS ? `${text.slice(0, MAX_RAW_CHARS)}…` : text;
}

function classify(e: CsvError): { error: CsvStructureError; message: string } | undefined {
  switch (e.code) {
    case 'CSV_QUOTE_NOT_CLOSED':
      return { error: 'UNTERMINATED_QUOTE', message: 'a quoted field is never closed' };
    case 'CSV_MAX_RECORD_SIZE':
      return (e as CsvError & { quoting?: boolean }).quoting
        ? { error: 'UNTERMINATED_QUOTE', message: 'a quoted field runs past the record size limit without closing' }
        : { error: 'RECORD_TOO_LARGE', message: 'the record is larger than the record size limit' };
    case 'INVALID_OPENING_QUOTE':
      return { error: 'INVALID_QUOTE', message: 'a quote appears inside an unquoted field' };
    case 'CSV_INVALID_CLOSING_QUOTE':
    case 'CSV_NON_TRIMABLE_CHAR_AFTER_CLOSING_QUOTE':
      return { error: 'INVALID_QUOTE', message: 'a closing quote is followed by something other than a delimiter or line end' };
    default:
      return undefined;
  }
}

/** Reads the physical line starting at `offset`: its (truncated) text and where the next line starts. */
async function physicalLine(fs: FileSystem, uri: string, offset: number, size: number): Promise<{ raw: string; next: number }> {
  const parts: Buffer[] = [];
  let kept = 0;
  for (let pos = offset; pos < size; ) {
    const chunk = Buffer.from(await fs.readRange(uri, pos, Math.min(65536, size - pos)));
    if (chunk.length === 0) break;
    const nl = chunk.indexOf(10);
    const piece = nl === -1 ? chunk : chunk.subarray(0, nl + 1);
    if (kept < MAX_RAW_CHARS * 4) {
      parts.push(piece);
      kept += piece.length;
    }
    if (nl !== -1) return { raw: trimRaw(Buffer.concat(parts).toString('utf8')), next: pos + nl + 1 };
    pos += chunk.length;
  }
  return { raw: trimRaw(Buffer.concat(parts).toString('utf8')), next: size };
}

/**
 * The records of `uri` in order, in arrays (one per chunk read). The first record is the header.
 * Blank lines come through as records with one empty field; the caller decides what they mean.
 */
export async function* csvRecords(fs: FileSystem, uri: string, options: CsvRecordSourceOptions): AsyncGenerator<CsvRecordEvent[]> {
  const size = (await fs.stat(uri)).size;
  let start = 0;
  let startLine = 1;
  while (start < size) {
    const scanner = new CsvByteScanner(start, startLine);
    const events: CsvRecordEvent[] = [];
    let recordStart = start;
    const parser = parse({
      bom: start === 0,
      delimiter: options.delimiter,
      info: true,
      raw: true,
      relax_column_count: true,
      max_record_size: options.maxRecordBytes,
      // Records are taken here, synchronously, so every record before an error is seen exactly once.
      on_record: (rec: unknown) => {
        const { record, raw, info } = rec as { record: string[]; raw: string; info: Info };
        const end = start + info.bytes;
        events.push({ kind: 'record', line: scanner.lineAt(recordStart), fields: record, raw: trimRaw(raw), invalidUtf8: scanner.hasInvalidUtf8(recordStart, end) });
        recordStart = end;
        return null;
      },
    });
    parser.on('error', () => undefined); // surfaced through the write/end callbacks below
    const stream = fs.openReadStream(uri, { start, end: size });
    let failure: unknown;
    try {
      for await (const chunk of stream) {
        const bytes = chunk as Buffer;
        scanner.scan(bytes);
        failure = await new Promise<unknown>((resolve) => parser.write(bytes, (e) => resolve(e ?? undefined)));
        if (events.length > 0) yield events.splice(0);
        if (failure !== undefined) break;
      }
      if (failure === undefined) {
        scanner.finish();
        failure = await new Promise<unknown>((resolve) => {
          parser.once('error', resolve);
          parser.once('finish', () => resolve(undefined));
          parser.end();
        });
        if (events.length > 0) yield events.splice(0);
      }
    } finally {
      stream.destroy();
    }
    if (failure === undefined) return;
    const structural = classify(failure as CsvError);
    if (structural === undefined) {
      throw new PaylakeError('CSV_INVALID', `${uri}:${scanner.lineAt(recordStart)}: cannot parse CSV: ${messageOf(failure)}`, { cause: failure });
    }
    const line = scanner.lineAt(recordStart);
    const { raw, next } = await physicalLine(fs, uri, recordStart, size);
    yield [{ kind: 'broken', line, raw, ...structural }];
    start = next;
    startLine = line + 1;
  }
}
