// CSV sources in the DataFrame API: schema inference fixed across files, exact money, malformed records
// routed to a rejects file with their lines (or failing the action when there is none), checked against DuckDB.
import { DuckDBInstance } from '@duckdb/node-api';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Session } from '../../../lib/dataframe/index.js';
import type { RejectsSummary } from '../../../lib/dataframe/exec/rejects-collector.js';
import { isPaylakeError } from '../../../lib/errors/paylake-error.js';

let dir: string;
let bank: string;
let session: Session;
const reported: RejectsSummary[] = [];

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'paylake-csv-source-'));
  bank = join(dir, 'bank');
  mkdirSync(bank);
  const header = 'record_type,merchant_id,gross_amount_minor,fx_rate,settlement_date';
  writeFileSync(
    join(bank, 'settlement-2026-11-02.csv'),
    [header, 'DETAIL,m1,9007199254740993,1.0834000000,2026-11-02', 'DETAIL,m2,-1250,0.9205931698,2026-11-02', 'DETAIL,m1,100', 'FEE,m1,0,,2026-11-02', ''].join('\r\n'),
  );
  writeFileSync(
    join(bank, 'settlement-2026-11-03.csv'),
    [header, 'DETAIL,m2,5000,1.0000000000,2026-11-03', 'DETAIL,m3,not-a-number,1.0000000000,2026-11-03', 'DETAIL,m1,7,1.5000000000,2026-11-03', ''].join('\n'),
  );
  session = new Session({ workers: 2, progress: false, onRejects: (s) => reported.push(s) });
});

afterAll(async () => {
  await session.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('readCsv', () => {
  it('fails an action on malformed records when no rejects file is given, naming the first one', async () => {
    const df = await session.readCsv(bank);
    const err = await df.collect().catch((e: unknown) => e);
    expect(isPaylakeError(err, 'CSV_INVALID')).toBe(true);
    expect((err as Error).message).toMatch(/2 malformed records \(FIELD_COUNT 1, TYPE_MISMATCH 1\); the first is .*settlement-2026-11-02\.csv:4: expected 5 fields, got 3/);
    expect((err as Error).message).toContain("rejects: 'rejects.csv'");
  });

  it('routes malformed records to the rejects file, with file, line and reason, and counts them', async () => {
    const rejects = join(dir, 'out', 'rejects.csv');
    mkdirSync(join(dir, 'out'), { recursive: true });
    const df = await session.readCsv(bank, { rejects });
    expect(df.schema.fields.map((f) => `${f.name}:${f.type.kind}`)).toEqual([
      'record_type:string', 'merchant_id:string', 'gross_amount_minor:int64', 'fx_rate:decimal', 'settlement_date:date',
    ]);
    const rows = await df.groupBy('merchant_id').agg('sum(gross_amount_minor) AS gross, count(*) AS n').collect();
    expect(rows).toEqual([
      { merchant_id: 'm1', gross: '9007199254741000', n: 3 },
      { merchant_id: 'm2', gross: 3750, n: 2 },
    ]);
    const lines = readFileSync(rejects, 'utf8').trim().split('\r\n');
    expect(lines[0]).toBe('file,line,reason,message,raw');
    expect(lines.slice(1).map((l) => l.split(',').slice(1, 3).join(','))).toEqual(['4,FIELD_COUNT', '3,TYPE_MISMATCH']);
    expect(reported.at(-1)).toMatchObject({ file: rejects, count: 2, byReason: { FIELD_COUNT: 1, TYPE_MISMATCH: 1 } });
  });

  it('keeps declared types exact and agrees with DuckDB on the clean rows', async () => {
    const clean = join(dir, 'clean.csv');
    writeFileSync(clean, ['merchant_id,gross_amount_minor,fx_rate', 'm1,120,1.25', 'm2,-80,0.50', 'm1,5,2.00', 'm3,,1.00'].join('\n'));
    const df = await session.readCsv(clean, { schema: { fx_rate: 'decimal(20,10)' } });
    const ours = await df.filter('gross_amount_minor IS NOT NULL').groupBy('merchant_id').agg('sum(gross_amount_minor * fx_rate) AS settled').collect();
    const db = await (await DuckDBInstance.create(':memory:')).connect();
    const theirs = (
      await db.runAndReadAll(
        `SELECT merchant_id, sum(gross_amount_minor * CAST(fx_rate AS DECIMAL(20,10)))::VARCHAR AS settled FROM read_csv('${clean}', header = true)
         WHERE gross_amount_minor IS NOT NULL GROUP BY 1 ORDER BY 1`,
      )
    ).getRowObjectsJson();
    db.closeSync();
    expect(ours.map((r) => [r.merchant_id, Number(r.settled)])).toEqual(theirs.map((r) => [r.merchant_id, Number(r.settled)]));
    // bigint (decimal(20,0)) × decimal(20,10) needs 41 digits; Spark keeps the integer digits and cuts the
    // scale to 7 (decimal(38,7)), and so do we.
    expect(ours[0]!.settled).toBe('160.0000000');
  });

  it('explains a CSV scan', async () => {
    const df = await session.readCsv(bank, { rejects: join(dir, 'out', 'r2.csv') });
    expect(await df.filter("merchant_id = 'm1'").explain()).toMatch(/CsvScan \[.*bank\] columns=\[.*\] rejects=.*r2\.csv filters=\[\(merchant_id = 'm1'\)\]/);
  });
});

describe('readJson', () => {
  it('reads JSON lines exactly and routes bad lines to rejects with their line numbers', async () => {
    const events = join(dir, 'events.jsonl');
    writeFileSync(
      events,
      [
        '{"merchant_id":"m1","amount_minor":9007199254740993,"fee":"0.25","meta":{"k":[1,2]}}',
        '{"merchant_id":"m2","amount_minor":-1250,"fee":0.50}',
        'not json at all',
        '',
        '{"merchant_id":"m1","amount_minor":7,"fee":1.25}',
        '[1,2,3]',
        '{"merchant_id":"m3","amount_minor":null,"fee":0.00}',
      ].join('\n'),
    );
    const rejects = join(dir, 'out', 'event-rejects.csv');
    const df = await session.readJson(events, { schema: { fee: 'decimal(10,2)' }, rejects });
    expect(df.schema.fields.map((f) => `${f.name}:${f.type.kind}`)).toEqual(['merchant_id:string', 'amount_minor:int64', 'fee:decimal', 'meta:string']);
    const rows = await df.groupBy('merchant_id').agg('sum(amount_minor) AS total, sum(fee) AS fees').orderBy('merchant_id').collect();
    expect(rows).toEqual([
      { merchant_id: 'm1', total: '9007199254741000', fees: '1.50' },
      { merchant_id: 'm2', total: -1250, fees: '0.50' },
      { merchant_id: 'm3', total: null, fees: '0.00' },
    ]);
    const lines = readFileSync(rejects, 'utf8').trim().split('\r\n');
    expect(lines.slice(1).map((l) => l.split(',').slice(1, 3).join(','))).toEqual(['3,INVALID_JSON', '6,NOT_AN_OBJECT']);
    // An independent count: the lines JSON.parse reads as objects.
    const objects = readFileSync(events, 'utf8').split('\n').filter((l) => {
      try {
        const v: unknown = JSON.parse(l);
        return typeof v === 'object' && v !== null && !Array.isArray(v);
      } catch {
        return false;
      }
    });
    expect((await df.collect()).length).toBe(objects.length);
  });
});
