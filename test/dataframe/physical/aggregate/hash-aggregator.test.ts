// The hash aggregation driver: global aggregation over no rows, result order (keys ascending, NULLs
// first), partial state through Arrow IPC, and the determinism property — any split of the rows over
// any number of partials, merged in any order, finishes to the same rows as one pass (and as a naive
// reference computed here with BigInt).
import { describe, expect, it } from 'vitest';
import { RecordBatch, tableFromIPC, tableToIPC, Table } from 'apache-arrow';
import type { AggregateSpec } from '../../../../lib/dataframe/physical/aggregate/aggregate-function.js';
import { HashAggregator, PARTIAL_STATE_METADATA_KEY } from '../../../../lib/dataframe/physical/aggregate/hash-aggregator.js';
import type { KeySpec } from '../../../../lib/dataframe/physical/aggregate/hash-aggregator.js';
import { types } from '../../../../lib/dataframe/types/data-type.js';
import { isPaylakeError } from '../../../../lib/errors/paylake-error.js';
import { aggregateRows, rng, rowsOf, spec, vectorOf } from './aggregate-fixtures.js';
import type { Cell } from './aggregate-fixtures.js';

/** A partial batch sent through Arrow IPC, as it crosses worker threads. */
function viaIpc(batch: RecordBatch): RecordBatch {
  const bytes = tableToIPC(new Table([batch]), 'stream');
  const batches = tableFromIPC(bytes).batches;
  expect(batches.length).toBe(1);
  return batches[0]!;
}

describe('HashAggregator', () => {
  it('gives one row for a global aggregation over no rows: counts 0, others NULL', () => {
    const specs = [spec('count', null), spec('count', types.int64, false, 'c'), spec('sum', types.int64, false, 's'), spec('avg', types.decimal(10, 2), false, 'a'), spec('min', types.string, false, 'mn'), spec('count', types.string, true, 'cd')];
    const fresh = new HashAggregator([], specs);
    expect(rowsOf(fresh.finish())).toEqual([[0n, 0n, null, null, null, 0n]]);
    // Also after merging empty partials, and with no key columns the partial has exactly one row.
    const w = new HashAggregator([], specs);
    w.addBatch([], [null, vectorOf(types.int64, []), vectorOf(types.int64, []), vectorOf(types.decimal(10, 2), []), vectorOf(types.string, []), vectorOf(types.string, [])], 0);
    const partial = w.partialToBatch();
    expect(partial.numRows).toBe(1);
    fresh.mergeBatch(viaIpc(partial));
    expect(rowsOf(fresh.finish())).toEqual([[0n, 0n, null, null, null, 0n]]);
  });

  it('gives no rows for a keyed aggregation over no rows', () => {
    expect(aggregateRows([types.string], [spec('count', null)], [[]], [null])).toEqual([]);
  });

  it('sorts by the keys ascending with NULLs first, column by column', () => {
    const rows = aggregateRows(
      [types.string, types.float64],
      [spec('count', null)],
      [['b', null, 'a', 'b', 'a', null, 'a', 'a'], [1, 2, NaN, null, -0, 1, 0, NaN]],
      [null],
    );
    expect(rows).toEqual([
      [null, 1, 1n],
      [null, 2, 1n],
      ['a', 0, 2n],
      ['a', NaN, 2n],
      ['b', null, 1n],
      ['b', 1, 1n],
    ]);
  });

  it('names the result columns and types them as Spark does', () => {
    const agg = new HashAggregator([{ name: 'merchant', type: types.string }], [spec('sum', types.int32, false, 'total'), spec('avg', types.decimal(18, 2), false, 'mean'), spec('count', null, false, 'n')]);
    const out = agg.finish();
    expect(out.schema.fields.map((f) => `${f.name}:${String(f.type)}:${f.nullable}`)).toEqual(['merchant:Utf8:true', 'total:Int64:true', 'mean:Decimal[22e+6]:true', 'n:Int64:false']);
    expect(agg.partialSchema.metadata.get(PARTIAL_STATE_METADATA_KEY)).toBe('1');
  });

  it('rejects partial batches of another shape and argument vectors that do not match the specs', () => {
    const a = new HashAggregator([{ name: 'k', type: types.int32 }], [spec('count', null)]);
    const b = new HashAggregator([{ name: 'k', type: types.string }], [spec('count', null)]);
    expect(() => a.mergeBatch(b.partialToBatch())).toThrow(/partial state has columns/);
    expect(() => a.addBatch([vectorOf(types.int32, [1])], [vectorOf(types.int32, [1])])).toThrow(/count\(\*\) takes no argument/);
    try {
      new HashAggregator([], [spec('sum', types.string)]);
      expect.unreachable();
    } catch (e) {
      expect(isPaylakeError(e, 'TYPE_ERROR')).toBe(true);
    }
  });

  it('aggregates 100k groups', () => {
    const n = 200_000;
    const keys = Array.from({ length: n }, (_, i) => BigInt((i * 48271) % 100_000));
    const vals = Array.from({ length: n }, (_, i) => BigInt(i));
    const rows = aggregateRows([types.int64], [spec('count', null), spec('sum', types.int64, false, 's'), spec('max', types.int64, false, 'm')], [keys], [null, vals, vals]);
    expect(rows.length).toBe(100_000);
    expect(rows[0]![0]).toBe(0n);
    expect(rows[99_999]![0]).toBe(99_999n);
    let total = 0n;
    for (const r of rows) {
      expect(r[1]).toBe(2n);
      total += r[2] as bigint;
    }
    expect(total).toBe(BigInt(n) * BigInt(n - 1) / 2n);
  });
});

describe('determinism: split into partials then merge = single pass', () => {
  const keySpecs: KeySpec[] = [
    { name: 'merchant', type: types.string },
    { name: 'rate', type: types.float64 },
  ];
  const specs: AggregateSpec[] = [
    spec('count', null, false, 'n'),
    spec('count', types.int64, false, 'n_amount'),
    spec('sum', types.int64, false, 'sum_amount'),
    spec('sum', types.decimal(38, 2), false, 'sum_fee'),
    spec('sum', types.float64, false, 'sum_w'),
    spec('avg', types.int64, false, 'avg_amount'),
    spec('avg', types.decimal(38, 2), false, 'avg_fee'),
    spec('avg', types.float64, false, 'avg_w'),
    spec('min', types.string, false, 'min_card'),
    spec('max', types.string, false, 'max_card'),
    spec('min', types.int64, false, 'min_amount'),
    spec('max', types.float64, false, 'max_w'),
    spec('min', types.decimal(38, 2), false, 'min_fee'),
    spec('count', types.int32, true, 'distinct_bucket'),
    spec('count', types.string, true, 'distinct_card'),
  ];
  const merchants: Cell[] = ['zürich', 'ab', 'a', '東京', '', null, 'b😀', 'B'];
  const rates: Cell[] = [0, -0, NaN, null, 1.5, -2.25];

  function table(seed: number, n: number): { keys: Cell[][]; args: (Cell[] | null)[] } {
    const r = rng(seed);
    const pick = <T>(xs: readonly T[]): T => xs[Math.floor(r() * r() * xs.length)]!;
    const maybe = (v: Cell): Cell => (r() < 0.1 ? null : v);
    const keys: Cell[][] = [[], []];
    const cols: Cell[][] = [[], [], [], [], []]; // amount int64, fee decimal, w float, card string, bucket int32
    for (let i = 0; i < n; i++) {
      keys[0]!.push(pick(merchants));
      keys[1]!.push(pick(rates));
      const big = r() < 0.02;
      const amount = BigInt(Math.floor((r() - 0.5) * 2 ** 50)) * (big ? 256n : 1n);
      cols[0]!.push(maybe(amount));
      cols[1]!.push(maybe(BigInt(Math.floor((r() - 0.5) * 1e15)) * (r() < 0.01 ? 10n ** 20n : 1n)));
      cols[2]!.push(maybe(Math.floor((r() - 0.5) * 4000) / 4));
      cols[3]!.push(maybe(`card-${Math.floor(r() * 50)}${r() < 0.1 ? 'é' : ''}`));
      cols[4]!.push(maybe(Math.floor(r() * 20)));
    }
    const args = [null, cols[0]!, cols[0]!, cols[1]!, cols[2]!, cols[0]!, cols[1]!, cols[2]!, cols[3]!, cols[3]!, cols[0]!, cols[2]!, cols[1]!, cols[4]!, cols[3]!];
    return { keys, args };
  }

  function addRows(agg: HashAggregator, t: ReturnType<typeof table>, rows: number[]): void {
    agg.addBatch(
      t.keys.map((col, k) => vectorOf(keySpecs[k]!.type, rows.map((i) => col[i]!))),
      t.args.map((col, a) => (col === null ? null : vectorOf(specs[a]!.inputType!, rows.map((i) => col[i]!)))),
      rows.length,
    );
  }

  it('for random splits, partial counts and merge orders', () => {
    const n = 3000;
    const t = table(7, n);
    const single = new HashAggregator(keySpecs, specs);
    addRows(single, t, Array.from({ length: n }, (_, i) => i));
    const expected = rowsOf(single.finish());
    expect(expected.length).toBeGreaterThan(20);

    for (let trial = 0; trial < 12; trial++) {
      const r = rng(100 + trial);
      const perm = Array.from({ length: n }, (_, i) => i);
      for (let i = n - 1; i > 0; i--) {
        const j = Math.floor(r() * (i + 1));
        [perm[i], perm[j]] = [perm[j]!, perm[i]!];
      }
      const workers = Array.from({ length: 1 + Math.floor(r() * 6) }, () => new HashAggregator(keySpecs, specs));
      for (let start = 0; start < n; ) {
        const size = 1 + Math.floor(r() * 400);
        addRows(workers[Math.floor(r() * workers.length)]!, t, perm.slice(start, start + size));
        start += size;
      }
      const partials = workers.map((w) => viaIpc(w.partialToBatch()));
      partials.sort(() => r() - 0.5);
      const coordinator = new HashAggregator(keySpecs, specs);
      // A two-level merge for odd trials: merge some partials into an intermediate aggregator first.
      if (trial % 2 === 1 && partials.length > 2) {
        const mid = new HashAggregator(keySpecs, specs);
        partials.splice(0, 2).forEach((p) => mid.mergeBatch(p));
        partials.push(viaIpc(mid.partialToBatch()));
      }
      partials.forEach((p) => coordinator.mergeBatch(p));
      expect(rowsOf(coordinator.finish())).toEqual(expected);
    }
  });

  it('and the single pass agrees with a naive BigInt reference', () => {
    const n = 3000;
    const t = table(11, n);
    const agg = new HashAggregator(keySpecs, specs);
    addRows(agg, t, Array.from({ length: n }, (_, i) => i));
    const rows = rowsOf(agg.finish());
    const norm = (v: Cell): string => (v === null ? 'null' : typeof v === 'number' && Number.isNaN(v) ? 'NaN' : String(v === 0 ? 0 : v));
    const ref = new Map<string, { n: bigint; sum: bigint; seen: boolean; cards: Set<string>; buckets: Set<number>; maxCard: string | null }>();
    for (let i = 0; i < n; i++) {
      const key = `${norm(t.keys[0]![i]!)}|${norm(t.keys[1]![i]!)}`;
      const e = ref.get(key) ?? { n: 0n, sum: 0n, seen: false, cards: new Set(), buckets: new Set(), maxCard: null };
      ref.set(key, e);
      e.n++;
      const amount = t.args[2]![i];
      if (amount !== null) {
        e.sum += amount as bigint;
        e.seen = true;
      }
      const card = t.args[14]![i];
      if (card !== null) {
        e.cards.add(card as string);
        if (e.maxCard === null || Buffer.compare(Buffer.from(card as string), Buffer.from(e.maxCard)) > 0) e.maxCard = card as string;
      }
      if (t.args[13]![i] !== null) e.buckets.add(t.args[13]![i] as number);
    }
    expect(rows.length).toBe(ref.size);
    for (const row of rows) {
      const e = ref.get(`${norm(row[0]!)}|${norm(row[1]!)}`)!;
      expect(row[2]).toBe(e.n);
      expect(row[4]).toBe(e.seen ? e.sum : null);
      expect(row[11]).toBe(e.maxCard);
      expect(row[15]).toBe(BigInt(e.buckets.size));
      expect(row[16]).toBe(BigInt(e.cards.size));
    }
  });
});
