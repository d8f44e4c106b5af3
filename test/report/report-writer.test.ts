import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { DuckDBInstance } from '@duckdb/node-api';
import {
  Field, Float64, Int64, Interval, IntervalUnit, RecordBatch, Schema, Struct, Table, Utf8, makeData, makeVector, vectorFromArray,
} from 'apache-arrow';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeReport, type ReportFormat, type ReportOptions } from '../../lib/report/report-writer.js';
import { decimalVector, everyTypeTable } from './report-fixtures.js';

/** A Writable that keeps what it receives; `isTTY`/`columns` imitate a terminal when given. */
class Capture extends Writable {
  chunks: string[] = [];
  constructor(readonly isTTY = false, readonly columns?: number) {
    super();
  }
  override _write(chunk: Buffer, _enc: string, cb: () => void): void {
    this.chunks.push(chunk.toString('utf8'));
    cb();
  }
  get text(): string {
    return this.chunks.join('');
  }
}

async function render(table: Table, format: ReportFormat, options?: ReportOptions, sink = new Capture()): Promise<string> {
  await writeReport(table, format, sink, options);
  return sink.text;
}

function paymentsTable(): Table {
  return new Table({
    merchant: vectorFromArray(['=SUM(A1)', '+1', '-2', '@x', '\tTAB', '\rCR', 'Café "Zürich", AG', 'ok', null], new Utf8()),
    amount: decimalVector([-1250n, 100n, -5n, 0n, 1n, 2n, 3n, 4n, null], 12, 2),
    count: vectorFromArray([-3n, 9007199254740991n, 9007199254740992n, 0n, 1n, 2n, 3n, 4n, null], new Int64()),
    rate: vectorFromArray([-0.5, 1, 2, 3, 4, 5, 6, 7, null], new Float64()),
  });
}

describe('writeReport json/jsonl', () => {
  it('writes every type in the documented JSON shape', async () => {
    const text = await render(everyTypeTable(), 'json');
    expect(text.startsWith('[\n{')).toBe(true);
    expect(text.endsWith('}\n]\n')).toBe(true);
    const rows = JSON.parse(text) as Record<string, unknown>[];
    expect(rows).toHaveLength(3);
    expect(rows[0]).toEqual({
      i32: -7, i64: 9007199254740991, u64: '18446744073709551615', f64: 1.5, f32: 0.10000000149011612, dec: '-12.50',
      flag: true, text: 'plain', bin: '3q2+7w==', fsb: 'AQI=', day: '2026-11-21', day64: '2026-11-21',
      ts_us: '2026-11-21T10:15:03.123456Z', ts_ms_ntz: '2026-11-21T10:15:03.120000', ts_s: '1970-01-01T00:00:00Z',
      ts_ns: '2026-11-21T10:15:03.123456789Z', time_us: '10:25:03.123456', dur_ms: 'PT1.500000S',
      tags: ['a', 'b'], point: { x: 1, y: 'p' }, attrs: { k: 1 }, brand: 'VISA',
    });
    expect(rows[1]!['i64']).toBe('9007199254740992');
    expect(Object.values(rows[2]!).every((v) => v === null)).toBe(true);
    // keys keep column order
    expect(Object.keys(rows[0]!)).toEqual(everyTypeTable().schema.fields.map((f) => f.name));
  });

  it('writes JSON Lines, one object per line, and [] for no rows', async () => {
    const text = await render(everyTypeTable(), 'jsonl');
    const lines = text.split('\n');
    expect(lines).toHaveLength(4);
    expect(lines[3]).toBe('');
    expect(JSON.parse(lines[1]!)).toMatchObject({ i64: '9007199254740992', dec: '0.05', f64: 'NaN' });
    const empty = everyTypeTable().slice(0, 0);
    expect(await render(empty, 'json')).toBe('[]\n');
    expect(await render(empty, 'jsonl')).toBe('');
  });

  it('refuses duplicate column names in JSON and unsupported types before writing', async () => {
    const ids = vectorFromArray([1n], new Int64());
    const fields = [new Field('id', new Int64(), true), new Field('id', new Int64(), true)];
    const batch = new RecordBatch(new Schema(fields), makeData({ type: new Struct(fields), length: 1, nullCount: 0, children: [ids.data[0]!, ids.data[0]!] }));
    const dup = new Table([batch]);
    await expect(writeReport(dup, 'json', new Capture())).rejects.toThrow(/column "id" appears twice/);
    expect(await render(dup, 'csv')).toBe('id,id\r\n1,1\r\n');
    const interval = new Table({ gap: makeVector(makeData({ type: new Interval(IntervalUnit.YEAR_MONTH), length: 1, data: new Int32Array(1) })) });
    const sink = new Capture();
    await expect(writeReport(interval, 'csv', sink)).rejects.toThrow(/column gap/);
    expect(sink.text).toBe('');
  });
});

describe('writeReport csv', () => {
  it('prefixes dangerous text cells and keeps numeric columns numeric', async () => {
    const text = await render(paymentsTable(), 'csv');
    const lines = text.split('\r\n');
    expect(lines[0]).toBe('merchant,amount,count,rate');
    expect(lines[1]).toBe("'=SUM(A1),-12.50,-3,-0.5");
    expect(lines[2]).toBe("'+1,1.00,9007199254740991,1");
    expect(lines[3]).toBe("'-2,-0.05,9007199254740992,2");
    expect(lines[4]).toBe("'@x,0.00,0,3");
    expect(lines[5]).toBe("'\tTAB,0.01,1,4");
    expect(lines[6]).toBe('"\'\rCR",0.02,2,5');
    expect(lines[7]).toBe('"Café ""Zürich"", AG",0.03,3,6');
    expect(lines[9]).toBe(',,,');
    expect(lines[10]).toBe('');
    expect(lines).toHaveLength(11);
  });

  it('gives byte-identical output on every run and for any batch split', async () => {
    const table = paymentsTable();
    const a = await render(table, 'csv');
    const b = await render(table, 'csv');
    const rebatched = new Table([...table.slice(0, 3).batches, ...table.slice(3).batches]);
    expect(rebatched.batches.length).toBeGreaterThan(1);
    expect(b).toBe(a);
    expect(await render(rebatched, 'csv')).toBe(a);
  });

  describe('read back by DuckDB', () => {
    let dir: string;
    beforeAll(async () => {
      dir = await mkdtemp(join(tmpdir(), 'paylake-csv-report-'));
    });
    afterAll(async () => {
      await rm(dir, { recursive: true, force: true });
    });

    it('round-trips amounts exactly and keeps the injection prefix as text', async () => {
      const file = join(dir, 'payments.csv');
      await writeFile(file, await render(paymentsTable(), 'csv'));
      const db = await DuckDBInstance.create(':memory:');
      const conn = await db.connect();
      const reader = await conn.runAndReadAll(
        `select merchant, amount::varchar as amount, count::varchar as count, rate from read_csv('${file}', header = true,
           columns = {'merchant': 'VARCHAR', 'amount': 'DECIMAL(12,2)', 'count': 'BIGINT', 'rate': 'DOUBLE'})`,
      );
      const rows = reader.getRowObjectsJson();
      expect(rows).toHaveLength(9);
      expect(rows[0]).toEqual({ merchant: "'=SUM(A1)", amount: '-12.50', count: '-3', rate: -0.5 });
      expect(rows[2]).toMatchObject({ merchant: "'-2", amount: '-0.05', count: '9007199254740992' });
      expect(rows[5]).toMatchObject({ merchant: "'\rCR" });
      expect(rows[6]).toMatchObject({ merchant: 'Café "Zürich", AG' });
      expect(rows[8]).toEqual({ merchant: null, amount: null, count: null, rate: null });
      // DuckDB's own sniffer agrees the numeric columns are numeric
      const sniffed = (await conn.runAndReadAll(`describe select * from read_csv('${file}')`)).getRowObjectsJson();
      expect(sniffed.map((r) => [r['column_name'], r['column_type']])).toEqual([
        ['merchant', 'VARCHAR'], ['amount', 'DOUBLE'], ['count', 'BIGINT'], ['rate', 'DOUBLE'],
      ]);
      conn.closeSync();
    });

    it('writes every type as text that DuckDB reads back', async () => {
      const file = join(dir, 'every.csv');
      await writeFile(file, await render(everyTypeTable(), 'csv'));
      const text = await readFile(file, 'utf8');
      expect(text.split('\r\n')[1]).toBe(
        '-7,9007199254740991,18446744073709551615,1.5,0.1,-12.50,true,plain,3q2+7w==,AQI=,2026-11-21,2026-11-21,' +
          '2026-11-21T10:15:03.123456Z,2026-11-21T10:15:03.120000,1970-01-01T00:00:00Z,2026-11-21T10:15:03.123456789Z,' +
          '10:25:03.123456,PT1.500000S,"[""a"",""b""]","{""x"":1,""y"":""p""}","{""k"":1}",VISA',
      );
      const db = await DuckDBInstance.create(':memory:');
      const conn = await db.connect();
      const rows = (await conn.runAndReadAll(`select ts_us::varchar as ts, u64::varchar as u from read_csv('${file}', header = true, types = {'u64': 'UBIGINT'})`)).getRowObjectsJson();
      expect(rows[0]).toEqual({ ts: '2026-11-21 10:15:03.123456+00', u: '18446744073709551615' });
      conn.closeSync();
    });
  });
});

describe('writeReport table', () => {
  it('draws a boxed table with right-aligned numbers, NULL, and a footer', async () => {
    const table = new Table({
      merchant: vectorFromArray(['ACME', 'Café Zürich', null], new Utf8()),
      amount: decimalVector([-1250n, 100n, null], 12, 2),
    });
    expect(await render(table, 'table')).toBe(
      [
        '┌─────────────┬────────┐',
        '│ merchant    │ amount │',
        '├─────────────┼────────┤',
        '│ ACME        │ -12.50 │',
        '│ Café Zürich │   1.00 │',
        '│ NULL        │   NULL │',
        '└─────────────┴────────┘',
        '3 rows',
        '',
      ].join('\n'),
    );
    expect(await render(table.slice(0, 1), 'table', { boxStyle: 'ascii', totalRows: 1234 })).toBe(
      ['+----------+--------+', '| merchant | amount |', '+----------+--------+', '| ACME     | -12.50 |', '+----------+--------+', 'showing 1 of 1,234 rows', ''].join('\n'),
    );
    expect(await render(table.slice(0, 1), 'table', { boxStyle: 'ascii' })).toContain('\n1 row\n');
  });

  it('cuts long cells with … and fits the terminal width, escaping control characters', async () => {
    const table = new Table({
      note: vectorFromArray(['x'.repeat(100), 'line\nbreak\u001b[31m'], new Utf8()),
      n: vectorFromArray([1n, 2n], new Int64()),
    });
    const wide = await render(table, 'table', { maxCellWidth: 10 });
    expect(wide).toContain('│ xxxxxxxxx… │');
    expect(wide).toContain('│ line\\nbre… │');
    expect(wide).not.toContain('\u001b');
    const narrow = await render(table, 'table', {}, new Capture(true, 20));
    for (const line of narrow.split('\n').slice(0, -2)) expect([...line].length).toBeLessThanOrEqual(20);
    expect(narrow).toContain('…');
    const wideChars = new Table({ city: vectorFromArray(['東京都', 'a'], new Utf8()) });
    const lines = (await render(wideChars, 'table')).split('\n');
    expect(lines[3]).toBe('│ 東京都 │');
    expect(lines[4]).toBe('│ a      │');
  });

  it('renders every type', async () => {
    const text = await render(everyTypeTable(), 'table', { maxCellWidth: 200 });
    expect(text).toContain('2026-11-21T10:15:03.123456Z');
    expect(text).toContain('18446744073709551615');
    expect(text).toContain('{"x":1,"y":"p"}');
    expect(text).toContain('3 rows');
  });
});
