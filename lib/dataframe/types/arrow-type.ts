// Maps between the engine's logical types and Arrow's physical types, at the edges of the engine
// (scans in, results out). Types the engine cannot compute on are named in the error.
import {
  Binary, Bool, DateDay, Decimal, Field as ArrowField, Float64, Int32, Int64, Null, Schema as ArrowSchema, TimestampMicrosecond, Type, Utf8,
} from 'apache-arrow';
import type { DataType as ArrowType } from 'apache-arrow';
import { PaylakeError } from '../../errors/paylake-error.js';
import { types } from './data-type.js';
import type { DataType } from './data-type.js';
import { sparkTypeName } from './spark-type-name.js';
import { schemaOf } from './schema.js';
import type { Schema } from './schema.js';

/** The Arrow type that holds values of a logical type inside the engine. */
export function toArrowType(t: DataType): ArrowType {
  switch (t.kind) {
    case 'null':
      return new Null();
    case 'boolean':
      return new Bool();
    case 'int32':
      return new Int32();
    case 'int64':
      return new Int64();
    case 'float64':
      return new Float64();
    case 'decimal':
      return new Decimal(t.scale, t.precision, 128);
    case 'string':
      return new Utf8();
    case 'binary':
      return new Binary();
    case 'date':
      return new DateDay();
    case 'timestamp':
      return new TimestampMicrosecond(t.timezone);
  }
}

/**
 * The logical type of an Arrow column, widening losslessly where the engine keeps one representation
 * (int8/int16 → int32, uint32 → int64, float32 → float64, ms/s timestamps → µs, large/view strings → string).
 * Throws TYPE_ERROR naming `column` for types that cannot be computed on exactly (uint64, nanosecond
 * timestamps beyond µs, nested types).
 */
export function fromArrowType(t: ArrowType, column: string): DataType {
  const unsupported = (why: string): never => {
    throw new PaylakeError('TYPE_ERROR', `column "${column}" has type ${sparkTypeName(t)}, which ${why}`);
  };
  switch (t.typeId) {
    case Type.Null:
      return types.null;
    case Type.Bool:
      return types.boolean;
    case Type.Int:
    case Type.Int8:
    case Type.Int16:
    case Type.Int32:
    case Type.Int64:
    case Type.Uint8:
    case Type.Uint16:
    case Type.Uint32:
    case Type.Uint64: {
      const { bitWidth, isSigned } = t as ArrowType & { bitWidth: number; isSigned: boolean };
      if (isSigned) return bitWidth <= 32 ? types.int32 : types.int64;
      if (bitWidth <= 16) return types.int32;
      if (bitWidth === 32) return types.int64;
      return unsupported('has no exact signed equivalent; cast it in the producer or select other columns');
    }
    case Type.Float:
    case Type.Float16:
    case Type.Float32:
    case Type.Float64:
      return types.float64;
    case Type.Decimal: {
      const d = t as ArrowType & { precision: number; scale: number };
      if (d.precision > 38) return unsupported('is wider than the 38 digits Spark supports');
      return types.decimal(d.precision, d.scale);
    }
    case Type.Utf8:
    case Type.LargeUtf8:
    case Type.Utf8View:
      return types.string;
    case Type.Binary:
    case Type.LargeBinary:
    case Type.BinaryView:
    case Type.FixedSizeBinary:
      return types.binary;
    case Type.Date:
    case Type.DateDay:
    case Type.DateMillisecond:
      return types.date;
    case Type.Timestamp:
    case Type.TimestampSecond:
    case Type.TimestampMillisecond:
    case Type.TimestampMicrosecond:
    case Type.TimestampNanosecond: {
      const tz = (t as ArrowType & { timezone?: string | null }).timezone;
      // Spark reads any zoned timestamp as an instant; the zone only matters for display.
      return tz ? types.timestamp : types.timestampNtz;
    }
    case Type.Dictionary:
      return fromArrowType((t as ArrowType & { dictionary: ArrowType }).dictionary, column);
    case Type.Time:
    case Type.TimeSecond:
    case Type.TimeMillisecond:
    case Type.TimeMicrosecond:
    case Type.TimeNanosecond:
    case Type.Interval:
    case Type.IntervalDayTime:
    case Type.IntervalYearMonth:
    case Type.IntervalMonthDayNano:
    case Type.Duration:
    case Type.DurationSecond:
    case Type.DurationMillisecond:
    case Type.DurationMicrosecond:
    case Type.DurationNanosecond:
      return unsupported('the engine does not compute on yet; select other columns');
    case Type.List:
    case Type.LargeList:
    case Type.FixedSizeList:
    case Type.Struct:
    case Type.Map:
    case Type.Union:
    case Type.DenseUnion:
    case Type.SparseUnion:
      return unsupported('is nested; the engine computes on flat columns only (use `paylake head` to see it)');
    case Type.NONE:
      return unsupported('is unknown');
  }
}

/** The Arrow schema of an engine schema: each column in its engine representation (toArrowType). */
export function schemaToArrow(schema: Schema): ArrowSchema {
  return new ArrowSchema(schema.fields.map((f) => new ArrowField(f.name, toArrowType(f.type), f.nullable)));
}

/** The engine schema of an Arrow schema (every column must be of a type the engine computes on). */
export function schemaFromArrow(schema: ArrowSchema): Schema {
  return schemaOf(schema.fields.map((f) => ({ name: f.name, type: fromArrowType(f.type, f.name), nullable: f.nullable })));
}
