// Row-group reads return exactly that row group, projections come back in the asked order, and a decoder crash
// on one file neither hangs nor breaks later reads.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isPaylakeError } from '../../../lib/errors/paylake-error.js';
import { fileSystemFor } from '../../../lib/io/fs/resolve-file-system.js';
import { ParquetDecodeClient } from '../../../lib/io/parquet/parquet-decode-client.js';
import { openParquet } from '../../../lib/io/parquet/parquet-reader.js';
import { duckdb } from './duckdb-oracle.js';

const CORPUS = fileURLToPath(new URL('../../../../shared/parquet-testing', import.meta.url));
let dir = '';
let file = '';

beforeAll(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'paylake-reader-'));
  file = path.join(dir, 'rg.parquet');
  const c = await duckdb();
  await c.run(
    `COPY (SELECT i::BIGINT AS id, 'r' || i AS label, (i * 7) % 1000 AS amount FROM range(10000) t(i) ORDER BY i)
     TO '${file}' (FORMAT parquet, ROW_GROUP_SIZE 2048)`,
  );
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('openParquet / readRowGroup', () => {
  it('returns exactly the rows of the requested row group', async () => {
    const r = await openParquet(fileSystemFor(file), file);
    expect(r.metadata.rowGroups.length).toBeGreaterThan(1);
    let first = 0n;
    // Read in reverse so a reader that ignores rowGroups (and returns group 0) fails.
    const starts = r.metadata.rowGroups.map((rg) => {
      const s = first;
      first += BigInt(rg.numRows);
      return s;
    });
    for (let i = r.metadata.rowGroups.length - 1; i >= 0; i--) {
      const batches = await r.readRowGroup(i, { columns: ['id'] });
      const ids = batches.flatMap((b) => Array.from(b.getChildAt(0)!.toArray() as BigInt64Array));
      expect(ids.length).toBe(r.metadata.rowGroups[i]!.numRows);
      expect(ids[0]).toBe(starts[i]);
      expect(ids.at(-1)).toBe(starts[i]! + BigInt(ids.length) - 1n);
    }
  });

  it('returns the projected columns in the requested order, batched', async () => {
    const r = await openParquet(fileSystemFor(file), file);
    const batches = await r.readRowGroup(1, { columns: ['amount', 'label'], batchSize: 1000 });
    expect(batches[0]!.schema.fields.map((f) => f.name)).toEqual(['amount', 'label']);
    expect(batches.length).toBe(Math.ceil(r.metadata.rowGroups[1]!.numRows / 1000));
    expect(batches[0]!.getChild('label')!.get(0)).toBe(`r${r.metadata.rowGroups[0]!.numRows}`);
  });

  it('gives row counts for an empty projection and rejects unknown columns', async () => {
    const r = await openParquet(fileSystemFor(file), file);
    const batches = await r.readRowGroup(0, { columns: [] });
    expect(batches.reduce((s, b) => s + b.numRows, 0)).toBe(r.metadata.rowGroups[0]!.numRows);
    await expect(r.readRowGroup(0, { columns: ['nope'] })).rejects.toSatisfy((e) => isPaylakeError(e, 'NOT_FOUND'));
    await expect(r.readRowGroup(99)).rejects.toSatisfy((e) => isPaylakeError(e, 'USAGE'));
  });

  it('survives a decoder panic: the error names the file and row group, and later reads work', async () => {
    const bad = path.join(CORPUS, 'bad_data/ARROW-GH-45185.parquet');
    const rb = await openParquet(fileSystemFor(bad), bad);
    const err = await rb.readRowGroup(0).catch((e: unknown) => e);
    expect(isPaylakeError(err, 'PARQUET_CORRUPT')).toBe(true);
    expect((err as Error).message).toContain(`${bad}: row group 0`);
    const r = await openParquet(fileSystemFor(file), file);
    expect((await r.readRowGroup(0, { columns: ['id'] }))[0]!.numRows).toBeGreaterThan(0);
  });

  it('reads repeated_no_annotation.parquet (footer says 0 rows, the row group holds 6)', async () => {
    const f = path.join(CORPUS, 'data/repeated_no_annotation.parquet');
    const r = await openParquet(fileSystemFor(f), f);
    expect(r.metadata.footerNumRows).toBe(0);
    expect(r.metadata.numRows).toBe(6);
    expect((await r.readRowGroup(0)).reduce((s, b) => s + b.numRows, 0)).toBe(6);
  });

  it('refuses INT96 values parquet-wasm would wrap, and reads in-range INT96', async () => {
    const f = path.join(CORPUS, 'data/int96_from_spark.parquet');
    const r = await openParquet(fileSystemFor(f), f);
    const err = await r.readRowGroup(0).catch((e: unknown) => e);
    expect(isPaylakeError(err, 'PARQUET_UNSUPPORTED')).toBe(true);
    expect((err as Error).message).toMatch(/INT96.*1677-09-21\.\.2262-04-11/);
    const ok = path.join(CORPUS, 'data/alltypes_plain.parquet');
    const r2 = await openParquet(fileSystemFor(ok), ok);
    expect((await r2.readRowGroup(0, { columns: ['timestamp_col'] }))[0]!.numRows).toBe(8);
  });

  it('times out instead of hanging', async () => {
    // A fresh decoder must start a thread and instantiate parquet-wasm (tens of ms), so 1 ms always runs out;
    // the warm shared decoder could answer within 1 ms and make this test racy.
    const cold = new ParquetDecodeClient();
    const err = await openParquet(fileSystemFor(file), file, { timeoutMs: 1, decoder: cold })
      .then((r) => r.readRowGroup(0))
      .catch((e: unknown) => e)
      .finally(() => cold.close());
    // The read fails cleanly and the next reader still works.
    expect(isPaylakeError(err, 'PARQUET_CORRUPT')).toBe(true);
    expect((err as Error).message).toContain('did not finish within 1 ms');
    const r2 = await openParquet(fileSystemFor(file), file);
    expect((await r2.readRowGroup(0, { columns: ['id'] }))[0]!.numRows).toBeGreaterThan(0);
  });

  it('rejects files that are not Parquet', async () => {
    const junk = path.join(dir, 'junk.parquet');
    writeFileSync(junk, 'not parquet at all, just text');
    await expect(openParquet(fileSystemFor(junk), junk)).rejects.toSatisfy((e) => isPaylakeError(e, 'PARQUET_CORRUPT'));
  });
});
