// Test helper for the multi-stage differential tests: a fact table and three small dimension tables written
// by DuckDB (dt= partitions, several files and row groups, a monotonic `seq` in listing order, NULL keys,
// duplicate and skewed keys, empty files), and row comparison that tolerates the last bits of a double.
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { expect } from 'vitest';
import type { DuckDBConnection } from '@duckdb/node-api';
import type { Row } from '../../../lib/dataframe/index.js';
import { openDuckDB, sqlString } from './engine-fixtures.js';

/** Rows of the fact table `tx`. */
export const FACT_ROWS = 24_000;
/** Its dt= partitions; the table has one more, empty, on FACT_EMPTY_DAY. */
export const FACT_DAYS = ['2026-11-01', '2026-11-02', '2026-11-03'] as const;
export const FACT_EMPTY_DAY = '2026-11-04';
/** The merchant that holds half of the fact rows. */
export const SKEWED_MID = 7;

/**
 * The fact table as a DuckDB SELECT. `seq` rises with file listing order and row order. `mid` (INTEGER) is
 * skewed (every other row is SKEWED_MID) with NULLs; `code` is a string key derived from it (lower-case for
 * some rows, so those never match); `cur`, `g2` a two-column key; `price` a DECIMAL(12,2) key; `cust` has
 * 20,000 distinct values; `k1`, `sk`, `sd` are dedupe and sort keys with many ties and NULLs.
 */
const FACT_SELECT = `
  SELECT
    i::BIGINT AS seq,
    (DATE '${FACT_DAYS[0]}' + (i * ${FACT_DAYS.length} // ${FACT_ROWS})::INTEGER) AS dt,
    CASE WHEN i % 2 = 0 THEN ${SKEWED_MID} WHEN i % 23 = 1 THEN NULL ELSE ((i * 7919) % 450)::INTEGER END AS mid,
    CASE WHEN i % 17 = 0 OR (i % 2 = 1 AND i % 23 = 1) THEN NULL
         WHEN i % 5 = 0 THEN 'm' || (CASE WHEN i % 2 = 0 THEN ${SKEWED_MID} ELSE (i * 7919) % 450 END)::VARCHAR
         ELSE 'M' || (CASE WHEN i % 2 = 0 THEN ${SKEWED_MID} ELSE (i * 7919) % 450 END)::VARCHAR END AS code,
    CASE WHEN i % 19 = 0 THEN NULL ELSE ['EUR', 'USD', 'GBP', 'JPY'][((i * 7) % 4) + 1] END AS cur,
    CASE WHEN i % 13 = 0 THEN NULL ELSE ((i * 3) % 7)::INTEGER END AS g2,
    CASE WHEN i % 29 = 0 THEN NULL ELSE ((i * 7919) % 100001 - 20000)::BIGINT END AS amt,
    CASE WHEN i % 31 = 0 THEN NULL ELSE (((i * 13) % 4000)::DECIMAL(12,2) / 100)::DECIMAL(12,2) END AS price,
    CASE WHEN i % 37 = 0 THEN NULL ELSE ((i * 7919) % 20000)::BIGINT END AS cust,
    CASE WHEN i % 41 = 0 THEN NULL ELSE ((i * 104729) % 997)::INTEGER END AS k1,
    CASE WHEN i % 11 = 0 THEN NULL ELSE ['b', 'a', 'B', 'aa', 'é', 'Z', 'z', 'a b'][((i * 5) % 8) + 1] END AS sk,
    CASE WHEN i % 9 = 0 THEN NULL ELSE (((i * 37) % 200 - 100)::DECIMAL(10,3) / 8)::DECIMAL(10,3) END AS sd
  FROM range(${FACT_ROWS}) t(i)`;

/** Merchants: m_mid 0..399 (those ≡ 3 mod 50 twice), five NULL ids, 1000..1009 unmatched. */
const MERCH_SELECT = `
  SELECT m_mid::BIGINT AS m_mid,
         CASE WHEN m_mid % 13 = 5 THEN NULL ELSE 'M' || m_mid::VARCHAR END AS m_code,
         ((m_mid * 131) % 60000 - 10000)::BIGINT AS m_w,
         'merchant-' || coalesce(m_mid::VARCHAR, 'none') || '-' || copy::VARCHAR AS m_name
  FROM (
    SELECT i AS m_mid, 0 AS copy FROM range(400) t(i)
    UNION ALL SELECT i, 1 FROM range(400) t(i) WHERE i % 50 = 3
    UNION ALL SELECT NULL, i FROM range(5) t(i)
    UNION ALL SELECT i, 0 FROM range(1000, 1010) t(i)
  )`;

/** Rates by (currency, g2): duplicates for (USD, 1), NULLs in either key, a currency the fact table lacks. */
const RATES_SELECT = `
  SELECT r_cur, r_g2::INTEGER AS r_g2, ((row_number() OVER ())::DECIMAL(10,4) / 7)::DECIMAL(10,4) AS r_rate
  FROM (
    SELECT c AS r_cur, g AS r_g2 FROM (VALUES ('EUR'), ('USD'), ('GBP'), ('CHF')) c(c), range(0, 8, 2) g(g)
    UNION ALL SELECT 'USD', 1 UNION ALL SELECT 'USD', 1 UNION ALL SELECT NULL, 2 UNION ALL SELECT 'EUR', NULL UNION ALL SELECT NULL, NULL
  )`;

/** Price tiers: DECIMAL(14,2) (a wider type than the fact's DECIMAL(12,2)), a duplicate tier and a NULL. */
const TIERS_SELECT = `
  SELECT t_price, 'tier-' || coalesce(t_price::VARCHAR, 'null') AS t_label
  FROM (
    SELECT (i * 2.5)::DECIMAL(14,2) AS t_price FROM range(0, 20) t(i)
    UNION ALL SELECT 5.00::DECIMAL(14,2) UNION ALL SELECT 39.99::DECIMAL(14,2) UNION ALL SELECT NULL::DECIMAL(14,2)
  )`;

/** The multi-stage datasets in a temporary directory, and the DuckDB connection with a view over each. */
export interface MultiStageDatasets {
  readonly root: string;
  /** The fact table: dt= partitions, two files each, 2048-row row groups, plus an empty dt= partition. */
  readonly tx: string;
  /** A fact table with the same schema and one empty file. */
  readonly txEmpty: string;
  /** The merchants, in two files. */
  readonly merch: string;
  /** One empty file with the merchants' schema. */
  readonly merchEmpty: string;
  readonly rates: string;
  readonly tiers: string;
  /**
   * Two one-column files, {1, 2} then {2, 3}: the second map task's output holds a key the first already
   * had and a new one, so the reduce side must keep part of a later batch.
   */
  readonly pair: string;
  /** Has views tx, tx_empty, merch, merch_empty, rates and tiers. */
  readonly duck: DuckDBConnection;
  readonly cleanup: () => Promise<void>;
}

/** Writes the datasets with DuckDB. */
export async function createMultiStageDatasets(): Promise<MultiStageDatasets> {
  const root = await mkdtemp(path.join(tmpdir(), 'paylake-multistage-'));
  const duck = await openDuckDB();
  const copy = (select: string, to: string, options = ''): Promise<unknown> =>
    duck.run(`COPY (${select}) TO ${sqlString(to)} (FORMAT parquet, ROW_GROUP_SIZE 2048${options})`);

  // Two files per day, named so that sorted listing order is seq order (DuckDB cannot rotate files while
  // partitioning, so each half of each day is its own COPY).
  const tx = path.join(root, 'tx');
  const perDay = FACT_ROWS / FACT_DAYS.length;
  for (const [half, where] of [
    ['a', `seq % ${perDay} < ${perDay / 2}`],
    ['b', `seq % ${perDay} >= ${perDay / 2}`],
  ] as const) {
    await copy(`SELECT * FROM (${FACT_SELECT}) WHERE ${where} ORDER BY seq`, tx, `, PARTITION_BY (dt), FILENAME_PATTERN 'part-${half}-{i}', OVERWRITE_OR_IGNORE`);
  }
  await mkdir(path.join(tx, `dt=${FACT_EMPTY_DAY}`), { recursive: true });
  await copy(`SELECT * EXCLUDE (dt) FROM (${FACT_SELECT}) WHERE false`, path.join(tx, `dt=${FACT_EMPTY_DAY}`, 'part-a-0.parquet'));

  const txEmpty = path.join(root, 'tx-empty');
  await mkdir(txEmpty, { recursive: true });
  await copy(`SELECT * EXCLUDE (dt) FROM (${FACT_SELECT}) WHERE false`, path.join(txEmpty, 'part-0.parquet'));

  const merch = path.join(root, 'merch');
  await mkdir(merch, { recursive: true });
  await copy(`SELECT * FROM (${MERCH_SELECT}) WHERE m_mid IS NULL OR m_mid < 200`, path.join(merch, 'part-0.parquet'));
  await copy(`SELECT * FROM (${MERCH_SELECT}) WHERE m_mid >= 200`, path.join(merch, 'part-1.parquet'));
  const merchEmpty = path.join(root, 'merch-empty');
  await mkdir(merchEmpty, { recursive: true });
  await copy(`SELECT * FROM (${MERCH_SELECT}) WHERE false`, path.join(merchEmpty, 'part-0.parquet'));

  const rates = path.join(root, 'rates');
  await mkdir(rates, { recursive: true });
  await copy(RATES_SELECT, path.join(rates, 'part-0.parquet'));
  const tiers = path.join(root, 'tiers');
  await mkdir(tiers, { recursive: true });
  await copy(TIERS_SELECT, path.join(tiers, 'part-0.parquet'));

  const pair = path.join(root, 'pair');
  await mkdir(pair, { recursive: true });
  await copy('SELECT * FROM (VALUES (1), (2)) v(k)', path.join(pair, 'part-0.parquet'));
  await copy('SELECT * FROM (VALUES (2), (3)) v(k)', path.join(pair, 'part-1.parquet'));

  const glob = (dir: string, hive: boolean): string => `read_parquet(${sqlString(`${dir}/**/*.parquet`)}, hive_partitioning = ${hive})`;
  await duck.run(`CREATE VIEW tx AS SELECT * FROM ${glob(tx, true)}`);
  await duck.run(`CREATE VIEW tx_empty AS SELECT * FROM ${glob(txEmpty, false)}`);
  await duck.run(`CREATE VIEW merch AS SELECT * FROM ${glob(merch, false)}`);
  await duck.run(`CREATE VIEW merch_empty AS SELECT * FROM ${glob(merchEmpty, false)}`);
  await duck.run(`CREATE VIEW rates AS SELECT * FROM ${glob(rates, false)}`);
  await duck.run(`CREATE VIEW tiers AS SELECT * FROM ${glob(tiers, false)}`);
  return {
    root,
    tx,
    txEmpty,
    merch,
    merchEmpty,
    rates,
    tiers,
    pair,
    duck,
    cleanup: async () => {
      duck.closeSync();
      await rm(root, { recursive: true, force: true });
    },
  };
}

function sameCell(a: Row[string] | undefined, b: Row[string] | undefined): boolean {
  // avg gives doubles; DuckDB may divide a hugeint sum in long double, so allow the last bits.
  if (typeof a === 'number' && typeof b === 'number' && !(Number.isInteger(a) && Number.isInteger(b))) {
    return a === b || Math.abs(a - b) <= 1e-12 * Math.max(Math.abs(a), Math.abs(b));
  }
  return JSON.stringify(a) === JSON.stringify(b);
}

/** Rows in a canonical order (by their JSON text), for comparing multisets. */
export function sortedRows(rows: readonly Row[]): Row[] {
  return rows
    .map((r) => ({ r, key: JSON.stringify(r) }))
    .sort((x, y) => (x.key < y.key ? -1 : x.key > y.key ? 1 : 0))
    .map((x) => x.r);
}

/**
 * Asserts that `ours` equals `theirs`: same columns, same rows, in order when `ordered`, else as multisets.
 * Reports the first differing row rather than the whole arrays.
 */
export function expectSameRows(label: string, ours: readonly Row[], theirs: readonly Row[], ordered: boolean): void {
  const [a, b] = ordered ? [ours, theirs] : [sortedRows(ours), sortedRows(theirs)];
  expect(a.length, `${label}: row count`).toBe(b.length);
  if (a.length > 0) expect(Object.keys(a[0]!), `${label}: columns`).toEqual(Object.keys(b[0]!));
  const bad = a.findIndex((row, i) => Object.keys(row).some((k) => !sameCell(row[k], b[i]![k])));
  if (bad >= 0) expect(a[bad], `${label}: row ${bad} of ${a.length}`).toEqual(b[bad]);
}

/** Rows of the card payments table `pay` (window and spill tests). */
export const PAY_ROWS = 60_000;
/** Its dt= partitions, one third of the rows each. */
export const PAY_DAYS = ['2026-11-01', '2026-11-02', '2026-11-03'] as const;
/** The card that holds half of the payments. */
export const SKEWED_CARD = 'c0007';

/**
 * Card payments as a DuckDB SELECT over `rows` rows. `id` is unique and rises with file order. `card` is
 * skewed (every even row is SKEWED_CARD, the rest spread over 151 cards c0000..c0150) with NULLs; `ts` (a UTC
 * timestamp inside the row's dt) sits on 5-minute marks for a quarter of the rows and up to 200 s past
 * one for the rest, so there are ties and rows exactly 10 minutes apart in every busy card, and NULLs;
 * `mcc` a low-cardinality int key; `amt`, `fee` (DECIMAL(10,2)), `f` (a double that sums exactly), `s`
 * and `day` (a date) are values with NULLs.
 */
function paySelect(rows: number): string {
  return `
  SELECT
    i::BIGINT AS id,
    (DATE '${PAY_DAYS[0]}' + (i * ${PAY_DAYS.length} // ${rows})::INTEGER) AS dt,
    CASE WHEN i % 53 = 1 THEN NULL WHEN i % 2 = 0 THEN '${SKEWED_CARD}' ELSE 'c' || lpad(((i * 7919) % 151)::VARCHAR, 4, '0') END AS card,
    CASE WHEN i % 47 = 3 THEN NULL
         ELSE (DATE '${PAY_DAYS[0]}' + (i * ${PAY_DAYS.length} // ${rows})::INTEGER)::TIMESTAMPTZ
              + to_minutes((((i * 37) % 288) * 5)::BIGINT)
              + to_seconds((CASE WHEN i % 4 = 0 THEN 0 ELSE (i % 11) * 20 END)::BIGINT) END AS ts,
    CASE WHEN i % 19 = 0 THEN NULL ELSE ((i * 13) % 40)::INTEGER END AS mcc,
    CASE WHEN i % 29 = 0 THEN NULL ELSE ((i * 7919) % 100001 - 20000)::BIGINT END AS amt,
    CASE WHEN i % 31 = 0 THEN NULL ELSE (((i * 13) % 40000)::DECIMAL(10,2) / 100)::DECIMAL(10,2) END AS fee,
    CASE WHEN i % 23 = 0 THEN NULL ELSE (((i * 37) % 1000) * 0.25 - 100)::DOUBLE END AS f,
    CASE WHEN i % 11 = 0 THEN NULL ELSE ['ok', 'declined', 'ok', 'refund', 'chargeback', 'ok'][(i % 6) + 1] END AS s,
    CASE WHEN i % 13 = 0 THEN NULL ELSE DATE '2026-10-01' + ((i * 7) % 45)::INTEGER END AS day
  FROM range(${rows}) t(i)`;
}

/** Cards: 0..599 (the payments use 0..150) with a region (NULL for some), a duplicate for cards ≡ 5 mod 100, a NULL card, unmatched cards. */
const CARDS_SELECT = `
  SELECT 'c' || lpad(c::VARCHAR, 4, '0') AS c_card, CASE WHEN c % 17 = 3 THEN NULL ELSE 'r' || (c % 7)::VARCHAR END AS c_region, copy AS c_copy
  FROM (
    SELECT i AS c, 0 AS copy FROM range(600) t(i)
    UNION ALL SELECT i, 1 FROM range(600) t(i) WHERE i % 100 = 5
    UNION ALL SELECT i, 0 FROM range(9000, 9010) t(i)
  )
  UNION ALL SELECT NULL, 'r0', 0`;

/** Where writePayments put its tables. */
export interface PaymentTables {
  /** `rows` payments: dt= partitions, two files each, 2048-row row groups. */
  readonly pay: string;
  /** The cards dimension, one file. */
  readonly cards: string;
}

/**
 * Writes the payments (`rows` of them) and cards tables under `data.root/<name>` and `data.root/<name>-cards`,
 * and creates DuckDB views `<name>` and `<name>_cards` over them.
 */
export async function writePayments(data: MultiStageDatasets, name = 'pay', rows = PAY_ROWS): Promise<PaymentTables> {
  const { duck } = data;
  const select = paySelect(rows);
  const pay = path.join(data.root, name);
  const perDay = rows / PAY_DAYS.length;
  for (const [half, where] of [
    ['a', `id % ${perDay} < ${perDay / 2}`],
    ['b', `id % ${perDay} >= ${perDay / 2}`],
  ] as const) {
    await duck.run(
      `COPY (SELECT * FROM (${select}) WHERE ${where} ORDER BY id) TO ${sqlString(pay)} ` +
        `(FORMAT parquet, ROW_GROUP_SIZE 2048, PARTITION_BY (dt), FILENAME_PATTERN 'part-${half}-{i}', OVERWRITE_OR_IGNORE)`,
    );
  }
  const cards = path.join(data.root, `${name}-cards`);
  await mkdir(cards, { recursive: true });
  await duck.run(`COPY (${CARDS_SELECT}) TO ${sqlString(path.join(cards, 'part-0.parquet'))} (FORMAT parquet)`);
  await duck.run(`CREATE VIEW ${name} AS SELECT * FROM read_parquet(${sqlString(`${pay}/**/*.parquet`)}, hive_partitioning = true)`);
  await duck.run(`CREATE VIEW ${name}_cards AS SELECT * FROM read_parquet(${sqlString(`${cards}/*.parquet`)})`);
  return { pay, cards };
}
