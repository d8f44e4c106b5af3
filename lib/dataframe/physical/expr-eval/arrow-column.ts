// Converts Arrow vectors of a record batch into evaluator Columns (zero-copy where the layout already
// matches) and Columns back into Arrow vectors of `toArrowType(type)`.
//
// Why not compute on Arrow `Data` directly: kernels want bit offset 0, one chunk, engine widths
// (int8 → int32, ms → µs) and a dictionary they can evaluate once; normalising once at the leaves keeps
// every kernel a plain typed-array loop, and building Arrow Data only at the output edge avoids a
// makeData per intermediate node.
import { makeData, Type, Vector } from 'apache-arrow';
import type { Data, DataType as ArrowType } from 'apache-arrow';
import { PaylakeError } from '../../../errors/paylake-error.js';
import { toArrowType } from '../../types/arrow-type.js';
import type { DataType } from '../../types/data-type.js';
import { makeColumn, sliceBits } from './column.js';
import type { Column } from './column.js';
import { flattenDictionary, interleave } from './take-column.js';

/** The Column for one Arrow vector, whose logical type the schema says is `type`. */
export function columnFromVector(v: Vector, type: DataType, name: string): Column {
  if (v.data.length === 1) return columnFromData(v.data[0]!, type, name);
  // Several chunks: concatenate through Arrow's own copy (rare; batches are single-chunk).
  const parts = v.data.map((d) => columnFromData(d, type, name));
  return concatColumns(parts, type);
}

/** One column holding the rows of `parts` (all of logical type `type`) one after another. */
export function concatColumns(parts: readonly Column[], type: DataType): Column {
  const total = parts.reduce((a, p) => a + p.length, 0);
  const which = new Int32Array(total);
  const rows = new Int32Array(total);
  let k = 0;
  parts.forEach((p, s) => {
    for (let i = 0; i < p.length; i++, k++) {
      which[k] = s;
      rows[k] = i;
    }
  });
  return interleave(type, parts, which, rows);
}

/** The Column for one Arrow Data chunk. */
export function columnFromData(d: Data, type: DataType, name: string): Column {
  const n = d.length;
  const validity = d.nullCount === 0 || !d.nullBitmap || d.nullBitmap.length === 0 ? null : sliceBits(d.nullBitmap, d.offset, n);
  const t = d.type as ArrowType;
  const unsupported = (): never => {
    throw new PaylakeError('TYPE_ERROR', `column "${name}": Arrow type ${String(t)} is not supported by the expression evaluator`);
  };
  switch (t.typeId) {
    case Type.Null:
      return makeColumn(type, n, new Uint8Array(0), sliceBits(new Uint8Array((n + 7) >>> 3), 0, n));
    case Type.Bool:
      return makeColumn(type, n, sliceBits(d.values as Uint8Array, d.offset, n), validity);
    case Type.Int:
    case Type.Int8:
    case Type.Int16:
    case Type.Int32:
    case Type.Int64:
    case Type.Uint8:
    case Type.Uint16:
    case Type.Uint32: {
      const values = d.values as Int8Array | Int16Array | Int32Array | BigInt64Array | Uint8Array | Uint16Array | Uint32Array;
      if (type.kind === 'int32') return makeColumn(type, n, values instanceof Int32Array ? values : Int32Array.from(values as Int16Array), validity);
      if (values instanceof BigInt64Array) return makeColumn(type, n, values, validity);
      const out = new BigInt64Array(n);
      for (let i = 0; i < n; i++) out[i] = BigInt(values[i] as number);
      return makeColumn(type, n, out, validity);
    }
    case Type.Float:
    case Type.Float32:
    case Type.Float64: {
      const values = d.values as Float32Array | Float64Array | Uint16Array;
      if (values instanceof Float64Array) return makeColumn(type, n, values, validity);
      if (values instanceof Float32Array) return makeColumn(type, n, Float64Array.from(values), validity);
      return unsupported();
    }
    case Type.Decimal: {
      const bitWidth = (t as ArrowType & { bitWidth: number }).bitWidth;
      if (bitWidth !== 128) return unsupported();
      return makeColumn(type, n, d.values as Uint32Array, validity);
    }
    case Type.Utf8:
    case Type.Binary:
      return makeColumn(type, n, d.values as Uint8Array, validity, d.valueOffsets as Int32Array);
    case Type.LargeUtf8:
    case Type.LargeBinary: {
      const big = d.valueOffsets as unknown as BigInt64Array;
      const last = Number(big[n] ?? 0n);
      if (last > 0x7fffffff) return unsupported();
      const offsets = new Int32Array(n + 1);
      for (let i = 0; i <= n; i++) offsets[i] = Number(big[i]!);
      return makeColumn(type, n, d.values as Uint8Array, validity, offsets);
    }
    case Type.Date:
    case Type.DateDay:
    case Type.DateMillisecond: {
      const values = d.values as Int32Array | BigInt64Array;
      if (values instanceof Int32Array && (t as ArrowType & { unit: number }).unit === 0) return makeColumn(type, n, values, validity);
      const out = new Int32Array(n);
      for (let i = 0; i < n; i++) out[i] = Math.floor(Number(values[i]!) / 86_400_000);
      return makeColumn(type, n, out, validity);
    }
    case Type.Timestamp:
    case Type.TimestampSecond:
    case Type.TimestampMillisecond:
    case Type.TimestampMicrosecond:
    case Type.TimestampNanosecond: {
      const values = d.values as BigInt64Array;
      const unit = (t as ArrowType & { unit: number }).unit; // 0 s, 1 ms, 2 µs, 3 ns
      if (unit === 2) return makeColumn(type, n, values, validity);
      const out = new BigInt64Array(n);
      for (let i = 0; i < n; i++) {
        const v = values[i]!;
        out[i] = unit === 0 ? v * 1_000_000n : unit === 1 ? v * 1000n : v >= 0n ? v / 1000n : (v - 999n) / 1000n;
      }
      return makeColumn(type, n, out, validity);
    }
    case Type.Dictionary: {
      const dictVector = d.dictionary;
      if (!dictVector) return unsupported();
      const dictionary = columnFromVector(dictVector, type, name);
      const raw = d.values as Int8Array | Int16Array | Int32Array | Uint8Array | Uint16Array | Uint32Array | BigInt64Array;
      let indices: Int32Array;
      if (raw instanceof Int32Array) indices = raw;
      else {
        indices = new Int32Array(n);
        for (let i = 0; i < n; i++) indices[i] = Number(raw[i]!);
      }
      return { type, length: n, validity, values: indices, offsets: null, dictionary };
    }
    default:
      return unsupported();
  }
}

/** Arrow Data of `toArrowType(c.type)` holding the column (dictionaries are flattened). */
export function columnToData(c: Column): Data {
  const col = c.dictionary ? flattenDictionary(c) : c;
  const type = toArrowType(col.type);
  const nullBitmap = col.validity ?? undefined;
  switch (col.type.kind) {
    case 'null':
      return makeData({ type, length: col.length } as never);
    case 'string':
    case 'binary':
      return makeData({ type, length: col.length, nullBitmap, data: col.values, valueOffsets: col.offsets } as never);
    default:
      return makeData({ type, length: col.length, nullBitmap, data: col.values } as never);
  }
}

/** An Arrow vector of `toArrowType(c.type)` holding the column. */
export function columnToVector(c: Column): Vector {
  return new Vector([columnToData(c)]);
}
