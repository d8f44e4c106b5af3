// Watches the raw bytes fed to csv-parse: remembers where newlines are (so a record's physical line
// number is exact even after quoted multi-line fields or CRLF) and where UTF-8 is invalid.
import { Buffer, isUtf8 } from 'node:buffer';

/** Offsets (relative to `buf`) of bytes starting an invalid UTF-8 sequence, and where an incomplete tail starts. */
function scanUtf8(buf: Uint8Array): { invalid: number[]; tailStart: number } {
  const invalid: number[] = [];
  let i = 0;
  while (i < buf.length) {
    const b = buf[i]!;
    if (b < 0x80) {
      i++;
      continue;
    }
    let need: number;
    let lo = 0x80;
    let hi = 0xbf;
    if (b >= 0xc2 && b <= 0xdf) need = 1;
    else if (b >= 0xe0 && b <= 0xef) {
      need = 2;
      if (b === 0xe0) lo = 0xa0;
      if (b === 0xed) hi = 0x9f;
    } else if (b >= 0xf0 && b <= 0xf4) {
      need = 3;
      if (b === 0xf0) lo = 0x90;
      if (b === 0xf4) hi = 0x8f;
    } else {
      invalid.push(i++);
      continue;
    }
    let ok = true;
    for (let k = 1; k <= need; k++) {
      if (i + k >= buf.length) return { invalid, tailStart: i };
      const c = buf[i + k]!;
      if (c < (k === 1 ? lo : 0x80) || c > (k === 1 ? hi : 0xbf)) {
        ok = false;
        break;
      }
    }
    if (ok) i += need + 1;
    else invalid.push(i++);
  }
  return { invalid, tailStart: buf.length };
}

/** Line and UTF-8 bookkeeping for one pass of csv-parse starting at byte `start` on line `startLine`. */
export class CsvByteScanner {
  private readonly newlines: number[] = [];
  private newlineHead = 0;
  private linesBefore: number;
  private readonly invalid: number[] = [];
  private invalidHead = 0;
  private carry: Uint8Array = new Uint8Array(0);
  private position: number;

  constructor(start: number, startLine: number) {
    this.position = start;
    this.linesBefore = startLine - 1;
  }

  /** Records the newlines and invalid UTF-8 of the next chunk of the byte stream. */
  scan(chunk: Uint8Array): void {
    const base = this.position;
    for (let i = chunk.indexOf(10); i !== -1; i = chunk.indexOf(10, i + 1)) this.newlines.push(base + i);
    this.position += chunk.length;
    if (this.carry.length === 0 && isUtf8(chunk)) return;
    const joined = this.carry.length === 0 ? chunk : Buffer.concat([this.carry, chunk]);
    const joinedBase = base - this.carry.length;
    const { invalid, tailStart } = scanUtf8(joined);
    for (const off of invalid) this.invalid.push(joinedBase + off);
    this.carry = joined.slice(tailStart);
  }

  /** Call at the end of the stream: an incomplete trailing sequence is invalid. */
  finish(): void {
    if (this.carry.length > 0) this.invalid.push(this.position - this.carry.length);
    this.carry = new Uint8Array(0);
  }

  /** The 1-based physical line holding byte `offset`. Offsets asked for must not decrease. */
  lineAt(offset: number): number {
    while (this.newlineHead < this.newlines.length && this.newlines[this.newlineHead]! < offset) this.newlineHead++;
    if (this.newlineHead > 65536) {
      this.newlines.splice(0, this.newlineHead);
      this.linesBefore += this.newlineHead;
      this.newlineHead = 0;
    }
    return this.linesBefore + this.newlineHead + 1;
  }

  /** True when a byte in `[start, end)` starts an invalid UTF-8 sequence. Ranges asked for must not decrease. */
  hasInvalidUtf8(start: number, end: number): boolean {
    while (this.invalidHead < this.invalid.length && this.invalid[this.invalidHead]! < start) this.invalidHead++;
    return this.invalidHead < this.invalid.length && this.invalid[this.invalidHead]! < end;
  }
}
