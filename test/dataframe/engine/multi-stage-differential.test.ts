// The multi-stage engine (hash and broadcast exchanges, hash joins, shuffled aggregation, deduplication,
// range-partitioned global sort) against DuckDB on the same Parquet files, then against itself across
// worker counts, shuffle partition counts and memory budgets.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Session } from '../../../lib/dataframe/index.js';
import type { DataFrame, Row, SessionOptions } from '../../../lib/dataframe/index.js';
import { JOIN_TYPES } from '../../../lib/dataframe/physical/join/join-type.js';
import type { JoinType } from '../../../lib/dataframe/physical/join/join-type.js';
import { duckRows } from './engine-fixtures.js';
import { createMultiStageDatasets, expectSameRows, SKEWED_MID } from './multi-stage-fixtures.js';
import type { MultiStageDatasets } from './multi-stage-fixtures.js';

let data: MultiStageDatasets;

beforeAll(async () => {
  data = await createMultiStageDatasets();
});

afterAll(async () => {
  await data?.cleanup();
});

/** The datasets as DataFrames of one session. */
interface Tables {
  readonly tx: DataFrame;
  readonly txEmpty: DataFrame;
  readonly merch: DataFrame;
  readonly merchEmpty: DataFrame;
  readonly rates: DataFrame;
  readonly tiers: DataFrame;
}

/** A session and its tables, opened in a describe's beforeAll and closed in its afterAll. */
function sessionFor(options: SessionOptions): { readonly tables: () => Tables } {
  let session: Session | undefined;
  let tables: Tables | undefined;
  beforeAll(async () => {
    session = new Session({ workers: 2, progress: false, ...options });
    tables = {
      tx: await session.readParquet(data.tx),
      txEmpty: await session.readParquet(data.txEmpty),
      merch: await session.readParquet(data.merch),
      merchEmpty: await session.readParquet(data.merchEmpty),
      rates: await session.readParquet(data.rates),
      tiers: await session.readParquet(data.tiers),
    };
  });
  afterAll(async () => {
    await session?.close();
  });
  return { tables: () => tables! };
}

/** One query in both engines; rows compare in order when `ordered`, else as multisets. */
interface Case {
  readonly name: string;
  readonly df: (t: Tables) => DataFrame;
  readonly sql: string;
  readonly ordered?: boolean;
}

async function checkAgainstDuckDB(c: Case, t: Tables): Promise<void> {
  const ours = await c.df(t).collect();
  expectSameRows(c.name, ours, await duckRows(data.duck, c.sql), c.ordered === true);
}

// ---------------------------------------------------------------------------------------------------------
// Joins

/**
 * The fact rows the join matrix reads: one day (two files, four row groups) and every third row, so that
 * 12 cases × 6 types × 2 strategies stay fast; the skewed key still holds half of them.
 */
const JOIN_FACT = "dt = '2026-11-02' AND seq % 3 = 0";
const fact = (t: Tables, ...columns: string[]): DataFrame => t.tx.filter(JOIN_FACT).select(...columns);
const factSql = (columns: string): string => `SELECT ${columns} FROM tx WHERE ${JOIN_FACT}`;

/**
 * A join of two inputs on a condition both engines spell the same way (the inputs' column names are
 * disjoint, so no qualification is needed), run for every join type.
 */
interface JoinCase {
  readonly name: string;
  readonly left: (t: Tables) => DataFrame;
  readonly right: (t: Tables) => DataFrame;
  readonly on: string;
  readonly leftSql: string;
  readonly rightSql: string;
}

const JOIN_CASES: readonly JoinCase[] = [
  {
    name: 'int = bigint keys with NULLs, duplicates on both sides and a skewed key',
    left: (t) => fact(t, 'seq', 'mid', 'amt'),
    right: (t) => t.merch,
    on: 'mid = m_mid',
    leftSql: factSql('seq, mid, amt'),
    rightSql: 'SELECT * FROM merch',
  },
  {
    name: 'string keys',
    left: (t) => fact(t, 'seq', 'code'),
    right: (t) => t.merch.select('m_code', 'm_name'),
    on: 'code = m_code',
    leftSql: factSql('seq, code'),
    rightSql: 'SELECT m_code, m_name FROM merch',
  },
  {
    name: 'a two-column key (string, int) with NULLs in either column',
    left: (t) => fact(t, 'seq', 'cur', 'g2'),
    right: (t) => t.rates,
    on: 'cur = r_cur AND g2 = r_g2',
    leftSql: factSql('seq, cur, g2'),
    rightSql: 'SELECT * FROM rates',
  },
  {
    name: 'decimal(12,2) = decimal(14,2) keys',
    left: (t) => fact(t, 'seq', 'price'),
    right: (t) => t.tiers,
    on: 'price = t_price',
    leftSql: factSql('seq, price'),
    rightSql: 'SELECT * FROM tiers',
  },
  {
    name: 'an equi key and a non-equi condition',
    left: (t) => fact(t, 'seq', 'mid', 'amt'),
    right: (t) => t.merch,
    on: 'mid = m_mid AND amt > m_w',
    leftSql: factSql('seq, mid, amt'),
    rightSql: 'SELECT * FROM merch',
  },
  {
    name: 'the small side on the left',
    left: (t) => t.merch.select('m_mid', 'm_name'),
    right: (t) => fact(t, 'seq', 'mid', 'amt'),
    on: 'm_mid = mid',
    leftSql: 'SELECT m_mid, m_name FROM merch',
    rightSql: factSql('seq, mid, amt'),
  },
  {
    name: 'an empty right side (a filter that removes every row)',
    left: (t) => fact(t, 'seq', 'mid', 'amt'),
    right: (t) => t.merch.filter('m_w > 100000000'),
    on: 'mid = m_mid',
    leftSql: factSql('seq, mid, amt'),
    rightSql: 'SELECT * FROM merch WHERE m_w > 100000000',
  },
  {
    name: 'an empty right side (an empty file)',
    left: (t) => fact(t, 'seq', 'mid', 'amt'),
    right: (t) => t.merchEmpty,
    on: 'mid = m_mid',
    leftSql: factSql('seq, mid, amt'),
    rightSql: 'SELECT * FROM merch_empty',
  },
  {
    name: 'an empty left side (an empty file)',
    left: (t) => t.txEmpty.select('seq', 'mid', 'amt'),
    right: (t) => t.merch,
    on: 'mid = m_mid',
    leftSql: 'SELECT seq, mid, amt FROM tx_empty',
    rightSql: 'SELECT * FROM merch',
  },
  {
    name: 'an empty left side (a filter that removes every row)',
    left: (t) => t.tx.filter('amt > 100000000').select('seq', 'mid', 'amt'),
    right: (t) => t.merch,
    on: 'mid = m_mid',
    leftSql: 'SELECT seq, mid, amt FROM tx WHERE amt > 100000000',
    rightSql: 'SELECT * FROM merch',
  },
];

const DUCK_JOIN: Record<JoinType, string> = {
  inner: 'JOIN',
  left: 'LEFT JOIN',
  right: 'RIGHT JOIN',
  full: 'FULL JOIN',
  left_semi: 'SEMI JOIN',
  left_anti: 'ANTI JOIN',
};

function joinSql(c: JoinCase, how: JoinType): string {
  const columns = how === 'left_semi' || how === 'left_anti' ? 'l.*' : 'l.*, r.*';
  return `SELECT ${columns} FROM (${c.leftSql}) l ${DUCK_JOIN[how]} (${c.rightSql}) r ON ${c.on}`;
}

/** A join case of one type, as a Case. */
function joinOf(c: JoinCase, how: JoinType, spelling: string = how): Case {
  return { name: `${how}: ${c.name}`, df: (t) => c.left(t).join(c.right(t), c.on, spelling), sql: joinSql(c, how) };
}

/**
 * A USING join (a list of names both inputs have): the keys once, first — the left's, the right's for
 * RIGHT, coalesced for FULL — then the other columns of each side.
 */
interface UsingCase {
  readonly name: string;
  readonly left: (t: Tables) => DataFrame;
  readonly right: (t: Tables) => DataFrame;
  readonly keys: readonly string[];
  readonly leftSql: string;
  readonly rightSql: string;
  readonly leftRest: readonly string[];
  readonly rightRest: readonly string[];
}

const USING_CASES: readonly UsingCase[] = [
  {
    name: 'USING an int/bigint key with NULLs and duplicates',
    left: (t) => fact(t, 'seq', 'mid', 'amt'),
    right: (t) => t.merch.withColumnRenamed('m_mid', 'mid'),
    keys: ['mid'],
    leftSql: factSql('seq, mid, amt'),
    rightSql: 'SELECT m_mid AS mid, m_code, m_w, m_name FROM merch',
    leftRest: ['seq', 'amt'],
    rightRest: ['m_code', 'm_w', 'm_name'],
  },
  {
    name: 'USING two keys (string, int)',
    left: (t) => fact(t, 'seq', 'cur', 'g2'),
    right: (t) => t.rates.withColumnRenamed('r_cur', 'cur').withColumnRenamed('r_g2', 'g2'),
    keys: ['cur', 'g2'],
    leftSql: factSql('seq, cur, g2'),
    rightSql: 'SELECT r_cur AS cur, r_g2 AS g2, r_rate FROM rates',
    leftRest: ['seq'],
    rightRest: ['r_rate'],
  },
];

function usingOf(c: UsingCase, how: JoinType, spelling: string = how): Case {
  const key = (k: string): string => `${how === 'right' ? `r.${k}` : how === 'full' ? `coalesce(l.${k}, r.${k})` : `l.${k}`} AS ${k}`;
  const semiOrAnti = how === 'left_semi' || how === 'left_anti';
  const columns = [...c.keys.map(key), ...c.leftRest.map((n) => `l.${n}`), ...(semiOrAnti ? [] : c.rightRest.map((n) => `r.${n}`))];
  const on = c.keys.map((k) => `l.${k} = r.${k}`).join(' AND ');
  return {
    name: `${how}: ${c.name}`,
    df: (t) => c.left(t).join(c.right(t), c.keys, spelling),
    sql: `SELECT ${columns.join(', ')} FROM (${c.leftSql}) l ${DUCK_JOIN[how]} (${c.rightSql}) r ON ${on}`,
  };
}

/** Spark's other spellings of the join types, used by the shuffled variant so both spellings run. */
const SPARK_SPELLING: Record<JoinType, string> = {
  inner: 'inner',
  left: 'left_outer',
  right: 'rightouter',
  full: 'outer',
  left_semi: 'leftsemi',
  left_anti: 'anti',
};

/** The physical join operator of a plan, from explain(). */
async function joinStrategy(df: DataFrame): Promise<string> {
  const m = /(BroadcastHashJoin|ShuffledHashJoin|HashJoin on the coordinator)/.exec(await df.explain());
  return m === null ? 'none' : m[1]!;
}

describe('joins agree with DuckDB: broadcast (default threshold, the small side)', () => {
  const { tables } = sessionFor({});
  for (const c of JOIN_CASES) for (const how of JOIN_TYPES) it(`${how}: ${c.name}`, () => checkAgainstDuckDB(joinOf(c, how), tables()));
  for (const c of USING_CASES) for (const how of JOIN_TYPES) it(`${how}: ${c.name}`, () => checkAgainstDuckDB(usingOf(c, how), tables()));

  it('the cases are not vacuous: the non-empty ones match and miss rows in DuckDB', async () => {
    for (const c of JOIN_CASES.filter((x) => !x.name.startsWith('an empty'))) {
      const count = async (how: JoinType): Promise<number> => Number((await duckRows(data.duck, `SELECT count(*) AS n FROM (${joinSql(c, how)})`))[0]!.n);
      expect(await count('inner'), c.name).toBeGreaterThan(0);
      expect(await count('full'), c.name).toBeGreaterThan(await count('inner'));
    }
  });

  it('broadcasts a side for every join type but FULL', async () => {
    const t = tables();
    const c = JOIN_CASES[0]!;
    const plans = await Promise.all(JOIN_TYPES.map(async (how) => `${how}: ${await joinStrategy(c.left(t).join(c.right(t), c.on, how))}`));
    expect(plans).toEqual(JOIN_TYPES.map((how) => `${how}: ${how === 'full' ? 'ShuffledHashJoin' : 'BroadcastHashJoin'}`));
  });
});

describe('joins agree with DuckDB: shuffled (broadcastThreshold 0, Spark spellings of the types)', () => {
  const { tables } = sessionFor({ broadcastThreshold: 0 });
  for (const c of JOIN_CASES) for (const how of JOIN_TYPES) it(`${how}: ${c.name}`, () => checkAgainstDuckDB(joinOf(c, how, SPARK_SPELLING[how]), tables()));
  for (const c of USING_CASES) for (const how of JOIN_TYPES) it(`${how}: ${c.name}`, () => checkAgainstDuckDB(usingOf(c, how, SPARK_SPELLING[how]), tables()));

  it('never broadcasts, not even an input estimated at 0 bytes', async () => {
    const t = tables();
    const plans = await Promise.all(JOIN_CASES.flatMap((c) => JOIN_TYPES.map(async (how) => `${how}: ${c.name}: ${await joinStrategy(c.left(t).join(c.right(t), c.on, how))}`)));
    expect(plans.filter((p) => !p.endsWith('ShuffledHashJoin'))).toEqual([]);
  });
});

// ---------------------------------------------------------------------------------------------------------
// Aggregation, deduplication and global sort

const AGG_CASES: readonly Case[] = [
  {
    name: 'group by 20,000 distinct keys (and NULL) with count, sum, min, max, avg, count(DISTINCT)',
    df: (t) => t.tx.groupBy('cust').agg('count(*) AS n', 'sum(amt) AS s', 'min(amt) AS mn', 'max(amt) AS mx', 'avg(amt) AS a', 'count(DISTINCT k1) AS dk'),
    sql: 'SELECT cust, count(*) AS n, sum(amt) AS s, min(amt) AS mn, max(amt) AS mx, avg(amt) AS a, count(DISTINCT k1) AS dk FROM tx GROUP BY cust',
  },
  {
    name: 'group by two NULL-heavy keys with string and decimal aggregates',
    df: (t) => t.tx.groupBy('cur', 'g2').agg('count(*) AS n', 'count(amt) AS ca', 'min(sk) AS msk', 'max(sk) AS xsk', 'max(price) AS mp', 'sum(price) AS sp', 'count(DISTINCT code) AS dc'),
    sql: 'SELECT cur, g2, count(*) AS n, count(amt) AS ca, min(sk) AS msk, max(sk) AS xsk, max(price) AS mp, sum(price) AS sp, count(DISTINCT code) AS dc FROM tx GROUP BY cur, g2',
  },
  {
    name: 'group by a string key and a skewed key',
    df: (t) => t.tx.groupBy('code', 'mid').agg('count(*) AS n', 'sum(amt) AS s', 'max(seq) AS last'),
    sql: 'SELECT code, mid, count(*) AS n, sum(amt) AS s, max(seq) AS last FROM tx GROUP BY code, mid',
  },
  {
    name: 'group by a decimal key',
    df: (t) => t.tx.groupBy('price').agg('count(*) AS n', 'min(seq) AS first', 'count(DISTINCT cur) AS dc'),
    sql: 'SELECT price, count(*) AS n, min(seq) AS first, count(DISTINCT cur) AS dc FROM tx GROUP BY price',
  },
  {
    name: 'group by after an inner join',
    df: (t) => t.tx.join(t.merch, 'mid = m_mid').groupBy('m_name').agg('count(*) AS n', 'sum(amt) AS s', 'avg(amt) AS a', 'count(DISTINCT cust) AS dc'),
    sql: 'SELECT m_name, count(*) AS n, sum(amt) AS s, avg(amt) AS a, count(DISTINCT cust) AS dc FROM tx JOIN merch ON mid = m_mid GROUP BY m_name',
  },
  {
    name: 'group by a NULL-extended column after a full join',
    df: (t) => t.tx.join(t.merch, 'mid = m_mid', 'full').groupBy('m_code').agg('count(*) AS n', 'count(seq) AS ns', 'max(seq) AS last', 'min(m_name) AS mn'),
    sql: 'SELECT m_code, count(*) AS n, count(seq) AS ns, max(seq) AS last, min(m_name) AS mn FROM tx FULL JOIN merch ON mid = m_mid GROUP BY m_code',
  },
  {
    name: 'a global aggregate over a join',
    df: (t) => t.tx.join(t.rates, 'cur = r_cur AND g2 = r_g2').agg('count(*) AS n', 'sum(amt) AS s', 'count(DISTINCT cur) AS dc', 'max(r_rate) AS mr'),
    sql: 'SELECT count(*) AS n, sum(amt) AS s, count(DISTINCT cur) AS dc, max(r_rate) AS mr FROM tx JOIN rates ON cur = r_cur AND g2 = r_g2',
  },
];

/** The first row by seq of each key, as DuckDB's QUALIFY. */
function firstBySeq(columns: string, keys: string, from = 'tx'): string {
  return `SELECT ${columns} FROM ${from} QUALIFY row_number() OVER (PARTITION BY ${keys} ORDER BY seq) = 1`;
}

const DEDUPE_CASES: readonly Case[] = [
  {
    name: 'dropDuplicates on an int key with NULLs',
    df: (t) => t.tx.select('seq', 'k1', 'cur', 'amt').dropDuplicates(['k1']),
    sql: firstBySeq('seq, k1, cur, amt', 'k1'),
  },
  {
    name: 'dropDuplicates on two keys with NULLs',
    df: (t) => t.tx.select('seq', 'cur', 'g2', 'sk').dropDuplicates(['cur', 'g2']),
    sql: firstBySeq('seq, cur, g2, sk', 'cur, g2'),
  },
  {
    name: 'dropDuplicates on a skewed key',
    df: (t) => t.tx.select('seq', 'mid', 'amt', 'dt').dropDuplicates(['mid']),
    sql: firstBySeq('seq, mid, amt, dt', 'mid'),
  },
  {
    name: 'dropDuplicates on 20,000 distinct keys',
    df: (t) => t.tx.select('seq', 'cust', 'amt').dropDuplicates(['cust']),
    sql: firstBySeq('seq, cust, amt', 'cust'),
  },
  {
    name: 'dropDuplicates on a decimal and a string key',
    df: (t) => t.tx.select('seq', 'price', 'code', 'g2').dropDuplicates(['price', 'code']),
    sql: firstBySeq('seq, price, code, g2', 'price, code'),
  },
  {
    name: 'dropDuplicates after a filter, keys named in another order than the columns',
    df: (t) => t.tx.filter('amt > 0').select('seq', 'sk', 'sd', 'cur').dropDuplicates(['cur', 'sk']),
    sql: firstBySeq('seq, sk, sd, cur', 'cur, sk', '(SELECT * FROM tx WHERE amt > 0)'),
  },
  {
    name: 'dropDuplicates() with no columns',
    df: (t) => t.tx.select('cur', 'g2', 'sk').dropDuplicates(),
    sql: 'SELECT DISTINCT cur, g2, sk FROM tx',
  },
  {
    name: 'distinct over computed columns',
    df: (t) => t.tx.select('k1 % 5 AS x', 'sd', 'dt').distinct(),
    sql: 'SELECT DISTINCT k1 % 5 AS x, sd, dt FROM tx',
  },
  {
    name: 'dropDuplicates of an empty file',
    df: (t) => t.txEmpty.select('seq', 'k1').dropDuplicates(['k1']),
    sql: firstBySeq('seq, k1', 'k1', 'tx_empty'),
  },
];

/** Marks cases whose row order is compared. */
function ordered(cases: readonly Case[]): Case[] {
  return cases.map((c) => ({ ...c, ordered: true }));
}

const SORT_CASES: readonly Case[] = ordered([
  {
    name: 'string DESC (NULLS LAST) then decimal ASC (NULLS FIRST)',
    df: (t) => t.tx.select('seq', 'sk', 'sd').orderBy('sk DESC, sd'),
    sql: 'SELECT seq, sk, sd FROM tx ORDER BY sk DESC NULLS LAST, sd ASC NULLS FIRST, seq',
  },
  {
    name: 'decimal DESC NULLS FIRST then string ASC NULLS LAST',
    df: (t) => t.tx.select('seq', 'sk', 'sd').orderBy('sd DESC NULLS FIRST, sk NULLS LAST'),
    sql: 'SELECT seq, sk, sd FROM tx ORDER BY sd DESC NULLS FIRST, sk ASC NULLS LAST, seq',
  },
  {
    name: 'a key with eight values: many ties in input order',
    df: (t) => t.tx.select('seq', 'g2', 'cur').orderBy('g2 DESC'),
    sql: 'SELECT seq, g2, cur FROM tx ORDER BY g2 DESC NULLS LAST, seq',
  },
  {
    name: 'a skewed key (half the rows equal)',
    df: (t) => t.tx.select('seq', 'mid').orderBy('mid'),
    sql: 'SELECT seq, mid FROM tx ORDER BY mid ASC NULLS FIRST, seq',
  },
  {
    name: 'all keys equal',
    df: (t) => t.tx.filter(`mid = ${SKEWED_MID}`).select('seq', 'mid', 'cur').orderBy('mid DESC'),
    sql: `SELECT seq, mid, cur FROM tx WHERE mid = ${SKEWED_MID} ORDER BY seq`,
  },
  {
    name: 'decimal and string keys with a bigint expression',
    df: (t) => t.tx.select('seq', 'price', 'cur', 'amt').orderBy('price DESC, cur, amt % 100 DESC NULLS FIRST'),
    sql: 'SELECT seq, price, cur, amt FROM tx ORDER BY price DESC NULLS LAST, cur ASC NULLS FIRST, amt % 100 DESC NULLS FIRST, seq',
  },
  {
    name: 'an empty input (a filter that removes every row)',
    df: (t) => t.tx.filter('amt > 100000000').select('seq', 'amt').orderBy('amt DESC'),
    sql: 'SELECT seq, amt FROM tx WHERE amt > 100000000 ORDER BY amt DESC',
  },
  {
    name: 'an empty input (an empty file)',
    df: (t) => t.txEmpty.select('seq', 'sk').orderBy('sk'),
    sql: 'SELECT seq, sk FROM tx_empty ORDER BY sk',
  },
  {
    name: 'the output of a join',
    df: (t) => t.tx.select('seq', 'mid').join(t.merch.select('m_mid', 'm_name'), 'mid = m_mid', 'left').orderBy('m_name DESC, seq'),
    sql: 'SELECT seq, mid, m_mid, m_name FROM tx LEFT JOIN merch ON mid = m_mid ORDER BY m_name DESC NULLS LAST, seq',
  },
  {
    name: 'the output of a high-cardinality aggregation',
    df: (t) => t.tx.groupBy('cust').agg('count(*) AS n', 'max(seq) AS last').orderBy('n DESC, last'),
    sql: 'SELECT cust, count(*) AS n, max(seq) AS last FROM tx GROUP BY cust ORDER BY n DESC, last',
  },
]);

describe('shuffled aggregation agrees with DuckDB', () => {
  const { tables } = sessionFor({});
  for (const c of AGG_CASES) it(c.name, () => checkAgainstDuckDB(c, tables()));
  it('group by after a shuffled join', async () => {
    // The broadcast variant is above; this one's join exchanges both sides.
    const session = new Session({ workers: 2, progress: false, broadcastThreshold: 0 });
    try {
      const tx = await session.readParquet(data.tx);
      const merch = await session.readParquet(data.merch);
      const df = tx.join(merch, 'mid = m_mid AND amt > m_w', 'left').groupBy('m_name', 'cur').agg('count(*) AS n', 'sum(amt) AS s', 'count(DISTINCT k1) AS dk');
      expect(await df.explain()).toContain('ShuffledHashJoin');
      const sql = 'SELECT m_name, cur, count(*) AS n, sum(amt) AS s, count(DISTINCT k1) AS dk FROM tx LEFT JOIN merch ON mid = m_mid AND amt > m_w GROUP BY m_name, cur';
      expectSameRows('group by after a shuffled join', await df.collect(), await duckRows(data.duck, sql), false);
    } finally {
      await session.close();
    }
  });
});

describe('dropDuplicates keeps the first row by seq, as DuckDB QUALIFY row_number() = 1', () => {
  const { tables } = sessionFor({});
  for (const c of DEDUPE_CASES) it(c.name, () => checkAgainstDuckDB(c, tables()));

  it('keeps the new keys of a later map output that also repeats an earlier key', async () => {
    // Files {1, 2} and {2, 3} into one reduce partition: the first map output passes through whole, the
    // second is cut to its new key (3); both batches must reach the result.
    const session = new Session({ workers: 1, progress: false, shufflePartitions: 1 });
    try {
      const pair = await session.readParquet(data.pair);
      expectSameRows('dropDuplicates', await pair.dropDuplicates(['k']).collect(), [{ k: 1 }, { k: 2 }, { k: 3 }], true);
      expectSameRows('distinct', await pair.distinct().collect(), [{ k: 1 }, { k: 2 }, { k: 3 }], true);
    } finally {
      await session.close();
    }
  });
});

describe('a global sort equals DuckDB ORDER BY keys, seq (the sort is stable)', () => {
  const { tables } = sessionFor({});
  for (const c of SORT_CASES) it(c.name, () => checkAgainstDuckDB(c, tables()));
  it('plans a range exchange', async () => {
    expect(await SORT_CASES[0]!.df(tables()).explain()).toMatch(/Exchange range\(sk DESC.*\) into 8 partitions/);
  });
});

// ---------------------------------------------------------------------------------------------------------
// Determinism and the memory budget

const byName = (cases: readonly Case[], ...names: string[]): Case[] => names.map((n) => cases.find((c) => c.name === n) ?? expect.fail(`no case ${n}`));

/** Sorts whose unsorted output must be identical for any number of workers and shuffle partitions. */
const DETERMINISM_SORTS = byName(SORT_CASES, 'string DESC (NULLS LAST) then decimal ASC (NULLS FIRST)', 'a key with eight values: many ties in input order', 'all keys equal');

/** Deduplications whose kept rows must not depend on workers or shuffle partitions. */
const DETERMINISM_DEDUPES = byName(
  DEDUPE_CASES,
  'dropDuplicates on an int key with NULLs',
  'dropDuplicates on two keys with NULLs',
  'dropDuplicates on 20,000 distinct keys',
);

/** Joins and aggregations: their order is partition order, the same for any number of workers. */
const PARTITION_ORDER_QUERIES: readonly Case[] = [
  ...byName(AGG_CASES, 'group by two NULL-heavy keys with string and decimal aggregates', 'group by a string key and a skewed key'),
  joinOf(JOIN_CASES[0]!, 'full'),
  joinOf(JOIN_CASES[2]!, 'left'),
];

describe('results do not depend on workers or shuffle partitions', () => {
  const variants = {
    'workers 1': sessionFor({ workers: 1 }),
    'workers 2': sessionFor({ workers: 2 }),
    'shufflePartitions 1': sessionFor({ shufflePartitions: 1 }),
    'shufflePartitions 3': sessionFor({ shufflePartitions: 3 }),
    'shufflePartitions 17': sessionFor({ shufflePartitions: 17 }),
  };
  const runAll = (c: Case): Promise<{ name: string; rows: Row[] }[]> =>
    Promise.all(Object.entries(variants).map(async ([name, v]) => ({ name, rows: await c.df(v.tables()).collect() })));

  for (const c of DETERMINISM_SORTS) {
    it(`a global sort is identical everywhere: ${c.name}`, async () => {
      const [first, ...rest] = await runAll(c);
      expectSameRows(`${c.name} on ${first!.name} vs DuckDB`, first!.rows, await duckRows(data.duck, c.sql), true);
      for (const r of rest) expectSameRows(`${c.name} on ${r.name} vs ${first!.name}`, r.rows, first!.rows, true);
    });
  }

  for (const c of DETERMINISM_DEDUPES) {
    it(`dropDuplicates keeps the same rows everywhere, in the same order on 1 and 2 workers: ${c.name}`, async () => {
      const [first, second, ...rest] = await runAll(c);
      expectSameRows(`${c.name} on ${first!.name} vs DuckDB`, first!.rows, await duckRows(data.duck, c.sql), false);
      expectSameRows(`${c.name} on ${second!.name} vs ${first!.name}`, second!.rows, first!.rows, true);
      for (const r of rest) expectSameRows(`${c.name} on ${r.name} vs ${first!.name}`, r.rows, first!.rows, false);
    });
  }

  for (const c of PARTITION_ORDER_QUERIES) {
    it(`identical unsorted output on 1 and 2 workers: ${c.name}`, async () => {
      const [one, two] = await Promise.all([c.df(variants['workers 1'].tables()).collect(), c.df(variants['workers 2'].tables()).collect()]);
      expect(one.length).toBeGreaterThan(0);
      expectSameRows(c.name, two, one, true);
    });
  }

  it('shufflePartitions sets the partition count of every exchange', async () => {
    const t = variants['shufflePartitions 17'].tables();
    const c = JOIN_CASES[0]!;
    const plans = [
      await t.tx.groupBy('cust').agg('count(*) AS n').explain(),
      await t.tx.dropDuplicates(['k1']).explain(),
      await t.tx.orderBy('sk').explain(),
      await c.left(t).join(c.right(t), c.on, 'full').explain(),
    ];
    for (const plan of plans) {
      const counts = [...plan.matchAll(/into (\d+) partitions/g)].map((m) => Number(m[1]));
      expect(counts.length, plan).toBeGreaterThan(0);
      expect(new Set(counts), plan).toEqual(new Set([17]));
    }
  });
});

describe("a 64MB memory budget gives the default session's results", () => {
  const small = sessionFor({ memory: '64MB' });
  const normal = sessionFor({});
  const shuffledSmall = sessionFor({ memory: '64MB', broadcastThreshold: 0 });
  const shuffledNormal = sessionFor({ broadcastThreshold: 0 });

  const same = async (c: Case, a: Tables, b: Tables): Promise<void> => {
    const [ours, reference] = await Promise.all([c.df(a).collect(), c.df(b).collect()]);
    expectSameRows(c.name, ours, reference, c.ordered === true);
  };
  const cases = [
    ...byName(AGG_CASES, 'group by 20,000 distinct keys (and NULL) with count, sum, min, max, avg, count(DISTINCT)', 'group by a NULL-extended column after a full join'),
    ...byName(DEDUPE_CASES, 'dropDuplicates on 20,000 distinct keys', 'dropDuplicates on two keys with NULLs'),
    ...byName(SORT_CASES, 'decimal and string keys with a bigint expression', 'a skewed key (half the rows equal)'),
  ];
  for (const c of cases) it(c.name, () => same(c, small.tables(), normal.tables()));
  for (const how of JOIN_TYPES) {
    const join = joinOf(JOIN_CASES[0]!, how);
    it(`broadcast ${join.name}`, () => same(join, small.tables(), normal.tables()));
    if (how === 'inner' || how === 'full' || how === 'left_anti') it(`shuffled ${join.name}`, () => same(join, shuffledSmall.tables(), shuffledNormal.tables()));
  }
});
