// ExternalSorter against sortBatches on the same batches: with a budget so small that every batch is a
// run (many runs, merged in several passes), with a few runs plus an in-memory remainder, and with no
// spill at all, the output is the same rows in the same order (ties in input order), in batches of
// 65,536 rows; the scratch directory is empty after finish(), after the consumer stops early and after
// errors.
import { DuckDBInstance } from '@duckdb/node-api';
import { mkdirSync, mkdtempSync, openAsBlob, readdirSync, rmSync, truncateSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Field, Int32, Int64, RecordBatch, Schema as ArrowSchema, Struct, makeData, tableFromIPC } from 'apache-arrow';
import * as pw from 'parquet-wasm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { analyzeExpr } from '../../../../lib/dataframe/expr/analyze-expr.js';
import { parseSortKeys } from '../../../../lib/dataframe/expr/parser/parse-expression.js';
import type { SortKey } from '../../../../lib/dataframe/expr/sort-key.js';
import { recordBatchBytes } from '../../../../lib/dataframe/exec/spill/batch-bytes.js';
import { ExternalSorter } from '../../../../lib/dataframe/physical/sort/external-sort.js';
import type { SpillContext } from '../../../../lib/dataframe/physical/sort/external-sort.js';
import { sortBatches } from '../../../../lib/dataframe/physical/sort/sort-batches.js';
import { schemaFromArrow } from '../../../../lib/dataframe/types/arrow-type.js';
import type { Schema } from '../../../../lib/dataframe/types/schema.js';
import { isPaylakeError } from '../../../../lib/errors/paylake-error.js';

let dir: string;
let scratch: string;
let batches: RecordBatch[];
let schema: Schema;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'paylake-external-sort-'));
  scratch = join(dir, 'scratch');
  mkdirSync(scratch);
  const file = join(dir, 'input.parquet');
  const db = await (await DuckDBInstance.create(':memory:')).connect();
  // Few distinct values per key, so most rows tie with many others: only a stable sort gets `id` right.
  await db.run(`COPY (
    SELECT i AS id,
           CASE WHEN i % 11 = 0 THEN NULL ELSE ((i * 7919) % 13)::INT END AS k,
           CASE i % 9 WHEN 0 THEN NULL WHEN 1 THEN 'naïve' WHEN 2 THEN 'Zürich' WHEN 3 THEN '' WHEN 4 THEN '日本'
                      WHEN 5 THEN '😀' ELSE 'm' || (i % 3) END AS s,
           CASE WHEN i % 17 = 0 THEN 'NaN'::DOUBLE WHEN i % 19 = 0 THEN -0.0 WHEN i % 23 = 0 THEN NULL
                WHEN i % 29 = 0 THEN 0.0 ELSE (i % 37) - 18.5 END AS d,
           CASE WHEN i % 13 = 0 THEN NULL ELSE ((i % 29) - 14)::DECIMAL(18,2) / 4 END AS dec,
           CASE i % 31 WHEN 0 THEN 9223372036854775807 WHEN 1 THEN -9223372036854775808 ELSE i * 1000003 % 97 END::BIGINT AS big,
           CASE WHEN i % 7 = 0 THEN NULL ELSE DATE '1969-12-01' + (i % 40)::INT END AS dt,
           CASE WHEN i % 5 = 0 THEN NULL ELSE TIMESTAMPTZ '2024-03-01 00:00:00+00' + to_seconds(i % 50) END AS ts,
           CASE WHEN i % 4 = 0 THEN NULL ELSE i % 3 = 0 END AS flag,
           ((i % 7) + 1)::INT AS x
    FROM range(20000) t(i)
  ) TO '${file}' (FORMAT parquet, ROW_GROUP_SIZE 4096)`);
  db.closeSync();
  const pf = await pw.ParquetFile.fromFile(await openAsBlob(file));
  batches = tableFromIPC((await pf.read({ batchSize: 500 })).intoIPCStream()).batches;
  schema = schemaFromArrow(batches[0]!.schema);
});

afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

function keysOf(order: string): SortKey[] {
  return parseSortKeys(order).map((k) => ({ ...k, expr: analyzeExpr(k.expr, schema).expr }));
}

/** Every value, row by row (decimals as their digits), and the batch sizes. */
function contents(result: readonly RecordBatch[]): { rows: unknown[][]; sizes: number[] } {
  const rows = result.flatMap((b) =>
    Array.from({ length: b.numRows }, (_, i) =>
      b.schema.fields.map((_, c) => {
        const v: unknown = b.getChildAt(c)!.get(i);
        return v !== null && typeof v === 'object' ? String(v) : v;
      }),
    ),
  );
  return { rows, sizes: result.map((b) => b.numRows) };
}

interface SortRun {
  readonly output: RecordBatch[];
  readonly spilledBytes: number;
  readonly reported: number;
  readonly spills: number;
}

async function externalSort(input: readonly RecordBatch[], s: Schema, keys: readonly SortKey[], budget: number): Promise<SortRun> {
  let reported = 0;
  let spills = 0;
  const spill: SpillContext = {
    dir: scratch,
    onSpill(bytes) {
      reported += bytes;
      spills++;
    },
  };
  const sorter = new ExternalSorter(s, keys, budget, spill);
  for (const b of input) await sorter.add(b);
  const output: RecordBatch[] = [];
  for await (const b of sorter.finish()) output.push(b);
  return { output, spilledBytes: sorter.spilledBytes, reported, spills };
}

const ORDERS = [
  'k',
  'k DESC NULLS FIRST, s',
  's DESC, d NULLS FIRST',
  'd DESC NULLS LAST',
  'dec, big DESC',
  'flag NULLS LAST, dt DESC, ts',
  'k + x DESC',
  'ts DESC NULLS FIRST, k NULLS LAST',
];

describe('ExternalSorter', () => {
  it('reads the test file in many batches', () => {
    expect(batches.length).toBeGreaterThan(32); // more runs than one merge takes (16)
    expect(batches.length).toBeLessThanOrEqual(16 * 16);
  });

  for (const order of ORDERS) {
    it(`equals sortBatches with every batch a run (many runs, merged in passes): ORDER BY ${order}`, async () => {
      const keys = keysOf(order);
      const expected = contents(sortBatches(batches, schema, keys, null));
      const r = await externalSort(batches, schema, keys, 1);
      // More runs than the fan-in of 16: one pass merges groups of 16 runs before the final merge.
      expect(r.spills).toBe(batches.length + Math.ceil(batches.length / 16));
      expect(contents(r.output)).toEqual(expected);
      expect(r.spilledBytes).toBeGreaterThan(0);
      expect(r.reported).toBe(r.spilledBytes);
      expect(readdirSync(scratch)).toEqual([]);
    });

    it(`equals sortBatches with a few runs and an in-memory remainder: ORDER BY ${order}`, async () => {
      const keys = keysOf(order);
      const expected = contents(sortBatches(batches, schema, keys, null));
      const r = await externalSort(batches, schema, keys, Math.floor(recordBatchBytes(batches[0]!) * 2.5));
      expect(r.spills).toBeGreaterThan(5);
      expect(r.spills).toBeLessThan(16);
      expect(contents(r.output)).toEqual(expected);
      expect(readdirSync(scratch)).toEqual([]);
    });
  }

  it('sorts in memory without spilling when the budget holds everything', async () => {
    const keys = keysOf('s, id DESC');
    const r = await externalSort(batches, schema, keys, 1024 ** 3);
    expect(r.spilledBytes).toBe(0);
    expect(r.spills).toBe(0);
    expect(contents(r.output)).toEqual(contents(sortBatches(batches, schema, keys, null)));
  });

  it('handles empty input and empty batches', async () => {
    const keys = keysOf('k');
    expect((await externalSort([], schema, keys, 1)).output).toEqual([]);
    const r = await externalSort([batches[0]!.slice(0, 0), batches[1]!, batches[2]!.slice(0, 0)], schema, keys, 1);
    expect(contents(r.output)).toEqual(contents(sortBatches([batches[1]!], schema, keys, null)));
  });

  it('emits batches of 65,536 rows and keeps ties in input order over many rows', async () => {
    const rows = 200_000;
    const fields = [new Field('id', new Int64(), false), new Field('g', new Int32(), true)];
    const big: RecordBatch[] = [];
    for (let start = 0; start < rows; start += 10_000) {
      const ids = BigInt64Array.from({ length: 10_000 }, (_, i) => BigInt(start + i));
      const groups = Int32Array.from({ length: 10_000 }, (_, i) => ((start + i) * 31) % 5);
      const children = [makeData({ type: new Int64(), length: 10_000, data: ids }), makeData({ type: new Int32(), length: 10_000, data: groups })];
      big.push(new RecordBatch(new ArrowSchema(fields), makeData({ type: new Struct(fields), length: 10_000, nullCount: 0, children })));
    }
    const bigSchema = schemaFromArrow(big[0]!.schema);
    const keys = parseSortKeys('g DESC').map((k) => ({ ...k, expr: analyzeExpr(k.expr, bigSchema).expr }));
    const r = await externalSort(big, bigSchema, keys, 300_000);
    expect(r.output.map((b) => b.numRows)).toEqual([65_536, 65_536, 65_536, rows - 3 * 65_536]);
    const out = r.output.flatMap((b) => [...(b.getChild('id')!.toArray() as BigInt64Array)]);
    const expected = sortBatches(big, bigSchema, keys, null).flatMap((b) => [...(b.getChild('id')!.toArray() as BigInt64Array)]);
    expect(out).toEqual(expected);
    expect(readdirSync(scratch)).toEqual([]);
  });

  it('leaves the scratch directory empty when the consumer stops early', async () => {
    const sorter = new ExternalSorter(schema, keysOf('k'), 1, { dir: scratch, onSpill: () => {} });
    for (const b of batches) await sorter.add(b);
    expect(readdirSync(scratch).length).toBe(batches.length);
    for await (const b of sorter.finish()) {
      expect(b.numRows).toBeGreaterThan(0);
      break;
    }
    expect(readdirSync(scratch)).toEqual([]);
  });

  it('leaves the scratch directory empty when discarded before finish()', async () => {
    const sorter = new ExternalSorter(schema, keysOf('k'), 1, { dir: scratch, onSpill: () => {} });
    for (const b of batches.slice(0, 5)) await sorter.add(b);
    expect(readdirSync(scratch).length).toBe(5);
    sorter.discard();
    expect(readdirSync(scratch)).toEqual([]);
  });

  it('leaves the scratch directory empty when a key fails to evaluate while spilling', async () => {
    // 100 / (x - 7) divides by zero on rows with x = 7, which every batch has: the first spill fails.
    const sorter = new ExternalSorter(schema, keysOf('k, 100 / (x - 7)'), recordBatchBytes(batches[0]!) * 3, { dir: scratch, onSpill: () => {} });
    const err = await (async () => {
      for (const b of batches) await sorter.add(b);
    })().catch((e: unknown) => e);
    expect(isPaylakeError(err, 'ARITHMETIC')).toBe(true);
    expect(readdirSync(scratch)).toEqual([]);
    await expect(sorter.add(batches[0]!)).rejects.toThrow(/failed/);
  });

  it('leaves the scratch directory empty when a run cannot be read back', async () => {
    const sorter = new ExternalSorter(schema, keysOf('k'), recordBatchBytes(batches[0]!) * 3, { dir: scratch, onSpill: () => {} });
    for (const b of batches) await sorter.add(b);
    const runs = readdirSync(scratch);
    expect(runs.length).toBeGreaterThan(5);
    const victim = join(scratch, runs[0]!);
    truncateSync(victim, Math.floor(statSync(victim).size / 2));
    const err = await (async () => {
      for await (const b of sorter.finish()) expect(b.numRows).toBeGreaterThan(0);
    })().catch((e: unknown) => e);
    expect(isPaylakeError(err, 'IO')).toBe(true);
    expect(readdirSync(scratch)).toEqual([]);
  });
});
