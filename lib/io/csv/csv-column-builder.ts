// Accumulates parsed CSV cells of one column and turns them into an Arrow Data chunk with fresh,
// exactly-sized buffers (so a batch can be transferred to another thread without copying).
import { Buffer } from 'node:buffer';
import { makeData, type Data } from 'apache-arrow';
import { arrowTypeOf, type CsvColumnSpec } from './csv-column-type.js';
import type { CsvValue } from './csv-value-parser.js';

/** Builds one column of one batch; `append(null)` is a NULL. */
export class CsvColumnBuilder {
  private values: (CsvValue | null)[] = [];

  constructor(readonly spec: CsvColumnSpec) {}

  /** Appends one parsed value (of the type the spec's parser returns) or NULL. */
  append(value: CsvValue | null): void {
    this.values.push(value);
  }

  /** The values appended since the last `finish` as Arrow Data; the builder starts empty again. */
  finish(): Data {
    const values = this.values;
    this.values = [];
    const length = values.length;
    const validity = new Uint8Array((length + 7) >> 3);
    let nullCount = 0;
    values.forEach((v, i) => {
      if (v === null) nullCount++;
      else validity[i >> 3]! |= 1 << (i & 7);
    });
    const type = arrowTypeOf(this.spec);
    const base = { type, length, nullCount, nullBitmap: nullCount > 0 ? validity : new Uint8Array(0) };
    switch (this.spec.kind) {
      case 'string': {
        const offsets = new Int32Array(length + 1);
        let total = 0;
        values.forEach((v, i) => {
          total += v === null ? 0 : Buffer.byteLength(v as string, 'utf8');
          offsets[i + 1] = total;
        });
        const bytes = new Uint8Array(total);
        const view = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
        values.forEach((v, i) => {
          if (v !== null) view.write(v as string, offsets[i]!, 'utf8');
        });
        return makeData({ ...base, valueOffsets: offsets, data: bytes } as never);
      }
      case 'int32':
      case 'date':
        return makeData({ ...base, data: Int32Array.from(values, (v) => (v === null ? 0 : (v as number))) } as never);
      case 'float64':
        return makeData({ ...base, data: Float64Array.from(values, (v) => (v === null ? 0 : (v as number))) } as never);
      case 'int64':
      case 'timestamp':
        return makeData({ ...base, data: BigInt64Array.from(values, (v) => (v === null ? 0n : (v as bigint))) } as never);
      case 'boolean': {
        const bits = new Uint8Array((length + 7) >> 3);
        values.forEach((v, i) => {
          if (v === true) bits[i >> 3]! |= 1 << (i & 7);
        });
        return makeData({ ...base, data: bits } as never);
      }
      case 'decimal': {
        const words = new Uint32Array(length * 4);
        values.forEach((v, i) => {
          if (v === null) return;
          let u = BigInt.asUintN(128, v as bigint);
          for (let w = 0; w < 4; w++) {
            words[i * 4 + w] = Number(u & 0xffffffffn);
            u >>= 32n;
          }
        });
        return makeData({ ...base, data: words } as never);
      }
      default: {
        const never: never = this.spec;
        throw new Error(`unhandled CSV column spec ${JSON.stringify(never)}`);
      }
    }
  }
}
