// The hash join kernel: every join type with either side hashed, Spark's NULL-key rule, duplicate and
// multi-column keys, every key type (-0.0 = 0.0, NaN = NaN), the extra condition, empty inputs, output
// order, chunking of a skewed key, and output batch boundaries that must not change the result.
import { Dictionary, Int32, makeData, RecordBatch, Schema as ArrowSchema, Struct, Utf8, Vector, Field } from 'apache-arrow';
import { describe, expect, it } from 'vitest';
import { HashJoiner, JOIN_BATCH_ROWS } from '../../../../lib/dataframe/physical/join/hash-joiner.js';
import { JOIN_TYPES } from '../../../../lib/dataframe/physical/join/join-type.js';
import type { JoinType } from '../../../../lib/dataframe/physical/join/join-type.js';
import { joinOutputSchema } from '../../../../lib/dataframe/plan/join-schema.js';
import { ColumnNode } from '../../../../lib/dataframe/expr/nodes/column-node.js';
import { types } from '../../../../lib/dataframe/types/data-type.js';
import type { DataType } from '../../../../lib/dataframe/types/data-type.js';
import { isPaylakeError } from '../../../../lib/errors/paylake-error.js';
import { runJoin, sorted, tableOf } from './join-fixtures.js';
import type { Cell, JoinCase, TestTable } from './join-fixtures.js';

const SIDES = ['left', 'right'] as const;

const L = tableOf([['lid', types.int32], ['lk', types.int32]], [[1, 1], [2, 2], [3, null], [4, 2], [5, 9]]);
const R = tableOf([['rid', types.int32], ['rk', types.int32]], [[10, 2], [11, 1], [12, 2], [13, null], [14, 7]]);

const INNER: Cell[][] = [[1, 1, 11, 1], [2, 2, 10, 2], [2, 2, 12, 2], [4, 2, 10, 2], [4, 2, 12, 2]];
const LEFT_ONLY: Cell[][] = [[3, null, null, null], [5, 9, null, null]];
const RIGHT_ONLY: Cell[][] = [[null, null, 13, null], [null, null, 14, 7]];
const EXPECTED: Record<JoinType, Cell[][]> = {
  inner: INNER,
  left: [...INNER, ...LEFT_ONLY],
  right: [...INNER, ...RIGHT_ONLY],
  full: [...INNER, ...LEFT_ONLY, ...RIGHT_ONLY],
  left_semi: [[1, 1], [2, 2], [4, 2]],
  left_anti: [[3, null], [5, 9]],
};

function simple(type: JoinType, buildSide: 'left' | 'right', extra: Partial<JoinCase> = {}): JoinCase {
  return { type, buildSide, left: L, right: R, leftKeys: ['lk'], rightKeys: ['rk'], ...extra };
}

describe('HashJoiner: every join type with either side hashed', () => {
  for (const type of JOIN_TYPES) {
    for (const side of SIDES) {
      it(`${type}, build ${side}: Spark's rows, a NULL key matching nothing`, () => {
        expect(sorted(runJoin(simple(type, side)).rows)).toEqual(sorted(EXPECTED[type]));
      });
    }
  }

  it('orders output by probe row, then build insertion order; finish emits build rows in insertion order', () => {
    // Probe = left: L1, L2 (R10, R12), L3 (NULL-extended in place), L4, L5.
    expect(runJoin(simple('left', 'right')).rows).toEqual([
      [1, 1, 11, 1], [2, 2, 10, 2], [2, 2, 12, 2], [3, null, null, null], [4, 2, 10, 2], [4, 2, 12, 2], [5, 9, null, null],
    ]);
    // Probe = right: R10 (L2, L4), R11 (L1), R12 (L2, L4), R13 and R14 in place; finish: L3, L5.
    const full = runJoin(simple('full', 'left'));
    expect(full.rows).toEqual([
      [2, 2, 10, 2], [4, 2, 10, 2], [1, 1, 11, 1], [2, 2, 12, 2], [4, 2, 12, 2], [null, null, 13, null], [null, null, 14, 7],
      [3, null, null, null], [5, 9, null, null],
    ]);
    expect(full.finishRows).toBe(2);
    expect(runJoin(simple('left_semi', 'left')).rows).toEqual([[1, 1], [2, 2], [4, 2]]);
    expect(runJoin(simple('left_anti', 'right')).rows).toEqual([[3, null], [5, 9]]);
  });

  it('gives the same rows in the same order whatever the output batch size and input batching', () => {
    const l = tableOf(L.schema.fields.map((f) => [f.name, f.type] as const), [[1, 1], [2, 2], [3, null], [4, 2], [5, 9]], 2);
    const r = tableOf(R.schema.fields.map((f) => [f.name, f.type] as const), [[10, 2], [11, 1], [12, 2], [13, null], [14, 7]], 2);
    for (const type of JOIN_TYPES) {
      for (const side of SIDES) {
        const base = runJoin(simple(type, side)).rows;
        for (const batchRows of [1, 2, 3]) {
          const got = runJoin(simple(type, side, { left: l, right: r, options: { batchRows } }));
          expect(got.rows, `${type} build ${side} batchRows ${batchRows}`).toEqual(base);
          expect(Math.max(0, ...got.batchSizes)).toBeLessThanOrEqual(batchRows);
        }
      }
    }
  });

  it('sets the output names and nullability from the spec', () => {
    const joiner = new HashJoiner({
      type: 'right', left: L.schema, right: R.schema, leftKeys: [ColumnNode.create('lk')], rightKeys: [ColumnNode.create('rk')],
      condition: null, buildSide: 'left', output: joinOutputSchema('right', L.schema, R.schema),
    });
    for (const b of L.batches) joiner.addBuild(b);
    const [out] = joiner.probe(R.batches[0]!);
    expect(out!.schema.fields.map((f) => `${f.name}:${String(f.type)}:${f.nullable}`)).toEqual(['lid:Int32:true', 'lk:Int32:true', 'rid:Int32:true', 'rk:Int32:true']);
  });
});

describe('HashJoiner: keys', () => {
  const lm = tableOf([['a', types.int32], ['s', types.string], ['lv', types.int32]], [
    [1, 'x', 1], [1, 'y', 2], [null, 'x', 3], [1, null, 4], [2, 'x', 5], [1, 'x', 6],
  ]);
  const rm = tableOf([['b', types.int32], ['t', types.string], ['rv', types.int32]], [
    [1, 'x', 10], [null, 'x', 11], [1, null, 12], [1, 'x', 13], [2, 'y', 14], [null, null, 15],
  ]);

  it('matches on every column of a multi-column key; a NULL in any column matches nothing', () => {
    for (const side of SIDES) {
      const c: JoinCase = { type: 'full', buildSide: side, left: lm, right: rm, leftKeys: ['a', 's'], rightKeys: ['b', 't'] };
      expect(sorted(runJoin(c).rows)).toEqual(sorted([
        [1, 'x', 1, 1, 'x', 10], [1, 'x', 1, 1, 'x', 13], [1, 'x', 6, 1, 'x', 10], [1, 'x', 6, 1, 'x', 13],
        [1, 'y', 2, null, null, null], [null, 'x', 3, null, null, null], [1, null, 4, null, null, null], [2, 'x', 5, null, null, null],
        [null, null, null, null, 'x', 11], [null, null, null, 1, null, 12], [null, null, null, 2, 'y', 14], [null, null, null, null, null, 15],
      ]));
      expect(runJoin({ ...c, type: 'left_anti' }).rows.map((r) => r[2])).toEqual([2, 3, 4, 5]);
      expect(runJoin({ ...c, type: 'left_semi' }).rows.map((r) => r[2])).toEqual([1, 6]);
    }
  });

  it('joins duplicate keys on both sides as a cross product per key', () => {
    const l = tableOf([['k', types.int64], ['i', types.int32]], [[7n, 1], [7n, 2], [7n, 3]]);
    const r = tableOf([['k2', types.int64], ['j', types.int32]], [[7n, 1], [8n, 0], [7n, 2], [7n, 3], [7n, 4]]);
    for (const side of SIDES) {
      const got = runJoin({ type: 'inner', buildSide: side, left: l, right: r, leftKeys: ['k'], rightKeys: ['k2'] });
      expect(got.rows.length).toBe(12);
      expect(new Set(got.rows.map((row) => `${row[1]}-${row[3]}`)).size).toBe(12);
    }
  });

  const keyCases: { type: DataType; values: Cell[]; expected: string[] }[] = [
    { type: types.boolean, values: [true, false, null], expected: ['0-0', '1-1'] },
    { type: types.int64, values: [(1n << 63n) - 1n, -(1n << 63n), null], expected: ['0-0', '1-1'] },
    { type: types.float64, values: [-0, 0, NaN, null, 1.5], expected: ['0-0', '0-1', '1-0', '1-1', '2-2', '4-4'] },
    { type: types.decimal(38, 4), values: [10n ** 37n, -(10n ** 37n), 0n, null], expected: ['0-0', '1-1', '2-2'] },
    { type: types.decimal(18, 2), values: [12345n, -5n, null], expected: ['0-0', '1-1'] },
    { type: types.string, values: ['é', 'e\u0301', '', null, '東京'], expected: ['0-0', '1-1', '2-2', '4-4'] },
    { type: types.binary, values: ['\u0000a', 'a', null], expected: ['0-0', '1-1'] },
    { type: types.date, values: [19000, -1, null], expected: ['0-0', '1-1'] },
    { type: types.timestamp, values: [1_700_000_000_000_000n, -1n, null], expected: ['0-0', '1-1'] },
    { type: types.null, values: [null, null], expected: [] },
  ];
  for (const kc of keyCases) {
    it(`joins ${kc.type.kind} keys exactly (NULL never matches${kc.type.kind === 'float64' ? '; -0.0 = 0.0, NaN = NaN' : ''})`, () => {
      const l = tableOf([['lk', kc.type], ['li', types.int32]], kc.values.map((v, i) => [v, i]));
      const r = tableOf([['rk', kc.type], ['ri', types.int32]], kc.values.map((v, i) => [v, i]));
      for (const side of SIDES) {
        const got = runJoin({ type: 'inner', buildSide: side, left: l, right: r, leftKeys: ['lk'], rightKeys: ['rk'] });
        expect(got.rows.map((row) => `${row[1]}-${row[3]}`).sort()).toEqual(kc.expected);
      }
    });
  }

  it('hashes a dictionary-encoded probe key like the plain build key', () => {
    const dictType = new Dictionary(new Utf8(), new Int32());
    const dictionary = new Vector([makeData({ type: new Utf8(), length: 3, valueOffsets: Int32Array.of(0, 1, 4, 7), data: new TextEncoder().encode('ab\u00e9東') })]);
    const keyData = makeData({ type: dictType, length: 4, data: Int32Array.of(2, 0, 1, 2), dictionary, nullBitmap: Uint8Array.of(0b1011) });
    const fields = [new Field('dk', dictType, true)];
    const probe = new RecordBatch(new ArrowSchema(fields), makeData({ type: new Struct(fields), length: 4, nullCount: 0, children: [keyData] }));
    const left = { schema: tableOf([['dk', types.string]], []).schema, batches: [probe] } satisfies TestTable;
    const right = tableOf([['rk', types.string], ['n', types.int32]], [['東', 1], ['a', 2], ['bé', 3], [null, 4]]);
    const got = runJoin({ type: 'left', buildSide: 'right', left, right, leftKeys: ['dk'], rightKeys: ['rk'] });
    expect(got.rows).toEqual([['東', '東', 1], ['a', 'a', 2], [null, null, null], ['東', '東', 1]]);
  });

  it('evaluates key expressions, not just columns', () => {
    const got = runJoin({ ...simple('inner', 'right'), leftKeys: ['lk + 1'], rightKeys: ['rk'] });
    expect(sorted(got.rows)).toEqual(sorted([[1, 1, 10, 2], [1, 1, 12, 2]]));
  });
});

describe('HashJoiner: the extra condition', () => {
  const l = tableOf([['lid', types.int32], ['lk', types.int32], ['v', types.int32]], [[1, 1, 5], [2, 1, 50], [3, 2, 1], [4, null, 1], [5, 1, null]]);
  const r = tableOf([['rid', types.int32], ['rk', types.int32], ['w', types.int32]], [[10, 1, 10], [11, 1, 20], [12, 2, 0], [13, 3, 0]]);
  // v < w: L1 matches R10, R11; L2 key-matches R10, R11 but fails; L3 fails against R12; L5's v is NULL.
  const expected: Record<JoinType, Cell[][]> = {
    inner: [[1, 1, 5, 10, 1, 10], [1, 1, 5, 11, 1, 20]],
    left: [[1, 1, 5, 10, 1, 10], [1, 1, 5, 11, 1, 20], [2, 1, 50, null, null, null], [3, 2, 1, null, null, null], [4, null, 1, null, null, null], [5, 1, null, null, null, null]],
    right: [[1, 1, 5, 10, 1, 10], [1, 1, 5, 11, 1, 20], [null, null, null, 12, 2, 0], [null, null, null, 13, 3, 0]],
    full: [
      [1, 1, 5, 10, 1, 10], [1, 1, 5, 11, 1, 20], [2, 1, 50, null, null, null], [3, 2, 1, null, null, null], [4, null, 1, null, null, null],
      [5, 1, null, null, null, null], [null, null, null, 12, 2, 0], [null, null, null, 13, 3, 0],
    ],
    left_semi: [[1, 1, 5]],
    left_anti: [[2, 1, 50], [3, 2, 1], [4, null, 1], [5, 1, null]],
  };
  for (const type of JOIN_TYPES) {
    for (const side of SIDES) {
      it(`${type}, build ${side}: a key match counts only where the condition is TRUE`, () => {
        const c: JoinCase = { type, buildSide: side, left: l, right: r, leftKeys: ['lk'], rightKeys: ['rk'], condition: 'v < w' };
        const base = runJoin(c).rows;
        expect(sorted(base)).toEqual(sorted(expected[type]));
        for (const batchRows of [1, 2]) expect(runJoin({ ...c, options: { batchRows } }).rows).toEqual(base);
      });
    }
  }

  it('emits a probe row once, in place, when its key matches but the condition fails everywhere', () => {
    const got = runJoin({ type: 'left', buildSide: 'right', left: l, right: r, leftKeys: ['lk'], rightKeys: ['rk'], condition: 'v < w AND rid > 10' });
    expect(got.rows).toEqual([[1, 1, 5, 11, 1, 20], [2, 1, 50, null, null, null], [3, 2, 1, null, null, null], [4, null, 1, null, null, null], [5, 1, null, null, null, null]]);
  });
});

describe('HashJoiner: empty inputs', () => {
  const empty = (t: TestTable): TestTable => ({ schema: t.schema, batches: [] });
  const emptyBatch = (t: TestTable): TestTable => tableOf(t.schema.fields.map((f) => [f.name, f.type] as const), [], 1);
  const onlyLeft: Record<JoinType, Cell[][]> = {
    inner: [], right: [], left_semi: [],
    left: [[1, 1, null, null], [2, 2, null, null], [3, null, null, null], [4, 2, null, null], [5, 9, null, null]],
    full: [[1, 1, null, null], [2, 2, null, null], [3, null, null, null], [4, 2, null, null], [5, 9, null, null]],
    left_anti: [[1, 1], [2, 2], [3, null], [4, 2], [5, 9]],
  };
  for (const type of JOIN_TYPES) {
    for (const side of SIDES) {
      it(`${type}, build ${side}: an empty right side (no batches, or a zero-row batch)`, () => {
        for (const right of [empty(R), emptyBatch(R)]) {
          expect(runJoin(simple(type, side, { right })).rows).toEqual(onlyLeft[type]);
        }
      });
      it(`${type}, build ${side}: an empty left side`, () => {
        const want = type === 'right' || type === 'full' ? [[null, null, 10, 2], [null, null, 11, 1], [null, null, 12, 2], [null, null, 13, null], [null, null, 14, 7]] : [];
        for (const left of [empty(L), emptyBatch(L)]) expect(runJoin(simple(type, side, { left })).rows).toEqual(want);
      });
    }
  }
});

describe('HashJoiner: a skewed key', () => {
  const N = 100_000;
  const big = tableOf([['rid', types.int32], ['rk', types.int32]], Array.from({ length: N }, (_, i) => [i, i === 5 ? 2 : 1]), 30_000);
  const probe = tableOf([['lid', types.int32], ['lk', types.int32]], [[1, 1], [2, 3], [3, 1], [4, 1]]);

  it('cuts one key with 100k matches per probe row into batches of at most 65,536 rows, in build order', () => {
    const got = runJoin({ type: 'left', buildSide: 'right', left: probe, right: big, leftKeys: ['lk'], rightKeys: ['rk'] });
    const matches = N - 1;
    expect(got.rows.length).toBe(3 * matches + 1);
    expect(Math.max(...got.batchSizes)).toBeLessThanOrEqual(JOIN_BATCH_ROWS);
    expect(got.batchSizes.reduce((a, b) => a + b, 0)).toBe(got.rows.length);
    expect(got.rows.slice(0, matches).map((r) => r[2])).toEqual(Array.from({ length: N }, (_, i) => i).filter((i) => i !== 5));
    expect(got.rows[matches]).toEqual([2, 3, null, null]);
    expect(got.rows[matches + 1]).toEqual([3, 1, 0, 1]);
    expect(got.rows.at(-1)).toEqual([4, 1, N - 1, 1]);
  });

  it('evaluates the condition over chunks that split one probe row; an all-failing row is emitted once', () => {
    const c: JoinCase = { type: 'full', buildSide: 'right', left: probe, right: big, leftKeys: ['lk'], rightKeys: ['rk'], condition: 'rid % 1000 = lid AND lid <> 3' };
    const got = runJoin(c);
    // lid 1: rids 1, 1001, …; lid 4: rids 4, 1004, …; lid 3 matches nothing (emitted once); lid 2 has no key.
    const hits = (lid: number): number[] => Array.from({ length: N / 1000 }, (_, i) => i * 1000 + lid);
    const probeRows = got.rows.slice(0, got.rows.length - got.finishRows);
    expect(probeRows).toEqual([
      ...hits(1).map((rid) => [1, 1, rid, 1]), [2, 3, null, null], [3, 1, null, null], ...hits(4).map((rid) => [4, 1, rid, 1]),
    ]);
    expect(got.finishRows).toBe(N - 200);
    expect(Math.max(...got.batchSizes)).toBeLessThanOrEqual(JOIN_BATCH_ROWS);
    expect(runJoin({ ...c, options: { batchRows: 7_777 } }).rows).toEqual(got.rows);
  });

  it('marks a skewed key matched once per probe row for semi and anti joins hashed on the left', () => {
    const left = tableOf([['lid', types.int32], ['lk', types.int32]], Array.from({ length: N }, (_, i) => [i, i % 10 === 0 ? 2 : 1]));
    const right = tableOf([['rid', types.int32], ['rk', types.int32]], Array.from({ length: 1000 }, (_, i) => [i, 1]));
    const semi = runJoin({ type: 'left_semi', buildSide: 'left', left, right, leftKeys: ['lk'], rightKeys: ['rk'] });
    expect(semi.rows.length).toBe(N * 0.9);
    expect(semi.rows.slice(0, 3)).toEqual([[1, 1], [2, 1], [3, 1]]);
    const anti = runJoin({ type: 'left_anti', buildSide: 'left', left, right, leftKeys: ['lk'], rightKeys: ['rk'] });
    expect(anti.rows.map((r) => r[0])).toEqual(Array.from({ length: N / 10 }, (_, i) => i * 10));
  });
});

describe('HashJoiner: contract', () => {
  it('estimates the bytes held by the build side, growing with it', () => {
    const small = runJoin(simple('inner', 'right')).joiner.estimatedBytes();
    const rows: Cell[][] = Array.from({ length: 10_000 }, (_, i) => [i, i % 100]);
    const large = runJoin(simple('inner', 'right', { right: tableOf([['rid', types.int32], ['rk', types.int32]], rows) })).joiner.estimatedBytes();
    expect(small).toBeGreaterThan(0);
    // Two int32 columns (80 kB) + key id and CSR index (80 kB) + 100 keys.
    expect(large).toBeGreaterThan(160_000);
    expect(large).toBeLessThan(400_000);
  });

  it('refuses build batches after probing, a second finish, and keys of different types', () => {
    const joiner = new HashJoiner({
      type: 'inner', left: L.schema, right: R.schema, leftKeys: [ColumnNode.create('lk')], rightKeys: [ColumnNode.create('rk')],
      condition: null, buildSide: 'right', output: joinOutputSchema('inner', L.schema, R.schema),
    });
    joiner.addBuild(R.batches[0]!);
    joiner.probe(L.batches[0]!);
    expect(() => joiner.addBuild(R.batches[0]!)).toThrow(/after probing/);
    joiner.finish();
    expect(() => joiner.finish()).toThrow(/twice/);
    const wide = tableOf([['rid', types.int32], ['rk', types.int64]], []);
    try {
      new HashJoiner({
        type: 'inner', left: L.schema, right: wide.schema, leftKeys: [ColumnNode.create('lk')], rightKeys: [ColumnNode.create('rk')],
        condition: null, buildSide: 'right', output: joinOutputSchema('inner', L.schema, wide.schema),
      });
      expect.unreachable();
    } catch (e) {
      expect(isPaylakeError(e) && e.code).toBe('INTERNAL');
      expect((e as Error).message).toMatch(/key 1 is int on the probe side \(lk\) but bigint/);
    }
  });

  it('runs a join without equi keys as a nested loop over the condition', () => {
    const got = runJoin({ ...simple('left', 'right'), leftKeys: [], rightKeys: [], condition: 'lid * 10 + 2 = rid' });
    expect(got.rows).toEqual([[1, 1, 12, 2], [2, 2, null, null], [3, null, null, null], [4, 2, null, null], [5, 9, null, null]]);
  });
});
