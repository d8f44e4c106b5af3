// Reads a JSON-lines file (one JSON object per line, UTF-8, gzip when the name ends .gz) as Arrow
// record batches of bounded size, with a declared or inferred schema: the twin of csv-reader.ts, with
// the same column types, value parsers, column builders and rejects. Bad lines are never dropped silently.
import type { TextDataReadOptions, TextDataReader, TextReadStats } from '../text-data-reader.js';
import { Field, RecordBatch, Schema } from 'apache-arrow';
import { PaylakeError } from '../../errors/paylake-error.js';
import { CsvBatchBuilder } from '../csv/csv-batch-builder.js';
import { arrowTypeOf, csvColumnTypeName, parseCsvColumnType, type CsvColumnSpec } from '../csv/csv-column-type.js';
import { MAX_RAW_CHARS } from '../csv/csv-record-source.js';
import { isValueError, type CsvValue } from '../csv/csv-value-parser.js';
import type { FileSystem } from '../fs/file-system.js';
import { fileSystemFor } from '../fs/resolve-file-system.js';
import { jsonTextOf, scanJsonObject, type JsonMember } from './json-object-scanner.js';
import { jsonValueConverterFor } from './json-value-converter.js';
import { jsonLines, type JsonLine } from './jsonl-line-source.js';
import type { JsonLinesReject, JsonLinesRejectReason } from './jsonl-rejects.js';
import { inferJsonColumns } from './jsonl-schema-inference.js';

/** Options of openJsonLines. */
export type JsonLinesReadOptions = TextDataReadOptions<JsonLinesRejectReason>;

/** Counts of one file's records, by reject reason. */
export type JsonLinesReadStats = TextReadStats<JsonLinesRejectReason>;

/** An opened file: its schema is known before any batch is read. */
export type JsonLinesReader = TextDataReader<JsonLinesRejectReason>;

const DEFAULTS = { inferenceRows: 1000, batchSize: 65536, maxRecordBytes: 1 << 20 };
const BLANK = /^[ \t\r]*$/; // JSON whitespace only (\n cannot occur inside a line)

/** A physical line read as an object, or the reject that explains why it is not one. */
type LineRead = { readonly members: ReadonlyMap<string, JsonMember> } | { readonly reason: JsonLinesRejectReason; readonly message: string } | 'blank';

function readLine(event: JsonLine): LineRead {
  if (event.kind === 'too-large') return { reason: 'RECORD_TOO_LARGE', message: `the line is ${event.bytes} bytes, larger than the record size limit` };
  if (BLANK.test(event.text)) return 'blank';
  const scanned = scanJsonObject(event.text);
  if (event.invalidUtf8) {
    const column = scanned.ok ? [...scanned.members].find(([, m]) => jsonTextOf(m).includes('\uFFFD'))?.[0] : undefined;
    return { reason: 'INVALID_UTF8', message: `${column === undefined ? '' : `column ${column}: `}invalid UTF-8 byte sequence` };
  }
  return scanned.ok ? { members: scanned.members } : { reason: scanned.reason, message: scanned.message };
}

function rawOf(event: JsonLine): string {
  if (event.kind === 'too-large') return event.head;
  return event.text.length > MAX_RAW_CHARS ? `${event.text.slice(0, MAX_RAW_CHARS)}…` : event.text;
}

function preview(jsonText: string): string {
  return jsonText.length > 40 ? `${jsonText.slice(0, 40)}…` : jsonText;
}

/** The objects of the first `size` object lines (blank and bad lines are passed over), reading only the start of the file. */
async function sampleFile(fs: FileSystem, uri: string, size: number, maxRecordBytes: number): Promise<ReadonlyMap<string, JsonMember>[]> {
  const sample: ReadonlyMap<string, JsonMember>[] = [];
  if (size <= 0) return sample;
  const lines = jsonLines(fs, uri, { maxRecordBytes });
  try {
    for await (const events of lines) {
      for (const event of events) {
        const read = readLine(event);
        if (read !== 'blank' && 'members' in read) sample.push(read.members);
        if (sample.length >= size) return sample;
      }
    }
  } finally {
    await lines.return(undefined);
  }
  return sample;
}

/**
 * Opens a JSON-lines file: reads a sample (when inferring) and returns its schema and a batch stream.
 * Columns are the keys in order of first appearance in the sample, then declared keys the sample
 * lacks (declaration order); without inference, the declared keys in declaration order. A missing
 * key and an explicit `null` are both NULL. Objects and arrays are read into string columns as
 * compact JSON (source key order, numbers verbatim). Throws PaylakeError('USAGE') for an unknown
 * declared type, or when there is nothing to read (no schema and `inferSchema: false`); NOT_FOUND
 * for a missing file; IO when it cannot be read (or is not valid gzip).
 * @example
 * const reader = await openJsonLines('gateway-events.jsonl.gz', { schema: { amount_minor: 'int64', fx_rate: 'decimal(18,8)' } });
 * for await (const batch of reader.batches()) { ... }
 * console.log(reader.stats); // { rowsRead, rowsRejected, blankLines, byReason }
 */
export async function openJsonLines(uri: string, options: JsonLinesReadOptions = {}): Promise<JsonLinesReader> {
  const fs = options.fileSystem ?? fileSystemFor(uri);
  await fs.stat(uri); // NOT_FOUND with the file system's own message, before anything else
  const declared = new Map(Object.entries(options.schema ?? {}).map(([name, type]) => [name, parseCsvColumnType(type, name)]));
  const infer = options.inferSchema ?? true;
  if (!infer && declared.size === 0) {
    throw new PaylakeError('USAGE', `${uri}: nothing to read: with inferSchema false, declare the columns to read in schema`);
  }
  const batchSize = options.batchSize ?? DEFAULTS.batchSize;
  const maxRecordBytes = options.maxRecordBytes ?? DEFAULTS.maxRecordBytes;
  if (!(batchSize >= 1) || !(maxRecordBytes >= 1)) throw new PaylakeError('USAGE', `${uri}: batchSize and maxRecordBytes must be at least 1`);

  const columns = new Map<string, CsvColumnSpec>();
  if (infer) {
    const inferred = inferJsonColumns(await sampleFile(fs, uri, options.inferenceRows ?? DEFAULTS.inferenceRows, maxRecordBytes));
    for (const [name, spec] of inferred) columns.set(name, declared.get(name) ?? spec);
  }
  for (const [name, spec] of declared) if (!columns.has(name)) columns.set(name, spec);

  const names = [...columns.keys()];
  const specs = [...columns.values()];
  const index = new Map(names.map((name, i) => [name, i]));
  const fields = names.map((name, i) => new Field(name, arrowTypeOf(specs[i]!), true));
  const schema = new Schema(fields);
  const typeNames = specs.map(csvColumnTypeName);
  const converters = specs.map(jsonValueConverterFor);
  const stats: JsonLinesReadStats = { rowsRead: 0, rowsRejected: 0, blankLines: 0, byReason: {} };
  const failFast = options.onBadRecord === 'fail';

  async function reject(line: number, reason: JsonLinesRejectReason, message: string, raw: string): Promise<void> {
    if (failFast) throw new PaylakeError('CSV_INVALID', `${uri}:${line}: ${message}`);
    stats.rowsRejected++;
    stats.byReason[reason] = (stats.byReason[reason] ?? 0) + 1;
    const r: JsonLinesReject = { file: uri, line, reason, message, raw };
    await options.rejects?.reject(r);
  }

  /** The row's values in column order, or the message of the first value that does not fit. */
  function convert(members: ReadonlyMap<string, JsonMember>): (CsvValue | null)[] | string {
    const row: (CsvValue | null)[] = new Array<CsvValue | null>(names.length).fill(null);
    for (const [key, member] of members) {
      const c = index.get(key);
      if (c === undefined || member.kind === 'null') continue;
      const value = converters[c]!(member);
      if (isValueError(value)) return `column ${key}: expected ${typeNames[c]}, got ${preview(jsonTextOf(member))}${value.why ? ` (${value.why})` : ''}`;
      row[c] = value;
    }
    return row;
  }

  async function* batches(): AsyncGenerator<RecordBatch> {
    const out = new CsvBatchBuilder(schema, specs);
    for await (const events of jsonLines(fs, uri, { maxRecordBytes })) {
      for (const event of events) {
        const read = readLine(event);
        if (read === 'blank') {
          stats.blankLines++;
          continue;
        }
        if ('reason' in read) {
          await reject(event.line, read.reason, read.message, rawOf(event));
          continue;
        }
        const row = convert(read.members);
        if (typeof row === 'string') {
          await reject(event.line, 'TYPE_MISMATCH', row, rawOf(event));
          continue;
        }
        out.append(row);
        stats.rowsRead++;
        if (out.rows >= batchSize) yield out.finish();
      }
    }
    if (out.rows > 0) yield out.finish();
  }

  return { uri, schema, columnTypes: typeNames, stats, batches };
}
