// min/max: exact for every type, strings by UTF-8 bytes, NaN greatest, NULL for empty groups.
import { describe, expect, it } from 'vitest';
import { types } from '../../../../lib/dataframe/types/data-type.js';
import type { DataType } from '../../../../lib/dataframe/types/data-type.js';
import { aggregateRows, spec } from './aggregate-fixtures.js';
import type { Cell } from './aggregate-fixtures.js';

function minMax(t: DataType, values: Cell[]): Cell[] {
  return aggregateRows([], [spec('min', t), spec('max', t)], [], [values, values])[0]!;
}

describe('min and max', () => {
  it('handle int64 and timestamp extremes exactly', () => {
    const MAX = (1n << 63n) - 1n;
    const MIN = -(1n << 63n);
    expect(minMax(types.int64, [5n, MAX, null, MIN, -1n])).toEqual([MIN, MAX]);
    expect(minMax(types.int64, [(1n << 53n) + 1n, 1n << 53n])).toEqual([1n << 53n, (1n << 53n) + 1n]);
    expect(minMax(types.timestamp, [1_700_000_000_000_000n, -1n])).toEqual([-1n, 1_700_000_000_000_000n]);
    expect(minMax(types.int64, [-4294967296n, -4294967295n, 4294967295n])).toEqual([-4294967296n, 4294967295n]);
  });

  it('order strings by UTF-8 bytes (so é > z, and 😀 > €)', () => {
    expect(minMax(types.string, ['z', 'é', null, 'Z', 'zz'])).toEqual(['Z', 'é']);
    expect(minMax(types.string, ['€', '😀', 'a'])).toEqual(['a', '😀']);
    expect(minMax(types.string, ['', 'a'])).toEqual(['', 'a']);
  });

  it('treat NaN as the greatest double', () => {
    const [mn, mx] = minMax(types.float64, [1, NaN, -Infinity, null]);
    expect(mn).toBe(-Infinity);
    expect(Number.isNaN(mx)).toBe(true);
    const [onlyNaN] = minMax(types.float64, [NaN]);
    expect(Number.isNaN(onlyNaN)).toBe(true);
    expect(Object.is(minMax(types.float64, [0, -0])[0], -0)).toBe(true);
  });

  it('compare decimals (negative, precision 38), dates and booleans exactly', () => {
    const big = 10n ** 38n - 1n;
    expect(minMax(types.decimal(38, 10), [-big, big, -1n, null])).toEqual(['-9999999999999999999999999999.9999999999', '9999999999999999999999999999.9999999999']);
    expect(minMax(types.decimal(18, 2), [-5n, -500n, 3n])).toEqual(['-5.00', '0.03']);
    expect(minMax(types.date, [19000, -365, 0])).toEqual([-365, 19000]);
    expect(minMax(types.boolean, [true, null, false])).toEqual([false, true]);
  });

  it('are NULL for all-NULL and empty groups', () => {
    expect(minMax(types.string, [null, null])).toEqual([null, null]);
    expect(minMax(types.int32, [])).toEqual([null, null]);
  });

  it('keep the best string across batches and many groups (heap compaction)', () => {
    const keys: Cell[] = [];
    const vals: Cell[] = [];
    for (let i = 0; i < 20_000; i++) {
      keys.push(i % 100);
      vals.push(`v${String(20_000 - i).padStart(6, '0')}`);
    }
    const rows = aggregateRows([types.int32], [spec('min', types.string), spec('max', types.string)], [keys], [vals, vals]);
    expect(rows[0]).toEqual([0, 'v000100', 'v020000']);
    expect(rows[99]).toEqual([99, 'v000001', 'v019901']);
  });
});
