// Writes lines to a text file (saveAsTextFile-style): each line followed by \n, gzip when the name ends .gz.
import type { Writable } from 'node:stream';
import { createGzip } from 'node:zlib';
import { PaylakeError, messageOf } from '../../errors/paylake-error.js';
import type { FileSystem } from '../fs/file-system.js';
import { fileSystemFor } from '../fs/resolve-file-system.js';

/**
 * A text file being written line by line. A line containing \n or \r is refused (it would read back
 * as two lines). Call `close` to flush; the file is complete only after it resolves.
 * @example const out = await TextLinesWriter.open('out/part-00000.txt'); await out.write(['a', 'b']); await out.close();
 */
export class TextLinesWriter {
  private written = 0;

  private constructor(
    private readonly head: Writable,
    private readonly file: Writable,
    readonly uri: string,
  ) {}

  /** Creates (or replaces) the file, gzip-compressed when `uri` ends with `.gz`. */
  static async open(uri: string, fs: FileSystem = fileSystemFor(uri)): Promise<TextLinesWriter> {
    const file = await fs.openWriteStream(uri);
    if (!uri.endsWith('.gz')) return new TextLinesWriter(file, file, uri);
    const gzip = createGzip();
    gzip.pipe(file);
    return new TextLinesWriter(gzip, file, uri);
  }

  /** Lines written so far. */
  get lineCount(): number {
    return this.written;
  }

  /** Appends lines (strings, or any iterable of strings such as an Arrow Utf8 vector without NULLs). */
  async write(lines: Iterable<string | null>): Promise<void> {
    let text = '';
    for (const line of lines) {
      if (line === null) throw new PaylakeError('TYPE_ERROR', `${this.uri}: line ${this.written + 1} is NULL; a text file cannot hold a NULL line`);
      if (/[\r\n]/.test(line)) {
        throw new PaylakeError('TYPE_ERROR', `${this.uri}: line ${this.written + 1} contains a line break; it would read back as two lines`);
      }
      text += `${line}\n`;
      this.written++;
      if (text.length >= 1 << 20) {
        await this.push(text);
        text = '';
      }
    }
    await this.push(text);
  }

  /** Flushes and closes the file. */
  close(): Promise<void> {
    return new Promise((resolve, reject) => {
      const fail = (e: unknown): void => reject(new PaylakeError('IO', `${this.uri}: cannot write: ${messageOf(e)}`, { cause: e }));
      this.head.once('error', fail);
      this.file.once('error', fail);
      this.file.once('finish', () => resolve());
      this.head.end();
    });
  }

  private async push(text: string): Promise<void> {
    if (text.length === 0 || this.head.write(text)) return;
    await new Promise<void>((resolve, reject) => {
      const onError = (e: unknown): void => reject(new PaylakeError('IO', `${this.uri}: cannot write: ${messageOf(e)}`, { cause: e }));
      this.head.once('error', onError);
      this.head.once('drain', () => {
        this.head.off('error', onError);
        resolve();
      });
    });
  }
}
