// Where malformed records of text data files (CSV, JSON lines) go: a sink interface, and a sink writing a
// rejects CSV for people.
import type { Writable } from 'node:stream';
import { stringify } from 'csv-stringify/sync';
import { PaylakeError, messageOf } from '../../errors/paylake-error.js';
import type { FileSystem } from '../fs/file-system.js';
import { fileSystemFor } from '../fs/resolve-file-system.js';
import { guardCsvText } from './csv-injection-guard.js';

/** Why a record was rejected. Stable: scripts and control totals count by these codes. */
export type CsvRejectReason = 'FIELD_COUNT' | 'TYPE_MISMATCH' | 'INVALID_UTF8' | 'UNTERMINATED_QUOTE' | 'INVALID_QUOTE' | 'RECORD_TOO_LARGE';

/** One rejected record; `R` is the reader's reason codes (CSV's by default, JSON lines' for that reader). */
export interface CsvReject<R extends string = CsvRejectReason> {
  /** The file the record came from. */
  readonly file: string;
  /** 1-based physical line where the record starts. */
  readonly line: number;
  readonly reason: R;
  /** What is wrong, naming the column and expected type when there is one. */
  readonly message: string;
  /** The record's text, cut to about 1000 characters. */
  readonly raw: string;
}

/** Receives rejected records; may return a promise to apply backpressure. */
export interface CsvRejectSink<R extends string = CsvRejectReason> {
  reject(reject: CsvReject<R>): void | Promise<void>;
}

const OPTIONS = { record_delimiter: '\r\n', eof: true, quoted_match: /[\r\n]/ };

/**
 * Writes rejects as CSV with columns `file,line,reason,message,raw` (text cells injection-guarded,
 * since people open this file in a spreadsheet). Call `close` when reading is done.
 * @example const rejects = await CsvRejectsWriter.open('out/_rejects.csv'); ...; await rejects.close();
 */
export class CsvRejectsWriter implements CsvRejectSink<string> {
  private constructor(
    private readonly stream: Writable,
    readonly uri: string,
  ) {}

  /** Creates (or replaces) the rejects file and writes its header. */
  static async open(uri: string, fs: FileSystem = fileSystemFor(uri)): Promise<CsvRejectsWriter> {
    const writer = new CsvRejectsWriter(await fs.openWriteStream(uri), uri);
    await writer.write(stringify([['file', 'line', 'reason', 'message', 'raw']], OPTIONS));
    return writer;
  }

  reject(r: CsvReject<string>): Promise<void> {
    return this.write(stringify([[guardCsvText(r.file), r.line, r.reason, guardCsvText(r.message), guardCsvText(r.raw)]], OPTIONS));
  }

  /** Flushes and closes the file. */
  close(): Promise<void> {
    return new Promise((resolve, reject) => {
      this.stream.once('error', (e) => reject(new PaylakeError('IO', `${this.uri}: cannot write rejects: ${messageOf(e)}`, { cause: e })));
      this.stream.end(() => resolve());
    });
  }

  private async write(text: string): Promise<void> {
    if (this.stream.write(text)) return;
    await new Promise<void>((resolve, reject) => {
      const onError = (e: unknown): void => reject(new PaylakeError('IO', `${this.uri}: cannot write rejects: ${messageOf(e)}`, { cause: e }));
      this.stream.once('error', onError);
      this.stream.once('drain', () => {
        this.stream.off('error', onError);
        resolve();
      });
    });
  }
}
