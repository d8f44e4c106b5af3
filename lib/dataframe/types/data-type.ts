// The engine's logical types: a small readonly union that plans, the optimizer and the Spark compiler
// share. Physical layout is Arrow's; `arrow-type.ts` maps between the two at the edges.

/** Signed integers. int64 values are bigint in JavaScript; nothing narrows them silently. */
export interface IntegerType {
  readonly kind: 'int32' | 'int64';
}

/** An exact decimal: a scaled integer with at most 38 digits, as Spark's DecimalType. */
export interface DecimalType {
  readonly kind: 'decimal';
  readonly precision: number;
  readonly scale: number;
}

/** An instant in microseconds since the epoch (`timestamp`, zone UTC) or a wall-clock time (`timestamp_ntz`). */
export interface TimestampType {
  readonly kind: 'timestamp';
  /** `UTC` for Spark's TIMESTAMP (instant); null for TIMESTAMP_NTZ. */
  readonly timezone: 'UTC' | null;
}

/** Types without parameters. */
export interface SimpleType {
  readonly kind: 'null' | 'boolean' | 'float64' | 'string' | 'binary' | 'date';
}

/** Everything a column or expression can be. */
export type DataType = SimpleType | IntegerType | DecimalType | TimestampType;

/** The tag of a DataType. */
export type TypeKind = DataType['kind'];

/** Spark's largest decimal precision. */
export const MAX_DECIMAL_PRECISION = 38;

/** Constructors for the logical types, so call sites read like a schema. */
export const types = {
  null: { kind: 'null' } as const satisfies DataType,
  boolean: { kind: 'boolean' } as const satisfies DataType,
  int32: { kind: 'int32' } as const satisfies DataType,
  int64: { kind: 'int64' } as const satisfies DataType,
  float64: { kind: 'float64' } as const satisfies DataType,
  string: { kind: 'string' } as const satisfies DataType,
  binary: { kind: 'binary' } as const satisfies DataType,
  date: { kind: 'date' } as const satisfies DataType,
  timestamp: { kind: 'timestamp', timezone: 'UTC' } as const satisfies DataType,
  timestampNtz: { kind: 'timestamp', timezone: null } as const satisfies DataType,
  /** @example types.decimal(18, 2) */
  decimal(precision: number, scale: number): DecimalType {
    if (!Number.isInteger(precision) || precision < 1 || precision > MAX_DECIMAL_PRECISION) {
      throw new RangeError(`decimal precision must be 1..${MAX_DECIMAL_PRECISION}, got ${precision}`);
    }
    if (!Number.isInteger(scale) || scale < 0 || scale > precision) {
      throw new RangeError(`decimal scale must be 0..precision (${precision}), got ${scale}`);
    }
    return { kind: 'decimal', precision, scale };
  },
};

/** Structural equality of two types. */
export function sameType(a: DataType, b: DataType): boolean {
  switch (a.kind) {
    case 'decimal':
      return b.kind === 'decimal' && a.precision === b.precision && a.scale === b.scale;
    case 'timestamp':
      return b.kind === 'timestamp' && a.timezone === b.timezone;
    default:
      return a.kind === b.kind;
  }
}

/** Whether values of the type are numbers in SQL's sense (arithmetic applies). */
export function isNumeric(t: DataType): boolean {
  return t.kind === 'int32' || t.kind === 'int64' || t.kind === 'float64' || t.kind === 'decimal';
}

/** The type as Spark SQL writes it: `bigint`, `decimal(18,2)`, `timestamp`. */
export function typeName(t: DataType): string {
  switch (t.kind) {
    case 'null':
      return 'void';
    case 'boolean':
      return 'boolean';
    case 'int32':
      return 'int';
    case 'int64':
      return 'bigint';
    case 'float64':
      return 'double';
    case 'decimal':
      return `decimal(${t.precision},${t.scale})`;
    case 'string':
      return 'string';
    case 'binary':
      return 'binary';
    case 'date':
      return 'date';
    case 'timestamp':
      return t.timezone ? 'timestamp' : 'timestamp_ntz';
  }
}
