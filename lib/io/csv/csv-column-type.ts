// The column types a CSV reader can produce, how users spell them, and the Arrow type each becomes.
import type { DataType } from 'apache-arrow';
import { toArrowType } from '../../dataframe/types/arrow-type.js';
import { types } from '../../dataframe/types/data-type.js';
import type { DataType as LogicalType } from '../../dataframe/types/data-type.js';
import { PaylakeError } from '../../errors/paylake-error.js';

/**
 * A CSV column type as users declare it: `string`, `int32`, `int64`, `float64`, `boolean`,
 * `date` (YYYY-MM-DD → DateDay), `timestamp` (ISO 8601 with Z or an offset → Timestamp µs UTC) or
 * `decimal(p,s)` (exact, 1 ≤ p ≤ 38, 0 ≤ s ≤ p → Decimal128).
 */
export type CsvColumnType = 'string' | 'int32' | 'int64' | 'float64' | 'boolean' | 'date' | 'timestamp' | `decimal(${number},${number})`;

/** A parsed CsvColumnType. */
export type CsvColumnSpec =
  | { readonly kind: 'string' | 'int32' | 'int64' | 'float64' | 'boolean' | 'date' | 'timestamp' }
  | { readonly kind: 'decimal'; readonly precision: number; readonly scale: number };

const SIMPLE = new Set(['string', 'int32', 'int64', 'float64', 'boolean', 'date', 'timestamp']);

/** Parses a declared type; PaylakeError('USAGE') naming the column for anything else. */
export function parseCsvColumnType(type: string, column: string): CsvColumnSpec {
  if (SIMPLE.has(type)) return { kind: type as 'string' };
  const m = /^decimal\(\s*(\d+)\s*,\s*(\d+)\s*\)$/.exec(type);
  if (m) {
    const precision = Number(m[1]);
    const scale = Number(m[2]);
    if (precision >= 1 && precision <= 38 && scale <= precision) return { kind: 'decimal', precision, scale };
  }
  throw new PaylakeError(
    'USAGE',
    `column ${column}: unknown column type "${type}"; use string, int32, int64, float64, boolean, date, timestamp or decimal(p,s) with 1 <= p <= 38, s <= p`,
  );
}

/** The user spelling of a spec, for messages and schema display. */
export function csvColumnTypeName(spec: CsvColumnSpec): CsvColumnType {
  return spec.kind === 'decimal' ? `decimal(${spec.precision},${spec.scale})` : spec.kind;
}

/** The engine type a column of this spec is read into (a CSV timestamp carries a zone: an instant, UTC). */
export function logicalTypeOf(spec: CsvColumnSpec): LogicalType {
  switch (spec.kind) {
    case 'decimal':
      return types.decimal(spec.precision, spec.scale);
    case 'timestamp':
      return types.timestamp;
    default:
      return types[spec.kind];
  }
}

/** The Arrow type a column of this spec is read into. */
export function arrowTypeOf(spec: CsvColumnSpec): DataType {
  return toArrowType(logicalTypeOf(spec));
}
