// Differential test: randomized tables (int keys with NULLs and duplicates, multi-byte string keys, decimal
// keys, an int64 condition column) joined by HashJoiner with either side hashed and by DuckDB, for every
// join type, with and without an extra condition; rows compared as sorted multisets. Semi and anti joins
// are EXISTS / NOT EXISTS in DuckDB (a NULL key never matches, so an anti join keeps its row).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DuckDBInstance } from '@duckdb/node-api';
import type { DuckDBConnection } from '@duckdb/node-api';
import { JOIN_TYPES } from '../../../../lib/dataframe/physical/join/join-type.js';
import type { JoinType } from '../../../../lib/dataframe/physical/join/join-type.js';
import { types } from '../../../../lib/dataframe/types/data-type.js';
import { scaledToDecimalString } from '../../../../lib/report/value-formatter.js';
import { rng } from '../aggregate/aggregate-fixtures.js';
import { runJoin, tableOf } from './join-fixtures.js';
import type { Cell, TestTable } from './join-fixtures.js';

const LEFT_COLUMNS = [['lid', types.int32], ['k1', types.int32], ['k2', types.string], ['d', types.decimal(18, 2)], ['v', types.int64]] as const;
const RIGHT_COLUMNS = [['rid', types.int32], ['rk1', types.int32], ['rk2', types.string], ['rd', types.decimal(18, 2)], ['w', types.int64]] as const;

/** Random rows: ids, then an int key, a string key, a decimal key (unscaled) and an int64, each NULL sometimes. */
function randomRows(seed: number, n: number): Cell[][] {
  const r = rng(seed);
  const maybe = (p: number, v: () => Cell): Cell => (r() < p ? null : v());
  const decimals = Array.from({ length: 300 }, (_, i) => BigInt((i * 7919) % 100_003) - 50_000n);
  const prefixes = ['m', 'é', '東京-', ''];
  return Array.from({ length: n }, (_, i) => [
    i,
    maybe(0.1, () => Math.floor(r() * 200) - 20),
    maybe(0.1, () => {
      const k = Math.floor(r() * 150);
      return k === 0 ? '' : `${prefixes[k % 4]}${k}`;
    }),
    maybe(0.1, () => decimals[Math.floor(r() * decimals.length)]!),
    maybe(0.05, () => BigInt(Math.floor(r() * 2000)) - 1000n),
  ]);
}

let con: DuckDBConnection;
let left: TestTable;
let right: TestTable;

function sqlValue(c: Cell, k: number): string {
  if (c === null) return 'NULL';
  if (k === 2) return `'${String(c).replaceAll("'", "''")}'`;
  if (k === 3) return `${scaledToDecimalString(c as bigint, 2)}::DECIMAL(18,2)`;
  return String(c);
}

async function createTable(name: string, columns: readonly (readonly [string, unknown])[], sqlTypes: string[], rows: Cell[][]): Promise<void> {
  await con.run(`CREATE TABLE ${name} (${columns.map(([c], i) => `${c} ${sqlTypes[i]}`).join(', ')})`);
  await con.run(`INSERT INTO ${name} VALUES ${rows.map((row) => `(${row.map(sqlValue).join(', ')})`).join(', ')}`);
}

beforeAll(async () => {
  con = await (await DuckDBInstance.create(':memory:')).connect();
  const sqlTypes = ['INTEGER', 'INTEGER', 'VARCHAR', 'DECIMAL(18,2)', 'BIGINT'];
  const lrows = randomRows(1, 3000);
  const rrows = randomRows(2, 2000);
  await createTable('l', LEFT_COLUMNS, sqlTypes, lrows);
  await createTable('r', RIGHT_COLUMNS, sqlTypes, rrows);
  left = tableOf(LEFT_COLUMNS, lrows, 700);
  right = tableOf(RIGHT_COLUMNS, rrows, 500);
});

afterAll(() => {
  con?.closeSync();
});

const SQL_JOIN: Record<Exclude<JoinType, 'left_semi' | 'left_anti'>, string> = { inner: 'INNER', left: 'LEFT', right: 'RIGHT', full: 'FULL' };

function duckSql(type: JoinType, leftKeys: readonly string[], rightKeys: readonly string[], condition: string | null): string {
  const on = [...leftKeys.map((k, i) => `l.${k} = r.${rightKeys[i]!}`), ...(condition === null ? [] : [condition])].join(' AND ');
  const text = (cols: readonly (readonly [string, unknown])[], t: string): string[] => cols.map(([c]) => `CAST(${t}.${c} AS VARCHAR)`);
  if (type === 'left_semi' || type === 'left_anti') {
    return `SELECT ${text(LEFT_COLUMNS, 'l').join(', ')} FROM l WHERE ${type === 'left_anti' ? 'NOT ' : ''}EXISTS (SELECT 1 FROM r WHERE ${on})`;
  }
  return `SELECT ${[...text(LEFT_COLUMNS, 'l'), ...text(RIGHT_COLUMNS, 'r')].join(', ')} FROM l ${SQL_JOIN[type]} JOIN r ON ${on}`;
}

function canonical(rows: readonly (readonly unknown[])[]): string[] {
  return rows.map((row) => JSON.stringify(row.map((c) => (c === null ? null : String(c))))).sort();
}

const KEYS: { name: string; left: string[]; right: string[] }[] = [
  { name: 'int key', left: ['k1'], right: ['rk1'] },
  { name: 'string key', left: ['k2'], right: ['rk2'] },
  { name: 'decimal key', left: ['d'], right: ['rd'] },
  { name: 'int and string key', left: ['k1', 'k2'], right: ['rk1', 'rk2'] },
];

describe('HashJoiner vs DuckDB on randomized tables', () => {
  for (const keys of KEYS) {
    for (const condition of [null, 'v < w']) {
      for (const type of JOIN_TYPES) {
        it(`${type} on ${keys.name}${condition === null ? '' : ` with ${condition}`}, either side hashed`, async () => {
          const theirs = canonical((await con.runAndReadAll(duckSql(type, keys.left, keys.right, condition === null ? null : 'l.v < r.w'))).getRows());
          expect(theirs.length).toBeGreaterThan(30);
          for (const buildSide of ['left', 'right'] as const) {
            const got = runJoin({ type, buildSide, left, right, leftKeys: keys.left, rightKeys: keys.right, ...(condition === null ? {} : { condition }) });
            const ours = canonical(got.rows);
            expect(ours.length, `build ${buildSide}: row count`).toBe(theirs.length);
            const bad = ours.findIndex((row, i) => row !== theirs[i]);
            if (bad >= 0) expect(ours[bad], `build ${buildSide}: sorted row ${bad}`).toBe(theirs[bad]);
          }
        });
      }
    }
  }
});
