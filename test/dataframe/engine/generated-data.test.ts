// The engine on the project's own synthetic transaction log (`paylake gen`, ZSTD, several row groups per
// part and several parts per day) against DuckDB reading the same files: the analyst's everyday queries.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DuckDBConnection } from '@duckdb/node-api';
import { resolveGenParams } from '../../../datasets/gen/gen-params.js';
import { runGen } from '../../../datasets/gen/run-gen.js';
import { Session } from '../../../lib/dataframe/index.js';
import type { DataFrame, Row } from '../../../lib/dataframe/index.js';
import { duckRows, openDuckDB, sqlString } from './engine-fixtures.js';

let root: string;
let duck: DuckDBConnection;
let session: Session;
let tx: DataFrame;

beforeAll(async () => {
  root = await mkdtemp(path.join(tmpdir(), 'paylake-engine-gen-'));
  const params = resolveGenParams({ rows: 50_000, days: 3, seed: 11, merchants: 300, cards: 10_000, partRows: 10_000, rowGroupRows: 4_000 });
  await runGen({ outDir: root, params, workers: 2 });
  duck = await openDuckDB();
  await duck.run(`CREATE VIEW tx AS SELECT * FROM read_parquet(${sqlString(`${root}/transactions/*/*.parquet`)}, hive_partitioning = true)`);
  session = new Session({ workers: 2, progress: false });
  tx = await session.readParquet(path.join(root, 'transactions'));
});

afterAll(async () => {
  await session?.close();
  duck?.closeSync();
  if (root) await rm(root, { recursive: true, force: true });
});

/** Rows as a multiset in a canonical order (the engine's group order is its own). */
function sorted(rows: Row[]): string[] {
  return rows.map((r) => JSON.stringify(r)).sort();
}

/** Rounds doubles to 12 significant digits: DuckDB may divide its hugeint sum in long double. */
function roundDoubles(rows: Row[]): Row[] {
  return rows.map((r) => Object.fromEntries(Object.entries(r).map(([k, v]) => [k, typeof v === 'number' && !Number.isInteger(v) ? Number(v.toPrecision(12)) : v])));
}

describe('queries on generated data agree with DuckDB', () => {
  it('reads every generated row', async () => {
    expect(await tx.count()).toBe(50_000);
    expect(await tx.explain()).toMatch(/row groups (\d+) → \1 \(0 by statistics, 0 by dictionary\)/);
  });

  it('Q1: count by status', async () => {
    const ours = await tx.groupBy('status').agg('count(*) AS n').collect();
    const theirs = await duckRows(duck, 'SELECT status, count(*) AS n FROM tx GROUP BY status');
    expect(sorted(ours)).toEqual(sorted(theirs));
  });

  it("Q2: approved amounts over 10000 by merchant (sum, count)", async () => {
    const ours = await tx.filter("status = 'APPROVED' AND amount_minor > 10000").groupBy('merchant_id').agg('sum(amount_minor) AS gross', 'count(*) AS n').collect();
    const theirs = await duckRows(duck, "SELECT merchant_id, sum(amount_minor) AS gross, count(*) AS n FROM tx WHERE status = 'APPROVED' AND amount_minor > 10000 GROUP BY merchant_id");
    expect(ours.length).toBeGreaterThan(50);
    expect(sorted(ours)).toEqual(sorted(theirs));
  });

  it('Q3: by merchant, currency and event type with sum/min/max/avg and count(DISTINCT card_token)', async () => {
    const ours = await tx
      .groupBy('merchant_id', 'currency', 'event_type')
      .agg('sum(amount_minor) AS s', 'min(amount_minor) AS mn', 'max(amount_minor) AS mx', 'avg(amount_minor) AS a', 'count(DISTINCT card_token) AS cards')
      .collect();
    const theirs = await duckRows(
      duck,
      'SELECT merchant_id, currency, event_type, sum(amount_minor) AS s, min(amount_minor) AS mn, max(amount_minor) AS mx, avg(amount_minor) AS a, ' +
        'count(DISTINCT card_token) AS cards FROM tx GROUP BY merchant_id, currency, event_type',
    );
    expect(ours.length).toBeGreaterThan(500);
    expect(sorted(roundDoubles(ours))).toEqual(sorted(roundDoubles(theirs)));
  });

  it('Q4: top merchants by gross with a tiebreaker', async () => {
    const ours = await tx.filter("event_type = 'CAPTURE' AND status = 'APPROVED'").groupBy('merchant_id', 'currency').agg('sum(amount_minor) AS gross').orderBy('gross DESC, merchant_id, currency').limit(15).collect();
    const theirs = await duckRows(
      duck,
      "SELECT merchant_id, currency, sum(amount_minor) AS gross FROM tx WHERE event_type = 'CAPTURE' AND status = 'APPROVED' GROUP BY ALL ORDER BY gross DESC, merchant_id, currency LIMIT 15",
    );
    expect(ours).toEqual(theirs);
  });

  it('Q5: hourly volume of one day, pruned to its partition', async () => {
    const df = tx.filter("dt = '2026-11-02' AND error_code IS NULL").groupBy("date_trunc('hour', event_time) AS hour").agg('count(*) AS n', 'max(latency_ms) AS slowest').orderBy('hour');
    expect(await df.explain()).toMatch(/files (\d+) → \d+ \(by partition\)/);
    const theirs = await duckRows(
      duck,
      "SELECT date_trunc('hour', event_time) AS hour, count(*) AS n, max(latency_ms) AS slowest FROM tx WHERE dt = DATE '2026-11-02' AND error_code IS NULL GROUP BY hour ORDER BY hour",
    );
    expect(await df.collect()).toEqual(theirs);
  });

  it('Q6: countByValue of error codes, NULL included', async () => {
    const ours = await tx.countByValue('error_code');
    const theirs = await duckRows(duck, 'SELECT error_code AS value, count(*) AS count FROM tx GROUP BY error_code ORDER BY count DESC, value ASC NULLS FIRST');
    expect(ours).toEqual(theirs);
  });
});
