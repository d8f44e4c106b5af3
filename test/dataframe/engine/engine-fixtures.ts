// Test helper for the engine's differential tests: Parquet datasets written by DuckDB (NULL-heavy columns,
// int64 extremes, decimals, timestamps, dt= partitions, an empty partition, schema evolution) and DuckDB
// query results normalised to paylake's JSON output contract, so rows compare exactly.
import { mkdtemp, mkdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { TimeUnit } from 'apache-arrow';
import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';
import { epochToIsoTimestamp } from '../../../lib/report/value-formatter.js';
import type { Row } from '../../../lib/dataframe/index.js';

/** A fresh DuckDB connection in UTC, single-threaded so the files it writes are the same every run. */
export async function openDuckDB(): Promise<DuckDBConnection> {
  const db = await DuckDBInstance.create(':memory:', { threads: '1' });
  const c = await db.connect();
  await c.run("SET TimeZone = 'UTC'");
  await c.run('SET preserve_insertion_order = true');
  return c;
}

/** SQL text of a string literal. */
export function sqlString(s: string): string {
  return `'${s.replaceAll("'", "''")}'`;
}

function ident(s: string): string {
  return `"${s.replaceAll('"', '""')}"`;
}

/** Rows of the main dataset. */
export const TX_ROWS = 24_000;
/** Its dt= partitions (the table has one more, empty, on TX_EMPTY_DAY). */
export const TX_DAYS = ['2026-11-01', '2026-11-02', '2026-11-03', '2026-11-04'] as const;
export const TX_EMPTY_DAY = '2026-11-05';

/**
 * The main dataset's rows, as a DuckDB SELECT. `id` is unique and rises with file order (a tiebreaker and
 * a column whose row-group statistics prune well); `k`, `k2`, `s`, `amt`, `d18` hold many NULLs.
 */
const TX_SELECT = `
  SELECT
    i::BIGINT AS id,
    (DATE '2026-11-01' + (i * 4 // ${TX_ROWS})::INTEGER) AS dt,
    CASE WHEN i % 7 = 0 THEN NULL ELSE ['alpha', 'Beta', 'gamma', 'ALPHA', 'delta_x', 'o''brien'][(i % 6) + 1] END AS k,
    CASE WHEN i % 5 = 0 THEN NULL ELSE (i % 13)::INTEGER END AS k2,
    CASE WHEN i % 10 < 8 THEN NULL ELSE 'str-' || (i % 97)::VARCHAR END AS s,
    CASE WHEN i % 11 = 0 THEN NULL ELSE ((i * 7919) % 200001 - 100000)::BIGINT END AS amt,
    CASE i WHEN 0 THEN 9223372036854775807 WHEN 1 THEN -9223372036854775807 - 1 WHEN 2 THEN -9223372036854775807
           WHEN 3 THEN 9223372036854775806 WHEN ${TX_ROWS / 2} THEN 9223372036854775000 ELSE (i % 3)::BIGINT - 1 END AS ext,
    CASE WHEN i % 4 = 0 THEN NULL ELSE (((i * 104729) % 2000001 - 1000000)::DECIMAL(18,2) / 100)::DECIMAL(18,2) END AS d18,
    CASE WHEN i % 9 = 0 THEN NULL
         ELSE (((i * 31337) % 1000003 - 500000)::VARCHAR || '123456789012.' || lpad(((i * 7) % 10000000000)::VARCHAR, 10, '0'))::DECIMAL(38,10) END AS d38,
    (TIMESTAMPTZ '2026-11-01 00:00:00+00' + to_microseconds(((i::BIGINT * 345600000000) // ${TX_ROWS}) + (i % 1000))) AS ts,
    CASE WHEN i % 13 = 0 THEN NULL ELSE DATE '2026-10-01' + (i % 60)::INTEGER END AS day,
    (i % 3 = 0) AS flag,
    CASE WHEN i % 6 = 0 THEN NULL ELSE (((i * 7) % 20001 - 10000)::DECIMAL(9,2) / 100)::DECIMAL(9,2) END AS d9,
    CASE WHEN i % 8 = 0 THEN NULL ELSE ((i % 601) - 300)::SMALLINT END AS sm,
    CASE i % 50 WHEN 0 THEN NULL WHEN 1 THEN 'NaN'::DOUBLE WHEN 2 THEN -0.0::DOUBLE WHEN 3 THEN 'Infinity'::DOUBLE
         ELSE ((i * 37) % 10007) * 0.25 - 1250 END AS f64,
    CASE WHEN i % 17 = 0 THEN NULL ELSE TIMESTAMP '2026-10-31 22:00:00' + to_microseconds((i::BIGINT * 9876543) % 345600000000) END AS tsn
  FROM range(${TX_ROWS}) t(i)`;

/** The datasets of one test file, in a temporary directory. */
export interface EngineDatasets {
  readonly root: string;
  /** dt=-partitioned, several files per partition, 2048-row row groups, plus an empty dt= partition. */
  readonly tx: string;
  /** Older files lack the nullable column `extra`, newer ones have it. */
  readonly evo: string;
  readonly duck: DuckDBConnection;
  /** DuckDB's table expression for a dataset directory. */
  readonly from: (dir: string) => string;
  readonly cleanup: () => Promise<void>;
}

/** Writes the datasets with DuckDB. */
export async function createEngineDatasets(): Promise<EngineDatasets> {
  const root = await mkdtemp(path.join(tmpdir(), 'paylake-engine-'));
  const duck = await openDuckDB();
  const tx = path.join(root, 'tx');
  // Two files per partition (DuckDB cannot rotate files while partitioning): the first and second half of
  // each day, named so that sorted file order is id order.
  const perDay = TX_ROWS / TX_DAYS.length;
  for (const [half, where, mode] of [
    ['a', `id % ${perDay} < ${perDay / 2}`, 'OVERWRITE_OR_IGNORE'],
    ['b', `id % ${perDay} >= ${perDay / 2}`, 'OVERWRITE_OR_IGNORE'],
  ] as const) {
    await duck.run(
      `COPY (SELECT * FROM (${TX_SELECT}) WHERE ${where} ORDER BY id) TO ${sqlString(tx)} ` +
        `(FORMAT parquet, PARTITION_BY (dt), ROW_GROUP_SIZE 2048, FILENAME_PATTERN 'part-${half}-{i}', ${mode})`,
    );
  }
  // An empty partition: a file with the schema and no rows.
  const empty = path.join(tx, `dt=${TX_EMPTY_DAY}`);
  await mkdir(empty, { recursive: true });
  await duck.run(`COPY (SELECT * EXCLUDE (dt) FROM (${TX_SELECT}) WHERE false) TO ${sqlString(path.join(empty, 'data_0.parquet'))} (FORMAT parquet)`);

  const evo = path.join(root, 'evo');
  const evoSelect = (from: number, to: number, extra: boolean): string =>
    `SELECT i::BIGINT AS id, ['x', 'y', NULL][(i % 3) + 1] AS g, (i * 3)::BIGINT AS v${extra ? ", CASE WHEN i % 2 = 0 THEN NULL ELSE 'e' || (i % 4)::VARCHAR END AS extra" : ''} FROM range(${from}, ${to}) t(i)`;
  for (const [day, from, to, extra] of [
    ['2026-11-01', 0, 3000, false],
    ['2026-11-02', 3000, 6000, false],
    ['2026-11-03', 6000, 9000, true],
  ] as const) {
    const dir = path.join(evo, `dt=${day}`);
    await mkdir(dir, { recursive: true });
    await duck.run(`COPY (${evoSelect(from, to, extra)}) TO ${sqlString(path.join(dir, 'part-0.parquet'))} (FORMAT parquet, ROW_GROUP_SIZE 2048)`);
  }
  return {
    root,
    tx,
    evo,
    duck,
    from: (dir) => `read_parquet(${sqlString(`${dir}/**/*.parquet`)}, hive_partitioning = true, union_by_name = true)`,
    cleanup: async () => {
      duck.closeSync();
      await rm(root, { recursive: true, force: true });
    },
  };
}

/** An integer as the JSON contract writes it: a number when |v| ≤ 2^53−1, else a string. */
export function integerJson(text: string): number | string {
  const v = BigInt(text);
  return v <= BigInt(Number.MAX_SAFE_INTEGER) && v >= -BigInt(Number.MAX_SAFE_INTEGER) ? Number(v) : text;
}

/** The SQL that makes DuckDB print a value of `type` in a form `fromDuck` turns into the JSON contract. */
function duckText(name: string, type: string): string {
  const c = ident(name);
  if (/^TIMESTAMP/.test(type)) return `epoch_us(${c})::VARCHAR`;
  if (type === 'DOUBLE' || type === 'FLOAT' || type === 'BOOLEAN') return c;
  return `${c}::VARCHAR`;
}

function fromDuck(value: unknown, type: string): Row[string] {
  if (value === null || value === undefined) return null;
  if (/^(BIGINT|INTEGER|SMALLINT|TINYINT|HUGEINT|UBIGINT|UINTEGER)$/.test(type)) return integerJson(String(value));
  if (/^TIMESTAMP WITH TIME ZONE$/.test(type)) return epochToIsoTimestamp(BigInt(String(value)), TimeUnit.MICROSECOND, true);
  if (/^TIMESTAMP$/.test(type)) return epochToIsoTimestamp(BigInt(String(value)), TimeUnit.MICROSECOND, false);
  if (type === 'DOUBLE' || type === 'FLOAT') return Number.isFinite(Number(value)) ? Number(value) : String(value);
  if (type === 'BOOLEAN') return Boolean(value);
  return String(value);
}

/** DuckDB's rows of `sql`, each value in paylake's JSON output contract. */
export async function duckRows(duck: DuckDBConnection, sql: string): Promise<Row[]> {
  const desc = (await duck.runAndReadAll(`DESCRIBE ${sql}`)).getRowObjectsJson() as { column_name: string; column_type: string }[];
  const select = desc.map((d) => `${duckText(d.column_name, d.column_type)} AS ${ident(d.column_name)}`).join(', ');
  const reader = await duck.runAndReadAll(`SELECT ${select} FROM (${sql})`);
  return reader.getRows().map((r) => {
    const row: Row = {};
    desc.forEach((d, i) => {
      row[d.column_name] = fromDuck(r[i], d.column_type);
    });
    return row;
  });
}

/** Spark's avg of a decimal(p, s): sum / count at scale s + 4, rounded HALF_UP; from DuckDB's exact sum text. */
export function decimalAvg(sum: string | null, count: number, scale: number): string | null {
  if (sum === null || count === 0) return null;
  const [whole, frac = ''] = sum.split('.');
  const unscaled = BigInt(`${whole}${frac.padEnd(scale, '0')}`) * 10n ** 4n;
  const n = BigInt(count);
  const neg = unscaled < 0n;
  const abs = neg ? -unscaled : unscaled;
  let q = abs / n;
  if ((abs % n) * 2n >= n) q += 1n;
  const digits = q.toString().padStart(scale + 5, '0');
  const out = `${digits.slice(0, digits.length - scale - 4)}.${digits.slice(digits.length - scale - 4)}`;
  return neg && q !== 0n ? `-${out}` : out;
}
