// Test helper: turns Arrow columns into canonical comparable values, matching duckdb-oracle.ts's SQL normalisation.
// Canonical forms: integers as decimal strings, floats as numbers (NaN equal to NaN), decimals as strings with
// their scale ("12.30"), timestamps as nanoseconds since the epoch (string), dates as days, binary as lower-case
// hex, strings as strings, nested values as JSON text with integers as numbers (as DuckDB's to_json prints them).
import { DataType, makeVector, type Data, type Vector } from 'apache-arrow';

/** A canonical cell value; null is SQL NULL. */
export type Canonical = string | number | null;

const NS_PER_UNIT = [1_000_000_000n, 1_000_000n, 1_000n, 1n]; // arrow TimeUnit SECOND, MILLISECOND, MICROSECOND, NANOSECOND

function hex(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('hex');
}

/** Formats an unscaled integer with `scale` digits after the point, as DuckDB prints DECIMAL. */
export function formatDecimal(unscaled: bigint, scale: number): string {
  if (scale <= 0) return (unscaled * 10n ** BigInt(-scale)).toString();
  const neg = unscaled < 0n;
  const digits = (neg ? -unscaled : unscaled).toString().padStart(scale + 1, '0');
  return `${neg ? '-' : ''}${digits.slice(0, -scale)}.${digits.slice(-scale)}`;
}

function decimalAt(data: Data, i: number): bigint {
  const words = data.values as Uint32Array;
  const bitWidth = (data.type as unknown as { bitWidth: number }).bitWidth;
  const stride = bitWidth / 32;
  let v = 0n;
  for (let w = stride - 1; w >= 0; w--) v = (v << 32n) | BigInt(words[(data.offset + i) * stride + w]!);
  const bits = BigInt(bitWidth);
  if (v >> (bits - 1n) === 1n) v -= 1n << bits;
  return v;
}

function isValid(data: Data, i: number): boolean {
  if (data.nullCount === 0 || data.nullBitmap === undefined || data.nullBitmap.length === 0) return true;
  const j = data.offset + i;
  return ((data.nullBitmap[j >> 3]! >> (j & 7)) & 1) === 1;
}

/** A timestamp in µs as DuckDB's to_json prints it ('2024-01-01 20:34:56.123456', trailing zeros trimmed). */
function duckdbTimestampText(us: bigint): string {
  const dayUs = 86_400_000_000n;
  let days = us / dayUs;
  let rem = us % dayUs;
  if (rem < 0n) {
    rem += dayUs;
    days -= 1n;
  }
  // Howard Hinnant's civil_from_days, in bigint so years beyond 9999 print correctly.
  const z = days + 719468n;
  const era = (z >= 0n ? z : z - 146096n) / 146097n;
  const doe = z - era * 146097n;
  const yoe = (doe - doe / 1460n + doe / 36524n - doe / 146096n) / 365n;
  const doy = doe - (365n * yoe + yoe / 4n - yoe / 100n);
  const mp = (5n * doy + 2n) / 153n;
  const d = doy - (153n * mp + 2n) / 5n + 1n;
  const m = mp < 10n ? mp + 3n : mp - 9n;
  const y = yoe + era * 400n + (m <= 2n ? 1n : 0n);
  const p2 = (n: bigint): string => n.toString().padStart(2, '0');
  const secs = rem / 1_000_000n;
  const frac = (rem % 1_000_000n).toString().padStart(6, '0').replace(/0+$/, '');
  const time = `${p2(secs / 3600n)}:${p2((secs / 60n) % 60n)}:${p2(secs % 60n)}${frac === '' ? '' : `.${frac}`}`;
  return `${y.toString().padStart(4, '0')}-${p2(m)}-${p2(d)} ${time}`;
}

/** JSON-friendly value of element `i` of `data`, type-driven, to compare with DuckDB's to_json. */
function jsonAt(data: Data, i: number): unknown {
  if (!isValid(data, i)) return null;
  const t = data.type;
  const j = data.offset + i;
  if (DataType.isStruct(t)) {
    return Object.fromEntries(t.children.map((f, k) => [f.name, jsonAt(data.children[k]!, i)]));
  }
  if (DataType.isList(t) || DataType.isMap(t)) {
    const offsets = data.valueOffsets as Int32Array;
    const child = data.children[0]!;
    const items: unknown[] = [];
    for (let k = offsets[j]!; k < offsets[j + 1]!; k++) items.push(jsonAt(child, k));
    if (!DataType.isMap(t)) return items;
    const out: Record<string, unknown> = {};
    for (const kv of items as Record<string, unknown>[]) {
      const [key, value] = Object.values(kv);
      out[typeof key === 'string' ? key : JSON.stringify(key)] = value;
    }
    return out;
  }
  if (DataType.isFixedSizeList(t)) {
    const items: unknown[] = [];
    for (let k = 0; k < t.listSize; k++) items.push(jsonAt(data.children[0]!, j * t.listSize + k));
    return items;
  }
  if (DataType.isDictionary(t)) {
    const dict = data.dictionary!;
    const idx = Number((data.values as ArrayLike<number | bigint>)[j]);
    return dict.get(idx);
  }
  const c = cell(data, i);
  if (DataType.isTimestamp(t)) return duckdbTimestampText(BigInt(c!) / 1000n);
  if (DataType.isInt(t) || DataType.isDecimal(t)) return Number(c);
  if (DataType.isBool(t)) return c === 'true';
  return c;
}

function cell(data: Data, i: number): Canonical {
  if (!isValid(data, i)) return null;
  const t = data.type;
  if (DataType.isInt(t)) return String((data.values as ArrayLike<number | bigint>)[data.offset + i]);
  const v = makeVector(data).get(i) as unknown;
  if (DataType.isFloat(t)) return v as number;
  if (DataType.isBool(t)) return String(v);
  if (DataType.isUtf8(t) || DataType.isLargeUtf8(t)) return v as string;
  if (DataType.isBinary(t) || DataType.isLargeBinary(t) || DataType.isFixedSizeBinary(t)) return hex(v as Uint8Array);
  if (DataType.isDecimal(t)) return formatDecimal(decimalAt(data, i), t.scale);
  if (DataType.isTimestamp(t)) return (BigInt((data.values as BigInt64Array)[data.offset + i]!) * NS_PER_UNIT[t.unit]!).toString();
  if (DataType.isDate(t)) {
    const raw = (data.values as ArrayLike<number | bigint>)[data.offset + i]!;
    return t.unit === 0 ? String(raw) : String(Number(raw) / 86_400_000);
  }
  if (DataType.isTime(t)) return (BigInt((data.values as ArrayLike<number | bigint>)[data.offset + i]!) * NS_PER_UNIT[t.unit]!).toString();
  return JSON.stringify(jsonAt(data, i));
}

/** Every cell of a column, canonical. */
export function canonicalColumn(vector: Vector): Canonical[] {
  const out: Canonical[] = [];
  for (const data of vector.data) {
    for (let i = 0; i < data.length; i++) out.push(cell(data, i));
  }
  return out;
}
