// Sorting and top-N against DuckDB on the same Parquet file: NULLS FIRST/LAST, NaN, -0.0, multi-byte
// strings, decimals, int64 extremes, ties (stable: input order), across several input batches.
import { DuckDBInstance } from '@duckdb/node-api';
import type { DuckDBConnection } from '@duckdb/node-api';
import { mkdtempSync, openAsBlob, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { tableFromIPC } from 'apache-arrow';
import type { RecordBatch } from 'apache-arrow';
import * as pw from 'parquet-wasm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { analyzeExpr } from '../../../../lib/dataframe/expr/analyze-expr.js';
import { parseSortKeys } from '../../../../lib/dataframe/expr/parser/parse-expression.js';
import { sortBatches } from '../../../../lib/dataframe/physical/sort/sort-batches.js';
import { schemaFromArrow } from '../../../../lib/dataframe/types/arrow-type.js';
import type { Schema } from '../../../../lib/dataframe/types/schema.js';

let dir: string;
let file: string;
let db: DuckDBConnection;
let batches: RecordBatch[];
let schema: Schema;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'paylake-sort-'));
  file = join(dir, 'sort.parquet');
  db = await (await DuckDBInstance.create(':memory:')).connect();
  await db.run(`COPY (
    SELECT i AS id,
           CASE WHEN i % 11 = 0 THEN NULL ELSE (i * 7919) % 13 END AS k,
           CASE i % 9 WHEN 0 THEN NULL WHEN 1 THEN 'naïve' WHEN 2 THEN 'Zürich' WHEN 3 THEN '' WHEN 4 THEN '日本' ELSE 'm' || (i % 5) END AS s,
           CASE WHEN i % 17 = 0 THEN 'NaN'::DOUBLE WHEN i % 19 = 0 THEN -0.0 WHEN i % 23 = 0 THEN NULL ELSE (i % 37) - 18.5 END AS d,
           CASE WHEN i % 13 = 0 THEN NULL ELSE ((i % 29) - 14)::DECIMAL(18,2) / 4 END AS dec,
           CASE i % 31 WHEN 0 THEN 9223372036854775807 WHEN 1 THEN -9223372036854775808 ELSE i * 1000003 % 997 END::BIGINT AS big
    FROM range(5000) t(i)
  ) TO '${file}' (FORMAT parquet, ROW_GROUP_SIZE 2048)`);
  const pf = await pw.ParquetFile.fromFile(await openAsBlob(file));
  batches = tableFromIPC((await pf.read({ batchSize: 700 })).intoIPCStream()).batches;
  schema = schemaFromArrow(batches[0]!.schema);
});

afterAll(() => {
  db.closeSync();
  rmSync(dir, { recursive: true, force: true });
});

function ids(result: RecordBatch[]): number[] {
  return result.flatMap((b) => Array.from(b.getChild('id')!.toArray() as BigInt64Array, Number));
}

async function duckIds(orderBy: string, limit: number | null): Promise<number[]> {
  const r = await db.runAndReadAll(`SELECT id FROM '${file}' ORDER BY ${orderBy}, id${limit === null ? '' : ` LIMIT ${limit}`}`);
  return r.getRows().map((row) => Number(row[0]));
}

const ORDERS = [
  'k',
  'k DESC',
  'k NULLS LAST',
  'k DESC NULLS FIRST',
  's, k DESC',
  's DESC NULLS FIRST',
  'd',
  'd DESC',
  'dec DESC, s',
  'big',
  'big DESC, d NULLS FIRST',
];

describe('sortBatches', () => {
  it('reads the test file in several batches', () => {
    expect(batches.length).toBeGreaterThan(3);
  });

  for (const order of ORDERS) {
    it(`orders as DuckDB does: ORDER BY ${order}`, async () => {
      // DuckDB's defaults are ASC NULLS LAST; spell Spark's defaults out for it.
      const keys = parseSortKeys(order).map((k) => ({ ...k, expr: analyzeExpr(k.expr, schema).expr }));
      const spelled = keys.map((k, i) => `${order.split(',')[i]!.trim().split(' ')[0]} ${k.ascending ? 'ASC' : 'DESC'} NULLS ${k.nullsFirst ? 'FIRST' : 'LAST'}`).join(', ');
      expect(ids(sortBatches(batches, schema, keys, null))).toEqual(await duckIds(spelled, null));
      expect(ids(sortBatches(batches, schema, keys, 25))).toEqual(await duckIds(spelled, 25));
    });
  }

  it('handles a limit of zero, larger than the input, and empty input', () => {
    const keys = parseSortKeys('k').map((k) => ({ ...k, expr: analyzeExpr(k.expr, schema).expr }));
    expect(sortBatches(batches, schema, keys, 0)).toEqual([]);
    expect(ids(sortBatches(batches, schema, keys, 10_000))).toHaveLength(5000);
    expect(sortBatches([], schema, keys, 5)).toEqual([]);
  });
});
