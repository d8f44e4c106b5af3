// Differential test of the window kernel against DuckDB: a randomized table (skewed partitions, NULL
// partition and order keys, duplicate order keys, int64 values beyond 2^53, decimals, doubles, strings,
// timestamps with ties). For each window, DuckDB computes the expected columns and returns the rows
// sorted by (partition keys, order keys, id) through Parquet; those rows are fed in 997-row batches (so
// partitions span batches) to evaluateWindows, and its columns are compared with DuckDB's row by row.
// DuckDB's defaults differ from Spark's (ASC NULLS LAST), so every DuckDB ORDER BY spells out NULLS
// FIRST/LAST; ROWS frames and row-order functions order by id last so that peers have one order in both.
import { mkdtempSync, openAsBlob, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import type { DuckDBConnection } from '@duckdb/node-api';
import { tableFromIPC } from 'apache-arrow';
import type { RecordBatch } from 'apache-arrow';
import * as pw from 'parquet-wasm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { analyzeExpr } from '../../../../lib/dataframe/expr/analyze-expr.js';
import type { WindowCallNode } from '../../../../lib/dataframe/expr/nodes/window-call-node.js';
import { parseExpression } from '../../../../lib/dataframe/expr/parser/parse-expression.js';
import { evaluateWindows } from '../../../../lib/dataframe/physical/window/window-evaluator.js';
import { schemaFromArrow } from '../../../../lib/dataframe/types/arrow-type.js';
import { schemaOf } from '../../../../lib/dataframe/types/schema.js';
import { rowsOf } from '../aggregate/aggregate-fixtures.js';
import type { Cell } from '../aggregate/aggregate-fixtures.js';

let dir: string;
let db: DuckDBConnection;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'paylake-window-'));
  db = await (await DuckDBInstance.create(':memory:')).connect();
  await db.run('SELECT setseed(0.17)');
  await db.run(`
    CREATE TABLE t AS
    SELECT
      i AS id,
      CASE WHEN r1 < 0.04 THEN NULL ELSE CAST(floor(pow(r2, 3) * 60) AS INTEGER) END AS k,
      CASE WHEN r3 < 0.05 THEN NULL ELSE CAST(floor(r4 * 150) AS INTEGER) END AS v,
      CASE WHEN r5 < 0.03 THEN NULL ELSE TIMESTAMP '2026-03-01 00:00:00' + to_seconds(CAST(floor(r6 * 4000) AS BIGINT) * 30) END AS ts,
      CASE WHEN r7 < 0.08 THEN NULL WHEN r8 < 0.002 THEN CAST((r9 - 0.5) * 2e17 AS BIGINT) ELSE CAST((r9 - 0.5) * 2e9 AS BIGINT) END AS x,
      CASE WHEN r10 < 0.08 THEN NULL ELSE CAST(round((r11 - 0.4) * 1e5, 2) AS DECIMAL(18, 2)) END AS d,
      CASE WHEN r12 < 0.08 THEN NULL ELSE round((r13 - 0.5) * 1000, 3) END AS f,
      CASE WHEN r14 < 0.1 THEN NULL ELSE (CASE WHEN i % 5 = 0 THEN 'é' ELSE 'e' END) || CAST(floor(r15 * 400) AS INTEGER) END AS s
    FROM (
      SELECT i, random() r1, random() r2, random() r3, random() r4, random() r5, random() r6, random() r7, random() r8,
             random() r9, random() r10, random() r11, random() r12, random() r13, random() r14, random() r15
      FROM range(20000) AS s(i)
    )`);
});

afterAll(() => {
  db?.closeSync();
  rmSync(dir, { recursive: true, force: true });
});

/** One window of the comparison: paylake's calls and DuckDB's expected expressions, pairwise. */
interface WindowCase {
  readonly name: string;
  /** DuckDB's ORDER BY for the rows fed to the kernel: the window's partition and order keys, then id. */
  readonly sortedBy: string;
  /** [paylake window call, DuckDB expression] pairs. */
  readonly calls: readonly (readonly [string, string])[];
}

let fileNo = 0;

/** Rows of `SELECT t.*, expected... ORDER BY sortedBy` from DuckDB as Arrow batches of 997 rows, via Parquet. */
async function duckBatches(c: WindowCase): Promise<RecordBatch[]> {
  const file = join(dir, `w${fileNo++}.parquet`);
  const expected = c.calls.map(([, duck], k) => `${duck} AS e${k}`).join(', ');
  await db.run(`COPY (SELECT t.*, ${expected} FROM t ORDER BY ${c.sortedBy}) TO '${file}' (FORMAT parquet)`);
  const pf = await pw.ParquetFile.fromFile(await openAsBlob(file));
  return tableFromIPC((await pf.read({ batchSize: 997 })).intoIPCStream()).batches;
}

/** A cell in one comparable form: decimals and big integers as unscaled digit strings, doubles as numbers. */
function comparable(cell: Cell): Cell {
  if (typeof cell === 'bigint') return String(cell);
  if (typeof cell === 'string' && /^-?\d+\.\d+$/.test(cell)) return cell.replace('.', '').replace(/^(-?)0+(?=\d)/, '$1');
  return cell;
}

function same(a: Cell, b: Cell): boolean {
  if (typeof a === 'number' && typeof b === 'number') return a === b || Math.abs(a - b) <= 1e-9 * Math.max(1, Math.abs(a), Math.abs(b));
  // int results (ranks) against DuckDB's bigint ones.
  if (typeof a === 'number' && typeof b === 'string') return String(a) === b;
  return a === b;
}

async function check(c: WindowCase): Promise<void> {
  const batches = await duckBatches(c);
  expect(batches.length).toBeGreaterThan(10);
  const schema = schemaFromArrow(batches[0]!.schema);
  const analyzed = c.calls.map(([ours]) => analyzeExpr(parseExpression(ours), schema, { allowWindows: true }));
  const output = schemaOf([...schema.fields, ...analyzed.map((a, k) => ({ name: `w${k}`, type: a.type, nullable: a.nullable }))]);
  const result = evaluateWindows(batches, schema, analyzed.map((a) => a.expr as WindowCallNode), output);
  const width = schema.fields.length;
  const rows = result.flatMap((b) => rowsOf(b));
  expect(rows.length).toBe(20000);
  c.calls.forEach(([ours], k) => {
    const expectedAt = width - c.calls.length + k;
    const bad = rows.findIndex((r) => !same(comparable(r[width + k]!), comparable(r[expectedAt]!)));
    if (bad >= 0) {
      const r = rows[bad]!;
      const shown = Object.fromEntries(schema.fields.slice(0, 8).map((f, i) => [f.name, r[i]]));
      expect({ call: ours, row: bad, ours: comparable(r[width + k]!) }).toEqual({ call: ours, row: bad, ours: comparable(r[expectedAt]!), input: shown });
    }
  });
  // Sanity: the comparison saw values, not only NULLs.
  for (let k = 0; k < c.calls.length; k++) expect(rows.some((r) => r[width + k] !== null), c.calls[k]![0]).toBe(true);
}

/** DuckDB's exact Spark-style avg of decimal(18,2) over a window: unscaled decimal(22,6), HALF_UP. */
function duckDecimalAvg(over: string): string {
  const sum = `sum(CAST(d * 100 AS HUGEINT)) ${over}`;
  const n = `count(d) ${over}`;
  return `CASE WHEN ${n} = 0 THEN NULL ELSE CAST(sign(${sum}) * ((abs(${sum}) * 20000 + ${n}) // (2 * ${n})) AS DECIMAL(38,0)) END`;
}

const cases: WindowCase[] = [
  (() => {
    const w = 'OVER (PARTITION BY k ORDER BY v)';
    const duck = 'OVER (PARTITION BY k ORDER BY v ASC NULLS FIRST)';
    return {
      name: 'default RANGE frame with peers: ranks and running aggregates',
      sortedBy: 'k NULLS FIRST, v NULLS FIRST, id',
      calls: [
        [`rank() ${w}`, `rank() ${duck}`],
        [`dense_rank() ${w}`, `dense_rank() ${duck}`],
        [`sum(x) ${w}`, `CAST(sum(x) ${duck} AS DECIMAL(38,0))`],
        [`count(x) ${w}`, `count(x) ${duck}`],
        [`count(*) ${w}`, `count(*) ${duck}`],
        [`avg(x) ${w}`, `avg(x) ${duck}`],
        [`min(s) ${w}`, `min(s) ${duck}`],
        [`max(d) ${w}`, `max(d) ${duck}`],
        [`sum(d) ${w}`, `sum(d) ${duck}`],
        [`avg(d) ${w}`, duckDecimalAvg(duck)],
        [`sum(f) ${w}`, `sum(f) ${duck}`],
      ],
    } satisfies WindowCase;
  })(),
  (() => {
    const w = (frame = ''): string => `OVER (PARTITION BY k ORDER BY v, id${frame})`;
    const duck = (frame = ''): string => `OVER (PARTITION BY k ORDER BY v ASC NULLS FIRST, id${frame})`;
    const sliding = ' ROWS BETWEEN 3 PRECEDING AND 2 FOLLOWING';
    const ahead = ' ROWS BETWEEN 5 FOLLOWING AND 8 FOLLOWING';
    const behind = ' ROWS BETWEEN UNBOUNDED PRECEDING AND 2 PRECEDING';
    return {
      name: 'ROWS frames and row-order functions',
      sortedBy: 'k NULLS FIRST, v NULLS FIRST, id',
      calls: [
        [`row_number() ${w()}`, `row_number() ${duck()}`],
        [`lag(x) ${w()}`, `lag(x) ${duck()}`],
        [`lag(x, 2, -1) ${w()}`, `lag(x, 2, -1) ${duck()}`],
        [`lead(d, 3) ${w()}`, `lead(d, 3) ${duck()}`],
        [`lead(s, 1, 'none') ${w()}`, `lead(s, 1, 'none') ${duck()}`],
        [`sum(x) ${w(sliding)}`, `CAST(sum(x) ${duck(sliding)} AS DECIMAL(38,0))`],
        [`min(x) ${w(sliding)}`, `min(x) ${duck(sliding)}`],
        [`max(s) ${w(sliding)}`, `max(s) ${duck(sliding)}`],
        [`avg(f) ${w(sliding)}`, `avg(f) ${duck(sliding)}`],
        [`avg(d) ${w(sliding)}`, duckDecimalAvg(duck(sliding))],
        [`count(x) ${w(ahead)}`, `count(x) ${duck(ahead)}`],
        [`sum(d) ${w(ahead)}`, `sum(d) ${duck(ahead)}`],
        [`first(x) ${w(sliding)}`, `first_value(x) ${duck(sliding)}`],
        [`last(s) ${w(sliding)}`, `last_value(s) ${duck(sliding)}`],
        [`first(f) ${w()}`, `first_value(f) ${duck()}`],
        [`last(x) ${w(behind)}`, `last_value(x) ${duck(behind)}`],
        [`max(f) ${w(behind)}`, `max(f) ${duck(behind)}`],
      ],
    } satisfies WindowCase;
  })(),
  (() => {
    const frame = 'RANGE BETWEEN 3 PRECEDING AND 2 FOLLOWING';
    const w = `OVER (PARTITION BY k ORDER BY v DESC ${frame})`;
    const duck = `OVER (PARTITION BY k ORDER BY v DESC NULLS LAST ${frame})`;
    return {
      name: 'RANGE offsets over a descending int key with NULLs last',
      sortedBy: 'k NULLS FIRST, v DESC NULLS LAST, id',
      calls: [
        [`sum(x) ${w}`, `CAST(sum(x) ${duck} AS DECIMAL(38,0))`],
        [`count(*) ${w}`, `count(*) ${duck}`],
        [`min(d) ${w}`, `min(d) ${duck}`],
        [`max(d) ${w}`, `max(d) ${duck}`],
        [`avg(f) ${w}`, `avg(f) ${duck}`],
      ],
    } satisfies WindowCase;
  })(),
  (() => {
    const frame = 'RANGE BETWEEN INTERVAL 10 MINUTES PRECEDING AND CURRENT ROW';
    const w = `OVER (PARTITION BY k ORDER BY ts ${frame})`;
    const duck = `OVER (PARTITION BY k ORDER BY ts ASC NULLS FIRST ${frame})`;
    return {
      name: 'the 10-minute RANGE frame on a timestamp with ties and NULLs',
      sortedBy: 'k NULLS FIRST, ts NULLS FIRST, id',
      calls: [
        [`sum(x) ${w}`, `CAST(sum(x) ${duck} AS DECIMAL(38,0))`],
        [`count(*) ${w}`, `count(*) ${duck}`],
        [`max(f) ${w}`, `max(f) ${duck}`],
        [`min(s) ${w}`, `min(s) ${duck}`],
        [`sum(d) ${w}`, `sum(d) ${duck}`],
      ],
    } satisfies WindowCase;
  })(),
  (() => {
    const frame = 'RANGE BETWEEN INTERVAL 5 MINUTES FOLLOWING AND INTERVAL 20 MINUTES FOLLOWING';
    const w = `OVER (PARTITION BY k ORDER BY ts DESC ${frame})`;
    const duck = `OVER (PARTITION BY k ORDER BY ts DESC NULLS LAST ${frame})`;
    return {
      name: 'an interval frame ahead of a descending timestamp (often empty)',
      sortedBy: 'k NULLS FIRST, ts DESC NULLS LAST, id',
      calls: [
        [`count(x) ${w}`, `count(x) ${duck}`],
        [`sum(f) ${w}`, `sum(f) ${duck}`],
      ],
    } satisfies WindowCase;
  })(),
  (() => {
    const frame = 'RANGE BETWEEN 1.50 PRECEDING AND 0.5 FOLLOWING';
    return {
      name: 'decimal RANGE offsets over one partition',
      sortedBy: 'd NULLS FIRST, id',
      calls: [
        [`count(*) OVER (ORDER BY d ${frame})`, `count(*) OVER (ORDER BY d ASC NULLS FIRST ${frame})`],
        [`sum(x) OVER (ORDER BY d ${frame})`, `CAST(sum(x) OVER (ORDER BY d ASC NULLS FIRST ${frame}) AS DECIMAL(38,0))`],
      ],
    } satisfies WindowCase;
  })(),
  {
    name: 'frames ending before the current row or starting at it',
    sortedBy: 'k NULLS FIRST, v NULLS FIRST, id',
    calls: [
      ['sum(x) OVER (PARTITION BY k ORDER BY v RANGE BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING)', 'CAST(sum(x) OVER (PARTITION BY k ORDER BY v ASC NULLS FIRST RANGE BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING) AS DECIMAL(38,0))'],
      ['count(*) OVER (PARTITION BY k ORDER BY v RANGE BETWEEN CURRENT ROW AND UNBOUNDED FOLLOWING)', 'count(*) OVER (PARTITION BY k ORDER BY v ASC NULLS FIRST RANGE BETWEEN CURRENT ROW AND UNBOUNDED FOLLOWING)'],
    ],
  },
  {
    name: 'whole partitions without ORDER BY',
    sortedBy: 'k NULLS FIRST, id',
    calls: [
      ['sum(d) OVER (PARTITION BY k)', 'sum(d) OVER (PARTITION BY k)'],
      ['max(x) OVER (PARTITION BY k)', 'max(x) OVER (PARTITION BY k)'],
      ['avg(x) OVER (PARTITION BY k)', 'avg(x) OVER (PARTITION BY k)'],
    ],
  },
];

describe('evaluateWindows vs DuckDB', () => {
  for (const c of cases) it(c.name, () => check(c));
});
