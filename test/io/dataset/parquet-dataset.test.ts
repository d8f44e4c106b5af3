// Dataset discovery over DuckDB-written dt= directories: typed partitions, schema merging, conflicts, globs.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { DateDay, Int32 } from 'apache-arrow';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isPaylakeError } from '../../../lib/errors/paylake-error.js';
import { discoverParquetDataset, readDatasetRowGroup } from '../../../lib/io/dataset/parquet-dataset.js';
import { duckdb } from '../parquet/duckdb-oracle.js';

let root = '';

async function write(sql: string, file: string): Promise<void> {
  mkdirSync(path.dirname(file), { recursive: true });
  await (await duckdb()).run(`COPY (${sql}) TO '${file}' (FORMAT parquet)`);
}

beforeAll(async () => {
  root = mkdtempSync(path.join(tmpdir(), 'paylake-ds-'));
  const tx = path.join(root, 'tx');
  await write(`SELECT i::BIGINT AS id, i * 10 AS amount FROM range(3) t(i)`, path.join(tx, 'dt=2026-11-01/shard=1/part-0.parquet'));
  await write(`SELECT (i + 3)::BIGINT AS id, i * 10 AS amount, 'EUR' AS currency FROM range(2) t(i)`, path.join(tx, 'dt=2026-11-02/shard=2/part-0.parquet'));
  await write(`SELECT 9::BIGINT AS id, 5::BIGINT AS amount`, path.join(tx, 'dt=2026-11-10/shard=__HIVE_DEFAULT_PARTITION__/part-0.parquet'));
  writeFileSync(path.join(tx, '_SUCCESS'), '');
  const bad = path.join(root, 'bad');
  await write(`SELECT 1::BIGINT AS id`, path.join(bad, 'dt=2026-11-01/a.parquet'));
  await write(`SELECT 'x' AS id`, path.join(bad, 'dt=2026-11-02/b.parquet'));
  mkdirSync(path.join(root, 'empty'));
  writeFileSync(path.join(root, 'empty', '_SUCCESS'), '');
});
afterAll(() => rmSync(root, { recursive: true, force: true }));

describe('discoverParquetDataset', () => {
  it('types partitions as Spark, merges added columns, puts partitions last', async () => {
    const ds = await discoverParquetDataset([path.join(root, 'tx')]);
    expect(ds.files.length).toBe(3);
    expect(ds.schema.fields.map((f) => f.name)).toEqual(['id', 'amount', 'currency', 'dt', 'shard']);
    expect(ds.partitionColumns[0]!.type).toBeInstanceOf(DateDay);
    expect(ds.partitionColumns[1]!.type).toBeInstanceOf(Int32);
    expect(ds.fileSchema.fields.find((f) => f.name === 'currency')!.nullable).toBe(true);
    expect(ds.files.map((f) => f.partitionValues)).toEqual([
      [Date.UTC(2026, 10, 1) / 86_400_000, 1],
      [Date.UTC(2026, 10, 2) / 86_400_000, 2],
      [Date.UTC(2026, 10, 10) / 86_400_000, null],
    ]);
  });

  it('reads batches conforming to the merged schema: missing columns NULL, partitions constant', async () => {
    const ds = await discoverParquetDataset([path.join(root, 'tx')]);
    const [b] = await readDatasetRowGroup(ds, ds.files[0]!, 0, ['currency', 'id', 'dt', 'shard']);
    expect(b!.schema.fields.map((f) => f.name)).toEqual(['currency', 'id', 'dt', 'shard']);
    expect(b!.numRows).toBe(3);
    expect(b!.getChild('currency')!.toArray()).toEqual([null, null, null]);
    expect(Array.from(b!.getChild('id')!.toArray() as BigInt64Array)).toEqual([0n, 1n, 2n]);
    expect(b!.getChild('dt')!.data[0]!.values[2]).toBe(Date.UTC(2026, 10, 1) / 86_400_000);
    expect(b!.getChild('shard')!.get(0)).toBe(1);
    const [c] = await readDatasetRowGroup(ds, ds.files[2]!, 0);
    expect(c!.getChild('shard')!.get(0)).toBeNull();
    expect(c!.getChild('currency')!.get(0)).toBeNull();
    const [d] = await readDatasetRowGroup(ds, ds.files[1]!, 0, ['currency']);
    expect(d!.getChild('currency')!.get(1)).toBe('EUR');
  });

  it('accepts a glob and keeps partition columns from below its fixed prefix', async () => {
    const ds = await discoverParquetDataset([path.join(root, 'tx/dt=2026-11-0*/*/*.parquet')]);
    expect(ds.files.map((f) => path.basename(path.dirname(path.dirname(f.uri))))).toEqual(['dt=2026-11-01', 'dt=2026-11-02']);
    expect(ds.partitionColumns.map((f) => f.name)).toEqual(['dt', 'shard']);
  });

  it('names both files and the column on a type conflict', async () => {
    const err = await discoverParquetDataset([path.join(root, 'bad')]).catch((e: unknown) => e);
    expect(isPaylakeError(err, 'SCHEMA_CONFLICT')).toBe(true);
    const msg = (err as Error).message;
    expect(msg).toContain('"id"');
    expect(msg).toContain(path.join(root, 'bad/dt=2026-11-01/a.parquet'));
    expect(msg).toContain(path.join(root, 'bad/dt=2026-11-02/b.parquet'));
  });

  it('reports missing paths, empty directories and empty globs', async () => {
    const missing = path.join(root, 'nope');
    const e1 = await discoverParquetDataset([missing]).catch((e: unknown) => e);
    expect(isPaylakeError(e1, 'NOT_FOUND')).toBe(true);
    expect((e1 as Error).message).toContain(missing);
    const e2 = await discoverParquetDataset([path.join(root, 'empty')]).catch((e: unknown) => e);
    expect(isPaylakeError(e2, 'NOT_FOUND')).toBe(true);
    expect((e2 as Error).message).toMatch(/no data files/);
    const e3 = await discoverParquetDataset([path.join(root, 'tx/dt=2027-*/*/*.parquet')]).catch((e: unknown) => e);
    expect(isPaylakeError(e3, 'NOT_FOUND')).toBe(true);
  });
});
