import { describe, expect, it } from 'vitest';
import {
  DateDay, Decimal, Field, Float32, Int16, Int64, List, TimestampMillisecond, TimestampMicrosecond, Uint32, Uint64, Utf8,
} from 'apache-arrow';
import { fromArrowType, toArrowType } from '../../../lib/dataframe/types/arrow-type.js';
import { sameType, typeName, types } from '../../../lib/dataframe/types/data-type.js';
import type { DataType } from '../../../lib/dataframe/types/data-type.js';

describe('logical ↔ Arrow types', () => {
  it('round-trips every logical type', () => {
    const all: DataType[] = [
      types.null, types.boolean, types.int32, types.int64, types.float64, types.string, types.binary, types.date,
      types.timestamp, types.timestampNtz, types.decimal(18, 2), types.decimal(38, 0),
    ];
    for (const t of all) expect(sameType(fromArrowType(toArrowType(t), 'c'), t), typeName(t)).toBe(true);
  });

  it('widens losslessly', () => {
    expect(fromArrowType(new Int16(), 'c')).toEqual(types.int32);
    expect(fromArrowType(new Uint32(), 'c')).toEqual(types.int64);
    expect(fromArrowType(new Float32(), 'c')).toEqual(types.float64);
    expect(fromArrowType(new TimestampMillisecond('UTC'), 'c')).toEqual(types.timestamp);
    expect(fromArrowType(new TimestampMicrosecond(), 'c')).toEqual(types.timestampNtz);
    expect(fromArrowType(new DateDay(), 'c')).toEqual(types.date);
    expect(fromArrowType(new Decimal(2, 18, 128), 'c')).toEqual(types.decimal(18, 2));
    expect(fromArrowType(new Int64(), 'c')).toEqual(types.int64);
  });

  it('refuses types it cannot compute on exactly, naming the column', () => {
    expect(() => fromArrowType(new Uint64(), 'n')).toThrow(/column "n" has type uint64/);
    expect(() => fromArrowType(new List(new Field('item', new Utf8())), 'tags')).toThrow(/"tags".*nested/);
  });

  it('validates decimal parameters', () => {
    expect(() => types.decimal(39, 0)).toThrow(RangeError);
    expect(() => types.decimal(5, 6)).toThrow(RangeError);
  });
});
