// Converts one Arrow value into its report form (JSON value or text cell), exactly, for every renderer.
// One visitor keyed by Arrow type id; a type without a rendering fails when the formatter is built.
//
// The output contract scripts rely on:
// - integers: JSON number when |v| <= 2^53-1, else a JSON string of the exact digits;
// - decimals: string with the full scale ("12.50", "-0.005"), computed with bigint arithmetic;
// - floats: JSON number; NaN and ±Infinity as the strings "NaN", "Infinity", "-Infinity";
// - timestamps: RFC 3339 in UTC, fraction omitted when zero, else 6 digits (9 when a nanosecond
//   timestamp has sub-microsecond digits). A timestamp with a zone (any zone: the instant is shown
//   in UTC) ends in `Z`, like Spark's TIMESTAMP; a zone-less timestamp is a wall-clock value with no
//   `Z`, like Spark's TIMESTAMP_NTZ, because adding `Z` would claim an instant the data never stated;
// - dates YYYY-MM-DD; times HH:MM:SS[.ffffff]; durations ISO 8601 `PT<seconds>S`;
// - binary as standard padded base64 (RFC 4648), as Spark's JSON writer does;
// - List/FixedSizeList as arrays, Struct as objects, Map as objects keyed by the key's text.
import { Buffer } from 'node:buffer';
import { DateUnit, Precision, TimeUnit, Type, type Data, type DataType, type Field } from 'apache-arrow';
import { PaylakeError } from '../errors/paylake-error.js';

/** A value as JSON renderers write it (never bigint: big integers become strings). */
export type JsonValue = null | boolean | number | string | JsonValue[] | { [key: string]: JsonValue };

/** How a column behaves in a report: numeric columns are right-aligned and never CSV-prefixed. */
export type ValueKind = 'integer' | 'decimal' | 'float' | 'boolean' | 'text' | 'binary' | 'temporal' | 'nested' | 'null';

/** Renders the values of one Arrow type; `index` is relative to the given Data chunk. */
export interface ValueFormatter {
  readonly kind: ValueKind;
  /** True for integer, decimal and float columns. */
  readonly numeric: boolean;
  /** The JSON form of one value; `null` for NULL. */
  json(data: Data, index: number): JsonValue;
  /** The text form of one value (CSV cells, terminal tables); `null` for NULL. */
  text(data: Data, index: number): string | null;
}

const MAX_SAFE = BigInt(Number.MAX_SAFE_INTEGER);
const MIN_SAFE = -MAX_SAFE;

/** An exact integer as JSON: a number when it is within ±(2^53−1), else its digits as a string. */
export function integerToJson(v: bigint): number | string {
  return v <= MAX_SAFE && v >= MIN_SAFE ? Number(v) : v.toString();
}

/** An unscaled integer and a scale as a decimal string with exactly `scale` fraction digits. */
export function scaledToDecimalString(unscaled: bigint, scale: number): string {
  if (scale <= 0) return (unscaled * 10n ** BigInt(-scale)).toString();
  const negative = unscaled < 0n;
  const digits = (negative ? -unscaled : unscaled).toString().padStart(scale + 1, '0');
  const cut = digits.length - scale;
  return `${negative ? '-' : ''}${digits.slice(0, cut)}.${digits.slice(cut)}`;
}

/** The signed integer stored little-endian in `words` 32-bit words (two's complement). */
export function wordsToBigInt(words: Uint32Array, start: number, count: number): bigint {
  let v = 0n;
  for (let i = count - 1; i >= 0; i--) v = (v << 32n) | BigInt(words[start + i] ?? 0);
  const bits = BigInt(count * 32);
  return v >= 1n << (bits - 1n) ? v - (1n << bits) : v;
}

function floorDiv(a: bigint, b: bigint): bigint {
  const q = a / b;
  return a % b !== 0n && (a < 0n) !== (b < 0n) ? q - 1n : q;
}

function pad(n: number | bigint, width: number): string {
  return n.toString().padStart(width, '0');
}

/** Days since 1970-01-01 as a proleptic Gregorian YYYY-MM-DD (H. Hinnant's civil_from_days). */
export function daysToIsoDate(days: bigint): string {
  const z = days + 719468n;
  const era = floorDiv(z, 146097n);
  const doe = z - era * 146097n;
  const yoe = (doe - doe / 1460n + doe / 36524n - doe / 146096n) / 365n;
  const doy = doe - (365n * yoe + yoe / 4n - yoe / 100n);
  const mp = (5n * doy + 2n) / 153n;
  const d = doy - (153n * mp + 2n) / 5n + 1n;
  const m = mp < 10n ? mp + 3n : mp - 9n;
  const y = yoe + era * 400n + (m <= 2n ? 1n : 0n);
  const year = y >= 0n && y <= 9999n ? pad(y, 4) : `${y < 0n ? '-' : '+'}${pad(y < 0n ? -y : y, 6)}`;
  return `${year}-${pad(m, 2)}-${pad(d, 2)}`;
}

const UNITS_PER_SECOND: Record<TimeUnit, bigint> = {
  [TimeUnit.SECOND]: 1n,
  [TimeUnit.MILLISECOND]: 1_000n,
  [TimeUnit.MICROSECOND]: 1_000_000n,
  [TimeUnit.NANOSECOND]: 1_000_000_000n,
};

/** A non-negative sub-second count as `.ffffff` (or `.fffffffff` when nanoseconds matter); '' when zero. */
function fraction(sub: bigint, unitsPerSecond: bigint): string {
  if (sub === 0n) return '';
  const nanos = sub * (1_000_000_000n / unitsPerSecond);
  return nanos % 1000n === 0n ? `.${pad(nanos / 1000n, 6)}` : `.${pad(nanos, 9)}`;
}

function clockTime(secondOfDay: bigint): string {
  return `${pad(secondOfDay / 3600n, 2)}:${pad((secondOfDay / 60n) % 60n, 2)}:${pad(secondOfDay % 60n, 2)}`;
}

/** A count of `unit` since the epoch as `YYYY-MM-DDTHH:MM:SS[.f]`, with `Z` when `utc`. */
export function epochToIsoTimestamp(ticks: bigint, unit: TimeUnit, utc: boolean): string {
  const perSecond = UNITS_PER_SECOND[unit];
  const seconds = floorDiv(ticks, perSecond);
  const sub = ticks - seconds * perSecond;
  const days = floorDiv(seconds, 86400n);
  const secondOfDay = seconds - days * 86400n;
  return `${daysToIsoDate(days)}T${clockTime(secondOfDay)}${fraction(sub, perSecond)}${utc ? 'Z' : ''}`;
}

function bigAt(data: Data, index: number): bigint {
  return (data.values as BigInt64Array | BigUint64Array)[index] as bigint;
}

function numberAt(data: Data, index: number): number {
  return (data.values as Int32Array)[index] as number;
}

/** The bytes of value `index` of a variable-width (offsets) chunk. */
function offsetBytes(data: Data, index: number): Uint8Array {
  const offsets = data.valueOffsets as Int32Array | BigInt64Array;
  const begin = Number(offsets[index]);
  const end = Number(offsets[index + 1]);
  return (data.values as Uint8Array).subarray(begin, end);
}

/** The bytes of value `index` of a BinaryView/Utf8View chunk (16-byte views, inline up to 12 bytes). */
function viewBytes(data: Data, index: number): Uint8Array {
  const views = data.values as Uint8Array;
  const view = new DataView(views.buffer, views.byteOffset + index * 16, 16);
  const size = view.getInt32(0, true);
  if (size <= 12) return views.subarray(index * 16 + 4, index * 16 + 4 + Math.max(0, size));
  const buffer = (data.variadicBuffers as Uint8Array[])[view.getInt32(8, true)];
  const offset = view.getInt32(12, true);
  if (buffer === undefined) throw new PaylakeError('INTERNAL', 'Utf8View/BinaryView value points at a missing buffer; please report this');
  return buffer.subarray(offset, offset + size);
}

function utf8(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('utf8');
}

function base64(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('base64');
}

/** Shortest decimal text that reads back as the same float32 (JS would print the widened double). */
function float32Text(v: number): string {
  for (let p = 1; p <= 9; p++) {
    const s = Number(v.toPrecision(p));
    if (Math.fround(s) === v) return String(s);
  }
  return String(v);
}

function float16ToNumber(h: number): number {
  const sign = h & 0x8000 ? -1 : 1;
  const exp = (h >> 10) & 0x1f;
  const frac = h & 0x3ff;
  if (exp === 0) return sign * 2 ** -14 * (frac / 1024);
  if (exp === 0x1f) return frac ? NaN : sign * Infinity;
  return sign * 2 ** (exp - 15) * (1 + frac / 1024);
}

function floatJson(v: number): JsonValue {
  return Number.isFinite(v) ? v : String(v);
}

/** Builds a formatter from a non-null reader: validity, JSON and text derive from `read`. */
function scalar<T>(kind: ValueKind, read: (data: Data, index: number) => T, toJson: (v: T) => JsonValue, toText: (v: T) => string): ValueFormatter {
  return {
    kind,
    numeric: kind === 'integer' || kind === 'decimal' || kind === 'float',
    json: (data, index) => (data.getValid(index) ? toJson(read(data, index)) : null),
    text: (data, index) => (data.getValid(index) ? toText(read(data, index)) : null),
  };
}

/** A nested formatter: its text is the compact JSON of its value. */
function nested(json: (data: Data, index: number) => JsonValue): ValueFormatter {
  return {
    kind: 'nested',
    numeric: false,
    json: (data, index) => (data.getValid(index) ? json(data, index) : null),
    text: (data, index) => (data.getValid(index) ? JSON.stringify(json(data, index)) : null),
  };
}

function identity<T>(v: T): T {
  return v;
}

function unsupported(type: DataType, column: string): never {
  throw new PaylakeError(
    'TYPE_ERROR',
    `column ${column}: Arrow type ${String(type)} cannot be rendered in a report; cast it to a string, number or timestamp first`,
  );
}

/** Finds the chunk of a (dictionary) vector holding logical row `i`. */
function locate(chunks: readonly Data[], i: number): [Data, number] {
  let rest = i;
  for (const chunk of chunks) {
    if (rest < chunk.length) return [chunk, rest];
    rest -= chunk.length;
  }
  throw new PaylakeError('INTERNAL', `dictionary index ${i} out of range; please report this`);
}

/**
 * The formatter for values of `type`. Throws PaylakeError('TYPE_ERROR') naming `column` for types
 * with no report rendering (Interval, Union), before anything is written.
 * @example formatterFor(table.schema.fields[0]!.type, 'amount').text(batch.data.children[0]!, 0)
 */
export function formatterFor(type: DataType, column: string): ValueFormatter {
  const typeId = type.typeId as Type;
  switch (typeId) {
    case Type.Null:
      return { kind: 'null', numeric: false, json: () => null, text: () => null };
    case Type.Int: {
      const { bitWidth } = type as unknown as { bitWidth: number };
      if (bitWidth === 64) return scalar('integer', bigAt, integerToJson, (v) => v.toString());
      return scalar('integer', numberAt, identity, String);
    }
    case Type.Float: {
      const { precision } = type as unknown as { precision: Precision };
      if (precision === Precision.HALF) {
        return scalar('float', (d, i) => float16ToNumber(numberAt(d, i)), floatJson, String);
      }
      if (precision === Precision.SINGLE) return scalar('float', numberAt, floatJson, float32Text);
      return scalar('float', numberAt, floatJson, String);
    }
    case Type.Decimal: {
      const { scale, bitWidth } = type as unknown as { scale: number; bitWidth: number };
      const stride = bitWidth / 32;
      const read = (d: Data, i: number): string => scaledToDecimalString(wordsToBigInt(d.values as Uint32Array, i * stride, stride), scale);
      return scalar('decimal', read, identity, identity);
    }
    case Type.Bool: {
      const read = (d: Data, i: number): boolean => {
        const bit = d.offset + i;
        return ((d.values as Uint8Array)[bit >> 3]! & (1 << (bit & 7))) !== 0;
      };
      return scalar('boolean', read, identity, String);
    }
    case Type.Utf8:
    case Type.LargeUtf8:
      return scalar('text', (d, i) => utf8(offsetBytes(d, i)), identity, identity);
    case Type.Utf8View:
      return scalar('text', (d, i) => utf8(viewBytes(d, i)), identity, identity);
    case Type.Binary:
    case Type.LargeBinary:
      return scalar('binary', (d, i) => base64(offsetBytes(d, i)), identity, identity);
    case Type.BinaryView:
      return scalar('binary', (d, i) => base64(viewBytes(d, i)), identity, identity);
    case Type.FixedSizeBinary: {
      const { byteWidth } = type as unknown as { byteWidth: number };
      const read = (d: Data, i: number): string => base64((d.values as Uint8Array).subarray(i * byteWidth, (i + 1) * byteWidth));
      return scalar('binary', read, identity, identity);
    }
    case Type.Date: {
      const { unit } = type as unknown as { unit: DateUnit };
      const read =
        unit === DateUnit.DAY
          ? (d: Data, i: number): string => daysToIsoDate(BigInt(numberAt(d, i)))
          : (d: Data, i: number): string => daysToIsoDate(floorDiv(bigAt(d, i), 86_400_000n));
      return scalar('temporal', read, identity, identity);
    }
    case Type.Timestamp: {
      const { unit, timezone } = type as unknown as { unit: TimeUnit; timezone?: string | null };
      const utc = timezone !== undefined && timezone !== null && timezone !== '';
      return scalar('temporal', (d, i) => epochToIsoTimestamp(bigAt(d, i), unit, utc), identity, identity);
    }
    case Type.Time: {
      const { unit, bitWidth } = type as unknown as { unit: TimeUnit; bitWidth: number };
      const perSecond = UNITS_PER_SECOND[unit];
      const read = (d: Data, i: number): string => {
        const ticks = bitWidth === 64 ? bigAt(d, i) : BigInt(numberAt(d, i));
        const seconds = floorDiv(ticks, perSecond);
        return `${clockTime(seconds)}${fraction(ticks - seconds * perSecond, perSecond)}`;
      };
      return scalar('temporal', read, identity, identity);
    }
    case Type.Duration: {
      const { unit } = type as unknown as { unit: TimeUnit };
      const perSecond = UNITS_PER_SECOND[unit];
      const read = (d: Data, i: number): string => {
        const ticks = bigAt(d, i);
        const abs = ticks < 0n ? -ticks : ticks;
        const seconds = abs / perSecond;
        return `${ticks < 0n ? '-' : ''}PT${seconds}${fraction(abs - seconds * perSecond, perSecond)}S`;
      };
      return scalar('temporal', read, identity, identity);
    }
    case Type.List:
    case Type.LargeList: {
      const child = formatterFor((type as unknown as { children: Field[] }).children[0]!.type, `${column}[]`);
      return nested((d, i) => {
        const offsets = d.valueOffsets as Int32Array | BigInt64Array;
        const items = d.children[0]!;
        const out: JsonValue[] = [];
        for (let j = Number(offsets[i]); j < Number(offsets[i + 1]); j++) out.push(child.json(items, j));
        return out;
      });
    }
    case Type.FixedSizeList: {
      const { listSize, children } = type as unknown as { listSize: number; children: Field[] };
      const child = formatterFor(children[0]!.type, `${column}[]`);
      return nested((d, i) => {
        const items = d.children[0]!;
        const out: JsonValue[] = [];
        for (let j = i * listSize; j < (i + 1) * listSize; j++) out.push(child.json(items, j));
        return out;
      });
    }
    case Type.Struct: {
      const fields = (type as unknown as { children: Field[] }).children;
      const children = fields.map((f) => formatterFor(f.type, `${column}.${f.name}`));
      return nested((d, i) => {
        const out: { [key: string]: JsonValue } = Object.create(null) as { [key: string]: JsonValue };
        fields.forEach((f, c) => {
          out[f.name] = children[c]!.json(d.children[c]!, i);
        });
        return out;
      });
    }
    case Type.Map: {
      const entry = (type as unknown as { children: Field[] }).children[0]!.type as unknown as { children: Field[] };
      const key = formatterFor(entry.children[0]!.type, `${column}.key`);
      const value = formatterFor(entry.children[1]!.type, `${column}.value`);
      return nested((d, i) => {
        const offsets = d.valueOffsets as Int32Array;
        const entries = d.children[0]!;
        const out: { [key: string]: JsonValue } = Object.create(null) as { [key: string]: JsonValue };
        for (let j = offsets[i]!; j < offsets[i + 1]!; j++) {
          out[key.text(entries.children[0]!, j) ?? 'null'] = value.json(entries.children[1]!, j);
        }
        return out;
      });
    }
    case Type.Dictionary: {
      const valueType = (type as unknown as { dictionary: DataType }).dictionary;
      const inner = formatterFor(valueType, column);
      const resolve = (d: Data, i: number): [Data, number] => {
        const dictionary = d.dictionary;
        if (dictionary === undefined) throw new PaylakeError('INTERNAL', `column ${column}: dictionary chunk without a dictionary; please report this`);
        return locate(dictionary.data, Number((d.values as Int32Array | BigInt64Array)[i]));
      };
      return {
        kind: inner.kind,
        numeric: inner.numeric,
        json: (d, i) => (d.getValid(i) ? inner.json(...resolve(d, i)) : null),
        text: (d, i) => (d.getValid(i) ? inner.text(...resolve(d, i)) : null),
      };
    }
    case Type.NONE:
    case Type.Interval:
    case Type.Union:
      return unsupported(type, column);
    // The concrete ids below are never a DataType's typeId (it reports the family id above); they
    // are listed so that a new Arrow type id fails to compile here until it is handled.
    case Type.Int8:
    case Type.Int16:
    case Type.Int32:
    case Type.Int64:
    case Type.Uint8:
    case Type.Uint16:
    case Type.Uint32:
    case Type.Uint64:
    case Type.Float16:
    case Type.Float32:
    case Type.Float64:
    case Type.DateDay:
    case Type.DateMillisecond:
    case Type.TimestampSecond:
    case Type.TimestampMillisecond:
    case Type.TimestampMicrosecond:
    case Type.TimestampNanosecond:
    case Type.TimeSecond:
    case Type.TimeMillisecond:
    case Type.TimeMicrosecond:
    case Type.TimeNanosecond:
    case Type.DenseUnion:
    case Type.SparseUnion:
    case Type.IntervalDayTime:
    case Type.IntervalYearMonth:
    case Type.DurationSecond:
    case Type.DurationMillisecond:
    case Type.DurationMicrosecond:
    case Type.DurationNanosecond:
    case Type.IntervalMonthDayNano:
      throw new PaylakeError('INTERNAL', `column ${column}: unexpected concrete Arrow type id ${typeId}; please report this`);
    default: {
      const never: never = typeId;
      return unsupported(type, `${column} (type id ${String(never)})`);
    }
  }
}
