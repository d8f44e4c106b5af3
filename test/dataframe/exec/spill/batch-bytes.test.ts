// recordBatchBytes: every buffer a batch references, dictionaries included, each buffer view once.
import { Dictionary, Field, Int32, Int64, RecordBatch, Schema, Struct, Utf8, Vector, makeData } from 'apache-arrow';
import type { Data } from 'apache-arrow';
import { describe, expect, it } from 'vitest';
import { recordBatchBytes } from '../../../../lib/dataframe/exec/spill/batch-bytes.js';

function batchOf(columns: Record<string, Data>): RecordBatch {
  const fields = Object.entries(columns).map(([name, d]) => new Field(name, d.type, true));
  const children = Object.values(columns);
  return new RecordBatch(new Schema(fields), makeData({ type: new Struct(fields), length: children[0]!.length, nullCount: 0, children }));
}

describe('recordBatchBytes', () => {
  it('sums values, validity and offsets', () => {
    const ints = makeData({ type: new Int64(), length: 100, data: new BigInt64Array(100) });
    const withNulls = makeData({ type: new Int32(), length: 100, data: new Int32Array(100), nullBitmap: new Uint8Array(16), nullCount: 100 });
    const strings = makeData({ type: new Utf8(), length: 3, data: new Uint8Array(10), valueOffsets: new Int32Array(4) });
    expect(recordBatchBytes(batchOf({ ints }))).toBe(800);
    expect(recordBatchBytes(batchOf({ ints, withNulls }))).toBe(800 + 400 + 16);
    expect(recordBatchBytes(batchOf({ strings }))).toBe(10 + 16);
  });

  it('counts a dictionary, and a buffer shared by two columns once', () => {
    const dictionary = makeData({ type: new Utf8(), length: 2, data: new Uint8Array(6), valueOffsets: new Int32Array(3) });
    const type = new Dictionary(new Utf8(), new Int32());
    const codes = makeData({ type, length: 50, data: new Int32Array(50), dictionary: new Vector([dictionary]) });
    const values = new BigInt64Array(10);
    const a = makeData({ type: new Int64(), length: 10, data: values });
    const b = makeData({ type: new Int64(), length: 10, data: a.values });
    expect(recordBatchBytes(batchOf({ codes }))).toBe(200 + 6 + 12);
    expect(recordBatchBytes(batchOf({ a, b }))).toBe(80);
  });

  it('counts views shared across batches once when given one set', () => {
    const dictionary = new Vector([makeData({ type: new Utf8(), length: 2, data: new Uint8Array(6), valueOffsets: new Int32Array(3) })]);
    const type = new Dictionary(new Utf8(), new Int32());
    const first = batchOf({ codes: makeData({ type, length: 50, data: new Int32Array(50), dictionary }) });
    const second = batchOf({ codes: makeData({ type, length: 25, data: new Int32Array(25), dictionary }) });
    const seen = new Set<ArrayBufferView>();
    expect(recordBatchBytes(first, seen) + recordBatchBytes(second, seen)).toBe(200 + 100 + 6 + 12);
    expect(recordBatchBytes(first) + recordBatchBytes(second)).toBe(200 + 100 + 2 * (6 + 12));
  });
});
