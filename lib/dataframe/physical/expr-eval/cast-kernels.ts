// CAST under Spark ANSI mode: invalid strings and out-of-range numbers raise (TYPE_ERROR / OVERFLOW naming
// the value and the expression); TRY_CAST gives NULL instead. Common widenings (int → bigint, int →
// double) are typed loops; the rest convert row by row through exact values (BigInt for decimals).
import { isPaylakeError, PaylakeError } from '../../../errors/paylake-error.js';
import { parseTimestampLiteral } from '../../expr/parser/temporal-literal.js';
import type { DataType, DecimalType } from '../../types/data-type.js';
import { typeName } from '../../types/data-type.js';
import { formatDate, formatTimestamp, daysFromCivil, floorDivMicros } from '../../../calendar/civil-time.js';
import { getBit, makeColumn, newBitmap, nullColumn, setBit, clearBit, fullBitmap } from './column.js';
import type { Column } from './column.js';
import { decimalOverflowError, formatUnscaled, rescale } from './decimal-kernels.js';
import { flattenDictionary } from './take-column.js';
import { decimalAsBigInt, pow10Big, writeDecimalBigInt } from './wide-integers.js';

/** A value read from a row: the engine's JS representation of the source type. */
type RowValue = boolean | number | bigint | string | Uint8Array;

const decoder = new TextDecoder('utf-8', { fatal: false });
const encoder = new TextEncoder();
const MIN64 = -(2n ** 63n);
const MAX64 = 2n ** 63n - 1n;
const US_PER_DAY = 86_400_000_000n;

/** CAST(c AS to) — or TRY_CAST when `safe` — over every row of `c`. */
export function castColumn(input: Column, to: DataType, safe: boolean, what: string): Column {
  const c = input.dictionary ? flattenDictionary(input) : input;
  const n = c.length;
  const from = c.type;
  if (from.kind === to.kind && to.kind !== 'decimal') return { ...c, type: to };
  if (from.kind === 'null') return nullColumn(to, n);
  // Typed fast paths for the casts the analyzer inserts most.
  if (from.kind === 'int32' && to.kind === 'int64') {
    const a = c.values as Int32Array;
    const out = new BigInt64Array(n);
    const w = new Int32Array(out.buffer);
    for (let i = 0; i < n; i++) {
      w[2 * i] = a[i]!;
      w[2 * i + 1] = a[i]! < 0 ? -1 : 0;
    }
    return makeColumn(to, n, out, c.validity);
  }
  if ((from.kind === 'int32' || from.kind === 'int64') && to.kind === 'float64') {
    const out = new Float64Array(n);
    if (from.kind === 'int32') out.set(c.values as Int32Array);
    else {
      const v = c.values as BigInt64Array;
      const w = new Int32Array(v.buffer, v.byteOffset, n * 2);
      for (let i = 0; i < n; i++) out[i] = w[2 * i + 1]! * 4294967296 + (w[2 * i]! >>> 0);
    }
    return makeColumn(to, n, out, c.validity);
  }
  const convert = converter(from, to);
  const writer = columnWriter(to, n);
  let validity: Uint8Array | null = c.validity === null ? null : c.validity.slice();
  for (let i = 0; i < n; i++) {
    if (c.validity !== null && !getBit(c.validity, i)) continue;
    const v = readRow(c, i);
    let out: RowValue | null;
    try {
      out = convert(v);
    } catch (err) {
      if (!isPaylakeError(err)) throw err;
      if (!safe) throw new PaylakeError(err.code, `${err.message} in ${what}${err.code === 'TYPE_ERROR' ? '; use try_cast to get NULL instead' : ''}`);
      out = null;
    }
    if (out === null) {
      validity ??= fullBitmap(n);
      clearBit(validity, i);
    } else writer.set(i, out);
  }
  return writer.finish(validity);
}

/** The JS value of row i (not NULL). */
export function readRow(c: Column, i: number): RowValue {
  switch (c.type.kind) {
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
      return decimalAsBigInt(c.values as Uint32Array, i);
    case 'string':
      return decoder.decode((c.values as Uint8Array).subarray(c.offsets![i]!, c.offsets![i + 1]!));
    case 'binary':
      return (c.values as Uint8Array).slice(c.offsets![i]!, c.offsets![i + 1]!);
    case 'null':
      return 0;
  }
}

interface ColumnWriter {
  set(i: number, v: RowValue): void;
  finish(validity: Uint8Array | null): Column;
}

/** Collects converted values into a column of `type`. */
export function columnWriter(type: DataType, n: number): ColumnWriter {
  switch (type.kind) {
    case 'boolean': {
      const bits = newBitmap(n);
      return { set: (i, v) => v === true && setBit(bits, i), finish: (val) => makeColumn(type, n, bits, val) };
    }
    case 'int32':
    case 'date': {
      const a = new Int32Array(n);
      return { set: (i, v) => (a[i] = v as number), finish: (val) => makeColumn(type, n, a, val) };
    }
    case 'float64': {
      const a = new Float64Array(n);
      return { set: (i, v) => (a[i] = v as number), finish: (val) => makeColumn(type, n, a, val) };
    }
    case 'int64':
    case 'timestamp': {
      const a = new BigInt64Array(n);
      return { set: (i, v) => (a[i] = v as bigint), finish: (val) => makeColumn(type, n, a, val) };
    }
    case 'decimal': {
      const a = new Uint32Array(4 * n);
      return { set: (i, v) => writeDecimalBigInt(a, i, v as bigint), finish: (val) => makeColumn(type, n, a, val) };
    }
    case 'string':
    case 'binary': {
      const parts: Uint8Array[] = new Array<Uint8Array>(n);
      return {
        set: (i, v) => (parts[i] = typeof v === 'string' ? encoder.encode(v) : (v as Uint8Array)),
        finish: (val) => {
          const offsets = new Int32Array(n + 1);
          for (let i = 0; i < n; i++) offsets[i + 1] = offsets[i]! + (parts[i]?.length ?? 0);
          const bytes = new Uint8Array(offsets[n]!);
          for (let i = 0; i < n; i++) if (parts[i]) bytes.set(parts[i]!, offsets[i]!);
          return makeColumn(type, n, bytes, val, offsets);
        },
      };
    }
    case 'null':
      return { set: () => undefined, finish: () => nullColumn(type, n) };
  }
}

function invalid(value: string, to: DataType): PaylakeError {
  return new PaylakeError('TYPE_ERROR', `[CAST_INVALID_INPUT] the value '${value}' cannot be cast to ${typeName(to)}`);
}

function outOfRange(value: string, to: DataType): PaylakeError {
  return new PaylakeError('OVERFLOW', `[CAST_OVERFLOW] the value ${value} is out of the range of ${typeName(to)}`);
}

/** An exact rational as unscaled BigInt + scale, from decimal text (with optional exponent); null if not a number. */
function parseDecimalText(text: string): { unscaled: bigint; scale: number } | null {
  const m = /^([+-]?)(\d*)(?:\.(\d*))?(?:[eE]([+-]?\d+))?$/.exec(text);
  if (!m || (m[2] === '' && (m[3] ?? '') === '')) return null;
  const digits = `${m[2]}${m[3] ?? ''}`;
  let scale = (m[3] ?? '').length - Number(m[4] ?? 0);
  let unscaled = BigInt(digits || '0');
  if (scale < 0) {
    unscaled *= 10n ** BigInt(-scale);
    scale = 0;
  }
  return { unscaled: m[1] === '-' ? -unscaled : unscaled, scale };
}

function toDecimal(unscaled: bigint, scale: number, to: DecimalType, shown: string): bigint {
  const v = scale > to.scale ? rescale(unscaled, scale, to.scale) : unscaled * pow10Big(to.scale - scale);
  if (v <= -pow10Big(to.precision) || v >= pow10Big(to.precision)) throw decimalOverflowError('CAST', to, shown);
  return v;
}

function integerInRange(v: bigint, to: DataType, shown: string): number | bigint {
  if (to.kind === 'int32') {
    if (v < -2147483648n || v > 2147483647n) throw outOfRange(shown, to);
    return Number(v);
  }
  if (v < MIN64 || v > MAX64) throw outOfRange(shown, to);
  return v;
}

/** Java's Double.toString shape: "1.0", "1.5E10", "1.0E-5", "NaN", "Infinity". */
export function doubleToString(d: number): string {
  if (d !== d) return 'NaN';
  if (d === Infinity) return 'Infinity';
  if (d === -Infinity) return '-Infinity';
  if (d === 0) return Object.is(d, -0) ? '-0.0' : '0.0';
  const abs = Math.abs(d);
  if (abs >= 1e-3 && abs < 1e7) {
    const s = String(d);
    return s.includes('.') ? s : `${s}.0`;
  }
  const [mantissa, exponent] = d.toExponential().split('e') as [string, string];
  return `${mantissa.includes('.') ? mantissa : `${mantissa}.0`}E${exponent.replace('+', '')}`;
}

const DATE_TEXT = /^([+-]?\d{4,})(?:-(\d{1,2})(?:-(\d{1,2})(?:[ T].*)?)?)?$/;

function parseDateText(s: string, to: DataType): number {
  const m = DATE_TEXT.exec(s);
  if (!m) throw invalid(s, to);
  const y = Number(m[1]);
  const mo = Number(m[2] ?? 1);
  const d = Number(m[3] ?? 1);
  const days = daysFromCivil(y, mo, d);
  if (mo < 1 || mo > 12 || d < 1 || d > 31 || formatDate(days) !== `${String(y).padStart(4, '0')}-${String(mo).padStart(2, '0')}-${String(d).padStart(2, '0')}`) {
    throw invalid(s, to);
  }
  return days;
}

const TRUE_TEXT = new Set(['t', 'true', 'y', 'yes', '1']);
const FALSE_TEXT = new Set(['f', 'false', 'n', 'no', '0']);

/** The row converter for a pair of types (throws PaylakeError on invalid input). */
function converter(from: DataType, to: DataType): (v: RowValue) => RowValue | null {
  const fk = from.kind;
  switch (to.kind) {
    case 'string':
      switch (fk) {
        case 'boolean': return (v) => (v ? 'true' : 'false');
        case 'int32':
        case 'int64': return (v) => String(v);
        case 'float64': return (v) => doubleToString(v as number);
        case 'decimal': return (v) => formatUnscaled(v as bigint, (from as DecimalType).scale);
        case 'date': return (v) => formatDate(v as number);
        case 'timestamp': return (v) => formatTimestamp(v as bigint);
        case 'binary': return (v) => decoder.decode(v as Uint8Array);
        default: break;
      }
      break;
    case 'binary':
      if (fk === 'string') return (v) => encoder.encode(v as string);
      break;
    case 'boolean':
      if (fk === 'string') {
        return (v) => {
          const s = (v as string).trim().toLowerCase();
          if (TRUE_TEXT.has(s)) return true;
          if (FALSE_TEXT.has(s)) return false;
          throw invalid(v as string, to);
        };
      }
      if (fk === 'decimal' || fk === 'int64') return (v) => v !== 0n;
      if (fk === 'int32' || fk === 'float64') return (v) => v !== 0;
      break;
    case 'int32':
    case 'int64':
      switch (fk) {
        case 'boolean': return (v) => (to.kind === 'int32' ? (v ? 1 : 0) : v ? 1n : 0n);
        case 'int32':
        case 'int64': return (v) => integerInRange(BigInt(v as number | bigint), to, String(v));
        case 'float64': return (v) => {
          const d = v as number;
          if (!Number.isFinite(d)) throw outOfRange(doubleToString(d), to);
          return integerInRange(BigInt(Math.trunc(d)), to, doubleToString(d));
        };
        case 'decimal': return (v) => {
          // Spark truncates toward zero; ANSI raises when the integer part does not fit.
          const s = (from as DecimalType).scale;
          return integerInRange((v as bigint) / pow10Big(s), to, formatUnscaled(v as bigint, s));
        };
        case 'string': return (v) => {
          // ANSI mode parses with UTF8String.toIntExact/toLongExact, which reject a fractional part
          // ('1.5', even '1.0'); only the legacy non-ANSI cast truncates it.
          const s = (v as string).trim();
          if (!/^[+-]?\d+$/.test(s)) throw invalid(v as string, to);
          return integerInRange(BigInt(s), to, `'${s}'`);
        };
        default: break;
      }
      break;
    case 'float64':
      switch (fk) {
        case 'boolean': return (v) => (v ? 1 : 0);
        case 'decimal': return (v) => Number(formatUnscaled(v as bigint, (from as DecimalType).scale));
        case 'string': return (v) => {
          const s = (v as string).trim();
          const lower = s.toLowerCase();
          if (/^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?[dDfF]?$/.test(s)) return Number(s.replace(/[dDfF]$/, ''));
          if (lower === 'nan') return NaN;
          if (/^[+]?(infinity|inf)$/.test(lower)) return Infinity;
          if (/^-(infinity|inf)$/.test(lower)) return -Infinity;
          throw invalid(v as string, to);
        };
        default: break;
      }
      break;
    case 'decimal': {
      const t = to;
      switch (fk) {
        case 'boolean': return (v) => toDecimal(v ? 1n : 0n, 0, t, String(v));
        case 'int32':
        case 'int64': return (v) => toDecimal(BigInt(v as number | bigint), 0, t, String(v));
        case 'decimal': return (v) => toDecimal(v as bigint, (from as DecimalType).scale, t, formatUnscaled(v as bigint, (from as DecimalType).scale));
        case 'float64': return (v) => {
          const d = v as number;
          if (!Number.isFinite(d)) throw invalid(doubleToString(d), t);
          // Spark goes through the double's shortest decimal text (BigDecimal(d.toString)), then HALF_UP.
          const p = parseDecimalText(String(d))!;
          return toDecimal(p.unscaled, p.scale, t, doubleToString(d));
        };
        case 'string': return (v) => {
          const s = (v as string).trim();
          const p = parseDecimalText(s);
          if (p === null) throw invalid(v as string, t);
          return toDecimal(p.unscaled, p.scale, t, `'${s}'`);
        };
        default: break;
      }
      break;
    }
    case 'date':
      if (fk === 'string') return (v) => parseDateText((v as string).trim(), to);
      if (fk === 'timestamp') return (v) => Number(floorDivMicros(v as bigint, US_PER_DAY)[0]);
      break;
    case 'timestamp':
      if (fk === 'date') return (v) => BigInt(v as number) * US_PER_DAY;
      if (fk === 'timestamp') return (v) => v;
      if (fk === 'string') {
        return (v) => {
          try {
            return parseTimestampLiteral(v as string);
          } catch {
            throw invalid(v as string, to);
          }
        };
      }
      break;
    case 'null':
      break;
  }
  throw new PaylakeError('TYPE_ERROR', `cannot cast ${typeName(from)} to ${typeName(to)}`);
}
