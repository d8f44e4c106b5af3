// paylake sql against DuckDB: the same SQL text over the same generated Parquet files (a DuckDB view named
// like our registered table), compared row for row; plus the errors a user meets.
import { DuckDBInstance } from '@duckdb/node-api';
import type { DuckDBConnection } from '@duckdb/node-api';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { resolveGenParams } from '../../datasets/gen/gen-params.js';
import { runGen } from '../../datasets/gen/run-gen.js';
import { Session } from '../../lib/dataframe/index.js';

let dir: string;
let tx: string;
let session: Session;
let db: DuckDBConnection;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'paylake-sql-'));
  await runGen({ outDir: join(dir, 'data'), params: resolveGenParams({ rows: 30_000, days: 3 }), workers: 1 });
  tx = join(dir, 'data', 'transactions');
  session = new Session({ workers: 2, progress: false });
  session.registerTable('tx', await session.readParquet(tx));
  db = await (await DuckDBInstance.create(':memory:')).connect();
  await db.run(`CREATE VIEW tx AS SELECT * FROM read_parquet('${tx}/*/*.parquet', hive_partitioning = true)`);
});

afterAll(async () => {
  await session.close();
  db.closeSync();
  rmSync(dir, { recursive: true, force: true });
});

/** Rows as comparable JSON text: DuckDB's BIGINT/HUGEINT arrive as strings, safe integers become numbers. */
function normalise(rows: Record<string, unknown>[]): string[] {
  return rows.map((r) =>
    JSON.stringify(Object.values(r).map((v) => (typeof v === 'string' && /^-?\d+$/.test(v) && Number.isSafeInteger(Number(v)) ? Number(v) : v))),
  );
}

async function both(sql: string): Promise<{ ours: string[]; theirs: string[] }> {
  const ours = normalise(await (await session.sql(sql)).collect());
  const theirs = normalise((await db.runAndReadAll(sql)).getRowObjectsJson() as Record<string, unknown>[]);
  return { ours, theirs };
}

const QUERIES = [
  'SELECT status, count(*) AS n FROM tx GROUP BY status ORDER BY n DESC, status',
  "SELECT merchant_id, sum(amount_minor) AS gross, count(*) AS n FROM tx WHERE status = 'APPROVED' AND amount_minor > 10000 GROUP BY merchant_id ORDER BY gross DESC, merchant_id LIMIT 10",
  'SELECT currency, event_type, min(amount_minor) AS lo, max(amount_minor) AS hi, count(DISTINCT card_token) AS cards FROM tx GROUP BY 1, 2 HAVING count(*) > 100 ORDER BY 1, 2',
  'SELECT lower(currency) AS ccy, count(*) AS n FROM tx GROUP BY ccy ORDER BY ccy',
  "WITH approved AS (SELECT merchant_id, amount_minor FROM tx WHERE status = 'APPROVED') SELECT merchant_id, count(*) AS n FROM approved GROUP BY merchant_id ORDER BY n DESC, merchant_id LIMIT 5",
  "SELECT m, total FROM (SELECT merchant_id AS m, sum(amount_minor) AS total FROM tx WHERE dt = DATE '2026-11-02' GROUP BY merchant_id) s WHERE total > 100000 ORDER BY total DESC, m LIMIT 7",
  "SELECT txn_id, amount_minor FROM tx WHERE event_type = 'REFUND' UNION ALL SELECT txn_id, amount_minor FROM tx WHERE event_type = 'CHARGEBACK' ORDER BY txn_id",
  'SELECT DISTINCT channel, entry_mode FROM tx ORDER BY channel, entry_mode',
  'SELECT t.card_brand, count(*) AS n FROM tx AS t WHERE t.card_funding = \'DEBIT\' GROUP BY t.card_brand ORDER BY t.card_brand',
  "SELECT count(*) AS n, sum(CASE WHEN status = 'DECLINED' THEN 1 ELSE 0 END) AS declined FROM tx",
  'SELECT ip_country, count(*) AS n FROM tx GROUP BY ip_country ORDER BY ip_country NULLS FIRST',
  'SELECT * FROM tx ORDER BY event_time DESC, txn_id LIMIT 3',
  'SELECT currency FROM tx WHERE amount_minor > 50000 UNION SELECT card_brand FROM tx ORDER BY currency',
  'SELECT txn_id, status FROM tx ORDER BY amount_minor DESC, txn_id LIMIT 10',
  'SELECT merchant_id FROM tx GROUP BY merchant_id ORDER BY sum(amount_minor) DESC, merchant_id LIMIT 5',
];

describe('session.sql', () => {
  for (const sql of QUERIES) {
    it(`matches DuckDB: ${sql.slice(0, 90)}`, async () => {
      const { ours, theirs } = await both(sql);
      expect(ours.length).toBeGreaterThan(0);
      if (sql.startsWith('SELECT * FROM tx')) {
        // DuckDB prints timestamps and dates its own way; compare the ids, in order.
        expect(ours.map((r) => JSON.parse(r)[0])).toEqual(theirs.map((r) => JSON.parse(r)[0]));
      } else {
        expect(ours).toEqual(theirs);
      }
    });
  }

  it('names unknown tables with a suggestion and refuses what it cannot run clearly', async () => {
    await expect(session.sql('SELECT * FROM txx')).rejects.toThrow(/unknown table txx; did you mean tx\?/);
    await expect(session.sql('SELECT * FROM tx a CROSS JOIN tx b')).rejects.toThrow(/CROSS JOIN .* paylake runs equi-joins \(hash joins\) only/);
    await expect(session.sql('SELECT status FROM tx INTERSECT SELECT status FROM tx')).rejects.toThrow(/INTERSECT .* is not supported by paylake sql yet/);
    await expect(session.sql('SELECT status FROM tx LIMIT 5 OFFSET 2')).rejects.toThrow(/OFFSET is not supported/);
    await expect(session.sql('SELECT DISTINCT status FROM tx ORDER BY amount_minor')).rejects.toThrow(/ORDER BY amount_minor must be one of the selected columns of a SELECT DISTINCT/);
    await expect(session.sql('SELECT status, count(*) FROM tx GROUP BY 3')).rejects.toThrow(/GROUP BY position 3/);
    await expect(session.sql('SELEC 1')).rejects.toThrow(/syntax error/);
  });

  it('points unknown columns and tables at their first use in the text', async () => {
    const err = (await session.sql('SELECT status,\n  count(*) AS n\nFROM tx WHERE amount_minr > 5 GROUP BY status').catch((e: unknown) => e)) as Error;
    expect(err.message).toMatch(/unknown column "amount_minr"; did you mean "amount_minor"\?.*\(line 3, column 15\)\n  FROM tx WHERE amount_minr > 5 GROUP BY status\n {16}\^$/s);
    const table = (await session.sql('SELECT * FROM txn').catch((e: unknown) => e)) as Error;
    expect(table.message).toMatch(/unknown table txn.*\(column 15\)\n  SELECT \* FROM txn\n {16}\^$/s);
  });

  it('reads paths written as Spark writes them', async () => {
    const df = await session.sql(`SELECT count(*) AS n FROM parquet.\`${tx}\` WHERE dt = '2026-11-01'`);
    const [row] = (await db.runAndReadAll(`SELECT count(*)::INTEGER AS n FROM tx WHERE dt = DATE '2026-11-01'`)).getRowObjectsJson();
    expect((await df.collect())[0]!.n).toBe(Number(row!.n));
  });
});
