// Footer statistics decoded exactly: min/max per row group and column match DuckDB's parquet_metadata().
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fileSystemFor } from '../../../lib/io/fs/resolve-file-system.js';
import { readParquetMetadata } from '../../../lib/io/parquet/parquet-metadata.js';
import type { ParquetStatValue } from '../../../lib/io/parquet/parquet-statistics.js';
import { formatDecimal } from './arrow-normalize.js';
import { duckdb } from './duckdb-oracle.js';

let dir = '';
let file = '';

beforeAll(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'paylake-meta-'));
  file = path.join(dir, 'stats.parquet');
  const c = await duckdb();
  await c.run(
    `COPY (SELECT i::BIGINT - 5000 AS id, i::INTEGER AS n, 'k' || lpad(i::VARCHAR, 5, '0') AS s,
                  (i * 1.25)::DECIMAL(12,2) AS amount, (DATE '2026-11-01' + (i % 30)::INTEGER) AS dt,
                  make_timestamp(1700000000000000 + i * 1000000) AS ts, i / 3.0 AS d
           FROM range(5000) t(i))
     TO '${file}' (FORMAT parquet, ROW_GROUP_SIZE 1024)`,
  );
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function text(v: ParquetStatValue | null, scale: number | null): string | null {
  if (v === null) return null;
  if (typeof v === 'bigint' && scale !== null) return formatDecimal(v, scale);
  return String(v);
}

describe('readParquetMetadata', () => {
  it('matches DuckDB parquet_metadata() row counts and min/max', async () => {
    const md = await readParquetMetadata(fileSystemFor(file), file);
    const c = await duckdb();
    const rows = (
      await c.runAndReadAll(
        `SELECT row_group_id, row_group_num_rows, path_in_schema, stats_min_value, stats_max_value, stats_null_count
         FROM parquet_metadata('${file}') ORDER BY row_group_id, column_id`,
      )
    ).getRowObjectsJson() as Record<string, string | null>[];
    expect(md.numRows).toBe(5000);
    expect(md.rowGroups.length).toBe(new Set(rows.map((r) => r['row_group_id'])).size);
    for (const r of rows) {
      const rg = md.rowGroups[Number(r['row_group_id'])]!;
      expect(rg.numRows).toBe(Number(r['row_group_num_rows']));
      const col = rg.columns.find((x) => x.path === r['path_in_schema'])!;
      const scale = col.logicalType?.type === 'DECIMAL' ? col.logicalType.scale : null;
      let min = text(col.statistics!.min, scale);
      let max = text(col.statistics!.max, scale);
      if (col.path === 'dt') {
        // DuckDB prints dates; ours are days since the epoch.
        const iso = (d: string | null) => (d === null ? null : new Date(Number(d) * 86_400_000).toISOString().slice(0, 10));
        [min, max] = [iso(min), iso(max)];
      }
      if (col.path === 'ts') {
        expect(col.logicalType).toMatchObject({ type: 'TIMESTAMP', unit: 'MICROS' });
        const iso = (us: string | null) => (us === null ? null : new Date(Number(BigInt(us) / 1000n)).toISOString().replace('T', ' ').replace('.000Z', '').replace('Z', ''));
        [min, max] = [iso(min), iso(max)];
      }
      if (typeof col.statistics!.min === 'number' && col.physicalType === 'DOUBLE') {
        expect([Number(min), Number(max)]).toEqual([Number(r['stats_min_value']), Number(r['stats_max_value'])]);
        continue;
      }
      expect([col.path, min, max]).toEqual([col.path, r['stats_min_value'], r['stats_max_value']]);
      expect(col.statistics!.nullCount).toBe(Number(r['stats_null_count']));
    }
    const id = md.rowGroups[0]!.columns.find((x) => x.path === 'id')!;
    expect(typeof id.statistics!.min).toBe('bigint');
    expect(id.physicalType).toBe('INT64');
  });
});
