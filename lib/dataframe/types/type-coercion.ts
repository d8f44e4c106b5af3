// Spark SQL 3.5 typing rules (ANSI mode) for operators: numeric widening, decimal result precision and
// scale, and the common type of CASE/COALESCE/IN branches. Rules follow Spark's DecimalPrecision and
// TypeCoercion; where Spark would silently cast a string to a number, paylake refuses (STYLE.md rule 5).
import { MAX_DECIMAL_PRECISION, sameType, types } from './data-type.js';
import type { DataType, DecimalType } from './data-type.js';

/** Spark's MINIMUM_ADJUSTED_SCALE: a decimal result whose precision overflows keeps at least this scale. */
const MINIMUM_ADJUSTED_SCALE = 6;

/** The decimal type that holds every value of an integer type (int → decimal(10,0), bigint → decimal(20,0)). */
export function asDecimal(t: DataType): DecimalType | null {
  switch (t.kind) {
    case 'decimal':
      return t;
    case 'int32':
      return types.decimal(10, 0);
    case 'int64':
      return types.decimal(20, 0);
    default:
      return null;
  }
}

/**
 * A decimal type bounded to 38 digits the way Spark bounds it (allowPrecisionLoss=true): the integer
 * digits are kept and the scale shrinks, but not below min(scale, 6).
 */
export function boundedDecimal(precision: number, scale: number): DecimalType {
  if (precision <= MAX_DECIMAL_PRECISION) return types.decimal(precision, scale);
  const intDigits = precision - scale;
  const minScale = Math.min(scale, MINIMUM_ADJUSTED_SCALE);
  const adjusted = Math.max(MAX_DECIMAL_PRECISION - intDigits, minScale);
  return types.decimal(MAX_DECIMAL_PRECISION, adjusted);
}

/** The wider of two numeric types, or null if either is not numeric. int < bigint < decimal < double. */
export function widerNumeric(a: DataType, b: DataType): DataType | null {
  if (a.kind === 'null') return isNumericKind(b) ? b : null;
  if (b.kind === 'null') return isNumericKind(a) ? a : null;
  if (!isNumericKind(a) || !isNumericKind(b)) return null;
  if (a.kind === 'float64' || b.kind === 'float64') return types.float64;
  if (a.kind === 'decimal' || b.kind === 'decimal') {
    const da = asDecimal(a)!;
    const db = asDecimal(b)!;
    const scale = Math.max(da.scale, db.scale);
    const range = Math.max(da.precision - da.scale, db.precision - db.scale);
    return boundedDecimal(range + scale, scale);
  }
  if (a.kind === 'int64' || b.kind === 'int64') return types.int64;
  return types.int32;
}

function isNumericKind(t: DataType): boolean {
  return t.kind === 'int32' || t.kind === 'int64' || t.kind === 'float64' || t.kind === 'decimal';
}

/** Result type of `+`/`-` on decimals (Spark: max scale, max integer digits, plus one carry digit). */
export function decimalAddType(a: DecimalType, b: DecimalType): DecimalType {
  const scale = Math.max(a.scale, b.scale);
  return boundedDecimal(Math.max(a.precision - a.scale, b.precision - b.scale) + scale + 1, scale);
}

/** Result type of `*` on decimals. */
export function decimalMultiplyType(a: DecimalType, b: DecimalType): DecimalType {
  return boundedDecimal(a.precision + b.precision + 1, a.scale + b.scale);
}

/** Result type of `/` on decimals. */
export function decimalDivideType(a: DecimalType, b: DecimalType): DecimalType {
  const scale = Math.max(MINIMUM_ADJUSTED_SCALE, a.scale + b.precision + 1);
  return boundedDecimal(a.precision - a.scale + b.scale + scale, scale);
}

/** Result type of `%` on decimals. */
export function decimalRemainderType(a: DecimalType, b: DecimalType): DecimalType {
  const scale = Math.max(a.scale, b.scale);
  return boundedDecimal(Math.min(a.precision - a.scale, b.precision - b.scale) + scale, scale);
}

/** Result type of sum() over a decimal column: ten more integer digits, as Spark. */
export function decimalSumType(t: DecimalType): DecimalType {
  return types.decimal(Math.min(MAX_DECIMAL_PRECISION, t.precision + 10), t.scale);
}

/**
 * Result type of avg() over a decimal column: four more digits of precision and scale, each capped at 38
 * (Spark's Average uses DecimalType.bounded, not the arithmetic precision-loss rule): avg of
 * decimal(38,10) is decimal(38,14).
 */
export function decimalAvgType(t: DecimalType): DecimalType {
  return types.decimal(Math.min(MAX_DECIMAL_PRECISION, t.precision + 4), Math.min(MAX_DECIMAL_PRECISION, t.scale + 4));
}

/**
 * The common type of values that meet in one column (CASE branches, COALESCE arguments, IN lists, UNION):
 * equal types, NULL with anything, numeric widening, date with timestamp → timestamp. Null when none.
 */
export function commonType(ts: readonly DataType[]): DataType | null {
  let acc: DataType = types.null;
  for (const t of ts) {
    const next = commonOfTwo(acc, t);
    if (next === null) return null;
    acc = next;
  }
  return acc;
}

function commonOfTwo(a: DataType, b: DataType): DataType | null {
  if (sameType(a, b)) return a;
  if (a.kind === 'null') return b;
  if (b.kind === 'null') return a;
  const numeric = widerNumeric(a, b);
  if (numeric) return numeric;
  if (a.kind === 'timestamp' && b.kind === 'timestamp') return types.timestamp;
  if ((a.kind === 'date' && b.kind === 'timestamp') || (a.kind === 'timestamp' && b.kind === 'date')) {
    return a.kind === 'timestamp' ? a : b;
  }
  return null;
}
