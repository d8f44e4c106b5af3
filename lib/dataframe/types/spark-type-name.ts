// Names Arrow types the way Spark SQL 3.5 prints them (`bigint`, `decimal(18,2)`, `array<string>`),
// so `paylake schema`, error messages and the Spark compiler speak one vocabulary.
import { Null, Type } from 'apache-arrow';
import type { DataType } from 'apache-arrow';
import type { Field } from 'apache-arrow';

/**
 * The Spark SQL name of an Arrow type. Types Spark has no name for keep an explicit marker
 * (`uint64 (unsigned)`) rather than a misleading Spark name.
 * @example sparkTypeName(new Int64()) // 'bigint'
 */
export function sparkTypeName(type: DataType): string {
  switch (type.typeId) {
    case Type.Null:
      return 'void';
    case Type.Bool:
      return 'boolean';
    case Type.Int:
    case Type.Int8:
    case Type.Int16:
    case Type.Int32:
    case Type.Int64:
    case Type.Uint8:
    case Type.Uint16:
    case Type.Uint32:
    case Type.Uint64:
      return intName(type as DataType & { bitWidth: number; isSigned: boolean });
    case Type.Float:
    case Type.Float16:
    case Type.Float32:
    case Type.Float64:
      return (type as DataType & { precision: number }).precision === 2 ? 'double' : 'float';
    case Type.Utf8:
    case Type.LargeUtf8:
    case Type.Utf8View:
      return 'string';
    case Type.Binary:
    case Type.LargeBinary:
    case Type.BinaryView:
    case Type.FixedSizeBinary:
      return 'binary';
    case Type.Decimal: {
      const d = type as DataType & { precision: number; scale: number };
      return `decimal(${d.precision},${d.scale})`;
    }
    case Type.Date:
    case Type.DateDay:
    case Type.DateMillisecond:
      return 'date';
    case Type.Timestamp:
    case Type.TimestampSecond:
    case Type.TimestampMillisecond:
    case Type.TimestampMicrosecond:
    case Type.TimestampNanosecond: {
      // Spark: TIMESTAMP is instant semantics (zone-adjusted), TIMESTAMP_NTZ is wall-clock.
      const tz = (type as DataType & { timezone?: string | null }).timezone;
      return tz ? 'timestamp' : 'timestamp_ntz';
    }
    case Type.Time:
    case Type.TimeSecond:
    case Type.TimeMillisecond:
    case Type.TimeMicrosecond:
    case Type.TimeNanosecond:
      return 'time';
    case Type.List:
    case Type.LargeList:
    case Type.FixedSizeList:
      return `array<${sparkTypeName(childType(type, 0))}>`;
    case Type.Struct:
      return `struct<${(type.children as Field[]).map((f) => `${f.name}:${sparkTypeName(f.type)}`).join(',')}>`;
    case Type.Map: {
      const entries = childType(type, 0);
      return `map<${sparkTypeName(childType(entries, 0))},${sparkTypeName(childType(entries, 1))}>`;
    }
    case Type.Dictionary:
      return sparkTypeName((type as DataType & { dictionary: DataType }).dictionary);
    case Type.Interval:
    case Type.IntervalDayTime:
    case Type.IntervalYearMonth:
    case Type.IntervalMonthDayNano:
      return 'interval';
    case Type.Duration:
    case Type.DurationSecond:
    case Type.DurationMillisecond:
    case Type.DurationMicrosecond:
    case Type.DurationNanosecond:
      return 'interval day to second';
    case Type.Union:
    case Type.DenseUnion:
    case Type.SparseUnion:
      return 'union';
    case Type.NONE:
      return 'unknown';
  }
}

function intName(t: { bitWidth: number; isSigned: boolean }): string {
  const signed = { 8: 'tinyint', 16: 'smallint', 32: 'int', 64: 'bigint' }[t.bitWidth] ?? `int${t.bitWidth}`;
  return t.isSigned ? signed : `uint${t.bitWidth} (unsigned)`;
}

function childType(type: DataType, i: number): DataType {
  const child = (type.children as Field[] | undefined)?.[i];
  if (!child) return new Null();
  return child.type;
}
