// Test helper for hash aggregation: Arrow vectors from plain JS values per logical type, and result
// batches read back as rows of JS values (int64 as bigint, decimals as exact strings, dates as days).
import { Vector } from 'apache-arrow';
import type { RecordBatch } from 'apache-arrow';
import type { AggregateSpec } from '../../../../lib/dataframe/physical/aggregate/aggregate-function.js';
import { HashAggregator } from '../../../../lib/dataframe/physical/aggregate/hash-aggregator.js';
import { columnFromData, columnToData } from '../../../../lib/dataframe/physical/expr-eval/arrow-column.js';
import { getBit, makeColumn, newBitmap, setBit } from '../../../../lib/dataframe/physical/expr-eval/column.js';
import { decimalAsBigInt, writeDecimalBigInt } from '../../../../lib/dataframe/physical/expr-eval/wide-integers.js';
import { fromArrowType } from '../../../../lib/dataframe/types/arrow-type.js';
import type { DataType } from '../../../../lib/dataframe/types/data-type.js';
import { scaledToDecimalString } from '../../../../lib/report/value-formatter.js';

/** A JS cell value. Decimals are given as unscaled bigints and read back as strings. */
export type Cell = null | boolean | number | bigint | string;

/** An Arrow vector of logical type `type` holding `values`. */
export function vectorOf(type: DataType, values: readonly Cell[]): Vector {
  const n = values.length;
  const validity = newBitmap(n);
  values.forEach((v, i) => v !== null && setBit(validity, i));
  const hasNull = values.includes(null);
  const bits = hasNull ? validity : null;
  let col;
  switch (type.kind) {
    case 'null':
      col = makeColumn(type, n, new Uint8Array(0), newBitmap(n));
      break;
    case 'boolean': {
      const b = newBitmap(n);
      values.forEach((v, i) => v === true && setBit(b, i));
      col = makeColumn(type, n, b, bits);
      break;
    }
    case 'int32':
    case 'date':
      col = makeColumn(type, n, Int32Array.from(values, (v) => (v === null ? 0 : Number(v))), bits);
      break;
    case 'int64':
    case 'timestamp':
      col = makeColumn(type, n, BigInt64Array.from(values, (v) => (v === null ? 0n : BigInt(v as bigint))), bits);
      break;
    case 'float64':
      col = makeColumn(type, n, Float64Array.from(values, (v) => (v === null ? 0 : Number(v))), bits);
      break;
    case 'decimal': {
      const w = new Uint32Array(4 * n);
      values.forEach((v, i) => writeDecimalBigInt(w, i, v === null ? 0n : BigInt(v as bigint)));
      col = makeColumn(type, n, w, bits);
      break;
    }
    case 'string':
    case 'binary': {
      const enc = new TextEncoder();
      const parts = values.map((v) => enc.encode(v === null ? '' : String(v)));
      const offsets = new Int32Array(n + 1);
      parts.forEach((p, i) => (offsets[i + 1] = offsets[i]! + p.length));
      const bytes = new Uint8Array(offsets[n]!);
      parts.forEach((p, i) => bytes.set(p, offsets[i]!));
      col = makeColumn(type, n, bytes, bits, offsets);
      break;
    }
  }
  return new Vector([columnToData(col)]);
}

/** The rows of a batch as arrays of JS values. */
export function rowsOf(batch: RecordBatch): Cell[][] {
  const cols = batch.schema.fields.map((f, k) => {
    const t = fromArrowType(f.type, f.name);
    const c = columnFromData(batch.data.children[k]!, t, f.name);
    return (i: number): Cell => {
      if (c.validity !== null && getBit(c.validity, i) === 0) return null;
      switch (t.kind) {
        case 'null':
          return null;
        case 'boolean':
          return getBit(c.values as Uint8Array, i) === 1;
        case 'int32':
        case 'date':
        case 'float64':
          return (c.values as Int32Array | Float64Array)[i]!;
        case 'int64':
        case 'timestamp':
          return (c.values as BigInt64Array)[i]!;
        case 'decimal':
          return scaledToDecimalString(decimalAsBigInt(c.values as Uint32Array, i), t.scale);
        case 'string':
        case 'binary':
          return new TextDecoder().decode((c.values as Uint8Array).subarray(c.offsets![i]!, c.offsets![i + 1]!));
      }
    };
  });
  const rows: Cell[][] = [];
  for (let i = 0; i < batch.numRows; i++) rows.push(cols.map((read) => read(i)));
  return rows;
}

/** A small seeded PRNG (mulberry32) so property tests are reproducible. */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Aggregates one batch of plain values and returns the finished rows. */
export function aggregateRows(
  keyTypes: readonly DataType[],
  specs: readonly AggregateSpec[],
  keyValues: readonly Cell[][],
  argValues: readonly (Cell[] | null)[],
  numRows?: number,
): Cell[][] {
  const agg = new HashAggregator(keyTypes.map((type, k) => ({ name: `k${k}`, type })), specs);
  agg.addBatch(
    keyValues.map((v, k) => vectorOf(keyTypes[k]!, v)),
    argValues.map((v, a) => (v === null ? null : vectorOf(specs[a]!.inputType!, v))),
    numRows,
  );
  return rowsOf(agg.finish());
}

/** An aggregate spec (name defaults to fn). */
export function spec(fn: AggregateSpec['fn'], inputType: DataType | null, distinct = false, name: string = fn): AggregateSpec {
  return { fn, inputType, distinct, name };
}
