// sum(): exact int64 at the ±2^63 boundaries (OVERFLOW beyond, naming the aggregate), exact decimals up
// to precision 38, Spark result types, NULL for empty/all-NULL groups, float sums.
import { describe, expect, it } from 'vitest';
import { HashAggregator } from '../../../../lib/dataframe/physical/aggregate/hash-aggregator.js';
import { isPaylakeError } from '../../../../lib/errors/paylake-error.js';
import { types } from '../../../../lib/dataframe/types/data-type.js';
import type { DataType } from '../../../../lib/dataframe/types/data-type.js';
import { aggregateRows, rowsOf, spec, vectorOf } from './aggregate-fixtures.js';
import type { Cell } from './aggregate-fixtures.js';

const MAX = (1n << 63n) - 1n;
const MIN = -(1n << 63n);

function globalSum(t: DataType, values: Cell[]): Cell {
  return aggregateRows([], [spec('sum', t)], [], [values])[0]![0]!;
}

function overflowOf(f: () => unknown): string {
  try {
    f();
  } catch (e) {
    if (isPaylakeError(e, 'OVERFLOW')) return e.message;
    throw e;
  }
  throw new Error('no OVERFLOW');
}

describe('sum of int64', () => {
  it('is exact at the int64 limits', () => {
    expect(globalSum(types.int64, [MAX])).toBe(MAX);
    expect(globalSum(types.int64, [MIN])).toBe(MIN);
    expect(globalSum(types.int64, [MAX, MIN])).toBe(-1n);
    expect(globalSum(types.int64, [MAX - 10n, 4n, 6n])).toBe(MAX);
    expect(globalSum(types.int64, [MIN + 10n, -4n, -6n])).toBe(MIN);
    // Intermediate totals beyond int64 are fine when the final total fits (deterministic, order-free).
    expect(globalSum(types.int64, [MAX, MAX, MIN, MIN, 5n])).toBe(3n);
  });

  it('is exact around 2^52 and 2^53, where a plain double sum would round', () => {
    const p53 = 1n << 53n;
    expect(globalSum(types.int64, [p53, 1n, 1n, 1n])).toBe(p53 + 3n);
    expect(globalSum(types.int64, [(1n << 52n) - 1n, (1n << 52n) - 1n, 3n])).toBe((1n << 53n) + 1n);
    const many = Array.from({ length: 5000 }, (_, i) => (i % 2 === 0 ? (1n << 52n) + BigInt(i) : -(1n << 51n) - 7n));
    expect(globalSum(types.int64, many)).toBe(many.reduce((a, b) => (a as bigint) + (b as bigint), 0n));
    const mixed = [MAX / 3n, -(MAX / 5n), 123456789n, -(1n << 62n), (1n << 61n) + 17n, -1n];
    expect(globalSum(types.int64, mixed)).toBe(mixed.reduce((a, b) => (a as bigint) + (b as bigint), 0n));
  });

  it('raises OVERFLOW naming the aggregate when the exact total leaves int64', () => {
    expect(overflowOf(() => globalSum(types.int64, [MAX, 1n]))).toMatch(/aggregate "sum".*9223372036854775808.*bigint/);
    expect(overflowOf(() => globalSum(types.int64, [MIN, -1n]))).toMatch(/-9223372036854775809/);
    expect(overflowOf(() => globalSum(types.int64, [MAX, MAX, MAX]))).toMatch(/27670116110564327421/);
  });

  it('raises OVERFLOW when partials merged on the coordinator overflow', () => {
    const keys = [{ name: 'k', type: types.int32 }];
    const specs = [spec('sum', types.int64, false, 'total')];
    const a = new HashAggregator(keys, specs);
    a.addBatch([vectorOf(types.int32, [1, 2])], [vectorOf(types.int64, [MAX, 5n])]);
    const b = new HashAggregator(keys, specs);
    b.addBatch([vectorOf(types.int32, [1])], [vectorOf(types.int64, [1n])]);
    const c = new HashAggregator(keys, specs);
    c.mergeBatch(a.partialToBatch());
    c.mergeBatch(b.partialToBatch());
    expect(overflowOf(() => c.finish())).toMatch(/aggregate "total"/);
  });

  it('sums int32 into bigint and is NULL for empty and all-NULL groups', () => {
    const rows = aggregateRows([types.string], [spec('sum', types.int32), spec('sum', types.int64, false, 's64')], [['a', 'b', 'a', 'b']], [[2147483647, null, 2147483647, null], [null, null, -3n, null]]);
    expect(rows).toEqual([
      ['a', 4294967294n, -3n],
      ['b', null, null],
    ]);
    expect(aggregateRows([], [spec('sum', types.int64)], [], [[]])).toEqual([[null]]);
  });
});

describe('sum of decimal', () => {
  it('returns decimal(p+10, s), exact for negatives', () => {
    const agg = new HashAggregator([], [spec('sum', types.decimal(10, 2))]);
    agg.addBatch([], [vectorOf(types.decimal(10, 2), [-150n, 25n, null, -1n])]);
    const out = agg.finish();
    expect(String(out.schema.fields[0]!.type)).toBe('Decimal[20e+2]');
    expect(rowsOf(out)).toEqual([['-1.26']]);
  });

  it('is exact at precision 38 and raises OVERFLOW beyond it', () => {
    const big = 10n ** 38n - 1n;
    expect(globalSum(types.decimal(38, 4), [big, -big, big])).toBe('9999999999999999999999999999999999.9999');
    expect(globalSum(types.decimal(38, 4), [-big, 1n])).toBe('-9999999999999999999999999999999999.9998');
    expect(overflowOf(() => globalSum(types.decimal(38, 4), [big, 1n]))).toMatch(/decimal\(38,4\)/);
    // decimal(28,0) sums into decimal(38,0): 10^38 - 1 fits, 10^38 does not.
    const d28 = 10n ** 28n - 1n;
    const tenBillion = Array.from({ length: 10 }, () => d28);
    expect(globalSum(types.decimal(28, 0), tenBillion)).toBe((10n * d28).toString());
  });
});

describe('sum of double', () => {
  it('returns double, NULL when empty, and keeps small errors compensated', () => {
    expect(globalSum(types.float64, [0.5, 0.25, null, -1])).toBe(-0.25);
    expect(globalSum(types.float64, [null])).toBe(null);
    expect(globalSum(types.float64, [1e16, 1, -1e16])).toBe(1);
    expect(globalSum(types.float64, [Infinity, 1])).toBe(Infinity);
    expect(Number.isNaN(globalSum(types.float64, [Infinity, -Infinity]))).toBe(true);
  });
});
