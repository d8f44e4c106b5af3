// The analyst commands as a user runs them, on a generated dataset, checked against DuckDB reading the
// same files, and the output contract and error messages scripts rely on.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DuckDBInstance } from '@duckdb/node-api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { resolveGenParams } from '../../datasets/gen/gen-params.js';
import { runGen } from '../../datasets/gen/run-gen.js';

const cli = fileURLToPath(new URL('../../dist/bin/paylake.js', import.meta.url));
let dir: string;
let tx: string;

function paylake(...args: string[]): { status: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [cli, ...args, '--quiet'], { encoding: 'utf8', env: { ...process.env, TZ: 'UTC' } });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** DuckDB's rows; `bigints` names the BIGINT columns, which DuckDB renders as strings. */
async function duck(sql: string, bigints: readonly string[] = []): Promise<Record<string, unknown>[]> {
  const db = await (await DuckDBInstance.create(':memory:')).connect();
  try {
    // DuckDB renders BIGINT as strings; paylake's contract makes safe integers JSON numbers.
    const rows = (await db.runAndReadAll(sql)).getRowObjectsJson() as Record<string, unknown>[];
    return rows.map((r) => Object.fromEntries(Object.entries(r).map(([k, v]) => [k, bigints.includes(k) ? asContractInteger(v) : v])));
  } finally {
    db.closeSync();
  }
}

function asContractInteger(v: unknown): unknown {
  return typeof v === 'string' && /^-?\d+$/.test(v) && Number.isSafeInteger(Number(v)) ? Number(v) : v;
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'paylake-cli-query-'));
  await runGen({ outDir: join(dir, 'data'), params: resolveGenParams({ rows: 30_000, days: 3 }), workers: 1 });
  tx = join(dir, 'data', 'transactions');
});

afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('paylake count-by-value', () => {
  it('counts like DuckDB, most frequent first, as a JSON array of {value, count}', async () => {
    const r = paylake('count-by-value', tx, '--column', 'status', '--format', 'json');
    expect(r.status, r.stderr).toBe(0);
    const expected = await duck(`SELECT status AS value, count(*)::INTEGER AS count FROM '${tx}/*/*.parquet' GROUP BY 1 ORDER BY 2 DESC, 1`);
    expect(JSON.parse(r.stdout)).toEqual(expected);
  });

  it('counts expressions under a filter, with a limit', async () => {
    const r = paylake('count-by-value', tx, '--column', 'response_code', '--where', "status = 'DECLINED'", '--limit', '3', '--format', 'json');
    expect(r.status, r.stderr).toBe(0);
    const expected = await duck(
      `SELECT response_code AS value, count(*)::INTEGER AS count FROM '${tx}/*/*.parquet' WHERE status = 'DECLINED' GROUP BY 1 ORDER BY 2 DESC, 1 LIMIT 3`,
    );
    expect(JSON.parse(r.stdout)).toEqual(expected);
  });
});

describe('paylake agg', () => {
  it('answers the benchmark Q2 like DuckDB', async () => {
    const r = paylake('agg', tx, '--where', "status = 'APPROVED' AND amount_minor > 10000", '--group-by', 'merchant_id',
      '--agg', 'sum(amount_minor) AS gross, count(*) AS n', '--order-by', 'gross DESC, merchant_id', '--limit', '10', '--format', 'json');
    expect(r.status, r.stderr).toBe(0);
    const expected = await duck(
      `SELECT merchant_id, sum(amount_minor)::BIGINT AS gross, count(*)::INTEGER AS n FROM '${tx}/*/*.parquet'
       WHERE status = 'APPROVED' AND amount_minor > 10000 GROUP BY 1 ORDER BY 2 DESC, 1 LIMIT 10`,
      ['gross'],
    );
    expect(JSON.parse(r.stdout)).toEqual(expected);
  });

  it('orders by the group-by columns when no order is given, and applies HAVING with hidden aggregates', async () => {
    const r = paylake('agg', tx, '--group-by', 'currency, event_type', '--agg', 'min(amount_minor) AS lo, max(amount_minor) AS hi',
      '--having', 'count(*) > 200', '--format', 'json');
    expect(r.status, r.stderr).toBe(0);
    const expected = await duck(
      `SELECT currency, event_type, min(amount_minor)::BIGINT AS lo, max(amount_minor)::BIGINT AS hi FROM '${tx}/*/*.parquet'
       GROUP BY 1, 2 HAVING count(*) > 200 ORDER BY 1 NULLS FIRST, 2 NULLS FIRST`,
      ['lo', 'hi'],
    );
    expect(JSON.parse(r.stdout)).toEqual(expected);
  });

  it('writes CSV with a header and numeric money columns, and to --output atomically', () => {
    const r = paylake('agg', tx, '--group-by', 'currency', '--agg', 'sum(amount_minor) AS gross', '--format', 'csv');
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout.split('\r\n')[0]).toBe('currency,gross');
    expect(r.stdout.split('\r\n')[1]).toMatch(/^[A-Z]{3},\d+$/);
    const out = join(dir, 'by-currency.csv');
    const w = paylake('agg', tx, '--group-by', 'currency', '--agg', 'sum(amount_minor) AS gross', '--output', out);
    expect(w.status, w.stderr).toBe(0);
    expect(readFileSync(out, 'utf8')).toBe(r.stdout);
  });

  it('prunes dt partitions and says so in explain', () => {
    const r = paylake('explain', tx, '--where', "dt = '2026-11-02'", '--agg', 'count(*) AS n');
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/pruning: files 3 → 1 \(by partition\)/);
  });
});

describe('paylake sql', () => {
  it('runs SQL over --table registrations and paths, as JSON', async () => {
    const r = paylake('sql', 'SELECT status, count(*) AS n FROM tx GROUP BY status ORDER BY n DESC, status', '--table', `tx=${tx}`, '--format', 'json');
    expect(r.status, r.stderr).toBe(0);
    const expected = await duck(`SELECT status, count(*)::INTEGER AS n FROM '${tx}/*/*.parquet' GROUP BY 1 ORDER BY 2 DESC, 1`);
    expect(JSON.parse(r.stdout)).toEqual(expected);
    const file = join(dir, 'q.sql');
    writeFileSync(file, `SELECT count(*) AS n\nFROM parquet.\`${tx}\`\nWHERE dt = '2026-11-02'`);
    const f = paylake('sql', '--file', file, '--format', 'json');
    expect(f.status, f.stderr).toBe(0);
    expect(JSON.parse(f.stdout)[0].n).toBeGreaterThan(0);
    const e = paylake('sql', '--file', file, '--explain');
    expect(e.stdout).toMatch(/pruning: files 3 → 1 \(by partition\)/);
  });

  it('reports unknown tables and syntax errors with exit 1, and a missing query with exit 2', () => {
    const unknown = paylake('sql', 'SELECT * FROM nope');
    expect(unknown.status).toBe(1);
    expect(unknown.stderr).toMatch(/unknown table nope; register one with --table nope=PATH/);
    const syntax = paylake('sql', 'SELECT FROM WHERE');
    expect(syntax.status).toBe(1);
    expect(syntax.stderr).toMatch(/syntax error/);
    expect(paylake('sql').status).toBe(2);
  });
});

describe('CSV inputs', () => {
  it('reconciles bank-file trailers with their lines, with declared column types', () => {
    const bank = join(dir, 'data', 'bank', 'settlement-2026-11-03.csv');
    const schema = ['--schema', 'payout_minor int64, record_count int64'];
    const keys = ['--group-by', 'settlement_batch_id, settlement_currency'];
    const trailers = paylake('agg', bank, ...schema, '--where', "record_type = 'TRAILER'", ...keys, '--agg', 'sum(payout_minor) AS total', '--format', 'json');
    const lines = paylake('agg', bank, ...schema, '--where', "record_type IN ('DETAIL', 'FEE')", ...keys, '--agg', 'sum(net_amount_minor) AS total', '--format', 'json');
    expect(trailers.status, trailers.stderr).toBe(0);
    expect(lines.status, lines.stderr).toBe(0);
    expect(JSON.parse(trailers.stdout).length).toBeGreaterThan(0);
    expect(JSON.parse(trailers.stdout)).toEqual(JSON.parse(lines.stdout));
  });

  it('fails on malformed records unless --rejects routes them, and reports the count', () => {
    const csv = join(dir, 'broken.csv');
    writeFileSync(csv, 'merchant_id,amount_minor\nm1,100\nm2\nm1,x\nm3,7\n');
    // Declared, because inference over these rows would rightly make amount_minor a string.
    const failed = paylake('count-by-value', csv, '--column', 'merchant_id', '--schema', 'amount_minor int64');
    expect(failed.status).toBe(1);
    expect(failed.stderr).toMatch(/2 malformed records .*broken\.csv:3: expected 2 fields, got 1.*--rejects/);
    const rejects = join(dir, 'broken-rejects.csv');
    const ok = paylake('count-by-value', csv, '--column', 'merchant_id', '--schema', 'amount_minor int64', '--rejects', rejects, '--format', 'json');
    expect(ok.status, ok.stderr).toBe(0);
    expect(JSON.parse(ok.stdout)).toEqual([{ value: 'm1', count: 1 }, { value: 'm3', count: 1 }]);
    expect(ok.stderr).toContain(`2 malformed records (FIELD_COUNT 1, TYPE_MISMATCH 1) written to ${rejects}`);
    expect(readFileSync(rejects, 'utf8').split('\r\n').filter((l) => l !== '')).toHaveLength(3);
  });

  it('refuses --schema on Parquet inputs', () => {
    expect(paylake('count-by-value', tx, '--column', 'status', '--schema', 'a int64').status).toBe(2);
  });
});

describe('errors', () => {
  it('names an unknown column, suggests the closest and lists the columns, in one line, exit 1', () => {
    const r = paylake('agg', tx, '--group-by', 'merchnt_id', '--agg', 'count(*) AS n');
    expect(r.status).toBe(1);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(/unknown column "merchnt_id"; did you mean "merchant_id"\? Columns: txn_id, /);
  });

  it('names the expression of a type error', () => {
    const r = paylake('agg', tx, '--where', 'amount_minor + 1', '--agg', 'count(*) AS n');
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/filter condition must be boolean.*amount_minor/);
  });

  it('names a missing path', () => {
    const r = paylake('count-by-value', join(dir, 'nope'), '--column', 'status');
    expect(r.status).toBe(1);
    expect(r.stderr).toContain(join(dir, 'nope'));
  });

  it('treats a bad option value as a usage error', () => {
    expect(paylake('agg', tx, '--agg', 'count(*)', '--limit', '-3').status).toBe(2);
  });
});
