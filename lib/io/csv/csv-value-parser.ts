// Strict, exact parsing of one CSV cell into the value its column type stores (bigint for int64,
// timestamps and decimals; never through a float unless the column is float64).
import { daysFromCivil, isValidCivilDate } from '../../calendar/civil-time.js';
import { PaylakeError } from '../../errors/paylake-error.js';
import type { CsvColumnSpec } from './csv-column-type.js';

/** A parsed cell: number (int32, float64, date days), bigint (int64, timestamp µs, unscaled decimal), boolean or string. */
export type CsvValue = number | bigint | boolean | string;

/** Returned by a value parser for a cell its type does not accept; `why` completes "expected T, got V: why". */
export interface CsvValueError {
  readonly invalid: true;
  readonly why?: string;
}

/** Parses one non-empty cell. */
export type CsvValueParser = (text: string) => CsvValue | CsvValueError;

const INVALID: CsvValueError = { invalid: true };
const INT = /^[+-]?\d+$/;
const FLOAT = /^[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?$/;
const FLOAT_SPECIAL = /^[+-]?(?:nan|inf|infinity)$/i;
const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const TIMESTAMP = /^(\d{4})-(\d{2})-(\d{2})[Tt ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?(?:([Zz])|([+-])(\d{2})(?::?(\d{2}))?)$/;
const DECIMAL = /^([+-])?(\d*)(?:\.(\d*))?$/;
const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;

function parseInt32(text: string): CsvValue | CsvValueError {
  if (!INT.test(text)) return INVALID;
  const v = Number(text);
  return v >= -2147483648 && v <= 2147483647 ? v : { invalid: true, why: 'out of the int32 range' };
}

function parseInt64(text: string): CsvValue | CsvValueError {
  if (!INT.test(text)) return INVALID;
  const v = BigInt(text);
  return v >= INT64_MIN && v <= INT64_MAX ? v : { invalid: true, why: 'out of the int64 range' };
}

function parseFloat64(text: string): CsvValue | CsvValueError {
  if (FLOAT.test(text)) return Number(text);
  if (!FLOAT_SPECIAL.test(text)) return INVALID;
  if (/nan/i.test(text)) return NaN;
  return text.startsWith('-') ? -Infinity : Infinity;
}

function parseBoolean(text: string): CsvValue | CsvValueError {
  const lower = text.toLowerCase();
  if (lower === 'true') return true;
  if (lower === 'false') return false;
  return INVALID;
}

function parseDate(text: string): CsvValue | CsvValueError {
  const m = DATE.exec(text);
  if (!m) return INVALID;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  return isValidCivilDate(y, mo, d) ? daysFromCivil(y, mo, d) : { invalid: true, why: 'no such date' };
}

function parseTimestamp(text: string): CsvValue | CsvValueError {
  const m = TIMESTAMP.exec(text);
  if (!m) {
    return /^\d{4}-\d{2}-\d{2}[Tt ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?$/.test(text) ? { invalid: true, why: 'no zone (add Z or an offset such as +01:00)' } : INVALID;
  }
  const [y, mo, d, h, mi, s] = [1, 2, 3, 4, 5, 6].map((i) => Number(m[i] ?? 0)) as [number, number, number, number, number, number];
  if (!isValidCivilDate(y, mo, d)) return { invalid: true, why: 'no such date' };
  if (h > 23 || mi > 59 || s > 59) return { invalid: true, why: 'no such time of day' };
  const digits = (m[7] ?? '').padEnd(9, '0');
  if (!digits.endsWith('000')) return { invalid: true, why: 'more precise than microseconds' };
  let offsetMinutes = 0;
  if (m[9] !== undefined) {
    const oh = Number(m[10]);
    const om = Number(m[11] ?? 0);
    if (oh > 18 || om > 59) return { invalid: true, why: 'no such zone offset' };
    offsetMinutes = (m[9] === '-' ? -1 : 1) * (oh * 60 + om);
  }
  const seconds = BigInt(daysFromCivil(y, mo, d)) * 86400n + BigInt(h * 3600 + mi * 60 + s - offsetMinutes * 60);
  return seconds * 1_000_000n + BigInt(digits.slice(0, 6));
}

/** Parses `text` as a decimal into its unscaled bigint at `scale`, or says why not (never rounds). */
export function parseDecimal(text: string, precision: number, scale: number): bigint | CsvValueError {
  const m = DECIMAL.exec(text);
  if (!m) return INVALID;
  const intPart = m[2] ?? '';
  const fracPart = m[3] ?? '';
  if (intPart.length === 0 && fracPart.length === 0) return INVALID;
  if (fracPart.length > scale) {
    const extra = fracPart.slice(scale);
    if (!/^0*$/.test(extra)) return { invalid: true, why: `${fracPart.length} fraction digits, more than the scale ${scale} (paylake never rounds on input)` };
  }
  const unscaled = BigInt((intPart || '0') + fracPart.slice(0, scale).padEnd(scale, '0'));
  if (unscaled >= 10n ** BigInt(precision)) return { invalid: true, why: `more than ${precision - scale} integer digits` };
  return m[1] === '-' ? -unscaled : unscaled;
}

/** The parser for cells of `spec`. Strings are taken as they are (no trimming anywhere). */
export function valueParserFor(spec: CsvColumnSpec): CsvValueParser {
  switch (spec.kind) {
    case 'string':
      return (text) => text;
    case 'int32':
      return parseInt32;
    case 'int64':
      return parseInt64;
    case 'float64':
      return parseFloat64;
    case 'boolean':
      return parseBoolean;
    case 'date':
      return parseDate;
    case 'timestamp':
      return parseTimestamp;
    case 'decimal':
      return (text) => parseDecimal(text, spec.precision, spec.scale);
    default: {
      const never: never = spec;
      throw new PaylakeError('INTERNAL', `unhandled CSV column spec ${JSON.stringify(never)}`);
    }
  }
}

/** True when a parser result is a rejection. */
export function isValueError(v: CsvValue | CsvValueError): v is CsvValueError {
  return typeof v === 'object';
}
