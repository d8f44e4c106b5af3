// Joins in paylake sql against DuckDB: the same SQL text over the same Parquet files written by DuckDB (NULL
// keys, duplicate keys, unmatched keys on both sides, column names shared between tables), rows compared as
// multisets (in order where the query orders them); plus the errors a user meets. DuckDB is given the same
// text except for two spellings it lacks: `parquet.`path`` becomes read_parquet('path'), and Spark's
// LEFT SEMI / LEFT ANTI JOIN become SEMI / ANTI JOIN. The joins, and some windows, run once more over larger
// tables (20,000 transactions, two exchange partitions) with a 300 KB memory budget (75 KB per task), so that
// their tasks spill.
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import type { DuckDBConnection } from '@duckdb/node-api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Session } from '../../lib/dataframe/index.js';
import type { Row } from '../../lib/dataframe/index.js';
import { displayPlan } from '../../lib/dataframe/plan/display-plan.js';
import { duckRows, openDuckDB, sqlString } from '../dataframe/engine/engine-fixtures.js';

/** Transactions over `rows` rows: NULL merchant and currency keys; merchant ids 47..52 have no merchant. */
const txSelect = (rows: number): string => `
  SELECT i::BIGINT AS id,
    CASE WHEN i % 17 = 0 THEN NULL ELSE (i % 53)::INTEGER END AS merchant_id,
    ((i * 7919) % 100000 - 20000)::BIGINT AS amount,
    ['APPROVED', 'DECLINED', 'REFUNDED'][(i % 3) + 1] AS status,
    CASE WHEN i % 23 = 0 THEN NULL ELSE ['EUR', 'USD', 'GBP', 'JPY'][(i % 4) + 1] END AS currency
  FROM range(${rows}) t(i)`;

/** Transactions of the default tables. */
const TX_ROWS = 6000;
/** Transactions (and card events) of the spilling run: about 400 KB decoded per exchange partition, several times a task's budget. */
const SPILL_TX_ROWS = 20_000;
/** The spilling run's memory budget: 75 KB per task on two workers. */
const SPILL_MEMORY = 300_000;

/** Merchants: ids 0 and 1 twice, one NULL id, ids 150..154 without transactions; `amount` and `currency` also in tx. */
const MERCHANTS = `
  SELECT CASE WHEN j = 49 THEN NULL WHEN j >= 50 THEN 100 + j ELSE j % 47 END::INTEGER AS merchant_id,
    'merchant-' || j AS name,
    (j * 100)::BIGINT AS amount,
    ['FR', 'DE', 'US'][(j % 3) + 1] AS country,
    CASE WHEN j % 5 = 0 THEN NULL ELSE ['EUR', 'USD', 'GBP'][(j % 3) + 1] END AS currency
  FROM range(55) t(j)`;

/** Per-merchant, per-currency limits: a two-column key, with NULLs in both parts. */
const LIMITS = `
  SELECT CASE WHEN k = 7 THEN NULL ELSE (k % 31)::INTEGER END AS merchant_id,
    CASE WHEN k % 11 = 0 THEN NULL ELSE ['EUR', 'USD'][(k % 2) + 1] END AS currency,
    (k * 1000)::BIGINT AS max_amount
  FROM range(60) t(k)`;

/**
 * Card events for the windows of the spilling run: 97 cards with NULLs; `ts` on 5-minute marks for a quarter
 * of the rows and up to 200 s past one for the rest, so there are ties and rows exactly 10 minutes apart.
 */
const EVENTS = `
  SELECT i::BIGINT AS id,
    CASE WHEN i % 53 = 1 THEN NULL ELSE 'c' || ((i * 7919) % 97)::VARCHAR END AS card,
    CASE WHEN i % 47 = 3 THEN NULL
         ELSE TIMESTAMPTZ '2026-11-01 00:00:00+00' + to_minutes((((i * 37) % 288) * 5)::BIGINT)
              + to_seconds((CASE WHEN i % 4 = 0 THEN 0 ELSE (i % 11) * 20 END)::BIGINT) END AS ts,
    CASE WHEN i % 29 = 0 THEN NULL ELSE ((i * 7919) % 100001 - 20000)::BIGINT END AS amount
  FROM range(${SPILL_TX_ROWS}) t(i)`;

let root: string;
let duck: DuckDBConnection;
/** DuckDB over the spilling run's tables, under the same names. */
let spillDuck: DuckDBConnection;
/** The session the error tests use: joins broadcast their small side (the default). */
let session: Session;
/** One with broadcasts off, so that the same joins also run shuffled: both sides hash-partitioned. */
let shuffled: Session;
/** Shuffled too, over the larger tables, with a budget that makes tasks spill. */
let spilling: Session;
const files: Record<string, string> = {};
let spillFiles: Record<string, string> = {};

/** Writes the tables under `dir` (two files each, so that scans split into several tasks) and creates DuckDB views over them. */
async function writeTables(db: DuckDBConnection, dir: string, tables: readonly (readonly [string, string])[]): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  for (const [name, select] of tables) {
    const table = path.join(dir, name);
    await mkdir(table, { recursive: true });
    await db.run(`COPY (SELECT * FROM (${select}) LIMIT 40) TO ${sqlString(path.join(table, 'part-0.parquet'))} (FORMAT parquet)`);
    await db.run(`COPY (SELECT * FROM (${select}) OFFSET 40) TO ${sqlString(path.join(table, 'part-1.parquet'))} (FORMAT parquet, ROW_GROUP_SIZE 1024)`);
    await db.run(`CREATE VIEW ${name} AS SELECT * FROM read_parquet(${sqlString(`${table}/*.parquet`)})`);
    out[name] = table;
  }
  return out;
}

async function registerTables(s: Session, tables: Record<string, string>): Promise<void> {
  for (const [name, dir] of Object.entries(tables)) s.registerTable(name, await s.readParquet(dir));
}

beforeAll(async () => {
  root = await mkdtemp(path.join(tmpdir(), 'paylake-sql-joins-'));
  duck = await openDuckDB();
  spillDuck = await openDuckDB();
  // Spark's default NULL order, for the windows' ORDER BY.
  await spillDuck.run("SET default_null_order = 'nulls_first_on_asc_last_on_desc'");
  const dims = [
    ['merchants', MERCHANTS],
    ['limits', LIMITS],
  ] as const;
  Object.assign(files, await writeTables(duck, root, [['tx', txSelect(TX_ROWS)], ...dims]));
  spillFiles = await writeTables(spillDuck, path.join(root, 'spill'), [['tx', txSelect(SPILL_TX_ROWS)], ...dims, ['events', EVENTS]]);
  session = new Session({ workers: 2, progress: false });
  shuffled = new Session({ workers: 2, progress: false, broadcastThreshold: 0, shufflePartitions: 3 });
  spilling = new Session({ workers: 2, progress: false, broadcastThreshold: 0, shufflePartitions: 2, memory: SPILL_MEMORY });
  for (const s of [session, shuffled]) await registerTables(s, files);
  await registerTables(spilling, spillFiles);
});

afterAll(async () => {
  await session?.close();
  await shuffled?.close();
  await spilling?.close();
  duck?.closeSync();
  spillDuck?.closeSync();
  if (root) await rm(root, { recursive: true, force: true });
});

/** Rows as canonical JSON (keys sorted), for comparing multisets; column order is checked separately where it matters. */
function canonical(rows: readonly Row[]): string[] {
  return rows.map((r) => JSON.stringify(Object.fromEntries(Object.entries(r).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))));
}

async function both(sql: string, on: Session, db: DuckDBConnection): Promise<{ ours: Row[]; theirs: Row[] }> {
  const ours = await (await on.sql(sql)).collect();
  const duckSql = sql.replace(/parquet\.`([^`]+)`/g, (_, p: string) => `read_parquet(${sqlString(p)})`).replace(/LEFT (SEMI|ANTI) JOIN/g, '$1 JOIN');
  const theirs = await duckRows(db, duckSql);
  return { ours, theirs };
}

/** Runs `sql` on `on` and on DuckDB (`db`, whose views must be `on`'s tables) and compares the rows. */
async function expectSameAsDuckDB(sql: string, ordered = false, on: Session = session, db: DuckDBConnection = duck): Promise<Row[]> {
  const { ours, theirs } = await both(sql, on, db);
  expect(ours.length).toBeGreaterThan(0);
  expect(new Set(Object.keys(ours[0]!))).toEqual(new Set(Object.keys(theirs[0] ?? {})));
  if (ordered) expect(canonical(ours)).toEqual(canonical(theirs));
  else expect(canonical(ours).sort()).toEqual(canonical(theirs).sort());
  return ours;
}

async function sqlError(sql: string): Promise<Error> {
  const e = await session.sql(sql).then(
    (df) => df.collect().then(() => null),
    (err: unknown) => err,
  );
  if (!(e instanceof Error)) throw new Error(`expected an error from: ${sql}`);
  return e;
}

const ON = 't.merchant_id = m.merchant_id';

/** Join queries, each run on every session; `<tx>` stands for the transactions' directory. */
const JOIN_CASES: readonly (readonly [string, string])[] = [
  ['JOIN', `SELECT t.id, t.amount, m.name, m.amount AS m_amount FROM tx t JOIN merchants m ON ${ON}`],
  ['INNER JOIN, qualified by table names', 'SELECT tx.id, merchants.name FROM tx INNER JOIN merchants ON tx.merchant_id = merchants.merchant_id'],
  ['LEFT JOIN', `SELECT t.id, t.merchant_id, m.name, m.amount AS m_amount FROM tx t LEFT JOIN merchants m ON ${ON}`],
  ['LEFT OUTER JOIN', `SELECT t.id, m.name FROM tx t LEFT OUTER JOIN merchants m ON ${ON}`],
  ['RIGHT JOIN', `SELECT t.id, m.merchant_id, m.name FROM tx t RIGHT JOIN merchants m ON ${ON}`],
  ['RIGHT OUTER JOIN', `SELECT t.id, t.merchant_id AS t_mid, m.merchant_id AS m_mid FROM tx t RIGHT OUTER JOIN merchants m ON ${ON}`],
  ['FULL JOIN', `SELECT t.id, t.merchant_id AS t_mid, m.merchant_id AS m_mid, m.name FROM tx t FULL JOIN merchants m ON ${ON}`],
  ['FULL OUTER JOIN', `SELECT t.id, m.name FROM tx t FULL OUTER JOIN merchants m ON ${ON}`],
  ['LEFT SEMI JOIN', `SELECT * FROM merchants m LEFT SEMI JOIN tx t ON ${ON}`],
  ['LEFT ANTI JOIN', `SELECT * FROM merchants m LEFT ANTI JOIN tx t ON ${ON}`],
  ['SEMI JOIN with an extra condition', `SELECT m.name FROM merchants m SEMI JOIN tx t ON ${ON} AND t.amount > 75000`],
  ['ANTI JOIN with an extra condition', `SELECT m.name, m.merchant_id FROM merchants m ANTI JOIN tx t ON ${ON} AND t.status = 'REFUNDED'`],
  ['USING', 'SELECT * FROM limits JOIN merchants USING (merchant_id, currency)'],
  ['LEFT JOIN USING, the key unqualified', 'SELECT merchant_id, id, name FROM tx LEFT JOIN merchants USING (merchant_id)'],
  ['RIGHT JOIN USING', 'SELECT merchant_id, id, name FROM tx RIGHT JOIN merchants USING (merchant_id)'],
  ['FULL JOIN USING two keys', 'SELECT * FROM merchants FULL JOIN limits USING (merchant_id, currency)'],
  ['FULL JOIN USING, each side qualified', 'SELECT merchant_id, m.merchant_id AS m_mid, l.merchant_id AS l_mid, max_amount FROM merchants m FULL JOIN limits l USING (merchant_id)'],
  ['LEFT SEMI JOIN USING', 'SELECT * FROM limits LEFT SEMI JOIN merchants USING (merchant_id, currency)'],
  ['multi-key ON', 'SELECT t.id, l.max_amount FROM tx t JOIN limits l ON t.merchant_id = l.merchant_id AND t.currency = l.currency'],
  ['multi-key LEFT JOIN with keys written right = left', 'SELECT t.id, l.max_amount FROM tx t LEFT JOIN limits l ON l.currency = t.currency AND l.merchant_id = t.merchant_id'],
  ['non-equi extra condition', `SELECT t.id, m.name FROM tx t JOIN merchants m ON ${ON} AND t.amount > m.amount * 10`],
  ['LEFT JOIN with a non-equi extra condition keeps unmatched rows', `SELECT t.id, m.name FROM tx t LEFT JOIN merchants m ON ${ON} AND t.amount < m.amount`],
  ['FULL JOIN with a non-equi extra condition', `SELECT t.id, m.name FROM tx t FULL JOIN merchants m ON ${ON} AND t.currency = m.currency AND t.amount > 0`],
  ['a key expression', 'SELECT t.id, m.name FROM tx t JOIN merchants m ON t.merchant_id + 1 = m.merchant_id + 1'],
  ['WHERE on the outer side (rows without a match)', `SELECT t.id, t.merchant_id FROM tx t LEFT JOIN merchants m ON ${ON} WHERE m.name IS NULL`],
  ['WHERE over both sides', `SELECT t.id, m.name FROM tx t JOIN merchants m ON ${ON} WHERE t.amount > m.amount AND m.country <> 'DE'`],
  ['t.* and m.*', `SELECT t.*, m.name, m.country FROM tx t JOIN merchants m ON ${ON}`],
  ['m.* after USING keeps its own key', 'SELECT m.*, id FROM merchants m JOIN tx USING (merchant_id)'],
  ['a self join', 'SELECT a.id, b.id AS next_id, b.amount - a.amount AS delta FROM tx a JOIN tx b ON a.id + 1 = b.id WHERE a.id < 100'],
  ['three tables', `SELECT t.id, m.name, l.max_amount FROM tx t JOIN merchants m ON ${ON} JOIN limits l ON l.merchant_id = m.merchant_id AND l.currency = t.currency`],
  ['three tables, mixed join types', `SELECT t.id, m.name, l.max_amount FROM tx t LEFT JOIN merchants m ON ${ON} LEFT JOIN limits l ON l.merchant_id = t.merchant_id AND l.currency = m.currency`],
  ['a parenthesised join on the right', `SELECT t.id, m.name, l.max_amount FROM tx t JOIN (merchants m JOIN limits l ON m.merchant_id = l.merchant_id) ON ${ON}`],
  ['a subquery', 'SELECT s.merchant_id, s.total, m.name FROM (SELECT merchant_id, sum(amount) AS total FROM tx GROUP BY merchant_id) s JOIN merchants m ON s.merchant_id = m.merchant_id'],
  ['two subqueries', 'SELECT a.merchant_id, a.n, b.n AS refunds FROM (SELECT merchant_id, count(*) AS n FROM tx GROUP BY merchant_id) a LEFT JOIN (SELECT merchant_id, count(*) AS n FROM tx WHERE status = \'REFUNDED\' GROUP BY merchant_id) b ON a.merchant_id = b.merchant_id'],
  ['a CTE', "WITH approved AS (SELECT id, merchant_id, amount FROM tx WHERE status = 'APPROVED') SELECT a.id, a.amount, m.name FROM approved a JOIN merchants m ON a.merchant_id = m.merchant_id"],
  ['a CTE joined by its name', 'WITH big AS (SELECT merchant_id, amount FROM tx WHERE amount > 70000) SELECT big.amount, merchants.name FROM big JOIN merchants ON big.merchant_id = merchants.merchant_id'],
  ['join + GROUP BY + HAVING on an alias', `SELECT m.country, t.status, count(*) AS n, sum(t.amount) AS total FROM tx t JOIN merchants m ON ${ON} GROUP BY m.country, t.status HAVING n > 100`],
  ['GROUP BY the merged USING key of a FULL JOIN', 'SELECT merchant_id, count(*) AS n FROM tx FULL JOIN merchants USING (merchant_id) GROUP BY merchant_id'],
  ['aggregates over both sides', `SELECT m.merchant_id, count(t.id) AS n, max(t.amount) AS top, min(m.amount) AS m_amount FROM merchants m LEFT JOIN tx t ON ${ON} GROUP BY m.merchant_id`],
  ['SELECT DISTINCT over a join', `SELECT DISTINCT m.country, t.status FROM tx t JOIN merchants m ON ${ON}`],
  ['UNION of joins (duplicates removed)', `SELECT m.country, t.currency FROM tx t JOIN merchants m ON ${ON} UNION SELECT m.country, m.currency FROM merchants m LEFT ANTI JOIN tx t ON ${ON}`],
  ['UNION DISTINCT', 'SELECT status FROM tx UNION DISTINCT SELECT country FROM merchants'],
  ['UNION keeps one NULL row, widening int to bigint', 'SELECT merchant_id, currency FROM tx UNION SELECT merchant_id, currency FROM limits UNION SELECT amount, currency FROM merchants'],
  ['SELECT DISTINCT keeps one NULL row', 'SELECT DISTINCT currency, merchant_id % 3 AS r FROM tx'],
  ['UNION ALL of joins', `SELECT t.id FROM tx t JOIN merchants m ON ${ON} UNION ALL SELECT t.id FROM tx t LEFT ANTI JOIN merchants m ON ${ON}`],
  ['WHERE on the left side of a RIGHT JOIN', `SELECT t.id, m.name FROM tx t RIGHT JOIN merchants m ON ${ON} WHERE t.amount > 0`],
  ['WHERE on the right side of a LEFT JOIN', `SELECT t.id, m.name FROM tx t LEFT JOIN merchants m ON ${ON} WHERE m.country = 'FR'`],
  ['WHERE on either side of a FULL JOIN', `SELECT t.id, m.name FROM tx t FULL JOIN merchants m ON ${ON} WHERE t.status = 'APPROVED' OR m.country = 'US'`],
  ['WHERE IS NULL on the left of a FULL JOIN', `SELECT m.merchant_id, m.name FROM tx t FULL JOIN merchants m ON ${ON} WHERE t.id IS NULL`],
  ['a LEFT JOIN condition on the left side only', `SELECT t.id, m.name FROM tx t LEFT JOIN merchants m ON ${ON} AND t.amount > 50000`],
  ['a LEFT JOIN condition on the right side only', `SELECT t.id, m.name FROM tx t LEFT JOIN merchants m ON ${ON} AND m.country = 'DE'`],
  ['a RIGHT JOIN condition on each side alone', `SELECT t.id, m.name FROM tx t RIGHT JOIN merchants m ON ${ON} AND t.amount > 50000 AND m.country <> 'DE'`],
  ['a FULL JOIN condition on each side alone', `SELECT t.id, m.name FROM tx t FULL JOIN merchants m ON ${ON} AND t.amount > 50000 AND m.country <> 'DE'`],
  ['a SEMI JOIN condition on the left side only', `SELECT m.name FROM merchants m LEFT SEMI JOIN tx t ON ${ON} AND m.country = 'FR'`],
  ['an ANTI JOIN condition on the left side only', `SELECT m.name FROM merchants m LEFT ANTI JOIN tx t ON ${ON} AND m.country = 'FR'`],
  ['keys of different integer types', 'SELECT t.id, m.name FROM tx t JOIN merchants m ON t.id = m.merchant_id'],
  ['a key of a string and a computed string', "SELECT t.id, m.name FROM tx t JOIN merchants m ON t.status = CASE WHEN m.country = 'FR' THEN 'APPROVED' ELSE 'DECLINED' END"],
  ['USING chained', 'SELECT * FROM limits JOIN merchants USING (merchant_id, currency) JOIN (SELECT merchant_id, count(*) AS n FROM tx GROUP BY merchant_id) c USING (merchant_id)'],
  ['FULL JOIN USING chained', 'SELECT merchant_id, max_amount, name, n FROM limits FULL JOIN merchants USING (merchant_id, currency) FULL JOIN (SELECT merchant_id, count(*) AS n FROM tx GROUP BY merchant_id) c USING (merchant_id)'],
  ['one CTE on both sides', "WITH a AS (SELECT merchant_id, status, count(*) AS n FROM tx GROUP BY merchant_id, status) SELECT x.merchant_id, x.n AS approved, y.n AS declined FROM a x FULL JOIN a y ON x.merchant_id = y.merchant_id AND x.status = 'APPROVED' AND y.status = 'DECLINED'"],
  ['a join in a subquery, joined again', `SELECT s.id, s.name, l.max_amount FROM (SELECT t.id, t.merchant_id, t.currency, m.name FROM tx t JOIN merchants m ON ${ON}) s LEFT JOIN limits l ON s.merchant_id = l.merchant_id AND s.currency = l.currency`],
  ['an empty side', `SELECT t.id, m.name FROM tx t LEFT JOIN (SELECT * FROM merchants WHERE amount < 0) m ON ${ON}`],
  ['count over a join', `SELECT count(*) AS n, count(m.name) AS named, count(DISTINCT t.merchant_id) AS merchants FROM tx t LEFT JOIN merchants m ON ${ON}`],
  ['a Parquet path', `SELECT t.id, m.name FROM parquet.\`${'<tx>'}\` t JOIN merchants m ON ${ON}`],
];

describe('paylake sql joins match DuckDB', () => {
  for (const [name, sql] of JOIN_CASES) {
    it(name, async () => {
      await expectSameAsDuckDB(sql.replace('<tx>', files.tx ?? ''));
      await expectSameAsDuckDB(sql.replace('<tx>', files.tx ?? ''), false, shuffled);
    });
  }

  it('join + GROUP BY + ORDER BY, in order', async () => {
    await expectSameAsDuckDB(
      `SELECT m.country, count(*) AS n, sum(t.amount) AS total FROM tx t JOIN merchants m ON ${ON} GROUP BY m.country ORDER BY total DESC, m.country`,
      true,
    );
  });

  it('ORDER BY columns that are not selected, with LIMIT', async () => {
    const rows = await expectSameAsDuckDB(`SELECT t.id, m.name FROM tx t JOIN merchants m ON ${ON} ORDER BY m.amount DESC, t.amount, t.id LIMIT 25`, true);
    expect(Object.keys(rows[0]!)).toEqual(['id', 'name']);
  });

  it('UNION then ORDER BY and LIMIT', async () => {
    await expectSameAsDuckDB('SELECT currency AS c FROM tx UNION SELECT country FROM merchants ORDER BY c NULLS LAST LIMIT 6', true);
  });

  it('ORDER BY an aggregate that is not selected', async () => {
    await expectSameAsDuckDB(`SELECT m.country FROM tx t JOIN merchants m ON ${ON} GROUP BY m.country ORDER BY count(*) DESC, m.country`, true);
  });

  it('ORDER BY a qualified column after a USING join and after an aggregation', async () => {
    await expectSameAsDuckDB('SELECT m.name, id FROM merchants m JOIN tx t USING (merchant_id) ORDER BY t.merchant_id, id, m.name LIMIT 30', true);
    await expectSameAsDuckDB(`SELECT m.name, count(*) AS n FROM tx t JOIN merchants m ON ${ON} GROUP BY m.name ORDER BY m.name`, true);
  });

  it('outputs columns in Spark order: USING keys first, then the left, then the right', async () => {
    const df = await session.sql('SELECT * FROM tx JOIN limits USING (currency, merchant_id)');
    expect(df.schema.fields.map((f) => f.name)).toEqual(['currency', 'merchant_id', 'id', 'amount', 'status', 'max_amount']);
  });
});

/** Windows over the spilling run's tables: frames that sort within partitions larger than a task's budget. */
const SPILL_WINDOW_CASES: readonly (readonly [string, string])[] = [
  [
    'count(*) over a 10-minute RANGE frame',
    'SELECT id, card, ts, count(*) OVER (PARTITION BY card ORDER BY ts RANGE BETWEEN INTERVAL 10 MINUTES PRECEDING AND CURRENT ROW) AS n10 FROM events',
  ],
  ['row_number and lag', 'SELECT id, row_number() OVER (PARTITION BY card ORDER BY ts, id) AS rn, lag(amount, 2, 0) OVER (PARTITION BY card ORDER BY id) AS prev2 FROM events'],
  [
    'windows over a join',
    `SELECT t.id, m.name, row_number() OVER (PARTITION BY m.country ORDER BY t.id, m.name) AS rn, lag(t.amount) OVER (PARTITION BY t.merchant_id ORDER BY t.id, m.name) AS prev FROM tx t JOIN merchants m ON ${ON}`,
  ],
];

describe(`paylake sql under a ${SPILL_MEMORY}-byte memory budget spills and matches DuckDB`, () => {
  /** The join cases whose run spilled. */
  const spilled: string[] = [];
  for (const [name, sql] of JOIN_CASES) {
    it(`join: ${name}`, async () => {
      await expectSameAsDuckDB(sql.replace('<tx>', spillFiles.tx ?? ''), false, spilling, spillDuck);
      if (spilling.lastRun.spilledBytes > 0) spilled.push(name);
    });
  }

  // Counts the join cases above (run before it, in file order); those over the small dimensions alone cannot spill.
  it('the joins over the large transactions spilled', () => {
    expect(spilled.length, `spilled: ${spilled.join('; ')}`).toBeGreaterThanOrEqual(JOIN_CASES.length / 2);
  });

  for (const [name, sql] of SPILL_WINDOW_CASES) {
    it(`window: ${name}`, async () => {
      await expectSameAsDuckDB(sql, false, spilling, spillDuck);
      expect(spilling.lastRun.spilledBytes).toBeGreaterThan(0);
    });
  }
});

describe('paylake sql join plans', () => {
  it('renames the right side apart, merges FULL JOIN USING keys and sorts by a hidden column', async () => {
    const df = await session.sql('SELECT t.id, m.amount, merchant_id FROM tx t FULL JOIN merchants m USING (merchant_id) ORDER BY m.name');
    expect(displayPlan(df.plan).replaceAll(root, '<root>')).toBe(
      [
        'Project [id, amount, merchant_id]',
        '  Sort [_sort0 ASC NULLS FIRST]',
        '    Project [id, `amount#1` AS amount, coalesce(merchant_id, `merchant_id#1`) AS merchant_id, name AS _sort0]',
        '      Join full on=[merchant_id = `merchant_id#1`]',
        '        Project [id, merchant_id, amount, status, currency]',
        '          Scan parquet [<root>/tx] columns=[id, merchant_id, amount, status, currency]',
        '        Project [merchant_id AS `merchant_id#1`, name, amount AS `amount#1`, country, currency AS `currency#1`]',
        '          Project [merchant_id, name, amount, country, currency]',
        '            Scan parquet [<root>/merchants] columns=[merchant_id, name, amount, country, currency]',
      ].join('\n'),
    );
  });
});

describe('paylake sql join errors', () => {
  it('an unqualified name both sides have is ambiguous, pointing at it', async () => {
    const e = await sqlError(`SELECT t.id,\n  amount\nFROM tx t JOIN merchants m ON ${ON}`);
    expect(e.message).toMatch(/column reference "amount" is ambiguous: it could be t\.amount or m\.amount; qualify it, e\.g\. t\.amount \(line 2, column 3\)\n {4}amount\n {4}\^$/s);
    const where = await sqlError(`SELECT t.id FROM tx t JOIN merchants m ON ${ON} WHERE currency = 'EUR'`);
    expect(where.message).toMatch(/"currency" is ambiguous.*\(column 79\)\n.*\n {80}\^$/s);
    const self = await sqlError('SELECT tx.id FROM tx JOIN tx ON tx.id = tx.id');
    expect(self.message).toMatch(/ambiguous: it could be tx\.id or tx\.id; the same table appears twice in FROM; give each an alias/);
  });

  it('an unknown qualifier suggests the alias meant', async () => {
    const e = await sqlError(`SELECT t.id, mm.name FROM tx t JOIN merchants m ON ${ON}`);
    expect(e.message).toMatch(/unknown table or alias "mm" in mm\.name; did you mean "m"\? Tables and aliases in FROM: t, m \(column 14\)\n.*\n {15}\^$/s);
    const star = await sqlError(`SELECT x.* FROM tx t JOIN merchants m ON ${ON}`);
    expect(star.message).toMatch(/unknown table or alias "x"/);
    const col = await sqlError(`SELECT t.id, m.nam FROM tx t JOIN merchants m ON ${ON}`);
    expect(col.message).toMatch(/unknown column "m\.nam"; did you mean "m\.name"\? Columns of m: merchant_id, name, amount, country, currency \(column 14\)/);
    const inOn = await sqlError('SELECT t.id FROM tx t JOIN merchants m ON t.merchant_id = m.merchant_idd');
    expect(inOn.message).toMatch(/unknown column "m\.merchant_idd"; did you mean "m\.merchant_id"\?.*\(column 59\)/s);
  });

  it('refuses joins without an equality between the sides', async () => {
    expect((await sqlError('SELECT * FROM tx CROSS JOIN merchants')).message).toMatch(/CROSS JOIN pairs every row with every row; paylake runs equi-joins \(hash joins\) only.*\(column 29\)/s);
    expect((await sqlError('SELECT * FROM tx, merchants')).message).toMatch(/FROM a, b is a cross join; paylake runs equi-joins \(hash joins\) only/);
    expect((await sqlError('SELECT * FROM tx NATURAL JOIN merchants')).message).toMatch(/NATURAL JOIN is not supported: name the join keys with USING/);
    expect((await sqlError('SELECT * FROM tx JOIN merchants')).message).toMatch(/a JOIN without ON or USING is a cross join; paylake runs equi-joins/);
    expect((await sqlError('SELECT t.id FROM tx t JOIN merchants m ON t.amount > m.amount')).message).toMatch(/no equality between a column of each side; paylake runs equi-joins/);
    expect((await sqlError('SELECT * FROM tx t RIGHT SEMI JOIN merchants m ON t.merchant_id = m.merchant_id')).message).toMatch(/RightSemi is not supported.*swap the tables and write LEFT SEMI JOIN/);
  });

  it('asks for an alias when output names collide', async () => {
    const e = await sqlError(`SELECT t.amount, m.amount FROM tx t JOIN merchants m ON ${ON}`);
    expect(e.message).toMatch(/the select list produces the column "amount" twice \(t\.amount and m\.amount\); .* give one another name with AS, e\.g\. m\.amount AS m_amount/);
    const star = await sqlError(`SELECT * FROM tx t JOIN merchants m ON ${ON}`);
    expect(star.message).toMatch(/produces the column "merchant_id" twice \(t\.merchant_id and m\.merchant_id\)/);
    const df = await session.sql(`SELECT t.amount, m.amount AS m_amount FROM tx t JOIN merchants m ON ${ON}`);
    expect(df.schema.fields.map((f) => f.name)).toEqual(['amount', 'm_amount']);
  });

  it('names a USING column a side lacks', async () => {
    const e = await sqlError('SELECT * FROM tx JOIN limits USING (merchant_id, status)');
    expect(e.message).toMatch(/USING \(status\) on the right side of the join: unknown column "status".*\(column 50\)/s);
  });

  it('names expressions over renamed columns by what the user wrote', async () => {
    const df = await session.sql(`SELECT t.amount + m.amount, max(m.amount) FROM tx t JOIN merchants m ON ${ON} GROUP BY t.amount + m.amount`);
    expect(df.schema.fields.map((f) => f.name)).toEqual(['amount + amount', 'max(amount)']);
  });
});
