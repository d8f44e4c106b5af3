import { describe, expect, it } from 'vitest';
import {
  Bool, DateDay, Decimal, Dictionary, Field, Float32, Float64, Int16, Int32, Int64, Int8, List, Map_, Struct,
  TimestampMicrosecond, Uint64, Utf8, Binary,
} from 'apache-arrow';
import { sparkTypeName } from '../../../lib/dataframe/types/spark-type-name.js';

describe('sparkTypeName', () => {
  it('names primitive types as Spark SQL 3.5 prints them', () => {
    expect(sparkTypeName(new Int8())).toBe('tinyint');
    expect(sparkTypeName(new Int16())).toBe('smallint');
    expect(sparkTypeName(new Int32())).toBe('int');
    expect(sparkTypeName(new Int64())).toBe('bigint');
    expect(sparkTypeName(new Float32())).toBe('float');
    expect(sparkTypeName(new Float64())).toBe('double');
    expect(sparkTypeName(new Bool())).toBe('boolean');
    expect(sparkTypeName(new Utf8())).toBe('string');
    expect(sparkTypeName(new Binary())).toBe('binary');
    expect(sparkTypeName(new DateDay())).toBe('date');
    expect(sparkTypeName(new Decimal(2, 18, 128))).toBe('decimal(18,2)');
  });

  it('distinguishes zoned timestamps from wall-clock ones', () => {
    expect(sparkTypeName(new TimestampMicrosecond('UTC'))).toBe('timestamp');
    expect(sparkTypeName(new TimestampMicrosecond())).toBe('timestamp_ntz');
  });

  it('marks unsigned integers instead of pretending Spark has them', () => {
    expect(sparkTypeName(new Uint64())).toBe('uint64 (unsigned)');
  });

  it('names nested and dictionary types', () => {
    expect(sparkTypeName(new List(new Field('item', new Utf8())))).toBe('array<string>');
    expect(sparkTypeName(new Struct([new Field('a', new Int32()), new Field('b', new Utf8())]))).toBe(
      'struct<a:int,b:string>',
    );
    const entries = new Field('entries', new Struct([new Field('key', new Utf8(), false), new Field('value', new Int64())]), false);
    expect(sparkTypeName(new Map_(entries))).toBe('map<string,bigint>');
    expect(sparkTypeName(new Dictionary(new Utf8(), new Int32()))).toBe('string');
  });
});
