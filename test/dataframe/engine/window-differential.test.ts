// Window functions through the whole engine (Parquet scan, hash exchange on the PARTITION BY keys, sort,
// window kernel; the coordinator for a window without PARTITION BY) against DuckDB on the same files and
// the same SQL text, via session.sql and via the DataFrame API. DuckDB runs with Spark's NULL order (NULLS
// FIRST ascending, NULLS LAST descending), so one text serves both; where DuckDB spells a function
// differently (first(x, true), Spark's decimal avg) the case carries DuckDB's text. Rows compare sorted by
// a unique key.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Session } from '../../../lib/dataframe/index.js';
import type { DataFrame, Row } from '../../../lib/dataframe/index.js';
import { duckRows } from './engine-fixtures.js';
import { createMultiStageDatasets, expectSameRows, PAY_ROWS, SKEWED_CARD, writePayments } from './multi-stage-fixtures.js';
import type { MultiStageDatasets } from './multi-stage-fixtures.js';

let data: MultiStageDatasets;
let session: Session;
let pay: DataFrame;
let cards: DataFrame;

beforeAll(async () => {
  data = await createMultiStageDatasets();
  const files = await writePayments(data);
  await data.duck.run("SET default_null_order = 'nulls_first_on_asc_last_on_desc'");
  session = new Session({ workers: 2, progress: false });
  pay = await session.readParquet(files.pay);
  cards = await session.readParquet(files.cards);
  session.registerTable('pay', pay);
  session.registerTable('pay_cards', cards);
});

afterAll(async () => {
  await session?.close();
  await data?.cleanup();
});

/** One window query: the same SQL in both engines, and optionally the same query through the DataFrame API. */
interface WindowCase {
  readonly name: string;
  /** Spark SQL for paylake, and for DuckDB unless `duck` is given. */
  readonly sql: string;
  /** DuckDB's text where it spells something differently. */
  readonly duck?: string;
  /** The query through the DataFrame API (select / withColumn / filter / join). */
  readonly df?: () => DataFrame;
  /** Output columns that together identify a row; default `id`. */
  readonly key?: readonly string[];
}

/** An output column computed by a window: [name, Spark expression, DuckDB's expression when it differs]. */
type WindowColumn = readonly [name: string, spark: string, duck?: string];

/**
 * A case over `pay`: SQL selects `id` and every column in one SELECT (so calls sharing a window spec share
 * one Window node); the DataFrame API adds them one withColumn at a time (one Window node each).
 */
function overPay(name: string, columns: readonly WindowColumn[]): WindowCase {
  const list = (duck: boolean): string => columns.map(([n, spark, d]) => `${duck ? (d ?? spark) : spark} AS ${n}`).join(', ');
  return {
    name,
    sql: `SELECT id, ${list(false)} FROM pay`,
    duck: `SELECT id, ${list(true)} FROM pay`,
    df: () => columns.reduce((df, [n, spark]) => df.withColumn(n, spark), pay).select('id', ...columns.map(([n]) => n)),
  };
}

/** Rows sorted by the key columns, which must identify each row. */
function byKey(rows: readonly Row[], key: readonly string[], label: string): Row[] {
  const keyOf = (r: Row): string => JSON.stringify(key.map((k) => r[k] ?? null));
  const keyed = rows.map((r) => ({ r, k: keyOf(r), n: key.map((k) => r[k]) }));
  expect(new Set(keyed.map((x) => x.k)).size, `${label}: ${key.join(', ')} is unique`).toBe(rows.length);
  const cmp = (a: Row[string] | undefined, b: Row[string] | undefined): number => {
    if (a === b) return 0;
    if (a === null || a === undefined) return -1;
    if (b === null || b === undefined) return 1;
    return typeof a === 'number' && typeof b === 'number' ? a - b : String(a) < String(b) ? -1 : 1;
  };
  return keyed
    .sort((x, y) => {
      for (let i = 0; i < key.length; i++) {
        const c = cmp(x.n[i], y.n[i]);
        if (c !== 0) return c;
      }
      return 0;
    })
    .map((x) => x.r);
}

/** DuckDB's rows of each case, sorted by its key; computed once for both of its tests. */
const expected = new Map<WindowCase, Promise<Row[]>>();

async function check(c: WindowCase, run: () => Promise<Row[]>, via: string): Promise<void> {
  const key = c.key ?? ['id'];
  let theirs = expected.get(c);
  if (theirs === undefined) {
    theirs = duckRows(data.duck, c.duck ?? c.sql).then((rows) => byKey(rows, key, `${c.name} (DuckDB)`));
    expected.set(c, theirs);
  }
  const reference = await theirs;
  expect(reference.length, 'DuckDB returns rows').toBeGreaterThan(0);
  expectSameRows(`${c.name} via ${via}`, byKey(await run(), key, c.name), reference, true);
}

/** Spark's avg of a DECIMAL(10,2) column over a window (DECIMAL(14,6), HALF_UP) in DuckDB terms. */
function duckDecimalAvg(column: string, over: string): string {
  const sum = `sum(CAST(${column} * 100 AS HUGEINT)) ${over}`;
  const n = `count(${column}) ${over}`;
  const unscaled = `sign(${sum}) * ((abs(${sum}) * 20000 + ${n}) // (2 * ${n}))`;
  return `CASE WHEN ${n} = 0 THEN NULL ELSE (CAST(${unscaled} AS DECIMAL(38,0)) * 0.000001::DECIMAL(7,6))::DECIMAL(14,6) END`;
}

/** A second, ordinary card. */
const OTHER_CARD = 'c0100';
const BY_CARD = 'OVER (PARTITION BY card ORDER BY ts)';
/** Ties broken by id, for functions that depend on the order among peers. */
const BY_CARD_ROWS = 'OVER (PARTITION BY card ORDER BY ts, id';
const rowsFrame = (frame = ''): string => `${BY_CARD_ROWS}${frame === '' ? '' : ` ${frame}`})`;
const TEN_MINUTES = 'OVER (PARTITION BY card ORDER BY ts RANGE BETWEEN INTERVAL 10 MINUTES PRECEDING AND CURRENT ROW)';

const CASES: readonly WindowCase[] = [
  overPay('row_number, rank, dense_rank by card and timestamp: NULL cards, NULL and tied timestamps, a skewed card', [
    ['rn', `row_number() ${rowsFrame()}`],
    ['rk', `rank() ${BY_CARD}`],
    ['drk', `dense_rank() ${BY_CARD}`],
  ]),
  overPay('ranking in descending order with NULLS FIRST spelled out, over two partition keys', [
    ['rk', 'rank() OVER (PARTITION BY mcc, s ORDER BY amt DESC NULLS FIRST)'],
    ['drk', 'dense_rank() OVER (PARTITION BY mcc, s ORDER BY fee DESC, day NULLS LAST)'],
  ]),
  overPay('lag and lead with offsets and defaults (bigint, decimal, string, timestamp), in an expression', [
    ['prev_amt', `lag(amt) ${rowsFrame()}`],
    ['prev3', `lag(amt, 3, -1) ${rowsFrame()}`],
    ['next_fee', `lead(fee) ${rowsFrame()}`],
    ['next2_s', `lead(s, 2, 'none') ${rowsFrame()}`],
    ['prev_ts', `lag(ts) ${rowsFrame()}`],
    ['delta', `amt - lag(amt) ${rowsFrame()}`],
  ]),
  overPay('first and last, with and without IGNORE NULLS, default and ROWS frames', [
    ['f_amt', `first(amt) ${rowsFrame()}`, `first_value(amt) ${rowsFrame()}`],
    ['l_s', `last(s) ${BY_CARD}`, `last_value(s) ${BY_CARD}`],
    ['f_nn', `first(amt, true) ${rowsFrame('ROWS BETWEEN 2 PRECEDING AND 2 FOLLOWING')}`, `first_value(amt IGNORE NULLS) ${rowsFrame('ROWS BETWEEN 2 PRECEDING AND 2 FOLLOWING')}`],
    ['l_nn', `last_value(s) IGNORE NULLS ${rowsFrame('ROWS BETWEEN 5 PRECEDING AND 1 PRECEDING')}`, `last_value(s IGNORE NULLS) ${rowsFrame('ROWS BETWEEN 5 PRECEDING AND 1 PRECEDING')}`],
    ['f_ts', 'first_value(ts) OVER (PARTITION BY mcc ORDER BY id ROWS BETWEEN 1 FOLLOWING AND UNBOUNDED FOLLOWING)'],
  ]),
  overPay('running aggregates over the default RANGE frame (peers with equal timestamps count together)', [
    ['s_amt', `sum(amt) ${BY_CARD}`],
    ['n', `count(*) ${BY_CARD}`],
    ['n_amt', `count(amt) ${BY_CARD}`],
    ['min_s', `min(s) ${BY_CARD}`],
    ['max_fee', `max(fee) ${BY_CARD}`],
    ['avg_amt', `avg(amt) ${BY_CARD}`],
    ['s_fee', `sum(fee) ${BY_CARD}`],
    ['avg_fee', `avg(fee) ${BY_CARD}`, duckDecimalAvg('fee', BY_CARD)],
    ['s_f', `sum(f) ${BY_CARD}`],
  ]),
  overPay('ROWS frames: sliding, ahead of the row, behind it, the whole partition', [
    ['s6', `sum(amt) ${rowsFrame('ROWS BETWEEN 3 PRECEDING AND 2 FOLLOWING')}`],
    ['mn6', `min(amt) ${rowsFrame('ROWS BETWEEN 3 PRECEDING AND 2 FOLLOWING')}`],
    ['mx6', `max(s) ${rowsFrame('ROWS BETWEEN 3 PRECEDING AND 2 FOLLOWING')}`],
    ['a6', `avg(f) ${rowsFrame('ROWS BETWEEN 3 PRECEDING AND 2 FOLLOWING')}`],
    ['ahead', `count(amt) ${rowsFrame('ROWS BETWEEN 5 FOLLOWING AND 8 FOLLOWING')}`],
    ['behind', `sum(fee) ${rowsFrame('ROWS BETWEEN UNBOUNDED PRECEDING AND 2 PRECEDING')}`],
    ['whole', `count(*) ${rowsFrame('ROWS BETWEEN UNBOUNDED PRECEDING AND UNBOUNDED FOLLOWING')}`],
    ['s3', 'sum(amt) OVER (PARTITION BY mcc ORDER BY id ROWS 2 PRECEDING)'],
  ]),
  overPay('the 10-minute RANGE INTERVAL frame on timestamps with ties and rows exactly 10 minutes apart', [
    ['n10', `count(*) ${TEN_MINUTES}`],
    ['s10', `sum(amt) ${TEN_MINUTES}`],
    ['mx10', `max(amt) ${TEN_MINUTES}`],
    ['mn10', `min(s) ${TEN_MINUTES}`],
    ['a10', `avg(f) ${TEN_MINUTES}`],
    ['nf10', `count(fee) ${TEN_MINUTES}`],
  ]),
  overPay('interval frames that exclude the current row, lie ahead of it, or follow a descending timestamp', [
    ['before', 'count(*) OVER (PARTITION BY card ORDER BY ts RANGE BETWEEN INTERVAL 10 MINUTES PRECEDING AND INTERVAL 5 MINUTES PRECEDING)'],
    ['after', 'sum(amt) OVER (PARTITION BY card ORDER BY ts RANGE BETWEEN CURRENT ROW AND INTERVAL 10 MINUTES FOLLOWING)'],
    ['desc_n', 'count(amt) OVER (PARTITION BY card ORDER BY ts DESC RANGE BETWEEN INTERVAL 1 HOUR PRECEDING AND INTERVAL 10 MINUTES FOLLOWING)'],
    ['near', 'max(ts) OVER (PARTITION BY mcc ORDER BY ts RANGE BETWEEN INTERVAL 90 SECONDS PRECEDING AND INTERVAL 90 SECONDS FOLLOWING)'],
  ]),
  overPay('RANGE offsets on bigint, decimal, double and date order keys', [
    ['s_amt', 'sum(amt) OVER (PARTITION BY mcc ORDER BY amt DESC RANGE BETWEEN 500 PRECEDING AND 100 FOLLOWING)'],
    ['n_fee', 'count(*) OVER (PARTITION BY mcc ORDER BY fee RANGE BETWEEN 1.50 PRECEDING AND 0.25 FOLLOWING)'],
    ['mx_f', 'max(amt) OVER (PARTITION BY s ORDER BY f RANGE BETWEEN 0.5 PRECEDING AND CURRENT ROW)'],
    [
      'n_day',
      'count(amt) OVER (PARTITION BY card ORDER BY day RANGE BETWEEN 2 PRECEDING AND 1 FOLLOWING)',
      'count(amt) OVER (PARTITION BY card ORDER BY day RANGE BETWEEN INTERVAL 2 DAYS PRECEDING AND INTERVAL 1 DAY FOLLOWING)',
    ],
  ]),
  overPay('whole partitions without ORDER BY', [
    ['s_mcc', 'sum(amt) OVER (PARTITION BY mcc)'],
    ['n_card', 'count(*) OVER (PARTITION BY card)'],
    ['last_ts', 'max(ts) OVER (PARTITION BY card, dt)'],
  ]),
  {
    name: 'several windows with different PARTITION BY (and one without) in one select',
    sql:
      `SELECT id, card, row_number() ${rowsFrame()} AS rn, sum(amt) OVER (PARTITION BY mcc ORDER BY id ROWS BETWEEN 1 PRECEDING AND 1 FOLLOWING) AS s_mcc, ` +
      `count(*) OVER (PARTITION BY dt) AS n_day, max(fee) OVER (PARTITION BY card, s) AS mx, rank() OVER (ORDER BY amt DESC) AS rk_all, ` +
      `count(*) ${TEN_MINUTES} AS n10 FROM pay`,
    df: () =>
      pay.select(
        'id',
        'card',
        `row_number() ${rowsFrame()} AS rn`,
        'sum(amt) OVER (PARTITION BY mcc ORDER BY id ROWS BETWEEN 1 PRECEDING AND 1 FOLLOWING) AS s_mcc',
        'count(*) OVER (PARTITION BY dt) AS n_day',
        'max(fee) OVER (PARTITION BY card, s) AS mx',
        'rank() OVER (ORDER BY amt DESC) AS rk_all',
        `count(*) ${TEN_MINUTES} AS n10`,
      ),
  },
  overPay('windows without PARTITION BY (one partition, on the coordinator)', [
    ['rn', 'row_number() OVER (ORDER BY ts, id)'],
    ['s3', 'sum(amt) OVER (ORDER BY id ROWS BETWEEN 2 PRECEDING AND CURRENT ROW)'],
    ['n', 'count(*) OVER ()'],
    ['prev_card', "lag(card, 1, 'first') OVER (ORDER BY id)"],
    ['drk', 'dense_rank() OVER (ORDER BY mcc DESC)'],
  ]),
  {
    name: 'windows over an inner join (duplicate dimension rows, a NULL region)',
    sql:
      'SELECT p.id, c.c_copy, c.c_region, row_number() OVER (PARTITION BY c.c_region ORDER BY p.ts, p.id, c.c_copy) AS rn, ' +
      'sum(p.amt) OVER (PARTITION BY c.c_region, c.c_copy ORDER BY p.ts RANGE BETWEEN INTERVAL 10 MINUTES PRECEDING AND CURRENT ROW) AS s10 ' +
      'FROM pay p JOIN pay_cards c ON p.card = c.c_card',
    df: () =>
      pay
        .join(cards, 'card = c_card')
        .select(
          'id',
          'c_copy',
          'c_region',
          'row_number() OVER (PARTITION BY c_region ORDER BY ts, id, c_copy) AS rn',
          'sum(amt) OVER (PARTITION BY c_region, c_copy ORDER BY ts RANGE BETWEEN INTERVAL 10 MINUTES PRECEDING AND CURRENT ROW) AS s10',
        ),
    key: ['id', 'c_copy'],
  },
  {
    name: 'windows over a left join partitioned by a NULL-extended column',
    sql: 'SELECT p.id, c.c_copy, count(*) OVER (PARTITION BY c.c_region) AS n_region, lead(c.c_card) OVER (PARTITION BY c.c_region ORDER BY p.id, c.c_copy) AS next_card FROM pay p LEFT JOIN pay_cards c ON p.card = c.c_card',
    df: () => pay.join(cards, 'card = c_card', 'left').select('id', 'c_copy', 'count(*) OVER (PARTITION BY c_region) AS n_region', 'lead(c_card) OVER (PARTITION BY c_region ORDER BY id, c_copy) AS next_card'),
    key: ['id', 'c_copy'],
  },
  {
    name: 'windows over a filtered input',
    sql: `SELECT id, row_number() ${rowsFrame()} AS rn, count(*) ${TEN_MINUTES} AS n10, sum(amt) OVER (PARTITION BY mcc ORDER BY amt) AS s FROM pay WHERE amt > 0 AND s <> 'declined'`,
    df: () => pay.filter("amt > 0 AND s <> 'declined'").select('id', `row_number() ${rowsFrame()} AS rn`, `count(*) ${TEN_MINUTES} AS n10`, 'sum(amt) OVER (PARTITION BY mcc ORDER BY amt) AS s'),
  },
  {
    name: 'WHERE on the partition key above a window (pushed below it)',
    sql: `SELECT * FROM (SELECT id, card, ts, row_number() ${rowsFrame()} AS rn, sum(amt) ${TEN_MINUTES} AS s10 FROM pay) WHERE card IN ('${SKEWED_CARD}', '${OTHER_CARD}') OR card IS NULL`,
    df: () => pay.select('id', 'card', 'ts', `row_number() ${rowsFrame()} AS rn`, `sum(amt) ${TEN_MINUTES} AS s10`).filter(`card IN ('${SKEWED_CARD}', '${OTHER_CARD}') OR card IS NULL`),
  },
  {
    name: 'WHERE on a window result and on a non-key column above a window (not pushed)',
    sql: `SELECT * FROM (SELECT id, card, amt, row_number() ${rowsFrame()} AS rn, lag(amt) ${rowsFrame()} AS prev FROM pay) WHERE rn <= 3 OR amt > 75000`,
    df: () => pay.withColumn('rn', `row_number() ${rowsFrame()}`).withColumn('prev', `lag(amt) ${rowsFrame()}`).select('id', 'card', 'amt', 'rn', 'prev').filter('rn <= 3 OR amt > 75000'),
  },
  {
    name: 'windows over an aggregation',
    sql: 'SELECT card AS id, n, rank() OVER (ORDER BY n DESC) AS rk, sum(n) OVER (PARTITION BY n % 5 ORDER BY card ROWS UNBOUNDED PRECEDING) AS running FROM (SELECT card, count(*) AS n FROM pay GROUP BY card)',
    df: () => pay.groupBy('card').agg('count(*) AS n').select('card AS id', 'n', 'rank() OVER (ORDER BY n DESC) AS rk', 'sum(n) OVER (PARTITION BY n % 5 ORDER BY card ROWS UNBOUNDED PRECEDING) AS running'),
  },
];

describe('window functions agree with DuckDB on the same Parquet files', () => {
  for (const c of CASES) {
    it(`${c.name} (session.sql)`, () => check(c, async () => (await session.sql(c.sql)).collect(), 'session.sql'));
    const { df } = c;
    if (df) it(`${c.name} (DataFrame API)`, () => check(c, () => df().collect(), 'the DataFrame API'));
  }

  it('two calls sharing one PARTITION BY and ORDER BY in one select each get their own column', async () => {
    const rows = await pay.filter(`card = '${OTHER_CARD}'`).select('id', `rank() ${BY_CARD} AS rk`, `dense_rank() ${BY_CARD} AS drk`).collect();
    const theirs = await duckRows(data.duck, `SELECT id, rank() ${BY_CARD} AS rk, dense_rank() ${BY_CARD} AS drk FROM pay WHERE card = '${OTHER_CARD}'`);
    expect(theirs.length).toBeGreaterThan(100);
    expectSameRows('rank and dense_rank over one spec', byKey(rows, ['id'], 'ours'), byKey(theirs, ['id'], 'DuckDB'), true);
  });

  it('the fixture has what the cases need', async () => {
    const [facts] = await duckRows(
      data.duck,
      `SELECT count(*) AS n, count(*) FILTER (card = '${SKEWED_CARD}') AS skewed, count(*) FILTER (card IS NULL) AS null_cards, count(*) FILTER (ts IS NULL) AS null_ts,
              (SELECT count(*) FROM (SELECT card, ts FROM pay WHERE ts IS NOT NULL GROUP BY ALL HAVING count(*) > 1)) AS tied,
              (SELECT max(n10) FROM (SELECT count(*) ${TEN_MINUTES} AS n10 FROM pay WHERE card <> '${SKEWED_CARD}')) AS busiest_other
       FROM pay`,
    );
    expect(facts!.n).toBe(PAY_ROWS);
    expect(facts!.skewed).toBeGreaterThan(PAY_ROWS * 0.45);
    expect(facts!.null_cards).toBeGreaterThan(0);
    expect(facts!.null_ts).toBeGreaterThan(0);
    expect(facts!.tied).toBeGreaterThan(100);
    expect(facts!.busiest_other).toBeGreaterThan(2);
  });

  it('plans a hash exchange on the PARTITION BY keys and a coordinator window without them', async () => {
    const partitioned = await pay.select('id', `count(*) ${TEN_MINUTES} AS n10`).explain();
    expect(partitioned).toMatch(/Exchange hash\(card\)/);
    const physical = (plan: string): string => plan.slice(plan.indexOf('== Physical plan =='));
    const global = physical(await pay.select('id', 'row_number() OVER (ORDER BY ts, id) AS rn').explain());
    expect(global).not.toMatch(/Exchange hash/);
    expect(global.indexOf('Window')).toBeLessThan(global.indexOf('Gather'));
  });

  it('pushes a filter on the partition key below the window, and keeps one on another column above it', async () => {
    const optimized = (plan: string): string => plan.slice(plan.indexOf('== Optimized plan =='), plan.indexOf('== Physical plan =='));
    const windowed = pay.select('id', 'card', 'amt', `row_number() ${rowsFrame()} AS rn`);
    const onKey = optimized(await windowed.filter(`card = '${SKEWED_CARD}'`).explain());
    expect(onKey).not.toMatch(/Filter/);
    expect(onKey).toContain(`filters=[(card = '${SKEWED_CARD}')]`);
    const onValue = optimized(await windowed.filter('amt > 0').explain());
    expect(onValue.indexOf('Filter')).toBeGreaterThanOrEqual(0);
    expect(onValue.indexOf('Filter')).toBeLessThan(onValue.indexOf('Window'));
  });
});
