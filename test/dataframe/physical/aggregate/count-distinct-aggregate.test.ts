// count(DISTINCT x): exact per group, NULLs not counted, NaN/-0.0 normalised, merged as a set union.
import { describe, expect, it } from 'vitest';
import { HashAggregator } from '../../../../lib/dataframe/physical/aggregate/hash-aggregator.js';
import { types } from '../../../../lib/dataframe/types/data-type.js';
import { aggregateRows, rowsOf, spec, vectorOf } from './aggregate-fixtures.js';

describe('count(DISTINCT x)', () => {
  it('counts distinct non-NULL values per group', () => {
    const rows = aggregateRows([types.string], [spec('count', types.string, true, 'd')], [['a', 'a', 'b', 'a', 'b', 'c']], [['x', 'x', 'x', 'é', null, null]]);
    expect(rows).toEqual([
      ['a', 2n],
      ['b', 1n],
      ['c', 0n],
    ]);
  });

  it('treats -0.0/0.0 and all NaNs as one value each', () => {
    expect(aggregateRows([], [spec('count', types.float64, true)], [], [[0, -0, NaN, NaN, 1, null]])).toEqual([[3n]]);
  });

  it('is exact for decimals and int64 extremes', () => {
    const big = 10n ** 38n - 1n;
    expect(aggregateRows([], [spec('count', types.decimal(38, 0), true)], [], [[big, -big, big, 0n]])).toEqual([[3n]]);
    expect(aggregateRows([], [spec('count', types.int64, true)], [], [[1n << 62n, -(1n << 63n), 1n << 62n]])).toEqual([[2n]]);
  });

  it('unions the sets of partials (a value seen by two workers counts once)', () => {
    const keys = [{ name: 'k', type: types.int32 }];
    const specs = [spec('count', types.string, true, 'd'), spec('count', null, false, 'n')];
    const w1 = new HashAggregator(keys, specs);
    w1.addBatch([vectorOf(types.int32, [1, 1, 2])], [vectorOf(types.string, ['a', 'b', 'a']), null]);
    const w2 = new HashAggregator(keys, specs);
    w2.addBatch([vectorOf(types.int32, [1, 2, 3])], [vectorOf(types.string, ['b', 'c', null]), null]);
    const c = new HashAggregator(keys, specs);
    c.mergeBatch(w2.partialToBatch());
    c.mergeBatch(w1.partialToBatch());
    expect(rowsOf(c.finish())).toEqual([
      [1, 2n, 3n],
      [2, 2n, 2n],
      [3, 0n, 1n],
    ]);
  });
});
