// The streaming Parquet writer, checked with DuckDB as an independent reader.
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';
import { Field, Int64, RecordBatch, Schema, Struct, TimestampMicrosecond, Utf8, makeData } from 'apache-arrow';
import { ParquetFileWriter } from '../../../lib/io/parquet/parquet-writer.js';

const schema = new Schema([
  new Field('id', new Int64(), false),
  new Field('ts', new TimestampMicrosecond('UTC'), false),
  new Field('name', new Utf8(), true),
]);

function batch(start: number, n: number, extremes = false): RecordBatch {
  const ids = new BigInt64Array(n);
  const ts = new BigInt64Array(n);
  const offsets = new Int32Array(n + 1);
  const validity = new Uint8Array((n + 7) >> 3);
  let bytes = '';
  let nulls = 0;
  for (let i = 0; i < n; i++) {
    ids[i] = BigInt(start + i);
    ts[i] = 1_793_491_200_000_000n + BigInt(start + i) * 1_000_000n; // 2026-11-01T00:00:00Z + i seconds
    if ((start + i) % 10 === 3) nulls++;
    else {
      validity[i >> 3]! |= 1 << (i & 7);
      bytes += `n${start + i}`;
    }
    offsets[i + 1] = bytes.length;
  }
  if (extremes) {
    ids[0] = -9_223_372_036_854_775_808n;
    ids[1] = 9_223_372_036_854_775_807n;
  }
  const children = [
    makeData({ type: new Int64(), length: n, data: ids }),
    makeData({ type: new TimestampMicrosecond('UTC'), length: n, data: ts }),
    makeData({ type: new Utf8(), length: n, nullCount: nulls, nullBitmap: validity, valueOffsets: offsets, data: new TextEncoder().encode(bytes) }),
  ];
  return new RecordBatch(schema, makeData({ type: new Struct(schema.fields), length: n, children }));
}

let dir: string;
let con: DuckDBConnection;

async function rows(sql: string): Promise<Record<string, unknown>[]> {
  return (await con.runAndReadAll(sql)).getRowObjectsJson() as Record<string, unknown>[];
}

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'paylake-pw-'));
  con = await (await DuckDBInstance.create(':memory:')).connect();
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('ParquetFileWriter', () => {
  it('streams batches into row groups of the requested size with ZSTD and statistics', async () => {
    const file = path.join(dir, 'a.parquet');
    const w = await ParquetFileWriter.open(file, schema, { maxRowGroupRows: 10_000, createdBy: 'paylake test', keyValueMetadata: { k: 'v' } });
    for (let b = 0; b < 5; b++) await w.write(batch(b * 7_000, 7_000, b === 0));
    const result = await w.close();
    expect(result.rows).toBe(35_000);
    const meta = await rows(`SELECT row_group_id, row_group_num_rows, compression, stats_min, stats_max, stats_null_count FROM parquet_metadata('${file}') WHERE path_in_schema = 'id' ORDER BY row_group_id`);
    expect(meta.map((m) => Number(m.row_group_num_rows))).toEqual([10_000, 10_000, 10_000, 5_000]);
    expect(meta.every((m) => m.compression === 'ZSTD')).toBe(true);
    expect(meta[0]!.stats_min).toBe('-9223372036854775808');
    expect(meta[0]!.stats_max).toBe('9223372036854775807');
    const names = await rows(`SELECT stats_null_count FROM parquet_metadata('${file}') WHERE path_in_schema = 'name' AND row_group_id = 0`);
    expect(Number(names[0]!.stats_null_count)).toBe(1_000);
    const fileMeta = await rows(`SELECT created_by FROM parquet_file_metadata('${file}')`);
    expect(fileMeta[0]!.created_by).toBe('paylake test');
    const kv = await rows(`SELECT decode(key) AS k, decode(value) AS v FROM parquet_kv_metadata('${file}') WHERE decode(key) = 'k'`);
    expect(kv).toEqual([{ k: 'k', v: 'v' }]);
  });

  it('keeps int64 extremes, nulls and UTC microsecond timestamps exact', async () => {
    const file = path.join(dir, 'b.parquet');
    const w = await ParquetFileWriter.open(file, schema, { codec: 'SNAPPY' });
    await w.write(batch(0, 20, true));
    await w.close();
    const types = await rows(`SELECT column_name, column_type FROM (DESCRIBE SELECT * FROM '${file}')`);
    expect(types).toEqual([
      { column_name: 'id', column_type: 'BIGINT' },
      { column_name: 'ts', column_type: 'TIMESTAMP WITH TIME ZONE' },
      { column_name: 'name', column_type: 'VARCHAR' },
    ]);
    const r = await rows(`SELECT id::VARCHAR AS id, epoch_us(ts)::VARCHAR AS us, name FROM '${file}' ORDER BY ts`);
    expect(r[0]).toEqual({ id: '-9223372036854775808', us: '1793491200000000', name: 'n0' });
    expect(r[1]!.id).toBe('9223372036854775807');
    expect(r[3]!.name).toBeNull();
    const codec = await rows(`SELECT DISTINCT compression FROM parquet_metadata('${file}')`);
    expect(codec).toEqual([{ compression: 'SNAPPY' }]);
  });

  it('writes a valid empty file with the schema', async () => {
    const file = path.join(dir, 'empty.parquet');
    const w = await ParquetFileWriter.open(file, schema);
    expect((await w.close()).rows).toBe(0);
    expect(await rows(`SELECT count(*)::INT AS n FROM '${file}'`)).toEqual([{ n: 0 }]);
  });

  it('leaves no file behind when aborted, and never shows a half-written file under the final name', async () => {
    const sub = path.join(dir, 'abort');
    const file = path.join(sub, 'x.parquet');
    const w = await ParquetFileWriter.open(file, schema);
    await w.write(batch(0, 1000));
    expect(await readdir(sub)).not.toContain('x.parquet');
    await w.abort();
    expect(await readdir(sub)).toEqual([]);
  });
});
