// A growable byte buffer that the generator writes text into directly (ids, numbers, timestamps, whole log and
// CSV lines), so the hot path builds no intermediate strings and leaves nothing for the garbage collector.

const encoder = new TextEncoder();

/**
 * Bytes of UTF-8 text, appended piece by piece. Numbers are formatted exactly as `String(n)` formats a safe
 * integer (so `-0` is written `0`). Every method grows the buffer as needed.
 */
export class TextByteBuffer {
  /** The bytes; only `[0, length)` is meaningful. Replaced (not resized in place) when the buffer grows. */
  bytes: Uint8Array;
  /** Bytes written. */
  length = 0;

  constructor(capacity = 1 << 16) {
    this.bytes = new Uint8Array(capacity);
  }

  /** Forgets the content, keeping the memory. */
  clear(): void {
    this.length = 0;
  }

  /** Makes room for `n` more bytes. */
  reserve(n: number): void {
    if (this.length + n > this.bytes.length) {
      const next = new Uint8Array(Math.max(this.bytes.length * 2, this.length + n));
      next.set(this.bytes.subarray(0, this.length));
      this.bytes = next;
    }
  }

  /** Appends a string as UTF-8 (characters below 0x80 are copied directly, others go through TextEncoder). */
  text(s: string): void {
    const len = s.length;
    this.reserve(len * 3);
    const b = this.bytes;
    let p = this.length;
    for (let i = 0; i < len; i++) {
      const c = s.charCodeAt(i);
      if (c >= 0x80) {
        p = this.length + encoder.encodeInto(s, b.subarray(this.length)).written;
        break;
      }
      b[p++] = c;
    }
    this.length = p;
  }

  /** Appends one byte (an ASCII character code). */
  byte(c: number): void {
    if (this.length >= this.bytes.length) this.reserve(1);
    this.bytes[this.length++] = c;
  }

  /** Appends `src[start, end)`; `src` may be this buffer's own `bytes`. */
  copy(src: Uint8Array, start: number, end: number): void {
    const n = end - start;
    const sameBuffer = src === this.bytes;
    this.reserve(n);
    const from = sameBuffer ? this.bytes : src; // reserve() may have replaced our own buffer
    const b = this.bytes;
    if (n > 48) {
      if (from === b) b.copyWithin(this.length, start, end);
      else b.set(from.subarray(start, end), this.length);
      this.length += n;
      return;
    }
    let p = this.length;
    for (let i = start; i < end; i++) b[p++] = from[i]!;
    this.length = p;
  }

  /** Appends a safe integer in decimal, as `String(n)` does. */
  int(n: number): void {
    if (n < 0) {
      this.byte(45); // '-'
      this.digits(-n, 1);
    } else this.digits(n, 1);
  }

  /** Appends a non-negative safe integer in decimal, zero-padded to at least `width` digits. */
  digits(n: number, width: number): void {
    let count = 1;
    for (let x = n; x >= 10; x = Math.floor(x / 10)) count++;
    if (count < width) count = width;
    this.reserve(count);
    const b = this.bytes;
    let p = this.length + count;
    this.length = p;
    for (let k = 0; k < count; k++) {
      const q = Math.floor(n / 10);
      b[--p] = 48 + (n - q * 10);
      n = q;
    }
  }

  /** Appends an unsigned 32-bit integer in lowercase hex, zero-padded to at least `width` digits. */
  hex(n: number, width: number): void {
    n >>>= 0;
    let count = 1;
    for (let x = n >>> 4; x !== 0; x >>>= 4) count++;
    if (count < width) count = width;
    this.reserve(count);
    const b = this.bytes;
    let p = this.length + count;
    this.length = p;
    for (let k = 0; k < count; k++) {
      b[--p] = HEX_DIGITS[n & 15]!;
      n >>>= 4;
    }
  }

  /**
   * Hands the content over without copying and starts on a fresh block of the same capacity: for passing
   * the bytes to a stream that keeps a reference until they are written.
   */
  take(): Uint8Array {
    const out = this.bytes.subarray(0, this.length);
    this.bytes = new Uint8Array(this.bytes.length);
    this.length = 0;
    return out;
  }
}

const HEX_DIGITS = Uint8Array.from('0123456789abcdef', (c) => c.charCodeAt(0));
