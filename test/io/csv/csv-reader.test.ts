import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Table, type RecordBatch } from 'apache-arrow';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PaylakeError } from '../../../lib/errors/paylake-error.js';
import { openCsv, type CsvReadOptions } from '../../../lib/io/csv/csv-reader.js';
import { CsvRejectsWriter, type CsvReject } from '../../../lib/io/csv/csv-rejects.js';
import { writeReport } from '../../../lib/report/report-writer.js';
import { LocalFileSystem } from '../../../lib/io/fs/local-file-system.js';
import { Writable } from 'node:stream';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'paylake-csv-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

let n = 0;
async function file(content: string | Buffer): Promise<string> {
  const path = join(dir, `f${n++}.csv`);
  await writeFile(path, content);
  return path;
}

async function readAll(path: string, options: CsvReadOptions = {}): Promise<{ table: Table; rejects: CsvReject[]; stats: unknown; types: readonly string[] }> {
  const rejects: CsvReject[] = [];
  const reader = await openCsv(path, { rejects: { reject: (r) => void rejects.push(r) }, ...options });
  const batches: RecordBatch[] = [];
  for await (const b of reader.batches()) batches.push(b);
  return { table: new Table(reader.schema, batches), rejects, stats: reader.stats, types: reader.columnTypes };
}

async function jsonRows(table: Table): Promise<unknown[]> {
  let text = '';
  const sink = new Writable({ write(chunk: Buffer, _e, cb) { text += chunk.toString(); cb(); } });
  await writeReport(table, 'json', sink);
  return JSON.parse(text) as unknown[];
}

const SETTLEMENT = [
  'record_type,settlement_date,psp_reference,card_last4,txn_datetime_utc,gross_amount_minor,fx_rate,direction,is_test',
  'DETAIL,2026-11-21,T-1,0042,2026-11-21T10:15:03.123456Z,9007199254740993,1.0834,CR,false',
  'REFUND,2026-11-22,T-2,4242,2026-11-21T11:15:03+01:00,-1250,0.9,DR,true',
  'FEE,2026-11-23,T-3,1234,2026-11-21T12:00:00Z,,1,DR,',
].join('\n') + '\n';

describe('openCsv schema', () => {
  it('infers money-safe types: int64 (exact beyond 2^53), decimal for fx_rate, string for leading zeros', async () => {
    const { table, types, rejects } = await readAll(await file(SETTLEMENT));
    expect(rejects).toEqual([]);
    expect(types).toEqual(['string', 'date', 'string', 'string', 'timestamp', 'int64', 'decimal(38,4)', 'string', 'boolean']);
    expect(table.getChild('gross_amount_minor')!.get(0)).toBe(9007199254740993n);
    expect(await jsonRows(table)).toEqual([
      { record_type: 'DETAIL', settlement_date: '2026-11-21', psp_reference: 'T-1', card_last4: '0042', txn_datetime_utc: '2026-11-21T10:15:03.123456Z', gross_amount_minor: '9007199254740993', fx_rate: '1.0834', direction: 'CR', is_test: false },
      { record_type: 'REFUND', settlement_date: '2026-11-22', psp_reference: 'T-2', card_last4: '4242', txn_datetime_utc: '2026-11-21T10:15:03Z', gross_amount_minor: -1250, fx_rate: '0.9000', direction: 'DR', is_test: true },
      { record_type: 'FEE', settlement_date: '2026-11-23', psp_reference: 'T-3', card_last4: '1234', txn_datetime_utc: '2026-11-21T12:00:00Z', gross_amount_minor: null, fx_rate: '1.0000', direction: 'DR', is_test: null },
    ]);
  });

  it('uses declared types and infers the rest', async () => {
    const { table, types } = await readAll(await file(SETTLEMENT), {
      schema: { gross_amount_minor: 'int64', fx_rate: 'decimal(10,6)', card_last4: 'int32', is_test: 'string' },
    });
    expect(types).toEqual(['string', 'date', 'string', 'int32', 'timestamp', 'int64', 'decimal(10,6)', 'string', 'string']);
    const rows = (await jsonRows(table)) as Record<string, unknown>[];
    expect(rows.map((r) => r['fx_rate'])).toEqual(['1.083400', '0.900000', '1.000000']);
    expect(rows.map((r) => r['card_last4'])).toEqual([42, 4242, 1234]);
    const strings = await readAll(await file(SETTLEMENT), { inferSchema: false, schema: { fx_rate: 'float64' } });
    expect(strings.types).toEqual(['string', 'string', 'string', 'string', 'string', 'string', 'float64', 'string', 'string']);
    expect(strings.table.getChild('fx_rate')!.get(0)).toBe(1.0834);
  });

  it('infers int64 over int32, decimals widened, temporal and boolean columns, NULL-only as string', async () => {
    const path = await file('a,b,c,d,e,f\n1,1.5,2026-01-01,true,,99999999999999999999\n2,-0.25,2026-01-02,FALSE,,1\n');
    const { types, table } = await readAll(path);
    expect(types).toEqual(['int64', 'decimal(38,2)', 'date', 'boolean', 'string', 'decimal(38,0)']);
    expect(((await jsonRows(table)) as Record<string, unknown>[])[0]).toEqual({ a: 1, b: '1.50', c: '2026-01-01', d: true, e: null, f: '99999999999999999999' });
  });

  it('reads the BOM, CRLF and quoted fields with delimiters, quotes and newlines', async () => {
    const path = await file(Buffer.from('\ufeffid,note\r\n1,"a,b"\r\n2,"say ""hi"""\r\n3,"two\r\nlines"\r\n', 'utf8'));
    const { table, types } = await readAll(path);
    expect(types).toEqual(['int64', 'string']);
    expect(table.schema.fields.map((f) => f.name)).toEqual(['id', 'note']);
    expect(table.getChild('note')!.toArray()).toEqual(['a,b', 'say "hi"', 'two\r\nlines']);
  });

  it('rejects bad headers with the file and column named', async () => {
    await expect(openCsv(await file('a,b,a\n1,2,3\n'))).rejects.toThrow(/f\d+\.csv:1: header column "a" appears twice/);
    await expect(openCsv(await file('a,,c\n1,2,3\n'))).rejects.toThrow(/header column 2 has no name/);
    await expect(openCsv(await file('a,b\n1,2\n'), { schema: { amount: 'int64' } })).rejects.toThrow(/declared column "amount" is not in the header \(header has a, b\)/);
    await expect(openCsv(await file(''))).rejects.toThrow(/empty/);
    await expect(openCsv(await file('a,b\n'), { schema: { a: 'decimal(50,2)' as 'decimal(50,2)' } })).rejects.toThrow(/column a: unknown column type/);
    await expect(openCsv(await file('a\n1\n'))).resolves.toBeDefined();
    const err = await openCsv(await file('"a,b\n1\n')).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(PaylakeError);
    expect((err as PaylakeError).code).toBe('CSV_INVALID');
  });
});

describe('openCsv rejects', () => {
  const BAD = [
    'id,amount,when,note', //                               1
    '1,100,2026-11-21T10:00:00Z,ok', //                     2
    '2,100,2026-11-21T10:00:00Z,"multi\r', //              3
    'line"', //                                             4  (record 2 spans 3-4; CRLF inside the quoted note)
    '3,12x,2026-11-21T10:00:00Z,bad amount', //             5  TYPE_MISMATCH amount
    '4,100,2026-11-21T10:00:00,no zone', //                 6  TYPE_MISMATCH when
    '5,100,2026-11-21T10:00:00Z', //                        7  FIELD_COUNT
    '', //                                                  8  blank
    '6,100,2026-11-21T10:00:00Z,"a"b', //                   9  INVALID_QUOTE
    '7,100,2026-11-21T10:00:00Z,"x', //                    10  record 7 spans 10-11 (quoted newline)
    '",8', //                                              11  → FIELD_COUNT reported at line 10
    '9,9223372036854775808,2026-11-21T10:00:00Z,too big', //12 TYPE_MISMATCH int64 range
    '10,100,2026-11-21T10:00:00Z,\u0000BIN', //            13 fine (NUL is a valid character)
    '11,100,2026-11-21T10:00:00Z,"never closed', //         14 UNTERMINATED_QUOTE
    '12,100,2026-11-21T10:00:00Z,after', //                 15 read again after the restart
  ].join('\n');

  it('sends every kind of bad record to the rejects with its physical start line and reason', async () => {
    const path = await file(Buffer.concat([Buffer.from(BAD), Buffer.from('\n13,100,2026-11-21T10:00:00Z,caf'), Buffer.from([0xc3, 0x28]), Buffer.from('\n14,1,2026-11-21T10:00:00Z,end')]));
    const { table, rejects, stats } = await readAll(path, { schema: { id: 'int64', amount: 'int64', when: 'timestamp', note: 'string' } });
    expect(table.getChild('id')!.toArray()).toEqual(BigInt64Array.from([1n, 2n, 10n, 12n, 14n]));
    expect(table.getChild('note')!.get(0)).toBe('ok');
    expect(table.getChild('note')!.get(1)).toBe('multi\r\nline');
    expect(rejects.map((r) => [r.line, r.reason])).toEqual([
      [5, 'TYPE_MISMATCH'],
      [6, 'TYPE_MISMATCH'],
      [7, 'FIELD_COUNT'],
      [9, 'INVALID_QUOTE'],
      [10, 'FIELD_COUNT'],
      [12, 'TYPE_MISMATCH'],
      [14, 'UNTERMINATED_QUOTE'],
      [16, 'INVALID_UTF8'],
    ]);
    expect(rejects[0]!.message).toBe('column amount: expected int64, got "12x"');
    expect(rejects[0]!.raw).toBe('3,12x,2026-11-21T10:00:00Z,bad amount');
    expect(rejects[1]!.message).toMatch(/column when: expected timestamp, got "2026-11-21T10:00:00" \(no zone/);
    expect(rejects[2]!.message).toBe('expected 4 fields, got 3');
    expect(rejects[5]!.message).toMatch(/column amount: expected int64.*out of the int64 range/);
    expect(rejects[6]!.raw).toBe('11,100,2026-11-21T10:00:00Z,"never closed');
    expect(rejects[7]!.message).toBe('column note: invalid UTF-8 byte sequence');
    expect(stats).toEqual({
      rowsRead: 5,
      rowsRejected: 8,
      blankLines: 1,
      byReason: { TYPE_MISMATCH: 3, FIELD_COUNT: 2, INVALID_QUOTE: 1, UNTERMINATED_QUOTE: 1, INVALID_UTF8: 1 },
    });
  });

  it("fails on the first bad record with 'fail', naming file and line", async () => {
    const path = await file(BAD);
    const reader = await openCsv(path, { onBadRecord: 'fail', schema: { amount: 'int64' } });
    const consume = async (): Promise<void> => {
      for await (const _ of reader.batches());
    };
    await expect(consume()).rejects.toThrow(new RegExp(`${path}:5: column amount: expected int64, got "12x"`));
    await expect(consume()).rejects.toMatchObject({ code: 'CSV_INVALID' });
  });

  it('writes a rejects CSV (file, line, reason, message, raw) safe for spreadsheets', async () => {
    const path = await file('id,amount\n1,=SUM(A1)\n2,5\n');
    const rejectsPath = join(dir, 'out', '_rejects.csv');
    const writer = await CsvRejectsWriter.open(rejectsPath);
    const reader = await openCsv(path, { schema: { amount: 'int64' }, rejects: writer });
    for await (const _ of reader.batches());
    await writer.close();
    expect(reader.stats.rowsRejected).toBe(1);
    expect(await readFile(rejectsPath, 'utf8')).toBe(
      `file,line,reason,message,raw\r\n${path},2,TYPE_MISMATCH,"column amount: expected int64, got ""=SUM(A1)""","1,=SUM(A1)"\r\n`,
    );
  });

  it('rejects decimals that would need rounding and impossible dates, never coercing', async () => {
    const path = await file('amount,day\n1.005,2026-02-29\n12.5,2024-02-29\n1e3,2026-13-01\n');
    const { table, rejects } = await readAll(path, { schema: { amount: 'decimal(10,2)', day: 'date' } });
    expect(rejects.map((r) => r.message)).toEqual([
      'column amount: expected decimal(10,2), got "1.005" (3 fraction digits, more than the scale 2 (paylake never rounds on input))',
      'column amount: expected decimal(10,2), got "1e3"',
    ]);
    expect(await jsonRows(table)).toEqual([{ amount: '12.50', day: '2024-02-29' }]);
    const dates = await readAll(await file('day\n2026-02-29\n'), { schema: { day: 'date' } });
    expect(dates.rejects[0]!.message).toBe('column day: expected date, got "2026-02-29" (no such date)');
  });
});

describe('openCsv streaming', () => {
  it('reads a 1M-line file in bounded batches, the first before most of the file is read', async () => {
    const path = join(dir, 'big.csv');
    const lines = ['id,amount_minor,currency'];
    for (let i = 0; i < 1_000_000; i++) lines.push(`${i},${(i * 7919) % 100000 - 50000},EUR`);
    await writeFile(path, lines.join('\n') + '\n');
    const size = (await import('node:fs')).statSync(path).size;
    let bytesRead = 0;
    const local = new LocalFileSystem();
    const counting = Object.assign(Object.create(local) as LocalFileSystem, {
      openReadStream(uri: string, range?: { start: number; end: number }) {
        const s = local.openReadStream(uri, range);
        s.on('data', (c: Buffer) => {
          bytesRead += c.length;
        });
        return s;
      },
    });
    const reader = await openCsv(path, { batchSize: 10_000, fileSystem: counting });
    const sampleBytes = bytesRead;
    let batches = 0;
    let rows = 0;
    let sum = 0n;
    let readAtFirstBatch = -1;
    for await (const batch of reader.batches()) {
      if (batches === 0) readAtFirstBatch = bytesRead - sampleBytes;
      batches++;
      expect(batch.numRows).toBeLessThanOrEqual(10_000);
      rows += batch.numRows;
      const amounts = batch.getChild('amount_minor')!.data[0]!.values as BigInt64Array;
      for (const v of amounts) sum += v;
    }
    expect(rows).toBe(1_000_000);
    expect(batches).toBe(100);
    expect(reader.stats).toMatchObject({ rowsRead: 1_000_000, rowsRejected: 0 });
    expect(readAtFirstBatch).toBeLessThan(size / 10);
    let expected = 0n;
    for (let i = 0; i < 1_000_000; i++) expected += BigInt(((i * 7919) % 100000) - 50000);
    expect(sum).toBe(expected);
  });
});
