// The memory budget end to end: each query runs once with the default budget and once with a budget small
// enough (300 KB → 75 KB per task on two workers) that reduce tasks split their input on disk (Grace),
// sorts spill sorted runs and map tasks write in rounds. The small-budget run must spill, give the same rows
// (in the same order for a global sort; the same kept rows for dropDuplicates, whose output order within a
// partition follows the Grace sub-partitions and so may differ), agree with DuckDB, and leave no run-*
// directory in the session's scratch directory.
import { readdir } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Session } from '../../../lib/dataframe/index.js';
import type { DataFrame, Row, SessionOptions } from '../../../lib/dataframe/index.js';
import type { RunMetrics } from '../../../lib/dataframe/exec/plan-executor.js';
import { duckRows } from './engine-fixtures.js';
import { createMultiStageDatasets, expectSameRows, PAY_ROWS, SKEWED_CARD, writePayments } from './multi-stage-fixtures.js';
import type { MultiStageDatasets, PaymentTables } from './multi-stage-fixtures.js';

/** Payments rows: several hundred KB per exchange partition (8 of them), many times the small task budget. */
const SPILL_ROWS = PAY_ROWS;
/** The small memory budget. */
const SMALL_MEMORY = 300_000;

let data: MultiStageDatasets;
let files: PaymentTables;

beforeAll(async () => {
  data = await createMultiStageDatasets();
  files = await writePayments(data, 'pay', SPILL_ROWS);
  await data.duck.run("SET default_null_order = 'nulls_first_on_asc_last_on_desc'");
});

afterAll(async () => {
  await data?.cleanup();
});

/** The tables as DataFrames of one session. */
interface Tables {
  readonly session: Session;
  readonly pay: DataFrame;
  readonly cards: DataFrame;
  readonly tx: DataFrame;
}

/** A session and its tables, opened in the describe's beforeAll and closed in its afterAll. */
function sessionFor(options: SessionOptions): () => Tables {
  let tables: Tables | undefined;
  beforeAll(async () => {
    const session = new Session({ workers: 2, progress: false, ...options });
    tables = { session, pay: await session.readParquet(files.pay), cards: await session.readParquet(files.cards), tx: await session.readParquet(data.tx) };
  });
  afterAll(async () => {
    await tables?.session.close();
  });
  return () => tables!;
}

/** One query in paylake and DuckDB. */
interface SpillCase {
  readonly name: string;
  readonly df: (t: Tables) => DataFrame;
  readonly sql: string;
  /** Rows compare in order (a global sort); otherwise sorted by `key`. */
  readonly ordered?: boolean;
  /** Columns that identify a row; default `id`. */
  readonly key?: readonly string[];
}

/** Rows sorted by the (unique) key columns. */
function byKey(rows: readonly Row[], key: readonly string[]): Row[] {
  const text = (r: Row): string => JSON.stringify(key.map((k) => r[k] ?? null));
  const keyed = rows.map((r) => ({ r, k: text(r) }));
  expect(new Set(keyed.map((x) => x.k)).size, `${key.join(', ')} is unique`).toBe(rows.length);
  return keyed.sort((a, b) => (a.k < b.k ? -1 : a.k > b.k ? 1 : 0)).map((x) => x.r);
}

/** The session's run-* scratch directories (each action must remove its own). */
async function runDirs(session: Session): Promise<string[]> {
  try {
    return (await readdir(session.scratchDir)).filter((name) => name.startsWith('run-'));
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw e;
  }
}

async function run(c: SpillCase, t: Tables): Promise<{ rows: Row[]; metrics: RunMetrics }> {
  const rows = await c.df(t).collect();
  const metrics = { ...t.session.lastRun };
  expect(await runDirs(t.session), `${c.name}: scratch directories left behind`).toEqual([]);
  return { rows, metrics };
}

/** First row by id of each key, as dropDuplicates keeps it. */
const firstById = (columns: string, keys: string): string => `SELECT ${columns} FROM pay QUALIFY row_number() OVER (PARTITION BY ${keys} ORDER BY id) = 1`;

const TEN_MINUTES = 'OVER (PARTITION BY card ORDER BY ts RANGE BETWEEN INTERVAL 10 MINUTES PRECEDING AND CURRENT ROW)';

const CASES: readonly SpillCase[] = [
  {
    name: 'a shuffled left join on a unique key',
    df: (t) => t.pay.select('id', 'card', 'amt', 'ts').join(t.tx.select('seq', 'mid', 'cur', 'amt AS tx_amt'), 'id = seq', 'left'),
    sql: 'SELECT p.id, p.card, p.amt, p.ts, t.seq, t.mid, t.cur, t.amt AS tx_amt FROM pay p LEFT JOIN tx t ON p.id = t.seq',
  },
  {
    name: 'a shuffled join on a skewed key (one card holds half the rows)',
    df: (t) => t.pay.select('id', 'card', 'fee').join(t.cards, 'card = c_card'),
    sql: 'SELECT p.id, p.card, p.fee, c.* FROM pay p JOIN pay_cards c ON p.card = c.c_card',
    key: ['id', 'c_copy'],
  },
  {
    name: 'a group by ~35,000 keys with count(DISTINCT)',
    df: (t) => t.pay.groupBy('card', 'ts').agg('count(*) AS n', 'sum(amt) AS s', 'count(DISTINCT s) AS ds', 'count(DISTINCT mcc) AS dm', 'min(fee) AS mn', 'max(f) AS mx'),
    sql: 'SELECT card, ts, count(*) AS n, sum(amt) AS s, count(DISTINCT s) AS ds, count(DISTINCT mcc) AS dm, min(fee) AS mn, max(f) AS mx FROM pay GROUP BY card, ts',
    key: ['card', 'ts'],
  },
  {
    name: 'dropDuplicates on a high-cardinality key',
    df: (t) => t.pay.select('id', 'ts', 'mcc', 'amt', 's').dropDuplicates(['ts', 'mcc']),
    sql: firstById('id, ts, mcc, amt, s', 'ts, mcc'),
  },
  {
    name: 'dropDuplicates on keys including the skewed card',
    df: (t) => t.pay.select('id', 'card', 'mcc', 'dt', 'fee').dropDuplicates(['card', 'mcc', 'dt']),
    sql: firstById('id, card, mcc, dt, fee', 'card, mcc, dt'),
  },
  {
    name: 'a global sort with ties (stable: ties keep file order)',
    df: (t) => t.pay.select('id', 'card', 'ts', 'amt', 's').orderBy('card DESC, ts'),
    sql: 'SELECT id, card, ts, amt, s FROM pay ORDER BY card DESC, ts, id',
    ordered: true,
  },
  {
    name: 'a global sort on a bigint key with NULLs',
    df: (t) => t.pay.select('id', 'amt', 'fee', 'dt').orderBy('amt DESC NULLS FIRST'),
    sql: 'SELECT id, amt, fee, dt FROM pay ORDER BY amt DESC NULLS FIRST, id',
    ordered: true,
  },
  {
    name: 'dropDuplicates over another dropDuplicates: a reduce stage that splits its input and writes an exchange',
    // Which row of a card is kept depends on arrival order after two exchanges, so only the cards compare.
    df: (t) => t.pay.select('id', 'card').dropDuplicates(['id']).dropDuplicates(['card']).select('card'),
    sql: 'SELECT DISTINCT card FROM pay',
    key: ['card'],
  },
  {
    name: 'windows: row_number and the 10-minute frame by card (half the rows in one partition), then a lag by mcc after another exchange',
    df: (t) =>
      t.pay.select('id', 'card', 'row_number() OVER (PARTITION BY card ORDER BY ts, id) AS rn', `count(*) ${TEN_MINUTES} AS n10`, 'lag(amt, 2, 0) OVER (PARTITION BY mcc ORDER BY id) AS prev2'),
    sql: `SELECT id, card, row_number() OVER (PARTITION BY card ORDER BY ts, id) AS rn, count(*) ${TEN_MINUTES} AS n10, lag(amt, 2, 0) OVER (PARTITION BY mcc ORDER BY id) AS prev2 FROM pay`,
  },
];

describe(`a ${SMALL_MEMORY}-byte memory budget spills and gives the default budget's results`, () => {
  const normal = sessionFor({ broadcastThreshold: 0 });
  const small = sessionFor({ broadcastThreshold: 0, memory: SMALL_MEMORY });

  it('the small budget is far below the partitions', () => {
    expect(small().session.taskMemoryBytes).toBe(SMALL_MEMORY / 4);
  });

  for (const c of CASES) {
    it(c.name, async () => {
      const reference = await run(c, normal());
      const spilled = await run(c, small());
      expect(reference.metrics.spilledBytes, 'the default budget does not spill').toBe(0);
      expect(spilled.metrics.spilledBytes, 'the small budget spills').toBeGreaterThan(0);
      const key = c.key ?? ['id'];
      const theirs = await duckRows(data.duck, c.sql);
      if (c.ordered) {
        expectSameRows(`${c.name}: small vs default budget`, spilled.rows, reference.rows, true);
        expectSameRows(`${c.name}: vs DuckDB`, reference.rows, theirs, true);
      } else {
        expectSameRows(`${c.name}: small vs default budget`, byKey(spilled.rows, key), byKey(reference.rows, key), true);
        expectSameRows(`${c.name}: vs DuckDB`, byKey(reference.rows, key), byKey(theirs, key), true);
      }
    });
  }

  it('the skewed card is really half the payments', async () => {
    const [row] = await duckRows(data.duck, `SELECT count(*) FILTER (card = '${SKEWED_CARD}') AS skewed, count(*) AS n FROM pay`);
    expect(row!.n).toBe(SPILL_ROWS);
    expect(row!.skewed).toBeGreaterThan(SPILL_ROWS * 0.45);
  });
});
