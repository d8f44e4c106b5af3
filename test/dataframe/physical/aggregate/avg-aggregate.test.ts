// avg: double for int/bigint/double (exact integer sum, one division), decimal avg with Spark's types and
// HALF_UP roundings, NULL for empty groups.
import { describe, expect, it } from 'vitest';
import { nearestDoubleOfQuotient, sparkDecimalAverage } from '../../../../lib/dataframe/physical/aggregate/avg-aggregate.js';
import { types } from '../../../../lib/dataframe/types/data-type.js';
import type { DataType } from '../../../../lib/dataframe/types/data-type.js';
import { aggregateRows, spec } from './aggregate-fixtures.js';
import type { Cell } from './aggregate-fixtures.js';

function avg(t: DataType, values: Cell[]): Cell {
  return aggregateRows([], [spec('avg', t)], [], [values])[0]![0]!;
}

describe('avg', () => {
  it('is sum / count as double for integers, NULLs skipped', () => {
    expect(avg(types.int32, [1, 2, null, 4])).toBeCloseTo(7 / 3, 15);
    expect(avg(types.int64, [(1n << 63n) - 1n, (1n << 63n) - 1n])).toBe(9223372036854775807);
    expect(avg(types.int64, [-(1n << 63n), -1n])).toBe(Number(-(1n << 63n) - 1n) / 2);
    expect(avg(types.float64, [0.5, 1.5, null])).toBe(1);
    expect(avg(types.int64, [null])).toBe(null);
    expect(avg(types.float64, [])).toBe(null);
  });

  it('returns decimal(p+4, s+4) rounded HALF_UP for decimals', () => {
    expect(avg(types.decimal(10, 2), [100n, 200n, 201n])).toBe('1.670000'); // 5.01 / 3 = 1.67
    expect(avg(types.decimal(10, 2), [1n, 0n, 0n])).toBe('0.003333');
    expect(avg(types.decimal(10, 2), [2n, 0n, 0n])).toBe('0.006667');
    expect(avg(types.decimal(10, 2), [-2n, 0n, 0n])).toBe('-0.006667');
    expect(avg(types.decimal(10, 8), [1n, 0n])).toBe('0.000000005000');
    // 1/32 = 0.03125: a tie at scale 4 rounds away from zero (HALF_UP, not HALF_EVEN).
    const zeros = Array.from({ length: 31 }, () => 0n);
    expect(avg(types.decimal(2, 0), [1n, ...zeros])).toBe('0.0313');
    expect(avg(types.decimal(2, 0), [-1n, ...zeros])).toBe('-0.0313');
    expect(avg(types.decimal(2, 0), [1n, 0n, 0n, 0n, 0n, 0n, 0n, 0n])).toBe('0.1250');
  });

  it('handles precision 38 inputs (bounded result type)', () => {
    // avg(decimal(38,10)) is decimal(38,14) (Spark's DecimalType.bounded): 24 integer digits still fit...
    const fits = 10n ** 33n;
    expect(avg(types.decimal(38, 10), [fits, fits])).toBe('100000000000000000000000.00000000000000');
    // ...28 do not, and ANSI Spark raises rather than returning a wrong value.
    const big = 10n ** 37n;
    expect(() => avg(types.decimal(38, 10), [big, big])).toThrow(/does not fit decimal\(38,14\)/);
  });

  it('raises OVERFLOW when the exact sum does not fit the sum type, as Spark ANSI does', () => {
    const max = 10n ** 38n - 1n;
    expect(() => avg(types.decimal(38, 10), [max, max])).toThrow(/OVERFLOW|does not fit decimal\(38,10\)/);
    const big = 10n ** 37n - 1n;
    expect(() => avg(types.decimal(37, 0), Array.from({ length: 11 }, () => big))).toThrow(/sum .* does not fit decimal\(38,0\)/);
    // The sum fits decimal(38,0) but the average does not fit decimal(38,4).
    expect(() => avg(types.decimal(37, 0), [big, big])).toThrow(/average .* does not fit decimal\(38,4\)/);
  });

  it('rounds like Spark 3.5: scale-39 division, then once HALF_UP to the avg scale', () => {
    const t = types.decimal(18, 2);
    expect(sparkDecimalAverage(100n, 3n, t)).toBe(333333n);
    expect(sparkDecimalAverage(-100n, 3n, t)).toBe(-333333n);
    expect(sparkDecimalAverage(200n, 3n, t)).toBe(666667n);
    // 1/8 of 0.01 = 0.00125 → 0.001250 exactly.
    expect(sparkDecimalAverage(1n, 8n, t)).toBe(1250n);
    // 1.00 / 2000001 = 0.00000049999975…: rounding first to the Divide's scale 12 (0.000000500000) and then
    // to 6 would give 0.000001, as Spark 3.2 did; Spark 3.5 rounds once and gives 0.000000.
    expect(sparkDecimalAverage(100n, 2000001n, t)).toBe(0n);
    expect(sparkDecimalAverage(-100n, 2000001n, t)).toBe(0n);
  });
});

describe('nearestDoubleOfQuotient', () => {
  it('rounds the exact quotient once (Number(sum) / count would round twice)', () => {
    // -3207081958447516503 / 1712 = -1873295536476353.0975…: nearest double is …353, not …353.25.
    expect(nearestDoubleOfQuotient(-3207081958447516503n, 1712n)).toBe(-1873295536476353);
    expect(Number(-3207081958447516503n) / 1712).not.toBe(-1873295536476353);
    expect(nearestDoubleOfQuotient(1n, 3n)).toBe(1 / 3);
    expect(nearestDoubleOfQuotient(-(1n << 80n), 1n)).toBe(-(2 ** 80));
    expect(nearestDoubleOfQuotient((1n << 63n) - 1n, 1n)).toBe(2 ** 63);
    expect(nearestDoubleOfQuotient(0n, 5n)).toBe(0);
  });
});
