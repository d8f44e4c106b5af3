// End-to-end checks of `paylake gen` output: determinism across worker counts, the data shapes, referential
// integrity, PAN safety, bank-file control totals, fraud labels and Parquet types (DuckDB as the oracle).
import { createHash } from 'node:crypto';
import { mkdtemp, readdir, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';
import { parse } from 'csv-parse/sync';
import { resolveGenParams } from '../../datasets/gen/gen-params.js';
import { runGen } from '../../datasets/gen/run-gen.js';
import { GATEWAY_FIELDS, GATEWAY_FIELD_COUNT } from '../../datasets/gen/gateway-log-writer.js';
import { SETTLEMENT_COLUMNS, settlementSchema } from '../../datasets/schemas/settlement.schema.js';
import { DataType } from 'apache-arrow';
import { TRANSACTION_COLUMNS } from '../../datasets/schemas/transactions.schema.js';

const ROWS = 60_000;
const params = resolveGenParams({ rows: ROWS, days: 7, seed: 7, merchants: 500, cards: 20_000, fraudRate: 0.01, partRows: 5_000, rowGroupRows: 4_000 });

let root: string;
let one: string;
let two: string;
let con: DuckDBConnection;
const T = (): string => `read_parquet('${one}/transactions/*/*.parquet', hive_partitioning = true)`;

async function q(sql: string): Promise<Record<string, unknown>[]> {
  return (await con.runAndReadAll(sql)).getRowObjectsJson() as Record<string, unknown>[];
}
async function num(sql: string): Promise<number> {
  const r = await q(sql);
  return Number(Object.values(r[0]!)[0]);
}

async function listAll(dir: string, base = dir): Promise<string[]> {
  const out: string[] = [];
  for (const e of await readdir(dir, { withFileTypes: true })) {
    const full = path.join(dir, e.name);
    if (e.isDirectory()) out.push(...(await listAll(full, base)));
    else out.push(path.relative(base, full));
  }
  return out.sort();
}

beforeAll(async () => {
  root = await mkdtemp(path.join(tmpdir(), 'paylake-gen-'));
  one = path.join(root, 'w1');
  two = path.join(root, 'w2');
  await runGen({ outDir: one, params, workers: 1 });
  await runGen({ outDir: two, params, workers: 2 });
  con = await (await DuckDBInstance.create(':memory:')).connect();
});
afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

describe('paylake gen: determinism', () => {
  it('writes byte-identical files with 1 and 2 workers', async () => {
    const a = await listAll(one);
    const b = await listAll(two);
    expect(b).toEqual(a);
    expect(a.some((f) => f.startsWith('transactions/dt=2026-11-01/part-00001.parquet'))).toBe(true);
    for (const f of a) {
      const [x, y] = await Promise.all([readFile(path.join(one, f)), readFile(path.join(two, f))]);
      expect(createHash('sha256').update(x).digest('hex'), f).toBe(createHash('sha256').update(y).digest('hex'));
    }
  });

  it('replaces a previous output cleanly and refuses a foreign non-empty directory', async () => {
    const again = await runGen({ outDir: one, params, workers: 2 });
    expect(again.rows).toBe(ROWS);
    const foreign = path.join(root, 'foreign');
    await rm(foreign, { recursive: true, force: true });
    await (await import('node:fs/promises')).mkdir(foreign, { recursive: true });
    await (await import('node:fs/promises')).writeFile(path.join(foreign, 'notes.txt'), 'mine');
    await expect(runGen({ outDir: foreign, params, workers: 1 })).rejects.toMatchObject({ code: 'USAGE' });
  });
});

describe('paylake gen: transactions', () => {
  it('has exactly N rows, unique txn ids, and the documented types', async () => {
    expect(await num(`SELECT count(*) FROM ${T()}`)).toBe(ROWS);
    expect(await num(`SELECT count(DISTINCT txn_id) FROM ${T()}`)).toBe(ROWS);
    const types = await q(`SELECT column_name, column_type FROM (DESCRIBE SELECT * EXCLUDE (dt) FROM ${T()})`);
    expect(types.map((t) => t.column_name)).toEqual([...TRANSACTION_COLUMNS]);
    const byName = Object.fromEntries(types.map((t) => [t.column_name, t.column_type]));
    expect(byName.event_time).toBe('TIMESTAMP WITH TIME ZONE');
    expect(byName.amount_minor).toBe('BIGINT');
    expect(byName.mcc).toBe('INTEGER');
    expect(byName.latency_ms).toBe('INTEGER');
    const meta = await q(`SELECT DISTINCT compression FROM parquet_metadata('${one}/transactions/*/*.parquet')`);
    expect(meta).toEqual([{ compression: 'ZSTD' }]);
    expect(await num(`SELECT count(*) FROM parquet_metadata('${one}/transactions/*/*.parquet') WHERE stats_min IS NULL AND path_in_schema = 'event_time'`)).toBe(0);
  });

  it('puts every event in the dt partition of its UTC date', async () => {
    expect(await num(`SELECT count(*) FROM ${T()} WHERE CAST(timezone('UTC', event_time) AS DATE) <> dt`)).toBe(0);
  });

  it('links every refund and chargeback to an earlier capture of the same payment, and reversals to a chargeback', async () => {
    const bad = await num(`
      SELECT count(*) FROM ${T()} c LEFT JOIN ${T()} p ON c.parent_txn_id = p.txn_id
      WHERE c.event_type IN ('REFUND', 'CHARGEBACK')
        AND (p.txn_id IS NULL OR p.event_type <> 'CAPTURE' OR p.status <> 'APPROVED' OR p.payment_id <> c.payment_id OR p.event_time >= c.event_time)`);
    expect(bad).toBe(0);
    const badRev = await num(`
      SELECT count(*) FROM ${T()} c LEFT JOIN ${T()} p ON c.parent_txn_id = p.txn_id
      WHERE c.event_type = 'CHARGEBACK_REVERSAL' AND (p.txn_id IS NULL OR p.event_type <> 'CHARGEBACK' OR p.event_time >= c.event_time)`);
    expect(badRev).toBe(0);
    expect(await num(`SELECT count(*) FROM ${T()} c LEFT JOIN ${T()} p ON c.parent_txn_id = p.txn_id WHERE c.parent_txn_id IS NOT NULL AND p.txn_id IS NULL`)).toBe(0);
  });

  it('has the stated shapes: declines, errors, refunds, chargebacks', async () => {
    const declineRate = await num(`SELECT avg(CASE WHEN status = 'DECLINED' THEN 1 ELSE 0 END) FROM ${T()} WHERE event_type = 'AUTH'`);
    expect(declineRate).toBeGreaterThan(0.05);
    expect(declineRate).toBeLessThan(0.1);
    const errorRate = await num(`SELECT avg(CASE WHEN status = 'ERROR' THEN 1 ELSE 0 END) FROM ${T()}`);
    expect(errorRate).toBeGreaterThan(0.005);
    expect(errorRate).toBeLessThan(0.02);
    const captures = await num(`SELECT count(*) FROM ${T()} WHERE event_type = 'CAPTURE' AND status = 'APPROVED'`);
    const refunds = await num(`SELECT count(*) FROM ${T()} WHERE event_type = 'REFUND'`);
    const chargebacks = await num(`SELECT count(*) FROM ${T()} WHERE event_type = 'CHARGEBACK'`);
    expect(refunds / captures).toBeGreaterThan(0.01);
    expect(refunds / captures).toBeLessThan(0.03);
    expect(chargebacks / captures).toBeGreaterThan(0.001);
    expect(chargebacks / captures).toBeLessThan(0.005);
    const codes = await q(`SELECT DISTINCT response_code FROM ${T()} WHERE status = 'DECLINED' ORDER BY 1`);
    expect(codes.map((c) => c.response_code)).toEqual(expect.arrayContaining(['05', '14', '51', '54', '61']));
    expect(await num(`SELECT count(*) FROM ${T()} WHERE status = 'ERROR' AND error_code IS NULL`)).toBe(0);
    expect(await num(`SELECT count(*) FROM ${T()} WHERE status <> 'ERROR' AND error_code IS NOT NULL`)).toBe(0);
  });

  it('has Zipf merchant popularity, a diurnal cycle, heavy-tailed amounts and card reuse', async () => {
    // Zipf: the slope of log(count) against log(rank) over the top 50 merchants is about -s (s ≈ 1.1).
    const slope = await num(`
      WITH m AS (SELECT merchant_id, count(*) AS n FROM ${T()} WHERE event_type = 'AUTH' GROUP BY 1),
           r AS (SELECT ln(row_number() OVER (ORDER BY n DESC)) AS x, ln(n) AS y FROM m QUALIFY row_number() OVER (ORDER BY n DESC) <= 50)
      SELECT regr_slope(y, x) FROM r`);
    expect(slope).toBeLessThan(-0.7);
    expect(slope).toBeGreaterThan(-1.5);
    const hours = await q(`SELECT hour(timezone('UTC', event_time)) AS h, count(*) AS n FROM ${T()} WHERE event_type = 'AUTH' GROUP BY 1 ORDER BY 2 DESC`);
    const peak = Number(hours[0]!.h);
    const trough = Number(hours[hours.length - 1]!.h);
    expect(peak >= 10 && peak <= 21).toBe(true);
    expect(trough >= 1 && trough <= 5).toBe(true);
    expect(Number(hours[0]!.n) / Number(hours[hours.length - 1]!.n)).toBeGreaterThan(5);
    // Heavy tail: per MCC in USD, p99/median of amounts well above a normal's (log-normal with sigma ≥ 0.45).
    const tail = await num(`
      SELECT min(r) FROM (SELECT mcc, quantile_cont(amount_minor, 0.99) / quantile_cont(amount_minor, 0.5) AS r
        FROM ${T()} WHERE event_type = 'AUTH' AND currency = 'USD' AND amount_minor > 0 GROUP BY mcc HAVING count(*) > 300)`);
    expect(tail).toBeGreaterThan(2.5);
    const reuse = await num(`SELECT count(*) / count(DISTINCT card_token) FROM ${T()} WHERE event_type = 'AUTH'`);
    expect(reuse).toBeGreaterThan(1.5);
    expect(await num(`SELECT count(DISTINCT currency) FILTER (WHERE currency IN ('JPY', 'BHD', 'KWD', 'JOD', 'OMR', 'TND')) FROM ${T()}`)).toBeGreaterThanOrEqual(2);
  });

  it('keeps card data PCI-safe: BIN/last4 shapes, brands consistent, no PAN-like string anywhere', async () => {
    expect(await num(`SELECT count(*) FROM ${T()} WHERE NOT regexp_full_match(card_bin, '\\d{6}|\\d{8}') OR NOT regexp_full_match(card_last4, '\\d{4}')`)).toBe(0);
    expect(await num(`SELECT count(*) FROM ${T()} WHERE card_brand = 'VISA' AND NOT starts_with(card_bin, '4')`)).toBe(0);
    expect(await num(`SELECT count(*) FROM ${T()} WHERE card_brand = 'AMEX' AND NOT (starts_with(card_bin, '34') OR starts_with(card_bin, '37'))`)).toBe(0);
    // Any run of 13-19 digits in any string column, in the Parquet files, the raw logs or the bank files.
    const pan = /\d{13,19}/g;
    const luhn = (s: string): boolean => {
      let sum = 0;
      for (let i = 0; i < s.length; i++) {
        let d = s.charCodeAt(s.length - 1 - i) - 48;
        if (i % 2 === 1) d = d * 2 > 9 ? d * 2 - 9 : d * 2;
        sum += d;
      }
      return sum % 10 === 0;
    };
    const stringCols = (await q(`SELECT column_name FROM (DESCRIBE SELECT * FROM ${T()}) WHERE column_type = 'VARCHAR'`)).map((r) => r.column_name as string);
    const concat = stringCols.map((c) => `coalesce(${c}, '')`).join(` || '|' || `);
    expect(await num(`SELECT count(*) FROM ${T()} WHERE regexp_matches(${concat}, '\\d{13,}')`)).toBe(0);
    for (const f of await listAll(one)) {
      if (!f.endsWith('.log') && !f.endsWith('.csv')) continue;
      const text = await readFile(path.join(one, f), 'utf8');
      const hits = [...text.matchAll(pan)].map((m) => m[0]).filter(luhn);
      expect(hits, f).toEqual([]);
    }
  });
});

describe('paylake gen: fraud labels', () => {
  it('labels real events of each scenario, about the requested share of rows', async () => {
    const L = `read_parquet('${one}/labels/fraud/*/*.parquet', hive_partitioning = true)`;
    const labels = await num(`SELECT count(*) FROM ${L}`);
    expect(await num(`SELECT count(*) FROM ${L} l LEFT JOIN ${T()} t USING (txn_id) WHERE t.txn_id IS NULL OR t.dt <> l.dt`)).toBe(0);
    expect(await num(`SELECT count(DISTINCT txn_id) FROM ${L}`)).toBe(labels);
    expect(labels / ROWS).toBeGreaterThan(0.004);
    expect(labels / ROWS).toBeLessThan(0.02);
    const scenarios = await q(`SELECT DISTINCT scenario FROM ${L} ORDER BY 1`);
    expect(scenarios.map((s) => s.scenario)).toEqual(['account_takeover', 'card_testing', 'compromised_terminal', 'impossible_travel']);
    // Card testing: mostly declined tiny auths with 14/54/05.
    const ct = await q(`SELECT avg(CASE WHEN status = 'DECLINED' THEN 1 ELSE 0 END) AS d FROM ${L} JOIN ${T()} USING (txn_id) WHERE scenario = 'card_testing'`);
    expect(Number(ct[0]!.d)).toBeGreaterThan(0.6);
  });
});

describe('paylake gen: gateway log', () => {
  it('holds every event once as a well-formed line at the documented positions, plus noise', async () => {
    const dates = (await readdir(path.join(one, 'raw', 'gateway'))).sort();
    expect(dates.length).toBe(7);
    let events = 0;
    let noise = 0;
    const seen = new Set<string>();
    for (const d of dates) {
      for (const f of await readdir(path.join(one, 'raw', 'gateway', d))) {
        for (const raw of (await readFile(path.join(one, 'raw', 'gateway', d, f), 'utf8')).split('\n')) {
          const line = raw.trim();
          const fields = line.split(',');
          const isEvent = fields.length === GATEWAY_FIELD_COUNT && /^tx_/.test(fields[GATEWAY_FIELDS.txn_id]!) && /Z$/.test(fields[0]!);
          if (isEvent) {
            seen.add(fields[GATEWAY_FIELDS.txn_id]!);
            events++;
            expect(['APPROVED', 'DECLINED', 'ERROR']).toContain(fields[GATEWAY_FIELDS.status]);
            expect(fields[GATEWAY_FIELDS.response_code]).toMatch(/^\d\d$/);
          } else noise++;
        }
      }
    }
    expect(seen.size).toBe(ROWS);
    expect(events).toBeGreaterThan(ROWS);
    expect(noise).toBeGreaterThan(100);
  });
});

describe('paylake gen: bank settlement files', () => {
  it('has the exact header, consistent lines and TRAILER totals equal to the lines; sum net = payout', async () => {
    const files = (await readdir(path.join(one, 'bank'))).sort();
    expect(files.length).toBeGreaterThan(5);
    let details = 0;
    const refs = new Map<string, number>();
    for (const f of files) {
      const text = await readFile(path.join(one, 'bank', f), 'utf8');
      const rows = parse(text, { columns: true, skip_empty_lines: true }) as Record<string, string>[];
      expect(text.split('\r\n')[0]).toBe(SETTLEMENT_COLUMNS.join(','));
      const totals = new Map<string, number[]>();
      for (const r of rows) {
        const key = `${r.settlement_batch_id}|${r.settlement_currency}`;
        let t = totals.get(key);
        if (!t) totals.set(key, (t = [0, 0, 0, 0, 0, 0]));
        if (r.record_type === 'DETAIL' || r.record_type === 'FEE') {
          const g = Number(r.gross_settlement_minor);
          const ic = Number(r.interchange_minor);
          const sf = Number(r.scheme_fee_minor);
          const mk = Number(r.markup_minor);
          const net = Number(r.net_amount_minor);
          expect(net, r.psp_reference).toBe(g - ic - sf - mk);
          t[0]! += 1;
          t[1]! += g;
          t[2]! += ic + sf + mk;
          t[3]! += net;
          if (r.record_type === 'DETAIL') {
            details++;
            refs.set(r.psp_reference!, (refs.get(r.psp_reference!) ?? 0) + 1);
            expect(r.fx_rate).toMatch(/^\d+\.\d{10}$/);
          }
        } else if (r.record_type === 'PAYOUT') {
          t[0]! += 1;
          t[4]! += Number(r.net_amount_minor);
        } else if (r.record_type === 'TRAILER') {
          // Control totals live in their own columns; the id and transaction-currency columns stay empty.
          expect(Number(r.record_count), key).toBe(t[0]);
          expect(Number(r.gross_settlement_minor), key).toBe(t[1]);
          expect(Number(r.interchange_minor) + Number(r.scheme_fee_minor) + Number(r.markup_minor), key).toBe(t[2]);
          expect(Number(r.net_amount_minor), key).toBe(t[3]);
          expect(Number(r.payout_minor), key).toBe(t[4]);
          expect(t[3], 'sum net = payout').toBe(t[4]);
          expect([r.psp_reference, r.gross_amount_minor, r.txn_currency, r.fx_rate], key).toEqual(['', '', '', '']);
          t[5] = 1;
        }
        if (r.record_type !== 'TRAILER') expect([r.record_count, r.payout_minor], r.psp_reference).toEqual(['', '']);
      }
      for (const [key, t] of totals) expect(t[5], `trailer of ${key}`).toBe(1);
    }
    // Discrepancies: some settled captures are missing, some referenced twice.
    const settled = await q(`SELECT txn_id FROM ${T()} WHERE status = 'APPROVED' AND event_type IN ('CAPTURE', 'REFUND', 'CHARGEBACK', 'CHARGEBACK_REVERSAL')`);
    const missing = settled.filter((s) => !refs.has(s.txn_id as string)).length;
    expect(missing).toBeGreaterThan(0);
    expect(missing / settled.length).toBeLessThan(0.01);
    expect([...refs.values()].some((n) => n === 2)).toBe(true);
    expect(details).toBeGreaterThan(settled.length * 0.98);
  });

  it('reads with DuckDB read_csv under the declared types; TRAILER columns give the per-batch control totals', async () => {
    const duckType = (f: (typeof settlementSchema.fields)[number]): string => (DataType.isInt(f.type) ? 'BIGINT' : 'VARCHAR');
    const columns = `{${settlementSchema.fields.map((f) => `'${f.name}': '${duckType(f)}'`).join(', ')}}`;
    const B = `read_csv('${one}/bank/*.csv', header = true, delim = ',', quote = '"', columns = ${columns}, auto_detect = false)`;
    const described = await q(`SELECT column_name, column_type FROM (DESCRIBE SELECT * FROM ${B})`);
    expect(described.map((d) => d.column_name)).toEqual([...SETTLEMENT_COLUMNS]);
    expect(Object.fromEntries(described.map((d) => [d.column_name, d.column_type]))).toMatchObject({
      gross_amount_minor: 'BIGINT',
      net_amount_minor: 'BIGINT',
      record_count: 'BIGINT',
      payout_minor: 'BIGINT',
      psp_reference: 'VARCHAR',
    });
    // Summing an amount column over non-TRAILER lines never picks up a control total.
    expect(await num(`SELECT count(*) FROM ${B} WHERE record_type <> 'TRAILER' AND (record_count IS NOT NULL OR payout_minor IS NOT NULL)`)).toBe(0);
    expect(await num(`SELECT count(*) FROM ${B} WHERE record_type = 'TRAILER' AND (psp_reference IS NOT NULL OR gross_amount_minor IS NOT NULL OR txn_currency IS NOT NULL OR fx_rate IS NOT NULL)`)).toBe(0);
    const mismatches = await num(`
      WITH lines AS (
        SELECT settlement_batch_id AS b, settlement_currency AS c,
               count(*) AS n,
               sum(gross_settlement_minor) FILTER (WHERE record_type IN ('DETAIL', 'FEE')) AS gross,
               sum(interchange_minor) FILTER (WHERE record_type IN ('DETAIL', 'FEE')) AS ic,
               sum(scheme_fee_minor) FILTER (WHERE record_type IN ('DETAIL', 'FEE')) AS sf,
               sum(markup_minor) FILTER (WHERE record_type IN ('DETAIL', 'FEE')) AS mk,
               sum(net_amount_minor) FILTER (WHERE record_type IN ('DETAIL', 'FEE')) AS net,
               sum(net_amount_minor) FILTER (WHERE record_type = 'PAYOUT') AS payout
        FROM ${B} WHERE record_type <> 'TRAILER' GROUP BY 1, 2),
      trailers AS (SELECT * FROM ${B} WHERE record_type = 'TRAILER')
      SELECT count(*) FROM lines l FULL JOIN trailers t ON l.b = t.settlement_batch_id AND l.c = t.settlement_currency
      WHERE t.record_count IS DISTINCT FROM l.n OR t.gross_settlement_minor IS DISTINCT FROM l.gross
         OR t.interchange_minor IS DISTINCT FROM l.ic OR t.scheme_fee_minor IS DISTINCT FROM l.sf
         OR t.markup_minor IS DISTINCT FROM l.mk OR t.net_amount_minor IS DISTINCT FROM l.net
         OR t.payout_minor IS DISTINCT FROM l.payout OR t.net_amount_minor IS DISTINCT FROM t.payout_minor`);
    expect(mismatches).toBe(0);
    expect(await num(`SELECT count(*) FROM ${B} WHERE record_type = 'TRAILER'`)).toBeGreaterThan(5);
  });

  it('writes the reference data with ISO 4217 exponents and decimal FX rates', async () => {
    const cur = parse(await readFile(path.join(one, 'reference', 'currencies.csv'), 'utf8'), { columns: true }) as Record<string, string>[];
    const exp = Object.fromEntries(cur.map((c) => [c.currency, Number(c.exponent)]));
    expect(exp).toMatchObject({ JPY: 0, KRW: 0, CLP: 0, VND: 0, ISK: 0, BHD: 3, KWD: 3, JOD: 3, OMR: 3, TND: 3, USD: 2, EUR: 2 });
    const fx = parse(await readFile(path.join(one, 'reference', 'fx_rates.csv'), 'utf8'), { columns: true }) as Record<string, string>[];
    expect(fx.length).toBe(7 * cur.length * 2);
    expect(fx.every((r) => /^\d+\.\d{10}$/.test(r.rate!))).toBe(true);
    expect((await stat(path.join(one, 'reference', 'merchants.csv'))).size).toBeGreaterThan(1000);
    expect((await readdir(path.join(one, 'reference'))).sort()).toEqual(['currencies.csv', 'fee_schedule.csv', 'fx_rates.csv', 'merchants.csv']);
  });
});
