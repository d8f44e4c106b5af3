// The window kernel on small hand-checked tables: every function, ROWS and RANGE frames (numeric,
// descending, decimal and the 10-minute interval frame on timestamps), peers, NULL partition and order
// keys, partitions spanning batches, empty frames and empty input, exact and overflowing sums.
import { Field as ArrowField, RecordBatch, Schema as ArrowSchema, Struct, makeData } from 'apache-arrow';
import { describe, expect, it } from 'vitest';
import { analyzeExpr } from '../../../../lib/dataframe/expr/analyze-expr.js';
import type { WindowCallNode } from '../../../../lib/dataframe/expr/nodes/window-call-node.js';
import { parseExpression } from '../../../../lib/dataframe/expr/parser/parse-expression.js';
import { evaluateWindows } from '../../../../lib/dataframe/physical/window/window-evaluator.js';
import { toArrowType } from '../../../../lib/dataframe/types/arrow-type.js';
import { types } from '../../../../lib/dataframe/types/data-type.js';
import { schemaOf } from '../../../../lib/dataframe/types/schema.js';
import type { Field, Schema } from '../../../../lib/dataframe/types/schema.js';
import { isPaylakeError } from '../../../../lib/errors/paylake-error.js';
import { rowsOf, vectorOf } from '../aggregate/aggregate-fixtures.js';
import type { Cell } from '../aggregate/aggregate-fixtures.js';

/** Batches of `rows` (already sorted) cut after the given sizes, so partitions span batch boundaries. */
function batchesOf(schema: Schema, rows: readonly Cell[][], sizes: readonly number[] = []): RecordBatch[] {
  const arrow = new ArrowSchema(schema.fields.map((f) => new ArrowField(f.name, toArrowType(f.type), true)));
  const out: RecordBatch[] = [];
  let start = 0;
  for (const size of [...sizes, Math.max(0, rows.length - sizes.reduce((a, b) => a + b, 0))]) {
    const part = rows.slice(start, start + size);
    start += size;
    const children = schema.fields.map((f, c) => vectorOf(f.type, part.map((r) => r[c]!)).data[0]!);
    out.push(new RecordBatch(arrow, makeData({ type: new Struct(arrow.fields), length: part.length, nullCount: 0, children })));
  }
  return out;
}

/** Runs the window calls (SQL text) over the batches and returns the appended columns, one array per call. */
function windows(schema: Schema, batches: readonly RecordBatch[], calls: readonly string[]): Cell[][] {
  const analyzed = calls.map((text) => analyzeExpr(parseExpression(text), schema, { allowWindows: true }));
  const output = schemaOf([
    ...schema.fields,
    ...analyzed.map((a, k): Field => ({ name: `w${k}`, type: a.type, nullable: a.nullable })),
  ]);
  const result = evaluateWindows(batches, schema, analyzed.map((a) => a.expr as WindowCallNode), output);
  expect(result.map((b) => b.numRows)).toEqual(batches.map((b) => b.numRows));
  const rows = result.flatMap((b) => rowsOf(b));
  for (const b of result) expect(b.schema.fields.map((f) => f.name)).toEqual(output.fields.map((f) => f.name));
  return calls.map((_, k) => rows.map((r) => r[schema.fields.length + k]!));
}

// Sorted by (k, t): partition 'a' spans the first two batches, the NULL partition comes first.
const tx = schemaOf([
  { name: 'k', type: types.string, nullable: true },
  { name: 't', type: types.int32, nullable: true },
  { name: 'x', type: types.int64, nullable: true },
]);
const txRows: Cell[][] = [
  [null, 1, 5n],
  [null, 2, 6n],
  ['a', 1, 10n],
  ['a', 2, 20n],
  ['a', 2, null],
  ['a', 4, 40n],
  ['a', 7, 70n],
  ['b', 3, 1n],
];
const txBatches = (): RecordBatch[] => batchesOf(tx, txRows, [3, 2, 1]);
const over = 'OVER (PARTITION BY k ORDER BY t)';

describe('evaluateWindows: ranking and offset functions', () => {
  it('numbers rows, ranks peers with gaps (rank) and without (dense_rank), across batches', () => {
    const [rn, rank, dense] = windows(tx, txBatches(), [`row_number() ${over}`, `rank() ${over}`, `dense_rank() ${over}`]);
    expect(rn).toEqual([1, 2, 1, 2, 3, 4, 5, 1]);
    expect(rank).toEqual([1, 2, 1, 2, 2, 4, 5, 1]);
    expect(dense).toEqual([1, 2, 1, 2, 2, 3, 4, 1]);
  });

  it('lag and lead stay inside the partition, keep NULL values, and use the default only past the edge', () => {
    const [lag, lead2, lagDefault, negative] = windows(tx, txBatches(), [
      `lag(x) ${over}`,
      `lead(x, 2) ${over}`,
      `lag(x, 1, -1) ${over}`,
      `lag(x, -1) ${over}`,
    ]);
    expect(lag).toEqual([null, 5n, null, 10n, 20n, null, 40n, null]);
    expect(lead2).toEqual([null, null, null, 40n, 70n, null, null, null]);
    expect(lagDefault).toEqual([-1n, 5n, -1n, 10n, 20n, null, 40n, -1n]);
    expect(negative).toEqual([6n, null, 20n, null, 40n, 70n, null, null]);
  });

  it('evaluates a per-row default expression for lead', () => {
    const [lead] = windows(tx, txBatches(), [`lead(x, 1, x * 100) ${over}`]);
    expect(lead).toEqual([6n, 600n, 20n, null, 40n, 70n, 7000n, 100n]);
  });
});

describe('evaluateWindows: aggregates over frames', () => {
  it('uses the default RANGE frame with ORDER BY: a running total that includes the current row\'s peers', () => {
    const [sum, count, countStar, avg, min, max] = windows(tx, txBatches(), [
      `sum(x) ${over}`,
      `count(x) ${over}`,
      `count(*) ${over}`,
      `avg(x) ${over}`,
      `min(x) ${over}`,
      `max(x) ${over}`,
    ]);
    expect(sum).toEqual([5n, 11n, 10n, 30n, 30n, 70n, 140n, 1n]);
    expect(count).toEqual([1n, 2n, 1n, 2n, 2n, 3n, 4n, 1n]);
    expect(countStar).toEqual([1n, 2n, 1n, 3n, 3n, 4n, 5n, 1n]);
    expect(avg).toEqual([5, 5.5, 10, 15, 15, 70 / 3, 35, 1]);
    expect(min).toEqual([5n, 5n, 10n, 10n, 10n, 10n, 10n, 1n]);
    expect(max).toEqual([5n, 6n, 10n, 20n, 20n, 40n, 70n, 1n]);
  });

  it('uses the whole partition without ORDER BY', () => {
    const [sum, last] = windows(tx, txBatches(), ['sum(x) OVER (PARTITION BY k)', 'last(t) OVER (PARTITION BY k)']);
    expect(sum).toEqual([11n, 11n, 140n, 140n, 140n, 140n, 140n, 1n]);
    expect(last).toEqual([2, 2, 7, 7, 7, 7, 7, 3]);
  });

  it('slides ROWS frames, including frames that are empty or end before the current row', () => {
    const rows = (frame: string): string => `OVER (PARTITION BY k ORDER BY t ROWS ${frame})`;
    const [centred, trailing, ahead, toEnd, past] = windows(tx, txBatches(), [
      `sum(x) ${rows('BETWEEN 1 PRECEDING AND 1 FOLLOWING')}`,
      `max(x) ${rows('2 PRECEDING')}`,
      `count(x) ${rows('BETWEEN 2 FOLLOWING AND 3 FOLLOWING')}`,
      `min(x) ${rows('BETWEEN CURRENT ROW AND UNBOUNDED FOLLOWING')}`,
      `avg(x) ${rows('BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING')}`,
    ]);
    expect(centred).toEqual([11n, 11n, 30n, 30n, 60n, 110n, 110n, 1n]);
    expect(trailing).toEqual([5n, 6n, 10n, 20n, 20n, 40n, 70n, 1n]);
    expect(ahead).toEqual([0n, 0n, 1n, 2n, 1n, 0n, 0n, 0n]);
    expect(toEnd).toEqual([5n, 6n, 10n, 20n, 40n, 40n, 70n, 1n]);
    expect(past).toEqual([null, 5, null, 10, 15, 15, 70 / 3, null]);
  });

  it('first and last follow the frame (peers included) and can skip NULLs', () => {
    const [first, last, lastAll, lastIgnoring, firstIgnoring] = windows(tx, txBatches(), [
      `first(x) ${over}`,
      `last(x) ${over}`,
      'last(x) OVER (PARTITION BY k ORDER BY t ROWS BETWEEN CURRENT ROW AND CURRENT ROW)',
      'last(x, true) OVER (PARTITION BY k ORDER BY t ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW)',
      'first(x) IGNORE NULLS OVER (PARTITION BY k ORDER BY t ROWS BETWEEN 2 FOLLOWING AND UNBOUNDED FOLLOWING)',
    ]);
    expect(first).toEqual([5n, 5n, 10n, 10n, 10n, 10n, 10n, 1n]);
    // t = 2 has two peers; the frame ends after both, and the later one is NULL.
    expect(last).toEqual([5n, 6n, 10n, null, null, 40n, 70n, 1n]);
    expect(lastAll).toEqual([5n, 6n, 10n, 20n, null, 40n, 70n, 1n]);
    expect(lastIgnoring).toEqual([5n, 6n, 10n, 20n, 20n, 40n, 70n, 1n]);
    expect(firstIgnoring).toEqual([null, null, 40n, 40n, 70n, null, null, null]);
  });
});

describe('evaluateWindows: RANGE frames by value', () => {
  const r = schemaOf([
    { name: 'k', type: types.int32, nullable: false },
    { name: 'v', type: types.int32, nullable: true },
    { name: 'amt', type: types.decimal(10, 2), nullable: true },
  ]);
  // v ascending NULLS FIRST within k.
  const rowsAsc: Cell[][] = [
    [1, null, 100n],
    [1, null, 200n],
    [1, 1, 300n],
    [1, 2, 400n],
    [1, 2, 500n],
    [1, 4, 600n],
    [1, 7, 700n],
    [2, 5, 800n],
  ];

  it('includes every row within the offset, peers at the edges, and only NULL peers for NULL keys', () => {
    const [back, around, ahead] = windows(r, batchesOf(r, rowsAsc, [3, 4]), [
      'sum(amt) OVER (PARTITION BY k ORDER BY v RANGE BETWEEN 1 PRECEDING AND CURRENT ROW)',
      'count(*) OVER (PARTITION BY k ORDER BY v RANGE BETWEEN 2 PRECEDING AND 2 FOLLOWING)',
      'min(amt) OVER (PARTITION BY k ORDER BY v RANGE BETWEEN 1 FOLLOWING AND 3 FOLLOWING)',
    ]);
    expect(back).toEqual(['3.00', '3.00', '3.00', '12.00', '12.00', '6.00', '7.00', '8.00']);
    expect(around).toEqual([2n, 2n, 3n, 4n, 4n, 3n, 1n, 1n]);
    expect(ahead).toEqual(['1.00', '1.00', '4.00', '6.00', '6.00', '7.00', null, null]);
  });

  it('puts NULL keys last with NULLS LAST and looks the other way for DESC', () => {
    const desc: Cell[][] = [
      [1, 7, 700n],
      [1, 4, 600n],
      [1, 2, 400n],
      [1, 2, 500n],
      [1, 1, 300n],
      [1, null, 100n],
      [1, null, 200n],
    ];
    const [preceding, following] = windows(r, batchesOf(r, desc, [2]), [
      'sum(amt) OVER (PARTITION BY k ORDER BY v DESC RANGE BETWEEN 2 PRECEDING AND CURRENT ROW)',
      'max(v) OVER (PARTITION BY k ORDER BY v DESC NULLS LAST RANGE BETWEEN CURRENT ROW AND 1 FOLLOWING)',
    ]);
    // DESC: 2 PRECEDING of v = 2 covers values 2..4, of v = 4 values 4..6.
    expect(preceding).toEqual(['7.00', '6.00', '15.00', '15.00', '12.00', '3.00', '3.00']);
    expect(following).toEqual([7, 4, 2, 2, 1, null, null]);
  });

  it('compares decimal order keys with decimal offsets exactly', () => {
    const d = schemaOf([
      { name: 'p', type: types.decimal(10, 2), nullable: false },
      { name: 'n', type: types.int32, nullable: false },
    ]);
    const rows: Cell[][] = [[100n, 1], [149n, 2], [150n, 3], [151n, 4], [300n, 5]];
    const [sum] = windows(d, batchesOf(d, rows), ['sum(n) OVER (ORDER BY p RANGE BETWEEN 0.5 PRECEDING AND CURRENT ROW)']);
    expect(sum).toEqual([1n, 3n, 6n, 9n, 5n]);
  });

  it('sums over a 10-minute interval frame on a timestamp key, peers included', () => {
    const ts = schemaOf([
      { name: 'card', type: types.string, nullable: false },
      { name: 'event_time', type: types.timestamp, nullable: true },
      { name: 'amount', type: types.int64, nullable: false },
    ]);
    const minute = 60_000_000n;
    const base = 1_767_225_600_000_000n; // 2026-01-01 00:00:00 UTC
    const rows: Cell[][] = [
      ['c1', null, 1n],
      ['c1', base, 10n],
      ['c1', base + 5n * minute, 20n],
      ['c1', base + 10n * minute, 30n],
      ['c1', base + 10n * minute, 40n],
      ['c1', base + 10n * minute + 1n, 50n],
      ['c1', base + 25n * minute, 60n],
      ['c2', base + 3n * minute, 70n],
    ];
    const [sum, n] = windows(ts, batchesOf(ts, rows, [4, 3]), [
      'sum(amount) OVER (PARTITION BY card ORDER BY event_time RANGE BETWEEN INTERVAL 10 MINUTES PRECEDING AND CURRENT ROW)',
      'count(*) OVER (PARTITION BY card ORDER BY event_time RANGE BETWEEN INTERVAL 10 MINUTES PRECEDING AND CURRENT ROW)',
    ]);
    // The frame of base+10min reaches back to base exactly (inclusive) and forward over its peer.
    expect(sum).toEqual([1n, 10n, 30n, 100n, 100n, 140n, 60n, 70n]);
    expect(n).toEqual([1n, 1n, 2n, 4n, 4n, 4n, 1n, 1n]);
  });
});

describe('evaluateWindows: types, exactness and edges', () => {
  it('keeps int64 sums exact beyond 2^53 and raises OVERFLOW past bigint, as Spark ANSI', () => {
    const s = schemaOf([{ name: 'x', type: types.int64, nullable: false }]);
    const big = 2n ** 62n;
    const [sum] = windows(s, batchesOf(s, [[big], [3n], [-big]]), ['sum(x) OVER (ROWS BETWEEN CURRENT ROW AND 1 FOLLOWING)']);
    expect(sum).toEqual([big + 3n, 3n - big, -big]);
    try {
      windows(s, batchesOf(s, [[big], [big], [big]]), ['sum(x) OVER (ORDER BY x)']);
      expect.unreachable();
    } catch (e) {
      expect(isPaylakeError(e, 'OVERFLOW')).toBe(true);
      expect((e as Error).message).toMatch(/window "w0": the exact sum 13835058055282163712 does not fit bigint/);
    }
  });

  it('types decimal sums as decimal(p+10,s) and averages with Spark rounding', () => {
    const s = schemaOf([{ name: 'fee', type: types.decimal(18, 2), nullable: true }]);
    const [sum, avg] = windows(s, batchesOf(s, [[1n], [2n], [2n], [null]]), ['sum(fee) OVER ()', 'avg(fee) OVER ()']);
    expect(sum).toEqual(['0.05', '0.05', '0.05', '0.05']);
    // 0.05 / 3 = 0.0166666… → decimal(22,6) HALF_UP.
    expect(avg).toEqual(['0.016667', '0.016667', '0.016667', '0.016667']);
  });

  it('averages decimals beyond 2^53 exactly, and compares int64 RANGE keys beyond 2^53 exactly', () => {
    const s = schemaOf([
      { name: 'big', type: types.decimal(38, 2), nullable: false },
      { name: 'key', type: types.int64, nullable: false },
    ]);
    const e32 = 10n ** 32n;
    const k = 2n ** 60n;
    const rows: Cell[][] = [[e32 + 1n, k], [e32, k + 1n], [e32 + 2n, k + 5n]];
    const [avg, n] = windows(s, batchesOf(s, rows, [1]), ['avg(big) OVER (ORDER BY key ROWS BETWEEN UNBOUNDED PRECEDING AND UNBOUNDED FOLLOWING)', 'count(*) OVER (ORDER BY key RANGE BETWEEN 1 PRECEDING AND CURRENT ROW)']);
    expect(avg).toEqual(Array(3).fill(`1${'0'.repeat(30)}.010000`));
    expect(n).toEqual([1n, 2n, 1n]);
  });

  it('removes NaN and infinities from sliding double sums without a trace', () => {
    const s = schemaOf([{ name: 'w', type: types.float64, nullable: true }]);
    const [sum] = windows(s, batchesOf(s, [[1.5], [Number.NaN], [Infinity], [2], [-Infinity], [1e308], [1e308], [-1e308], [0.25]]), [
      'sum(w) OVER (ROWS BETWEEN 1 PRECEDING AND CURRENT ROW)',
    ]);
    expect(sum).toEqual([1.5, Number.NaN, Number.NaN, Infinity, -Infinity, -Infinity, Infinity, 0, -1e308 + 0.25]);
  });

  it('puts NULL partition keys in one partition and orders min/max of strings by bytes', () => {
    const s = schemaOf([
      { name: 'k', type: types.int32, nullable: true },
      { name: 's', type: types.string, nullable: true },
    ]);
    const [min, max, n] = windows(s, batchesOf(s, [[null, 'b'], [null, 'Z'], [1, 'é'], [1, null], [1, 'e']], [1, 1, 1]), [
      'min(s) OVER (PARTITION BY k)',
      'max(s) OVER (PARTITION BY k)',
      'count(s) OVER (PARTITION BY k)',
    ]);
    expect(min).toEqual(['Z', 'Z', 'e', 'e', 'e']);
    expect(max).toEqual(['b', 'b', 'é', 'é', 'é']);
    expect(n).toEqual([2n, 2n, 2n, 2n, 2n]);
  });

  it('returns empty input as it came: no batches, or empty batches with the window columns', () => {
    expect(windows(tx, [], [`row_number() ${over}`, `sum(x) ${over}`])).toEqual([[], []]);
    const empty = batchesOf(tx, [], []);
    expect(empty.map((b) => b.numRows)).toEqual([0]);
    expect(windows(tx, empty, [`row_number() ${over}`, `lag(x) ${over}`])).toEqual([[], []]);
  });

  it('refuses calls that do not share a window', () => {
    const calls = [`row_number() ${over}`, 'row_number() OVER (ORDER BY t)'].map((t) => analyzeExpr(parseExpression(t), tx, { allowWindows: true }));
    const output = schemaOf([...tx.fields, ...calls.map((c, k) => ({ name: `w${k}`, type: c.type, nullable: false }))]);
    expect(() => evaluateWindows(txBatches(), tx, calls.map((c) => c.expr as WindowCallNode), output)).toThrow(/must share PARTITION BY and ORDER BY/);
  });
});
