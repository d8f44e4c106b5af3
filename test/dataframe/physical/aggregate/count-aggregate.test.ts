// count(*) counts rows (NULLs included), count(x) non-NULL values; both are 0, never NULL, for empty groups.
import { describe, expect, it } from 'vitest';
import { types } from '../../../../lib/dataframe/types/data-type.js';
import { aggregateRows, spec } from './aggregate-fixtures.js';

describe('count', () => {
  it('counts rows with count(*) and non-NULL values with count(x)', () => {
    const rows = aggregateRows([types.string], [spec('count', null, false, 'n'), spec('count', types.float64, false, 'nx')], [['a', 'a', null, 'a']], [null, [1, null, NaN, null]]);
    expect(rows).toEqual([
      [null, 1n, 1n],
      ['a', 3n, 1n],
    ]);
  });

  it('gives one row of 0 for a global count over no rows, and counts without any vector', () => {
    expect(aggregateRows([], [spec('count', null), spec('count', types.int64, false, 'c')], [], [null, []], 0)).toEqual([[0n, 0n]]);
    expect(aggregateRows([], [spec('count', null)], [], [null], 5)).toEqual([[5n]]);
  });

  it('counts a NULL-typed argument as 0', () => {
    expect(aggregateRows([], [spec('count', types.null)], [], [[null, null]])).toEqual([[0n]]);
  });
});
