// Minimal append-only Arrow column builders over typed arrays, for the generator's hot path: no per-row
// objects, no BigInt per value. Each finish() copies into fresh buffers, so builders are reused batch after batch.
import { Int32, Int64, TimestampMicrosecond, Utf8, makeData, type Data } from 'apache-arrow';
import { TextByteBuffer } from './text-byte-buffer.js';

/** A nullable or non-nullable Utf8 column of UTF-8 strings. */
export class Utf8ColumnBuilder {
  private readonly data = new TextByteBuffer(1 << 16);
  private readonly offsets: Int32Array;
  private readonly validity: Uint8Array;
  private n = 0;
  private nulls = 0;

  constructor(readonly capacity: number) {
    this.offsets = new Int32Array(capacity + 1);
    this.validity = new Uint8Array((capacity + 7) >> 3);
  }

  /** Appends a string. */
  append(s: string): void {
    this.data.text(s);
    this.endValue();
  }

  /** Appends the UTF-8 bytes `src[start, end)` as one value. */
  appendBytes(src: Uint8Array, start: number, end: number): void {
    this.data.copy(src, start, end);
    this.endValue();
  }

  /** Appends NULL. */
  appendNull(): void {
    this.validity[this.n >> 3]! &= ~(1 << (this.n & 7));
    this.nulls++;
    this.n++;
    this.offsets[this.n] = this.data.length;
  }

  /** Appends a string or NULL. */
  appendOrNull(s: string | null): void {
    if (s === null) this.appendNull();
    else this.append(s);
  }

  /** The column so far as Arrow Data (copied), then empties the builder. */
  finish(): Data<Utf8> {
    const data = makeData({
      type: new Utf8(),
      length: this.n,
      nullCount: this.nulls,
      nullBitmap: this.nulls > 0 ? this.validity.slice(0, (this.n + 7) >> 3) : null,
      valueOffsets: this.offsets.slice(0, this.n + 1),
      data: this.data.bytes.slice(0, this.data.length),
    });
    this.n = 0;
    this.nulls = 0;
    this.data.clear();
    this.validity.fill(0);
    return data;
  }

  private endValue(): void {
    this.validity[this.n >> 3]! |= 1 << (this.n & 7);
    this.n++;
    this.offsets[this.n] = this.data.length;
  }
}

/** A non-nullable int64 (or µs UTC timestamp) column from non-negative safe integers, written as two 32-bit halves. */
export class Int64ColumnBuilder {
  private readonly words: Uint32Array;
  private n = 0;

  constructor(
    readonly capacity: number,
    private readonly timestampUtc = false,
  ) {
    this.words = new Uint32Array(capacity * 2);
  }

  /** Appends a safe integer (negative values are written in two's complement). */
  append(v: number): void {
    const i = this.n++ * 2;
    if (v >= 0) {
      this.words[i] = v >>> 0;
      this.words[i + 1] = Math.floor(v / 0x1_0000_0000);
    } else {
      const a = -v;
      const aLo = a >>> 0;
      const aHi = Math.floor(a / 0x1_0000_0000);
      this.words[i] = (0x1_0000_0000 - aLo) >>> 0;
      this.words[i + 1] = (~aHi + (aLo === 0 ? 1 : 0)) >>> 0;
    }
  }

  /** The column so far (copied), then empties the builder. */
  finish(): Data<Int64 | TimestampMicrosecond> {
    const values = new BigInt64Array(this.words.slice(0, this.n * 2).buffer);
    const data = this.timestampUtc
      ? makeData({ type: new TimestampMicrosecond('UTC'), length: this.n, data: values })
      : makeData({ type: new Int64(), length: this.n, data: values });
    this.n = 0;
    return data;
  }
}

/** A non-nullable int32 column. */
export class Int32ColumnBuilder {
  private readonly values: Int32Array;
  private n = 0;

  constructor(readonly capacity: number) {
    this.values = new Int32Array(capacity);
  }

  /** Appends a 32-bit integer. */
  append(v: number): void {
    this.values[this.n++] = v;
  }

  /** The column so far (copied), then empties the builder. */
  finish(): Data<Int32> {
    const data = makeData({ type: new Int32(), length: this.n, data: this.values.slice(0, this.n) });
    this.n = 0;
    return data;
  }
}
