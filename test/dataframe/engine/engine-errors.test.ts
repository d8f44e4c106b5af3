// What a user sees when a query is wrong or an input is bad: typed PaylakeErrors that name the column,
// expression, path, file and row group, raised before work starts when the fact is known at plan time.
import { copyFile, mkdir, mkdtemp, open, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DuckDBConnection } from '@duckdb/node-api';
import { Session } from '../../../lib/dataframe/index.js';
import type { DataFrame } from '../../../lib/dataframe/index.js';
import { PaylakeError } from '../../../lib/errors/paylake-error.js';
import { openDuckDB, sqlString } from './engine-fixtures.js';

let root: string;
let duck: DuckDBConnection;
let session: Session;
let tx: DataFrame;
/** A dataset whose second file has a corrupt page header in row group 1 (its footer is intact). */
let panicky: string;
/** A dataset whose second file has corrupt compressed page data in row group 1. */
let garbled: string;

/** The thrown value of `f`, which must be a PaylakeError. */
async function failure(f: () => unknown): Promise<PaylakeError> {
  let thrown: unknown;
  try {
    await f();
  } catch (e) {
    thrown = e;
  }
  expect(thrown).toBeInstanceOf(PaylakeError);
  return thrown as PaylakeError;
}

/** Writes a dataset of two 2-row-group files and overwrites `bytes` bytes of `column`'s chunk in row group 1 of the second. */
async function corruptDataset(name: string, column: string, skip: number, bytes: number): Promise<string> {
  const dir = path.join(root, name);
  await mkdir(dir, { recursive: true });
  for (const f of ['part-0', 'part-1']) {
    const file = path.join(dir, `${f}.parquet`);
    await duck.run(`COPY (SELECT i::BIGINT AS id, 'v' || (i % 1000) AS v FROM range(4096) t(i)) TO ${sqlString(file)} (FORMAT parquet, ROW_GROUP_SIZE 2048)`);
  }
  const bad = path.join(dir, 'part-1.parquet');
  const chunks = (await duck.runAndReadAll(`SELECT row_group_id, path_in_schema, data_page_offset FROM parquet_metadata(${sqlString(bad)})`)).getRowObjectsJson();
  const chunk = chunks.find((c) => Number(c.row_group_id) === 1 && c.path_in_schema === column)!;
  const fh = await open(bad, 'r+');
  await fh.write(Buffer.alloc(bytes, 0xab), 0, bytes, Number(chunk.data_page_offset) + skip);
  await fh.close();
  return dir;
}

beforeAll(async () => {
  root = await mkdtemp(path.join(tmpdir(), 'paylake-engine-errors-'));
  duck = await openDuckDB();
  await duck.run(
    `COPY (SELECT i::BIGINT AS id, 'k' || (i % 5) AS merchant_id, (i * 10)::BIGINT AS amount_minor, DATE '2026-11-01' + (i % 2)::INTEGER AS dt FROM range(5000) t(i)) ` +
      `TO ${sqlString(path.join(root, 'tx'))} (FORMAT parquet, PARTITION_BY (dt))`,
  );
  panicky = await corruptDataset('panicky', 'id', 0, 64);
  garbled = await corruptDataset('garbled', 'v', 40, 400);
  session = new Session({ workers: 2, progress: false });
  tx = await session.readParquet(path.join(root, 'tx'));
});

afterAll(async () => {
  await session?.close();
  duck?.closeSync();
  if (root) await rm(root, { recursive: true, force: true });
});

describe('plan-time errors name what is wrong', () => {
  it('an unknown column in a filter is NOT_FOUND, names it and suggests the closest', async () => {
    const e = await failure(() => tx.filter('amount_mino > 100'));
    expect(e.code).toBe('NOT_FOUND');
    expect(e.message).toContain('"amount_mino"');
    expect(e.message).toContain('did you mean "amount_minor"?');
  });

  it('an unknown column in select is NOT_FOUND with a suggestion', async () => {
    const e = await failure(() => tx.select('id', 'merchantid'));
    expect(e.code).toBe('NOT_FOUND');
    expect(e.message).toMatch(/"merchantid".*did you mean "merchant_id"\?/);
  });

  it('an unknown column in groupBy and in an aggregate is NOT_FOUND with a suggestion', async () => {
    const byKey = await failure(() => tx.groupBy('merchent_id').agg('count(*) AS n'));
    expect(byKey.code).toBe('NOT_FOUND');
    expect(byKey.message).toMatch(/"merchent_id".*did you mean "merchant_id"\?/);
    // Too far for a suggestion: the message still lists the columns.
    const far = await failure(() => tx.groupBy('merchant').agg('count(*) AS n'));
    expect(far.message).toContain('Columns: id, merchant_id, amount_minor, dt');
    const inAgg = await failure(() => tx.groupBy('merchant_id').agg('sum(amount_minr) AS s'));
    expect(inAgg.message).toMatch(/"amount_minr".*did you mean "amount_minor"\?/);
  });

  it('an unknown column in orderBy is NOT_FOUND with a suggestion', async () => {
    const e = await failure(() => tx.orderBy('amount_mnor DESC'));
    expect(e.code).toBe('NOT_FOUND');
    expect(e.message).toMatch(/"amount_mnor".*did you mean "amount_minor"\?/);
  });

  it('a type error names the expression', async () => {
    const e = await failure(() => tx.select("amount_minor + merchant_id AS x"));
    expect(e.code).toBe('TYPE_ERROR');
    expect(e.message).toContain('(amount_minor + merchant_id)');
    const fn = await failure(() => tx.filter('lower(amount_minor) = 1'));
    expect(fn.code).toBe('TYPE_ERROR');
    expect(fn.message).toContain('lower()');
    const cond = await failure(() => tx.filter('amount_minor + 1'));
    expect(cond.code).toBe('TYPE_ERROR');
    expect(cond.message).toContain('amount_minor');
  });

  it('reading a missing path is NOT_FOUND naming the path', async () => {
    const missing = path.join(root, 'no-such-dir');
    const e = await failure(() => session.readParquet(missing));
    expect(e.code).toBe('NOT_FOUND');
    expect(e.message).toContain(missing);
  });

  it('a file that is not Parquet fails discovery naming the file', async () => {
    const dir = path.join(root, 'not-parquet');
    await mkdir(dir);
    await copyFile(path.join(panicky, 'part-0.parquet'), path.join(dir, 'a.parquet'));
    await writeFile(path.join(dir, 'b.parquet'), 'id,amount\n1,2\n');
    const e = await failure(() => session.readParquet(dir));
    expect(e.code).toBe('PARQUET_CORRUPT');
    expect(e.message).toContain(path.join(dir, 'b.parquet'));
  });
});

describe('run-time errors name the task, file and row group', () => {
  it('a decoder crash on a corrupt page fails the job with PARQUET_CORRUPT naming the file and row group, after the retries', async () => {
    const df = await session.readParquet(panicky);
    const e = await failure(() => df.agg('sum(id) AS s').collect());
    expect(e.code).toBe('PARQUET_CORRUPT');
    expect(e.message).toContain(`${path.join(panicky, 'part-1.parquet')} row group 1`);
    expect(e.message).toMatch(/corrupt/);
    // The session is still usable: the dead workers were replaced.
    expect(await df.filter('id < 100').count()).toBe(200);
  });

  it('corrupt compressed data fails with PARQUET_CORRUPT naming the file and row group', async () => {
    const df = await session.readParquet(garbled);
    const e = await failure(() => df.groupBy('v').agg('count(*) AS n').collect());
    expect(e.code).toBe('PARQUET_CORRUPT');
    expect(e.message).toContain(`${path.join(garbled, 'part-1.parquet')} row group 1`);
  });

  it('an ANSI arithmetic error names the task, the file and the expression', async () => {
    const e = await failure(() => tx.select('amount_minor / (id - id) AS x').collect());
    expect(e.code).toBe('ARITHMETIC');
    expect(e.message).toMatch(/task \d+ of \d+ \(file .*\.parquet row group 0\)/);
    expect(e.message).toContain('division by zero');
  });

  it('a failed cast names the value and the expression', async () => {
    const e = await failure(() => tx.select('CAST(merchant_id AS INT) AS m').collect());
    expect(e.code).toBe('TYPE_ERROR');
    expect(e.message).toContain("'k0'");
    expect(e.message).toContain('CAST(merchant_id AS INT)');
  });
});
