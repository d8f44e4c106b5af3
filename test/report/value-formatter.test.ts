import { Interval, IntervalUnit, Field, Table, makeData, makeVector, vectorFromArray, Utf8, Struct } from 'apache-arrow';
import { describe, expect, it } from 'vitest';
import { PaylakeError } from '../../lib/errors/paylake-error.js';
import {
  daysToIsoDate, epochToIsoTimestamp, formatterFor, integerToJson, scaledToDecimalString, wordsToBigInt,
} from '../../lib/report/value-formatter.js';
import { TimeUnit } from 'apache-arrow';
import { decimalVector, everyTypeTable } from './report-fixtures.js';

function jsonColumn(table: Table, name: string): unknown[] {
  const field = table.schema.fields.find((f) => f.name === name)!;
  const vector = table.getChild(name)!;
  const f = formatterFor(field.type, name);
  const out: unknown[] = [];
  for (const data of vector.data) for (let i = 0; i < data.length; i++) out.push(f.json(data, i));
  return out;
}

describe('value formatter', () => {
  it('keeps integers exact: numbers up to 2^53-1, strings beyond', () => {
    expect(integerToJson(9007199254740991n)).toBe(9007199254740991);
    expect(integerToJson(9007199254740992n)).toBe('9007199254740992');
    expect(integerToJson(-9007199254740991n)).toBe(-9007199254740991);
    expect(integerToJson(-9007199254740992n)).toBe('-9007199254740992');
    const t = everyTypeTable();
    expect(jsonColumn(t, 'i64')).toEqual([9007199254740991, '9007199254740992', null]);
    expect(jsonColumn(t, 'u64')).toEqual(['18446744073709551615', 0, null]);
    expect(jsonColumn(t, 'i32')).toEqual([-7, 2147483647, null]);
  });

  it('renders decimals with their full scale using bigint arithmetic', () => {
    expect(scaledToDecimalString(1250n, 2)).toBe('12.50');
    expect(scaledToDecimalString(-5n, 3)).toBe('-0.005');
    expect(scaledToDecimalString(-1250n, 2)).toBe('-12.50');
    expect(scaledToDecimalString(42n, 0)).toBe('42');
    expect(scaledToDecimalString(0n, 2)).toBe('0.00');
    expect(scaledToDecimalString(12n, -2)).toBe('1200');
    const max38 = 10n ** 38n - 1n;
    const v = decimalVector([max38, -max38, -1n, 0n, null], 38, 10);
    const f = formatterFor(v.type, 'd');
    const data = v.data[0]!;
    expect([0, 1, 2, 3, 4].map((i) => f.json(data, i))).toEqual([
      '9999999999999999999999999999.9999999999',
      '-9999999999999999999999999999.9999999999',
      '-0.0000000001',
      '0.0000000000',
      null,
    ]);
    const scale0 = decimalVector([-123456789012345678901234567890n], 38, 0);
    expect(formatterFor(scale0.type, 'd').text(scale0.data[0]!, 0)).toBe('-123456789012345678901234567890');
    const d256 = decimalVector([-(10n ** 70n)], 76, 4, 256);
    expect(formatterFor(d256.type, 'd').text(d256.data[0]!, 0)).toBe(`-1${'0'.repeat(66)}.0000`);
    expect(wordsToBigInt(Uint32Array.from([0xffffffff, 0xffffffff, 0xffffffff, 0xffffffff]), 0, 4)).toBe(-1n);
  });

  it('renders dates, times, timestamps and durations', () => {
    expect(daysToIsoDate(0n)).toBe('1970-01-01');
    expect(daysToIsoDate(-1n)).toBe('1969-12-31');
    expect(daysToIsoDate(20778n)).toBe('2026-11-21');
    expect(daysToIsoDate(11016n)).toBe('2000-02-29');
    expect(epochToIsoTimestamp(1795256103123456n, TimeUnit.MICROSECOND, true)).toBe('2026-11-21T10:15:03.123456Z');
    expect(epochToIsoTimestamp(-1n, TimeUnit.MICROSECOND, true)).toBe('1969-12-31T23:59:59.999999Z');
    const t = everyTypeTable();
    expect(jsonColumn(t, 'day')).toEqual(['2026-11-21', '1969-12-31', null]);
    expect(jsonColumn(t, 'day64')).toEqual(['2026-11-21', '1969-12-31', null]);
    expect(jsonColumn(t, 'ts_us')).toEqual(['2026-11-21T10:15:03.123456Z', '2026-11-21T10:15:03Z', null]);
    // zone-less (Spark TIMESTAMP_NTZ): wall-clock time, no Z
    expect(jsonColumn(t, 'ts_ms_ntz')).toEqual(['2026-11-21T10:15:03.120000', '1969-12-31T23:59:59.999000', null]);
    // any zone: shown as the instant in UTC
    expect(jsonColumn(t, 'ts_s')).toEqual(['1970-01-01T00:00:00Z', '2026-11-21T10:15:03Z', null]);
    expect(jsonColumn(t, 'ts_ns')).toEqual(['2026-11-21T10:15:03.123456789Z', '2026-11-21T10:15:03.123456Z', null]);
    expect(jsonColumn(t, 'time_us')).toEqual(['10:25:03.123456', '00:00:00', null]);
    expect(jsonColumn(t, 'dur_ms')).toEqual(['PT1.500000S', '-PT2S', null]);
  });

  it('renders floats, booleans, binary, strings and nested values', () => {
    const t = everyTypeTable();
    expect(jsonColumn(t, 'f64')).toEqual([1.5, 'NaN', null]);
    expect(jsonColumn(t, 'f32')).toEqual([0.10000000149011612, '-Infinity', null]);
    const f32 = formatterFor(t.schema.fields.find((f) => f.name === 'f32')!.type, 'f32');
    expect(f32.text(t.getChild('f32')!.data[0]!, 0)).toBe('0.1');
    expect(jsonColumn(t, 'flag')).toEqual([true, false, null]);
    expect(jsonColumn(t, 'bin')).toEqual(['3q2+7w==', '', null]);
    expect(jsonColumn(t, 'fsb')).toEqual(['AQI=', '//4=', null]);
    expect(jsonColumn(t, 'text')).toEqual(['plain', '=SUM(A1)', null]);
    expect(jsonColumn(t, 'tags')).toEqual([['a', 'b'], [], null]);
    expect(jsonColumn(t, 'point')).toEqual([{ x: 1, y: 'p' }, { x: null, y: 'q' }, null]);
    expect(jsonColumn(t, 'attrs')).toEqual([{ k: 1 }, { a: null }, null]);
    expect(jsonColumn(t, 'brand')).toEqual(['VISA', 'MC', null]);
  });

  it('reads sliced chunks at the right offset', () => {
    const v = vectorFromArray(['a', null, 'c', 'd'], new Utf8()).slice(1, 4);
    const f = formatterFor(v.type, 's');
    const data = v.data[0]!;
    expect([0, 1, 2].map((i) => f.json(data, i))).toEqual([null, 'c', 'd']);
    const s = vectorFromArray([{ a: 1 }, { a: 2 }, { a: 3 }], new Struct([new Field('a', new Utf8(), true)])).slice(1);
    expect(formatterFor(s.type, 's').json(s.data[0]!, 0)).toEqual({ a: '2' });
  });

  it('refuses types it cannot render, naming the column', () => {
    const interval = makeVector(makeData({ type: new Interval(IntervalUnit.YEAR_MONTH), length: 1, data: new Int32Array(1) }));
    expect(() => formatterFor(interval.type, 'gap')).toThrowError(PaylakeError);
    expect(() => formatterFor(interval.type, 'gap')).toThrowError(/column gap: Arrow type .*Interval/);
  });
});
