// Reads a CSV file (RFC 4180, UTF-8, optional BOM, header row) as Arrow record batches of bounded
// size, with a declared or inferred schema. Malformed records go to a rejects sink with their
// physical line and reason and are counted; nothing is dropped silently.
import type { TextDataReadOptions, TextDataReader, TextReadStats } from '../text-data-reader.js';
import { Field, RecordBatch, Schema } from 'apache-arrow';
import { PaylakeError } from '../../errors/paylake-error.js';
import type { FileSystem } from '../fs/file-system.js';
import { fileSystemFor } from '../fs/resolve-file-system.js';
import { CsvBatchBuilder } from './csv-batch-builder.js';
import { arrowTypeOf, csvColumnTypeName, parseCsvColumnType, type CsvColumnSpec, type CsvColumnType } from './csv-column-type.js';
import { csvRecords, type CsvRecordEvent } from './csv-record-source.js';
import type { CsvReject, CsvRejectReason } from './csv-rejects.js';
import { inferCsvColumns } from './csv-schema-inference.js';
import { isValueError, valueParserFor, type CsvValue } from './csv-value-parser.js';

/** Options of openCsv. */
export interface CsvReadOptions extends TextDataReadOptions<CsvRejectReason> {
  /** Field delimiter (default `,`). */
  readonly delimiter?: string;
}

/** Counts of one file's records, by reject reason. */
export type CsvReadStats = TextReadStats<CsvRejectReason>;

/** An opened file: its schema is known before any batch is read. */
export type CsvReader = TextDataReader<CsvRejectReason>;

const DEFAULTS = { inferenceRows: 1000, batchSize: 65536, delimiter: ',', maxRecordBytes: 1 << 20 };

function isBlank(event: CsvRecordEvent & { kind: 'record' }): boolean {
  return event.fields.length === 1 && event.fields[0] === '' && event.raw === '';
}

function preview(text: string): string {
  return JSON.stringify(text.length > 40 ? `${text.slice(0, 40)}…` : text);
}

/** Reads and checks the header: non-empty, unique names, every declared column present. */
function checkHeader(uri: string, event: CsvRecordEvent | undefined, declared: Readonly<Record<string, CsvColumnType>>): string[] {
  if (event === undefined) throw new PaylakeError('CSV_INVALID', `${uri}: the file is empty; a CSV file needs a header row`);
  if (event.kind === 'broken') throw new PaylakeError('CSV_INVALID', `${uri}:${event.line}: cannot read the header: ${event.message}`);
  if (event.invalidUtf8) throw new PaylakeError('CSV_INVALID', `${uri}:${event.line}: the header is not valid UTF-8; convert the file to UTF-8`);
  const names = event.fields;
  const seen = new Set<string>();
  names.forEach((name, i) => {
    if (name === '') throw new PaylakeError('CSV_INVALID', `${uri}:${event.line}: header column ${i + 1} has no name; name every column`);
    if (seen.has(name)) throw new PaylakeError('CSV_INVALID', `${uri}:${event.line}: header column "${name}" appears twice; column names must be unique`);
    seen.add(name);
  });
  for (const name of Object.keys(declared)) {
    if (!seen.has(name)) {
      throw new PaylakeError('CSV_INVALID', `${uri}:${event.line}: declared column "${name}" is not in the header (header has ${names.join(', ')}); check the schema or the file`);
    }
  }
  return names;
}

/** The header and (when inferring) a sample of well-formed records, reading only the start of the file. */
async function sampleFile(fs: FileSystem, uri: string, sampleSize: number, options: typeof DEFAULTS): Promise<{ header: CsvRecordEvent | undefined; sample: string[][] }> {
  let header: CsvRecordEvent | undefined;
  const sample: string[][] = [];
  const records = csvRecords(fs, uri, options);
  try {
    for await (const events of records) {
      for (const event of events) {
        if (header === undefined) header = event;
        else if (event.kind === 'record' && !event.invalidUtf8 && !isBlank(event)) sample.push(event.fields);
        if (sample.length >= sampleSize) return { header, sample };
      }
    }
  } finally {
    await records.return(undefined);
  }
  return { header, sample };
}

/**
 * Opens a CSV file: reads the header (and a sample, when inferring) and returns its schema and a
 * batch stream. Throws PaylakeError('CSV_INVALID') for an empty file or a bad header (empty,
 * duplicate or missing declared column), naming the file and column.
 * @example
 * const reader = await openCsv('settlement.csv', { schema: { gross_amount_minor: 'int64', fx_rate: 'decimal(18,8)' } });
 * for await (const batch of reader.batches()) { ... }
 * console.log(reader.stats); // { rowsRead, rowsRejected, blankLines, byReason }
 */
export async function openCsv(uri: string, options: CsvReadOptions = {}): Promise<CsvReader> {
  const fs = options.fileSystem ?? fileSystemFor(uri);
  const declared = options.schema ?? {};
  const source = {
    inferenceRows: options.inferenceRows ?? DEFAULTS.inferenceRows,
    batchSize: options.batchSize ?? DEFAULTS.batchSize,
    delimiter: options.delimiter ?? DEFAULTS.delimiter,
    maxRecordBytes: options.maxRecordBytes ?? DEFAULTS.maxRecordBytes,
  };
  const declaredSpecs = new Map(Object.entries(declared).map(([name, type]) => [name, parseCsvColumnType(type, name)]));
  const infer = options.inferSchema ?? true;
  const { header, sample } = await sampleFile(fs, uri, infer ? source.inferenceRows : 0, source);
  const names = checkHeader(uri, header, declared);
  const inferred = infer ? inferCsvColumns(sample.filter((r) => r.length === names.length), names.length) : [];
  const specs: CsvColumnSpec[] = names.map((name, i) => declaredSpecs.get(name) ?? inferred[i] ?? { kind: 'string' });
  const fields = names.map((name, i) => new Field(name, arrowTypeOf(specs[i]!), true));
  const schema = new Schema(fields);
  const stats: CsvReadStats = { rowsRead: 0, rowsRejected: 0, blankLines: 0, byReason: {} };
  const failFast = options.onBadRecord === 'fail';
  const parsers = specs.map(valueParserFor);
  const typeNames = specs.map(csvColumnTypeName);

  async function reject(line: number, reason: CsvRejectReason, message: string, raw: string): Promise<void> {
    if (failFast) throw new PaylakeError('CSV_INVALID', `${uri}:${line}: ${message}`);
    stats.rowsRejected++;
    stats.byReason[reason] = (stats.byReason[reason] ?? 0) + 1;
    const r: CsvReject = { file: uri, line, reason, message, raw };
    await options.rejects?.reject(r);
  }

  /** The row's values, or the reject that explains why it has none. */
  function convert(event: CsvRecordEvent & { kind: 'record' }): { values: (CsvValue | null)[] } | { reason: CsvRejectReason; message: string } {
    if (event.invalidUtf8) {
      const column = event.fields.findIndex((f) => f.includes('\uFFFD'));
      return { reason: 'INVALID_UTF8', message: `${column >= 0 ? `column ${names[column]}: ` : ''}invalid UTF-8 byte sequence` };
    }
    if (event.fields.length !== names.length) {
      return { reason: 'FIELD_COUNT', message: `expected ${names.length} fields, got ${event.fields.length}` };
    }
    const row: (CsvValue | null)[] = [];
    for (let c = 0; c < names.length; c++) {
      const cell = event.fields[c]!;
      if (cell === '') {
        row.push(null);
        continue;
      }
      const value = parsers[c]!(cell);
      if (isValueError(value)) {
        return { reason: 'TYPE_MISMATCH', message: `column ${names[c]}: expected ${typeNames[c]}, got ${preview(cell)}${value.why ? ` (${value.why})` : ''}` };
      }
      row.push(value);
    }
    return { values: row };
  }

  async function* batches(): AsyncGenerator<RecordBatch> {
    const out = new CsvBatchBuilder(schema, specs);
    let headerSeen = false;
    for await (const events of csvRecords(fs, uri, source)) {
      for (const event of events) {
        if (!headerSeen) {
          headerSeen = true;
          continue;
        }
        if (event.kind === 'broken') {
          await reject(event.line, event.error, event.message, event.raw);
          continue;
        }
        if (isBlank(event)) {
          stats.blankLines++;
          continue;
        }
        const row = convert(event);
        if ('reason' in row) {
          await reject(event.line, row.reason, row.message, event.raw);
          continue;
        }
        out.append(row.values);
        stats.rowsRead++;
        if (out.rows >= source.batchSize) yield out.finish();
      }
    }
    if (out.rows > 0) yield out.finish();
  }

  return { uri, schema, columnTypes: typeNames, stats, batches };
}
