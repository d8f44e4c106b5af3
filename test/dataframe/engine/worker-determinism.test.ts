// Determinism across worker counts: the same query on 1, 2 and 3 worker threads gives identical rows and
// byte-identical CSV, JSON lines and Parquet files, because results are gathered in task order.
import { createHash } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Session } from '../../../lib/dataframe/index.js';
import type { DataFrame } from '../../../lib/dataframe/index.js';
import { createEngineDatasets } from './engine-fixtures.js';
import type { EngineDatasets } from './engine-fixtures.js';

const WORKER_COUNTS = [1, 2, 3] as const;

let data: EngineDatasets;
const sessions = new Map<number, Session>();
const tables = new Map<number, DataFrame>();

beforeAll(async () => {
  data = await createEngineDatasets();
  for (const n of WORKER_COUNTS) {
    const s = new Session({ workers: n, progress: false });
    sessions.set(n, s);
    tables.set(n, await s.readParquet(data.tx));
  }
});

afterAll(async () => {
  await Promise.all([...sessions.values()].map((s) => s.close()));
  await data?.cleanup();
});

/** Queries whose row order is only defined by the engine's own rules (task order, stable sort, group finish). */
const QUERIES: Record<string, (tx: DataFrame) => DataFrame> = {
  'filter and project, no ordering': (tx) => tx.filter("k2 > 5 OR s LIKE 'str-9%'").select('id', 'k', 'amt * 2 AS a', 'ts', 'd38'),
  'group by with NULL keys, no ordering': (tx) => tx.groupBy('k', 'k2').agg('sum(amt) AS s', 'count(*) AS n', 'avg(d18) AS a', 'count(DISTINCT s) AS ds'),
  'top-N with ties': (tx) => tx.orderBy('k2 DESC').limit(100).select('id', 'k2'),
  'full sort with ties': (tx) => tx.orderBy('flag, k').select('id', 'flag', 'k'),
  'plain limit': (tx) => tx.filter('amt > 0').limit(333),
  union: (tx) => tx.filter('k2 = 1').select('id', 'amt').union(tx.filter('k2 = 2').select('id', 'ext')),
  'aggregate over a union': (tx) => tx.select('k', 'amt').union(tx.select('s', 'ext')).groupBy('k').agg('count(*) AS n', 'max(amt) AS m'),
};

async function sha256Tree(root: string): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  const entries = await readdir(root, { recursive: true, withFileTypes: true });
  for (const e of entries.filter((x) => x.isFile())) {
    const file = path.join(e.parentPath, e.name);
    out[path.relative(root, file)] = createHash('sha256').update(await readFile(file)).digest('hex');
  }
  return out;
}

describe('the number of workers does not change results', () => {
  for (const [name, query] of Object.entries(QUERIES)) {
    it(`collect() is identical on 1, 2 and 3 workers: ${name}`, async () => {
      const results = await Promise.all(WORKER_COUNTS.map((n) => query(tables.get(n)!).collect()));
      expect(results[0]!.length).toBeGreaterThan(0);
      expect(results[1]).toEqual(results[0]);
      expect(results[2]).toEqual(results[0]);
    });
  }

  it('countByValue is identical on 1, 2 and 3 workers', async () => {
    const results = await Promise.all(WORKER_COUNTS.map((n) => tables.get(n)!.countByValue('k2')));
    expect(results[1]).toEqual(results[0]);
    expect(results[2]).toEqual(results[0]);
  });

  it('write.csv, write.jsonl and write.parquet files are byte-identical on 1, 2 and 3 workers', async () => {
    const digests: Record<string, string>[] = [];
    for (const n of WORKER_COUNTS) {
      const dir = path.join(data.root, `out-${n}`);
      const grouped = tables.get(n)!.groupBy('k', 'dt').agg('sum(amt) AS s', 'sum(d38) AS d', 'min(ts) AS t', 'count(*) AS c');
      const rows = tables.get(n)!.filter('k2 = 7').select('id', 'k', 's', 'amt', 'd18', 'ts', 'day');
      await grouped.write.csv(path.join(dir, 'grouped.csv'));
      await rows.write.jsonl(path.join(dir, 'rows.jsonl'));
      await grouped.write.parquet(path.join(dir, 'grouped-parquet'));
      await rows.write.parquet(path.join(dir, 'rows-parquet'), { rowGroupRows: 500 });
      digests.push(await sha256Tree(dir));
    }
    expect(Object.keys(digests[0]!).sort()).toEqual([
      'grouped-parquet/_SUCCESS',
      'grouped-parquet/part-00000.parquet',
      'grouped.csv',
      'rows-parquet/_SUCCESS',
      'rows-parquet/part-00000.parquet',
      'rows.jsonl',
    ]);
    expect(digests[1]).toEqual(digests[0]);
    expect(digests[2]).toEqual(digests[0]);
  });

  it('a rerun on the same session writes the same bytes', async () => {
    const tx = tables.get(2)!;
    const target = path.join(data.root, 'rerun.csv');
    const df = tx.groupBy("date_trunc('hour', ts) AS hr").agg('count(*) AS n', 'sum(d18) AS s');
    await df.write.csv(target);
    const first = await readFile(target);
    await df.write.csv(target);
    expect((await readFile(target)).equals(first)).toBe(true);
  });
});
