// Group-by hash table: Spark's grouping of NULLs, -0.0/NaN, UTF-8 bytes, every key type, growth to 100k groups.
import { describe, expect, it } from 'vitest';
import { Dictionary, Int32, makeData, Utf8, Vector } from 'apache-arrow';
import { GroupHashTable } from '../../../../lib/dataframe/physical/aggregate/group-hash-table.js';
import { columnFromVector } from '../../../../lib/dataframe/physical/expr-eval/arrow-column.js';
import { types } from '../../../../lib/dataframe/types/data-type.js';
import type { DataType } from '../../../../lib/dataframe/types/data-type.js';
import { vectorOf } from './aggregate-fixtures.js';
import type { Cell } from './aggregate-fixtures.js';

function ids(keyTypes: DataType[], columns: Cell[][]): number[] {
  const t = new GroupHashTable(keyTypes);
  const cols = columns.map((vals, k) => columnFromVector(vectorOf(keyTypes[k]!, vals), keyTypes[k]!, `k${k}`));
  return [...t.findOrInsert(cols, columns[0]!.length)];
}

describe('GroupHashTable', () => {
  it('gives dense ids in first-seen order, one group for all NULLs', () => {
    expect(ids([types.int32], [[5, null, 5, 7, null, 7, 5]])).toEqual([0, 1, 0, 2, 1, 2, 0]);
  });

  it('groups -0.0 with 0.0 and every NaN together (Spark normalisation)', () => {
    const nan2 = new Float64Array(new BigUint64Array([0x7ff8000000000001n]).buffer)[0]!;
    expect(Number.isNaN(nan2)).toBe(true);
    expect(ids([types.float64], [[0, -0, NaN, nan2, 1.5, null, -0]])).toEqual([0, 0, 1, 1, 2, 3, 0]);
  });

  it('compares strings by UTF-8 bytes, multi-byte characters included', () => {
    expect(ids([types.string], [['é', 'e\u0301', 'é', '€', '😀', '€', '', null, '']])).toEqual([0, 1, 0, 2, 3, 2, 4, 5, 4]);
  });

  it('distinguishes every key type, including int64 and decimal extremes', () => {
    const max = (1n << 63n) - 1n;
    const min = -(1n << 63n);
    expect(ids([types.int64], [[max, min, max, -1n, 0n, -1n]])).toEqual([0, 1, 0, 2, 3, 2]);
    const d38 = 10n ** 38n - 1n;
    expect(ids([types.decimal(38, 2)], [[d38, -d38, d38, 1n, -1n, null, 1n]])).toEqual([0, 1, 0, 2, 3, 4, 2]);
    expect(ids([types.boolean], [[true, false, null, true]])).toEqual([0, 1, 2, 0]);
    expect(ids([types.date], [[19000, -1, 19000]])).toEqual([0, 1, 0]);
    expect(ids([types.timestamp], [[1n, 2n, 1n]])).toEqual([0, 1, 0]);
  });

  it('combines several key columns (NULL in one column is its own key part)', () => {
    expect(ids([types.string, types.int64], [['a', 'a', null, null, 'a'], [1n, null, 1n, 1n, 1n]])).toEqual([0, 1, 2, 2, 0]);
  });

  it('has exactly one group with no key columns', () => {
    const t = new GroupHashTable([]);
    expect(t.groupCount).toBe(1);
    expect([...t.findOrInsert([], 3)]).toEqual([0, 0, 0]);
    expect(t.groupCount).toBe(1);
  });

  it('reads dictionary-encoded strings by entry (unused entries make no group)', () => {
    const dictValues = vectorOf(types.string, ['x', 'unused', 'y']);
    const d = makeData({ type: new Dictionary(new Utf8(), new Int32()), length: 4, data: new Int32Array([2, 0, 2, 0]), dictionary: dictValues });
    const t = new GroupHashTable([types.string]);
    const g = t.findOrInsert([columnFromVector(new Vector([d]), types.string, 'k')], 4);
    expect([...g]).toEqual([0, 1, 0, 1]);
    expect(t.groupCount).toBe(2);
    // The same strings in plain form find the same groups.
    expect([...t.findOrInsert([columnFromVector(vectorOf(types.string, ['x', 'y']), types.string, 'k')], 2)]).toEqual([1, 0]);
  });

  it('grows to 100k groups across batches and keeps every id stable', () => {
    const t = new GroupHashTable([types.int64, types.string]);
    const n = 100_000;
    const a = Array.from({ length: n }, (_, i) => BigInt(i * 7919) - 300_000n);
    const s = Array.from({ length: n }, (_, i) => `k${i % 1000}`);
    const first = t.findOrInsert([columnFromVector(vectorOf(types.int64, a), types.int64, 'a'), columnFromVector(vectorOf(types.string, s), types.string, 's')], n);
    expect(t.groupCount).toBe(n);
    expect(first[n - 1]).toBe(n - 1);
    const rev = [...a].reverse();
    const revS = [...s].reverse();
    const again = t.findOrInsert([columnFromVector(vectorOf(types.int64, rev), types.int64, 'a'), columnFromVector(vectorOf(types.string, revS), types.string, 's')], n);
    expect(t.groupCount).toBe(n);
    expect(again[0]).toBe(n - 1);
    expect(again[n - 1]).toBe(0);
  });

  it('sorts groups by keys ascending with NULLs first, NaN greatest, strings by bytes', () => {
    const t = new GroupHashTable([types.float64]);
    t.findOrInsert([columnFromVector(vectorOf(types.float64, [3, NaN, null, -Infinity, -0, 1]), types.float64, 'f')], 6);
    expect([...t.sortedGroupOrder()]).toEqual([2, 3, 4, 5, 0, 1]);
    const s = new GroupHashTable([types.string]);
    s.findOrInsert([columnFromVector(vectorOf(types.string, ['é', 'z', 'Z', null, 'e', '']), types.string, 's')], 6);
    // UTF-8 byte order: '' < 'Z' < 'e' < 'z' < 'é' (0xC3 0xA9).
    expect([...s.sortedGroupOrder()]).toEqual([3, 5, 2, 4, 1, 0]);
  });
});
