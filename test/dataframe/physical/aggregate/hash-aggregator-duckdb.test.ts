// Differential test: a DuckDB-generated Parquet table (skewed keys, NULLs, multi-byte strings, int64
// near 2^60, negative decimals) aggregated by HashAggregator over partials and by DuckDB's GROUP BY,
// compared exactly. DuckDB corners handled in SQL: sum(bigint) is hugeint (cast to text), avg(decimal)
// is double in DuckDB, so the decimal avg is computed there in hugeint as HALF_UP(sum·10^4 / count).
import { mkdtempSync, openAsBlob, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DuckDBInstance } from '@duckdb/node-api';
import type { DuckDBConnection } from '@duckdb/node-api';
import * as pw from 'parquet-wasm';
import { tableFromIPC } from 'apache-arrow';
import type { Table } from 'apache-arrow';
import { HashAggregator } from '../../../../lib/dataframe/physical/aggregate/hash-aggregator.js';
import { fromArrowType } from '../../../../lib/dataframe/types/arrow-type.js';
import { rowsOf, spec } from './aggregate-fixtures.js';
import type { Cell } from './aggregate-fixtures.js';

let dir: string;
let con: DuckDBConnection;
let table: Table;

beforeAll(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'paylake-agg-'));
  con = await (await DuckDBInstance.create(':memory:')).connect();
  await con.run('SELECT setseed(0.42)');
  await con.run(`
    CREATE TABLE t AS
    SELECT
      CASE WHEN r1 < 0.05 THEN NULL ELSE (CASE WHEN i % 7 = 0 THEN 'mé' ELSE 'm' END) || CAST(floor(pow(r2, 4) * 300) AS INTEGER) END AS merchant,
      CASE WHEN r3 < 0.03 THEN NULL ELSE DATE '2024-01-01' + CAST(floor(r4 * 5) AS INTEGER) END AS day,
      CASE WHEN r5 < 0.1 THEN NULL WHEN r6 < 0.01 THEN CAST((r7 - 0.5) * 2e18 AS BIGINT) ELSE CAST((r7 - 0.5) * 2e9 AS BIGINT) END AS amount,
      CASE WHEN r8 < 0.1 THEN NULL ELSE CAST(round((r9 - 0.6) * 1e6, 2) AS DECIMAL(18, 2)) END AS fee,
      CASE WHEN r10 < 0.1 THEN NULL ELSE floor((r11 - 0.5) * 4000) / 4 END AS w,
      CASE WHEN r12 < 0.2 THEN NULL ELSE 'card-' || CAST(floor(r13 * 500) AS INTEGER) || CASE WHEN r13 < 0.1 THEN '東' ELSE '' END END AS card
    FROM (
      SELECT i, random() r1, random() r2, random() r3, random() r4, random() r5, random() r6, random() r7,
             random() r8, random() r9, random() r10, random() r11, random() r12, random() r13
      FROM range(200000) AS s(i)
    )`);
  const file = path.join(dir, 't.parquet');
  await con.run(`COPY t TO '${file}' (FORMAT PARQUET, ROW_GROUP_SIZE 50000)`);
  const f = await pw.ParquetFile.fromFile(await openAsBlob(file));
  const t = await f.read({ batchSize: 65536 });
  table = tableFromIPC(t.intoIPCStream());
});

afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

describe('HashAggregator vs DuckDB', () => {
  it('GROUP BY merchant, day with every aggregate, over 4 partials merged in reverse', async () => {
    const fieldType = (name: string) => fromArrowType(table.schema.fields.find((f) => f.name === name)!.type, name);
    const keys = [
      { name: 'merchant', type: fieldType('merchant') },
      { name: 'day', type: fieldType('day') },
    ];
    const amount = fieldType('amount');
    const fee = fieldType('fee');
    const w = fieldType('w');
    const card = fieldType('card');
    expect(fee).toEqual({ kind: 'decimal', precision: 18, scale: 2 });
    const specs = [
      spec('count', null, false, 'n'),
      spec('count', amount, false, 'n_amount'),
      spec('sum', amount, false, 'sum_amount'),
      spec('sum', fee, false, 'sum_fee'),
      spec('sum', w, false, 'sum_w'),
      spec('avg', amount, false, 'avg_amount'),
      spec('avg', fee, false, 'avg_fee'),
      spec('avg', w, false, 'avg_w'),
      spec('min', card, false, 'min_card'),
      spec('max', card, false, 'max_card'),
      spec('min', amount, false, 'min_amount'),
      spec('max', fee, false, 'max_fee'),
      spec('min', keys[1]!.type, false, 'min_day'),
      spec('count', card, true, 'distinct_card'),
    ];
    const argColumn = ['amount', 'amount', 'fee', 'w', 'amount', 'fee', 'w', 'card', 'card', 'amount', 'fee', 'day', 'card'];
    const workers = Array.from({ length: 4 }, () => new HashAggregator(keys, specs));
    table.batches.forEach((b, i) => {
      workers[i % 4]!.addBatch(
        [b.getChild('merchant')!, b.getChild('day')!],
        [null, ...argColumn.map((c) => b.getChild(c)!)],
      );
    });
    const coordinator = new HashAggregator(keys, specs);
    for (const wkr of workers.reverse()) coordinator.mergeBatch(wkr.partialToBatch());
    const ours = rowsOf(coordinator.finish()).map((r) => [
      r[0], r[1] === null ? null : String(r[1]), String(r[2]), String(r[3]), r[4] === null ? null : String(r[4]), r[5], r[6], r[7],
      r[8] === null ? null : (r[8] as string).replace('.', '').replace(/^(-?)0+(?=\d)/, '$1'), r[9], r[10], r[11],
      r[12] === null ? null : String(r[12]), r[13], r[14] === null ? null : String(r[14]), String(r[15]),
    ]);

    const reader = await con.runAndReadAll(`
      SELECT merchant, (day - DATE '1970-01-01')::VARCHAR, count(*)::VARCHAR, count(amount)::VARCHAR, sum(amount)::VARCHAR,
             sum(fee)::VARCHAR, sum(w), avg(amount),
             CASE WHEN count(fee) = 0 THEN NULL ELSE (sign(sum(fee)) * ((abs(sum(CAST(fee * 100 AS HUGEINT))) * 20000 + count(fee)) // (2 * count(fee))))::HUGEINT::VARCHAR END,
             avg(w), min(card), max(card), min(amount)::VARCHAR, max(fee)::VARCHAR, (min(day) - DATE '1970-01-01')::VARCHAR,
             count(DISTINCT card)::VARCHAR
      FROM t GROUP BY merchant, day ORDER BY merchant NULLS FIRST, day NULLS FIRST`);
    const theirs = reader.getRows().map((r) => r.map((v) => (typeof v === 'bigint' ? String(v) : v)) as Cell[]);
    expect(ours.length).toBe(theirs.length);
    expect(ours.length).toBeGreaterThan(500);
    for (let i = 0; i < ours.length; i++) expect(ours[i], `group ${i}: ${String(theirs[i]![0])} ${String(theirs[i]![1])}`).toEqual(theirs[i]);
  });
});
