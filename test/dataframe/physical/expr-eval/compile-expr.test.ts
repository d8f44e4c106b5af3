import { describe, expect, it } from 'vitest';
import { types } from '../../../../lib/dataframe/types/data-type.js';
import { int64Arithmetic, negateNumeric } from '../../../../lib/dataframe/physical/expr-eval/arithmetic-kernels.js';
import { makeColumn } from '../../../../lib/dataframe/physical/expr-eval/column.js';
import { batchOf, cellsOf, evalText, selectText } from './eval-fixtures.js';

const MAX64 = 2n ** 63n - 1n;
const MIN64 = -(2n ** 63n);

const fx = batchOf({
  i: [types.int32, [1, -2, null, 2147483647, 0]],
  j: [types.int32, [3, 0, 5, 1, null]],
  b: [types.int64, [10n, MAX64, MIN64, null, -(2n ** 53n) - 1n]],
  c: [types.int64, [1n, 1n, -1n, 2n, 2n]],
  d: [types.float64, [1.5, NaN, null, -0, 2]],
  p: [types.boolean, [true, false, null, true, null]],
  q: [types.boolean, [null, null, null, false, true]],
  s: [types.string, ['APPROVED', 'DECLINED', null, 'APPROVED', 'é']],
});

describe('columns, literals, comparisons', () => {
  it('reads columns and compares with literals, NULL propagating', () => {
    expect(evalText('i', fx)).toEqual([1, -2, null, 2147483647, 0]);
    expect(evalText('i > 0', fx)).toEqual([true, false, null, true, false]);
    expect(evalText('i = j', fx)).toEqual([false, false, null, false, null]);
    expect(evalText('1 < 2', fx)).toEqual([true, true, true, true, true]);
  });

  it('compares int64 extremes exactly', () => {
    expect(evalText('b > 9223372036854775806', fx)).toEqual([false, true, false, null, false]);
    expect(evalText('b < -9007199254740992', fx)).toEqual([false, false, true, null, true]);
    expect(evalText('b >= c', fx)).toEqual([true, true, false, null, false]);
  });

  it('orders NaN above every double and equal to itself, -0 equal to 0', () => {
    expect(evalText('d > 1000', fx)).toEqual([false, true, null, false, false]);
    expect(evalText('d = d', fx)).toEqual([true, true, null, true, true]);
    expect(evalText('d = 0', fx)).toEqual([false, false, null, true, false]);
  });

  it('null-safe equality is never NULL', () => {
    expect(evalText('i <=> j', fx)).toEqual([false, false, false, false, false]);
    expect(evalText('p <=> q', fx)).toEqual([false, false, true, false, false]);
    expect(evalText('i <=> NULL', fx)).toEqual([false, false, true, false, false]);
  });

  it('compares strings by bytes', () => {
    expect(evalText("s = 'APPROVED'", fx)).toEqual([true, false, null, true, false]);
    expect(evalText("s < 'B'", fx)).toEqual([true, false, null, true, false]);
    expect(evalText("s > 'z'", fx)).toEqual([false, false, null, false, true]);
  });
});

describe('boolean logic and null tests', () => {
  it('uses three-valued AND/OR/NOT', () => {
    expect(evalText('p AND q', fx)).toEqual([null, false, null, false, null]);
    expect(evalText('p OR q', fx)).toEqual([true, null, null, true, true]);
    expect(evalText('NOT p', fx)).toEqual([false, true, null, false, null]);
  });

  it('IS NULL and IS NOT NULL are never NULL', () => {
    expect(evalText('i IS NULL', fx)).toEqual([false, false, true, false, false]);
    expect(evalText('s IS NOT NULL', fx)).toEqual([true, true, false, true, true]);
  });

  it('short-circuits AND so guarded rows never raise', () => {
    expect(evalText('j <> 0 AND i % j = 1', fx)).toEqual([true, false, null, false, null]);
    expect(() => evalText('i % j = 1', fx)).toThrow(/DIVIDE_BY_ZERO/);
    expect(evalText('j = 0 OR i % j = 1', fx)).toEqual([true, true, null, false, null]);
  });
});

describe('IN lists', () => {
  it('is NULL when nothing matches and the list holds a NULL', () => {
    expect(evalText('i IN (1, NULL)', fx)).toEqual([true, null, null, null, null]);
    expect(evalText('i NOT IN (1, 2)', fx)).toEqual([false, true, null, true, true]);
    expect(evalText("s IN ('APPROVED', 'é')", fx)).toEqual([true, false, null, true, true]);
  });
});

describe('integer and double arithmetic (ANSI)', () => {
  it('adds, subtracts, multiplies with NULL propagation', () => {
    const small = batchOf({ i: [types.int32, [1, -2, null]], j: [types.int32, [3, 0, 5]] });
    expect(evalText('i + j', small)).toEqual([4, -2, null]);
    expect(evalText('i - j * 2', small)).toEqual([-5, -2, null]);
    expect(evalText('i + b', fx).slice(0, 1)).toEqual([11n]);
  });

  it('raises OVERFLOW on int32 overflow, naming the expression', () => {
    expect(() => evalText('i + j', fx)).toThrow(/ARITHMETIC_OVERFLOW.*\(i \+ j\) overflows int/);
    expect(() => evalText('-i', batchOf({ i: [types.int32, [-2147483648]] }))).toThrow(/overflows int/);
  });

  it('keeps int64 exact beyond 2^53 and raises on overflow', () => {
    const big = batchOf({ a: [types.int64, [2n ** 53n, MAX64 - 1n, MIN64 + 1n, null]], b: [types.int64, [1n, 1n, -1n, 5n]] });
    expect(evalText('a + b', big)).toEqual([2n ** 53n + 1n, MAX64, MIN64, null]);
    expect(evalText('a - b', big)).toEqual([2n ** 53n - 1n, MAX64 - 2n, MIN64 + 2n, null]);
    expect(() => evalText('a + b + b', big)).toThrow(/overflows bigint/);
    expect(evalText('a * 0', big)).toEqual([0n, 0n, 0n, null]);
    expect(() => evalText('a * 2', big)).toThrow(/overflows bigint/);
    expect(() => evalText('-(a - a - 9223372036854775807 - 1)', big)).toThrow(/overflows bigint/);
    expect(evalText('a % 10', big)).toEqual([2n, 6n, -7n, null]);
  });

  it('ignores what NULL slots hold: no overflow or division by zero is raised for them', () => {
    const a = makeColumn(types.int64, 3, BigInt64Array.of(MAX64, 5n, MIN64), Uint8Array.of(0b010, 0, 0, 0, 0, 0, 0, 0));
    const two = makeColumn(types.int64, 1, BigInt64Array.of(2n), null);
    const zero = makeColumn(types.int64, 3, BigInt64Array.of(0n, 3n, 0n), Uint8Array.of(0b010, 0, 0, 0, 0, 0, 0, 0));
    expect(cellsOf(int64Arithmetic('*', a, 1, two, 0, 3, 'a * 2'))).toEqual([null, 10n, null]);
    expect(cellsOf(int64Arithmetic('+', a, 1, a, 1, 3, 'a + a'))).toEqual([null, 10n, null]);
    expect(cellsOf(int64Arithmetic('%', a, 1, zero, 1, 3, 'a % z'))).toEqual([null, 2n, null]);
    expect(cellsOf(negateNumeric(a, '-a'))).toEqual([null, -5n, null]);
  });

  it('follows Java at the int64 edges: MIN % -1 is 0, MIN / -1 overflows', () => {
    const min = makeColumn(types.int64, 1, BigInt64Array.of(MIN64), null);
    const minusOne = makeColumn(types.int64, 1, BigInt64Array.of(-1n), null);
    expect(cellsOf(int64Arithmetic('%', min, 1, minusOne, 1, 1, 'm % -1'))).toEqual([0n]);
    expect(() => int64Arithmetic('/', min, 1, minusOne, 1, 1, 'm div -1')).toThrow(/overflows bigint/);
    expect(() => int64Arithmetic('%', min, 1, makeColumn(types.int64, 1, BigInt64Array.of(0n), null), 1, 1, 'm % 0')).toThrow(
      expect.objectContaining({ code: 'ARITHMETIC', message: expect.stringMatching(/^\[DIVIDE_BY_ZERO\]/) }),
    );
  });

  it('divides integers as doubles and raises on division by zero', () => {
    expect(evalText('i / 2', fx)).toEqual([0.5, -1, null, 1073741823.5, 0]);
    expect(() => evalText('i / j', fx)).toThrow(/DIVIDE_BY_ZERO.*i/);
    expect(() => evalText('d / 0', fx)).toThrow(/DIVIDE_BY_ZERO/);
    expect(evalText('d * 2', fx)).toEqual([3, NaN, null, -0, 4]);
  });

  it('does not raise for NULL operands of a zero divisor', () => {
    const z = batchOf({ x: [types.int64, [null, 4n]], y: [types.int64, [0n, 2n]] });
    expect(evalText('x % y', batchOf({ x: [types.int64, [null]], y: [types.int64, [0n]] }))).toEqual([null]);
    expect(evalText('x / y', z).slice(1)).toEqual([2]);
  });
});

describe('selection vectors', () => {
  it('keeps TRUE rows only and cascades conjuncts', () => {
    expect(selectText('i > 0', fx)).toEqual([0, 3]);
    expect(selectText('i > 0 AND j > 0', fx)).toEqual([0, 3]);
    expect(selectText('p OR q', fx)).toEqual([0, 3, 4]);
    expect(selectText('i > 0', fx, Uint32Array.of(1, 3, 4))).toEqual([3]);
    expect(selectText('NULL', fx)).toEqual([]);
  });

  it('evaluates projections on a selection', () => {
    expect(evalText('i * 2', fx, Uint32Array.of(0, 1))).toEqual([2, -4]);
  });

  it('handles empty batches and all-null columns', () => {
    const empty = batchOf({ a: [types.int64, []] });
    expect(evalText('a + 1', empty)).toEqual([]);
    expect(selectText('a > 1', empty)).toEqual([]);
    const nulls = batchOf({ a: [types.int64, [null, null]], s: [types.string, [null, null]] });
    expect(evalText('a + 1', nulls)).toEqual([null, null]);
    expect(evalText("s = 'x'", nulls)).toEqual([null, null]);
    expect(evalText('s IS NULL', nulls)).toEqual([true, true]);
  });
});

describe('CASE', () => {
  it('takes the first true branch and evaluates branches only where needed', () => {
    expect(evalText("CASE WHEN j = 0 THEN -1 WHEN i > 0 THEN i % j ELSE 0 END", fx)).toEqual([1, -1, 0, 0, 0]);
    expect(evalText('CASE WHEN p THEN 1 END', fx)).toEqual([1, null, null, 1, null]);
  });
});
