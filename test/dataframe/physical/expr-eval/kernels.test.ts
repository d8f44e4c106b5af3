import { describe, expect, it } from 'vitest';
import { types } from '../../../../lib/dataframe/types/data-type.js';
import { likeSegments } from '../../../../lib/dataframe/physical/expr-eval/like-kernels.js';
import { batchOf, evalText, typeOfText } from './eval-fixtures.js';

const MAX38 = 10n ** 38n - 1n;

describe('decimal arithmetic', () => {
  const fx = batchOf({
    fee: [types.decimal(18, 2), [1250n, -1n, null, 999999999999999999n]],
    rate: [types.decimal(10, 6), [1500000n, 333333n, 1n, 0n]],
    big: [types.decimal(38, 0), [MAX38, -MAX38, 1n, null]],
  });

  it('adds and multiplies exactly at the result scale', () => {
    expect(evalText('fee + fee', fx)).toEqual([2500n, -2n, null, 1999999999999999998n]);
    expect(evalText('fee * rate', fx)).toEqual([1875000000n, -333333n, null, 0n]);
    expect(evalText('fee - rate', fx).slice(0, 2)).toEqual([11000000n, -343333n]);
  });

  it('divides with HALF_UP at the result scale', () => {
    expect(typeOfText('fee / 3', fx)).toEqual(types.decimal(22, 6));
    expect(evalText('fee / 3', fx)).toEqual([4166667n, -3333n, null, 3333333333333333330000n]);
    expect(() => evalText('fee / 0', fx)).toThrow(/DIVIDE_BY_ZERO/);
  });

  it('raises OVERFLOW when a result exceeds precision 38', () => {
    expect(() => evalText('big + big', fx)).toThrow(/NUMERIC_VALUE_OUT_OF_RANGE|OVERFLOW/);
    expect(() => evalText('big - 1', fx)).toThrow(/NUMERIC_VALUE_OUT_OF_RANGE/);
    expect(evalText('big - 1', batchOf({ big: [types.decimal(38, 0), [MAX38, 1n]] }))).toEqual([MAX38 - 1n, 0n]);
  });

  it('negates and takes abs of negative decimals', () => {
    expect(evalText('-fee', fx)).toEqual([-1250n, 1n, null, -999999999999999999n]);
    expect(evalText('abs(fee)', fx)).toEqual([1250n, 1n, null, 999999999999999999n]);
  });
});

describe('casts (ANSI)', () => {
  const fx = batchOf({
    s: [types.string, ['12', ' -7 ', 'abc', null, '1.5']],
    b: [types.int64, [2n ** 31n, -5n, 0n, null, 9223372036854775807n]],
    d: [types.float64, [1.005, -2.5, NaN, null, 1e20]],
    m: [types.decimal(10, 2), [1250n, -1999n, 0n, null, 5n]],
  });

  it('parses strings strictly; TRY_CAST gives NULL', () => {
    expect(() => evalText('CAST(s AS INT)', fx)).toThrow(/CAST_INVALID_INPUT.*'abc'.*CAST\(s AS INT\)/);
    // ANSI rejects a fractional part in an integer string (non-ANSI Spark would truncate '1.5' to 1).
    expect(evalText('try_cast(s AS INT)', fx)).toEqual([12, -7, null, null, null]);
    expect(() => evalText("CAST('1.5' AS BIGINT)", fx)).toThrow(/CAST_INVALID_INPUT.*'1.5'/);
    expect(() => evalText("CAST('1.0' AS INT)", fx)).toThrow(/CAST_INVALID_INPUT/);
    expect(evalText("CAST('+42' AS INT)", fx)[0]).toBe(42);
    expect(evalText("CAST('2024-02-29' AS DATE)", batchOf({ x: [types.int32, [1]] }))).toEqual([19782]);
    expect(() => evalText("CAST('2023-02-29' AS DATE)", batchOf({ x: [types.int32, [1]] }))).toThrow(/cannot be cast to date/);
    expect(evalText("try_cast(s AS DECIMAL(5,1))", fx)).toEqual([120n, -70n, null, null, 15n]);
  });

  it('raises on narrowing overflow', () => {
    expect(() => evalText('CAST(b AS INT)', fx)).toThrow(/CAST_OVERFLOW/);
    expect(evalText('try_cast(b AS INT)', fx)).toEqual([null, -5, 0, null, null]);
    expect(() => evalText('CAST(d AS BIGINT)', fx)).toThrow(/CAST_OVERFLOW/);
  });

  it('rounds double → decimal HALF_UP from the shortest decimal text, truncates decimal → int', () => {
    expect(evalText('try_cast(d AS DECIMAL(10,2))', fx)).toEqual([101n, -250n, null, null, null]);
    expect(evalText('CAST(m AS INT)', fx)).toEqual([12, -19, 0, null, 0]);
  });

  it('formats values as Spark prints them', () => {
    expect(evalText('CAST(m AS STRING)', fx)).toEqual(['12.50', '-19.99', '0.00', null, '0.05']);
    expect(evalText('CAST(d AS STRING)', fx)).toEqual(['1.005', '-2.5', 'NaN', null, '1.0E20']);
    const t = batchOf({ ts: [types.timestamp, [0n, -1n, 1_500_000n]], dt: [types.date, [0, -1, 19782]] });
    expect(evalText('CAST(ts AS STRING)', t)).toEqual(['1970-01-01 00:00:00', '1969-12-31 23:59:59.999999', '1970-01-01 00:00:01.5']);
    expect(evalText('CAST(dt AS STRING)', t)).toEqual(['1970-01-01', '1969-12-31', '2024-02-29']);
    expect(evalText('CAST(ts AS DATE)', t)).toEqual([0, -1, 0]);
  });
});

describe('strings and LIKE', () => {
  const fx = batchOf({ s: [types.string, ['Straße', 'a_b%c', null, '  pad  ', 'héllo']] });

  it('counts and slices code points like Spark', () => {
    expect(evalText('length(s)', fx)).toEqual([6, 5, null, 7, 5]);
    expect(evalText('substr(s, 2, 3)', fx)).toEqual(['tra', '_b%', null, ' pa', 'éll']);
    expect(evalText('substr(s, -3)', fx)).toEqual(['aße', 'b%c', null, 'd  ', 'llo']);
    expect(evalText('substr(s, 0, 2)', fx)).toEqual(['St', 'a_', null, '  ', 'hé']);
    expect(evalText('trim(s)', fx)).toEqual(['Straße', 'a_b%c', null, 'pad', 'héllo']);
    expect(evalText('upper(s)', fx)[4]).toBe('HÉLLO');
    expect(evalText("concat(s, '!')", fx)[0]).toBe('Straße!');
  });

  it('matches LIKE with %, _ and escapes; ILIKE ignores case', () => {
    expect(evalText("s LIKE 'St%'", fx)).toEqual([true, false, null, false, false]);
    expect(evalText("s LIKE 'a\\_b\\%c'", fx)).toEqual([false, true, null, false, false]);
    expect(evalText("s LIKE 'h_llo'", fx)).toEqual([false, false, null, false, true]);
    expect(evalText("s ILIKE 'STR%'", fx)).toEqual([true, false, null, false, false]);
    expect(evalText("s NOT LIKE '%l%'", fx)).toEqual([true, true, null, true, false]);
  });

  it('matches %-only patterns on bytes exactly as the RegExp path does', () => {
    const rows = ['acme-store-12-eu', 'ab', 'aXbYb', 'b%c', '日本語', '', 'a-b/c', null];
    const t = batchOf({ s: [types.string, rows] });
    const patterns = ['%-eu', 'a%b', 'a%b%b', '%b%b', 'ab%b', '%日本%', '%語', '%', '%%', '', 'b\\%c', '%\\%%', 'a-b/c', '%/%'];
    for (const p of patterns) {
      // ILIKE takes the RegExp path; on these case-free rows it must agree with the byte matcher.
      expect(evalText(`s LIKE '${p}'`, t), p).toEqual(evalText(`s ILIKE '${p}'`, t));
    }
    expect(evalText("s LIKE 'a%b%b'", t)).toEqual([false, false, true, false, false, false, false, null]);
    expect(evalText("s LIKE '%-eu'", t)[0]).toBe(true);
    expect(evalText("s LIKE 'a-b/c'", t)[6]).toBe(true);
    expect(likeSegments('a%b\\%c%', 'test')).toEqual(['a', 'b%c', '']);
    expect(likeSegments('a_b%', 'test')).toBeNull();
    expect(() => evalText("s LIKE 'a\\b'", t)).toThrow(/escape/);
  });

  it('coalesces lazily', () => {
    expect(evalText("coalesce(s, 'none')", fx)[2]).toBe('none');
  });
});

describe('temporal', () => {
  const fx = batchOf({
    ts: [types.timestamp, [0n, -1n, 1_732_240_800_123_456n, null]],
    dt: [types.date, [0, -1, 20048, null]],
  });

  it('extracts parts in UTC, also before the epoch', () => {
    expect(evalText('year(ts)', fx)).toEqual([1970, 1969, 2024, null]);
    expect(evalText('month(ts)', fx)).toEqual([1, 12, 11, null]);
    expect(evalText('day(dt)', fx)).toEqual([1, 31, 21, null]);
    expect(evalText('hour(ts)', fx)).toEqual([0, 23, 2, null]);
  });

  it('truncates (weeks start Monday) and adds intervals exactly', () => {
    expect(evalText("date_trunc('WEEK', ts)", fx)[0]).toBe(-3n * 86_400_000_000n);
    expect(evalText("date_trunc('HOUR', ts)", fx)[1]).toBe(-3_600_000_000n);
    expect(evalText("date_trunc('QUARTER', ts)", fx)[2]).toBe(1_727_740_800_000_000n);
    expect(evalText('ts + INTERVAL 1 SECOND', fx)).toEqual([1_000_000n, 999_999n, 1_732_240_801_123_456n, null]);
    expect(evalText('dt + 1', fx)).toEqual([1, 0, 20049, null]);
    expect(evalText('to_date(ts)', fx)).toEqual([0, -1, 20049, null]);
  });
});

describe('round', () => {
  const fx = batchOf({ m: [types.decimal(10, 3), [1005n, -1005n, 1015n, null]], i: [types.int32, [125, -125, 135, null]], d: [types.float64, [2.5, -2.5, 1.005, null]] });
  it('rounds decimals exactly with each mode and integers to tens', () => {
    expect(evalText('round(m, 2)', fx)).toEqual([101n, -101n, 102n, null]);
    expect(evalText("round(m, 2, 'HALF_EVEN')", fx)).toEqual([100n, -100n, 102n, null]);
    expect(evalText("round(m, 2, 'FLOOR')", fx)).toEqual([100n, -101n, 101n, null]);
    expect(evalText('round(i, -1)', fx)).toEqual([130, -130, 140, null]);
    expect(evalText("round(i, -1, 'HALF_EVEN')", fx)).toEqual([120, -120, 140, null]);
    expect(evalText('round(d, 0)', fx)).toEqual([3, -3, 1, null]);
    expect(evalText('round(d, 2)', fx)[2]).toBe(1.01);
  });
});
