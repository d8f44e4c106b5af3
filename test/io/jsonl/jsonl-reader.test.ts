import { statSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { gzipSync } from 'node:zlib';
import { Table, type RecordBatch } from 'apache-arrow';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PaylakeError } from '../../../lib/errors/paylake-error.js';
import { CsvRejectsWriter } from '../../../lib/io/csv/csv-rejects.js';
import { LocalFileSystem } from '../../../lib/io/fs/local-file-system.js';
import { openJsonLines, type JsonLinesReadOptions } from '../../../lib/io/jsonl/jsonl-reader.js';
import type { JsonLinesReject } from '../../../lib/io/jsonl/jsonl-rejects.js';
import { writeReport } from '../../../lib/report/report-writer.js';
import { duckdb } from '../parquet/duckdb-oracle.js';
import { canonicalColumn } from '../parquet/arrow-normalize.js';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'paylake-jsonl-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

let n = 0;
async function file(content: string | Buffer, suffix = '.jsonl'): Promise<string> {
  const path = join(dir, `f${n++}${suffix}`);
  await writeFile(path, content);
  return path;
}

async function readAll(path: string, options: JsonLinesReadOptions = {}): Promise<{ table: Table; rejects: JsonLinesReject[]; stats: unknown; types: readonly string[]; batches: number }> {
  const rejects: JsonLinesReject[] = [];
  const reader = await openJsonLines(path, { rejects: { reject: (r) => void rejects.push(r) }, ...options });
  const batches: RecordBatch[] = [];
  for await (const b of reader.batches()) batches.push(b);
  return { table: new Table(reader.schema, batches), rejects, stats: reader.stats, types: reader.columnTypes, batches: batches.length };
}

async function jsonRows(table: Table): Promise<Record<string, unknown>[]> {
  let text = '';
  const sink = new Writable({
    write(chunk: Buffer, _e, cb) {
      text += chunk.toString();
      cb();
    },
  });
  await writeReport(table, 'json', sink);
  return JSON.parse(text) as Record<string, unknown>[];
}

const EVENTS = [
  '{"psp_reference":"T-1","amount_minor":9007199254740993,"fx_rate":12.50,"settlement_date":"2026-11-21","created_at":"2026-11-21T10:15:03.123456Z","is_test":false,"card_last4":"0042","meta":{ "acq": "X", "fees": [1, 2.50] }}',
  '{"psp_reference":"T-2","amount_minor":-1250,"fx_rate":1.0834,"settlement_date":"2026-11-22","created_at":"2026-11-21T11:15:03+01:00","is_test":true,"score":1.5e2,"meta":[]}',
  '{"psp_reference":"T-3","amount_minor":null,"fx_rate":1,"settlement_date":null,"created_at":"2026-11-21T12:00:00Z","extra":"late key","card_last4":"4242"}',
].join('\n');

describe('openJsonLines schema', () => {
  it('infers money-safe types in order of first appearance: exact int64, decimal, date, timestamp, boolean, nested as JSON text', async () => {
    const { table, types, rejects, stats } = await readAll(await file(EVENTS));
    expect(rejects).toEqual([]);
    expect(table.schema.fields.map((f) => f.name)).toEqual(['psp_reference', 'amount_minor', 'fx_rate', 'settlement_date', 'created_at', 'is_test', 'card_last4', 'meta', 'score', 'extra']);
    expect(types).toEqual(['string', 'int64', 'decimal(38,4)', 'date', 'timestamp', 'boolean', 'string', 'string', 'float64', 'string']);
    expect(table.getChild('amount_minor')!.get(0)).toBe(9007199254740993n);
    expect(await jsonRows(table)).toEqual([
      { psp_reference: 'T-1', amount_minor: '9007199254740993', fx_rate: '12.5000', settlement_date: '2026-11-21', created_at: '2026-11-21T10:15:03.123456Z', is_test: false, card_last4: '0042', meta: '{"acq":"X","fees":[1,2.50]}', score: null, extra: null },
      { psp_reference: 'T-2', amount_minor: -1250, fx_rate: '1.0834', settlement_date: '2026-11-22', created_at: '2026-11-21T10:15:03Z', is_test: true, card_last4: null, meta: '[]', score: 150, extra: null },
      { psp_reference: 'T-3', amount_minor: null, fx_rate: '1.0000', settlement_date: null, created_at: '2026-11-21T12:00:00Z', is_test: null, card_last4: '4242', meta: null, score: null, extra: 'late key' },
    ]);
    expect(stats).toEqual({ rowsRead: 3, rowsRejected: 0, blankLines: 0, byReason: {} });
  });

  it('keeps a decimal exact: 12.50 as a JSON number is decimal scale 2, never a double', async () => {
    const { table, types } = await readAll(await file('{"fee":12.50}\n{"fee":0.10}\n{"fee":-3}\n'));
    expect(types).toEqual(['decimal(38,2)']);
    expect((await jsonRows(table)).map((r) => r['fee'])).toEqual(['12.50', '0.10', '-3.00']);
  });

  it('reads int64 exactly at its extremes and beyond 2^53; wider integers become decimal(38,0)', async () => {
    const path = await file('{"a":9007199254740993,"b":9223372036854775808}\n{"a":-9223372036854775808,"b":1}\n{"a":9223372036854775807,"b":-99999999999999999999999999999999999999}\n');
    const { table, types } = await readAll(path);
    expect(types).toEqual(['int64', 'decimal(38,0)']);
    expect(table.getChild('a')!.toArray()).toEqual(BigInt64Array.from([9007199254740993n, -(2n ** 63n), 2n ** 63n - 1n]));
    expect((await jsonRows(table)).map((r) => r['b'])).toEqual(['9223372036854775808', '1', '-99999999999999999999999999999999999999']);
    const wider = await readAll(await file('{"x":123456789012345678901234567890123456789}\n'));
    expect(wider.types).toEqual(['float64']); // 39 digits: no exact type holds it
  });

  it('infers string for mixed kinds (keeping each value as its JSON text), for "" and for NULL-only keys', async () => {
    const path = await file('{"ref":12.50,"d":"2026-01-01","n":null,"e":""}\n{"ref":"A-1","d":"","n":null,"e":"x"}\n{"ref":true,"d":"2026-01-02"}\n{"ref":{"k":[1]}}\n');
    const { table, types } = await readAll(path);
    expect(types).toEqual(['string', 'string', 'string', 'string']);
    expect(table.getChild('ref')!.toArray()).toEqual(['12.50', 'A-1', 'true', '{"k":[1]}']);
    expect(table.getChild('d')!.toArray()).toEqual(['2026-01-01', '', '2026-01-02', null]);
  });

  it('uses declared types, infers the other keys, or with inferSchema false reads only the declared keys', async () => {
    const path = await file(EVENTS);
    const partial = await readAll(path, { schema: { fx_rate: 'decimal(10,6)', card_last4: 'string', missing_key: 'int64', amount_minor: 'decimal(20,2)' } });
    expect(partial.table.schema.fields.map((f) => f.name)).toEqual(['psp_reference', 'amount_minor', 'fx_rate', 'settlement_date', 'created_at', 'is_test', 'card_last4', 'meta', 'score', 'extra', 'missing_key']);
    expect(partial.types).toEqual(['string', 'decimal(20,2)', 'decimal(10,6)', 'date', 'timestamp', 'boolean', 'string', 'string', 'float64', 'string', 'int64']);
    const rows = await jsonRows(partial.table);
    expect(rows.map((r) => r['fx_rate'])).toEqual(['12.500000', '1.083400', '1.000000']);
    expect(rows.map((r) => r['amount_minor'])).toEqual(['9007199254740993.00', '-1250.00', null]);
    expect(rows.map((r) => r['missing_key'])).toEqual([null, null, null]);

    const only = await readAll(path, { inferSchema: false, schema: { score: 'float64', psp_reference: 'string', meta: 'string' } });
    expect(only.table.schema.fields.map((f) => f.name)).toEqual(['score', 'psp_reference', 'meta']);
    expect(await jsonRows(only.table)).toEqual([
      { score: null, psp_reference: 'T-1', meta: '{"acq":"X","fees":[1,2.50]}' },
      { score: 150, psp_reference: 'T-2', meta: '[]' },
      { score: null, psp_reference: 'T-3', meta: null },
    ]);
  });

  it('takes decimals from JSON strings too (as Spark does) and number source text into string columns', async () => {
    const path = await file('{"amount":"12.50","ref":12.50,"n":7}\n{"amount":0.5,"ref":9007199254740993,"n":-2147483648}\n');
    const { table } = await readAll(path, { schema: { amount: 'decimal(12,2)', ref: 'string', n: 'int32' } });
    expect(await jsonRows(table)).toEqual([
      { amount: '12.50', ref: '12.50', n: 7 },
      { amount: '0.50', ref: '9007199254740993', n: -2147483648 },
    ]);
  });

  it('reads an empty file as no rows; refuses a missing file, nothing-to-read and unknown types', async () => {
    const empty = await readAll(await file(''));
    expect(empty.table.numCols).toBe(0);
    expect(empty.stats).toEqual({ rowsRead: 0, rowsRejected: 0, blankLines: 0, byReason: {} });
    const declared = await readAll(await file('\n\n'), { schema: { a: 'int64' } });
    expect(declared.types).toEqual(['int64']);
    expect(declared.stats).toEqual({ rowsRead: 0, rowsRejected: 0, blankLines: 2, byReason: {} });
    await expect(openJsonLines(join(dir, 'no-such.jsonl'))).rejects.toMatchObject({ code: 'NOT_FOUND' });
    await expect(openJsonLines(await file('{}'), { inferSchema: false })).rejects.toMatchObject({ code: 'USAGE', message: expect.stringMatching(/nothing to read/) as unknown });
    await expect(openJsonLines(await file('{}'), { schema: { a: 'decimal(50,2)' as 'decimal(50,2)' } })).rejects.toThrow(/column a: unknown column type/);
  });

  it('strips a UTF-8 BOM on the first line and reads a last line without a newline', async () => {
    const { table } = await readAll(await file(Buffer.from('\ufeff{"a":1}\r\n{"a":2}', 'utf8')));
    expect(table.getChild('a')!.toArray()).toEqual(BigInt64Array.from([1n, 2n]));
  });
});

describe('openJsonLines rejects', () => {
  const SCHEMA = { id: 'int64', amount: 'int64', when: 'timestamp', note: 'string' } as const;
  const LINES: (string | Buffer)[] = [
    '{"id":1,"amount":100,"when":"2026-11-21T10:00:00Z","note":"ok"}', //      1
    '', //                                                                      2  blank (CRLF)
    '{"id":2,"amount":"100","when":"2026-11-21T10:00:00Z"}', //                 3  TYPE_MISMATCH amount (a string)
    '{"id":3,"amount":100,"when":"2026-11-21T10:00:00"}', //                    4  TYPE_MISMATCH when (no zone)
    '{"id":4,"amount":1.5}', //                                                 5  TYPE_MISMATCH amount (not an integer)
    '[1,2]', //                                                                 6  NOT_AN_OBJECT
    '{"id":5,"amount":100,}', //                                                7  INVALID_JSON
    '   \t', //                                                                 8  blank
    Buffer.concat([Buffer.from('{"id":6,"note":"caf'), Buffer.from([0xc3, 0x28]), Buffer.from('"}')]), // 9 INVALID_UTF8
    `{"id":7,"note":"${'x'.repeat(200)}"}`, //                                 10 RECORD_TOO_LARGE (limit 100)
    '{"id":8,"amount":9223372036854775808}', //                                11 TYPE_MISMATCH int64 range
    '{"id":9,"amount":null,"when":null,"note":null,"unknown":{"deep":[1]}}', // 12 fine: NULLs, unknown key ignored
    '{"id":10,"id":11}', //                                                    13 INVALID_JSON duplicate key
    '{"id":12}', //                                                            14 last line, no newline
  ];
  const content = Buffer.concat(LINES.map((l, i) => Buffer.concat([Buffer.from(l), Buffer.from(i === LINES.length - 1 ? '' : '\r\n')])));

  it('sends every kind of bad line to the rejects with its physical line, reason, column and raw text; counts add up', async () => {
    const { table, rejects, stats } = await readAll(await file(content), { schema: SCHEMA, inferSchema: false, maxRecordBytes: 100 });
    expect(table.getChild('id')!.toArray()).toEqual(BigInt64Array.from([1n, 9n, 12n]));
    expect(table.getChild('note')!.toArray()).toEqual(['ok', null, null]);
    expect(rejects.map((r) => [r.line, r.reason, r.message])).toEqual([
      [3, 'TYPE_MISMATCH', 'column amount: expected int64, got "100" (a JSON string; int64 takes JSON integers)'],
      [4, 'TYPE_MISMATCH', 'column when: expected timestamp, got "2026-11-21T10:00:00" (no zone (add Z or an offset such as +01:00))'],
      [5, 'TYPE_MISMATCH', 'column amount: expected int64, got 1.5 (not an integer)'],
      [6, 'NOT_AN_OBJECT', 'the line is a JSON array, not an object; each line must hold one JSON object'],
      [7, 'INVALID_JSON', 'not valid JSON at character 22: expected a key in double quotes'],
      [9, 'INVALID_UTF8', 'column note: invalid UTF-8 byte sequence'],
      [10, 'RECORD_TOO_LARGE', 'the line is 218 bytes, larger than the record size limit'],
      [11, 'TYPE_MISMATCH', 'column amount: expected int64, got 9223372036854775808 (out of the int64 range)'],
      [13, 'INVALID_JSON', 'key "id" appears twice (again at character 10); paylake does not guess which value is meant'],
    ]);
    expect(rejects[0]).toEqual({ file: expect.stringMatching(/f\d+\.jsonl$/) as unknown, line: 3, reason: 'TYPE_MISMATCH', message: expect.any(String) as unknown, raw: '{"id":2,"amount":"100","when":"2026-11-21T10:00:00Z"}' });
    expect(rejects[6]!.raw).toBe(`{"id":7,"note":"${'x'.repeat(200)}"}`);
    expect(stats).toEqual({
      rowsRead: 3,
      rowsRejected: 9,
      blankLines: 2,
      byReason: { TYPE_MISMATCH: 4, NOT_AN_OBJECT: 1, INVALID_JSON: 2, INVALID_UTF8: 1, RECORD_TOO_LARGE: 1 },
    });
    const s = stats as { rowsRead: number; rowsRejected: number; blankLines: number; byReason: Record<string, number> };
    expect(s.rowsRead + s.rowsRejected + s.blankLines).toBe(LINES.length);
    expect(Object.values(s.byReason).reduce((a, b) => a + b, 0)).toBe(s.rowsRejected);
  });

  it('skips bad lines when sampling for inference, and cuts long raw text like the CSV reader', async () => {
    const long = `{"a":${'1'.repeat(5000)}`; // invalid (never closed), longer than the raw limit
    const { types, rejects, stats } = await readAll(await file(`${long}\nnot json\n{"a":1}\n{"a":2}\n`));
    expect(types).toEqual(['int64']);
    expect(rejects.map((r) => [r.line, r.reason])).toEqual([
      [1, 'INVALID_JSON'],
      [2, 'INVALID_JSON'],
    ]);
    expect(rejects[0]!.raw).toBe(`${long.slice(0, 1000)}…`);
    expect(stats).toMatchObject({ rowsRead: 2, rowsRejected: 2 });
  });

  it("fails on the first bad line with 'fail', naming file and line (code CSV_INVALID)", async () => {
    const path = await file(content);
    const reader = await openJsonLines(path, { onBadRecord: 'fail', schema: SCHEMA, inferSchema: false });
    const consume = async (): Promise<void> => {
      for await (const _ of reader.batches());
    };
    const err = await consume().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(PaylakeError);
    expect(err).toMatchObject({ code: 'CSV_INVALID', message: `${path}:3: column amount: expected int64, got "100" (a JSON string; int64 takes JSON integers)` });
  });

  it('writes rejects through CsvRejectsWriter (file,line,reason,message,raw)', async () => {
    const path = await file('{"amount":"=SUM(A1)"}\n{"amount":5}\n{oops}\n=HYPERLINK("http://x")\n');
    const rejectsPath = join(dir, 'out', '_rejects.csv');
    const writer = await CsvRejectsWriter.open(rejectsPath);
    // CsvRejectsWriter writes any reason text; its signature names only CSV reasons (see jsonl-rejects.ts).
    const reader = await openJsonLines(path, { schema: { amount: 'int64' }, rejects: writer });
    for await (const _ of reader.batches());
    await writer.close();
    expect(reader.stats).toMatchObject({ rowsRead: 1, rowsRejected: 3 });
    expect(await readFile(rejectsPath, 'utf8')).toBe(
      'file,line,reason,message,raw\r\n' +
        `${path},1,TYPE_MISMATCH,"column amount: expected int64, got ""=SUM(A1)"" (a JSON string; int64 takes JSON integers)","{""amount"":""=SUM(A1)""}"\r\n` +
        `${path},3,INVALID_JSON,not valid JSON at character 2: expected a key in double quotes,{oops}\r\n` +
        `${path},4,INVALID_JSON,not valid JSON at character 1: expected a value,"'=HYPERLINK(""http://x"")"\r\n`,
    );
  });
});

describe('openJsonLines gzip', () => {
  it('reads a .gz file transparently, and says so when it is not gzip or cut short', async () => {
    const gz = gzipSync(Buffer.from(`${EVENTS}\n\n`));
    const { table, types, stats } = await readAll(await file(gz, '.jsonl.gz'));
    expect(types).toEqual(['string', 'int64', 'decimal(38,4)', 'date', 'timestamp', 'boolean', 'string', 'string', 'float64', 'string']);
    expect(table.getChild('amount_minor')!.get(0)).toBe(9007199254740993n);
    expect(stats).toEqual({ rowsRead: 3, rowsRejected: 0, blankLines: 1, byReason: {} });
    await expect(openJsonLines(await file(EVENTS, '.jsonl.gz'))).rejects.toMatchObject({ code: 'IO', message: expect.stringMatching(/cannot read it as gzip/) as unknown });
    const cut = await openJsonLines(await file(gz.subarray(0, gz.length - 10), '.jsonl.gz'), { inferSchema: false, schema: { a: 'string' } });
    const consume = async (): Promise<void> => {
      for await (const _ of cut.batches());
    };
    await expect(consume()).rejects.toMatchObject({ code: 'IO', message: expect.stringMatching(/unexpected end of file; check that the file is complete/) as unknown });
  });
});

describe('openJsonLines streaming', () => {
  it('reads a 200k-line file in bounded batches, the first before most of the file is read', async () => {
    const path = join(dir, 'big.jsonl');
    const lines: string[] = [];
    for (let i = 0; i < 200_000; i++) lines.push(`{"id":${i},"amount_minor":${((i * 7919) % 100000) - 50000},"currency":"EUR","fx":${i % 7}.${String(i % 100).padStart(2, '0')}}`);
    await writeFile(path, lines.join('\n') + '\n');
    const size = statSync(path).size;
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
    const reader = await openJsonLines(path, { batchSize: 10_000, fileSystem: counting });
    expect(reader.columnTypes).toEqual(['int64', 'int64', 'string', 'decimal(38,2)']);
    const sampleBytes = bytesRead;
    expect(sampleBytes).toBeLessThan(size / 10);
    let batches = 0;
    let rows = 0;
    let sum = 0n;
    let readAtFirstBatch = -1;
    for await (const batch of reader.batches()) {
      if (batches === 0) readAtFirstBatch = bytesRead - sampleBytes;
      batches++;
      expect(batch.numRows).toBeLessThanOrEqual(10_000);
      rows += batch.numRows;
      for (const v of batch.getChild('amount_minor')!.data[0]!.values as BigInt64Array) sum += v;
    }
    expect(rows).toBe(200_000);
    expect(batches).toBe(20);
    expect(reader.stats).toEqual({ rowsRead: 200_000, rowsRejected: 0, blankLines: 0, byReason: {} });
    expect(readAtFirstBatch).toBeLessThan(size / 10);
    let expected = 0n;
    for (let i = 0; i < 200_000; i++) expected += BigInt(((i * 7919) % 100000) - 50000);
    expect(sum).toBe(expected);
  });
});

describe('openJsonLines against DuckDB read_json', () => {
  it('reads the same values as DuckDB for declared types', async () => {
    const rows = [
      { id: 1, amt: '9007199254740993', fx: '12.50', ts: '"2026-11-21T10:15:03.123456Z"', d: '"2026-11-21"', ok: 'true', note: '"caf\\u00e9 \\"q\\" \\/ ✓"', meta: '{"a":[1,2.5,{"b":null}],"z":"x"}' },
      { id: 2, amt: '-9223372036854775808', fx: '0.1', ts: '"2026-11-21T11:15:03+01:00"', d: 'null', ok: 'false', note: '""', meta: '[]' },
      { id: 3, amt: '9223372036854775807', fx: '-7', ts: '"1969-12-31T23:59:59.999999Z"', d: '"1900-03-01"', ok: 'null', note: 'null', meta: 'null' },
      { id: 4, amt: '0', fx: '99999999999999999999999999999999999.99', ts: '"2024-02-29T00:00:00-05:30"', d: '"2024-02-29"', ok: 'true', note: '"tab\\tnew\\nline"', meta: '{"n":{"m":[true,"s"]}}' },
    ];
    const text = rows.map((r) => `{"id":${r.id},"amt":${r.amt},"fx":${r.fx},"ts":${r.ts},"d":${r.d},"ok":${r.ok},"note":${r.note},"meta":${r.meta}}`).join('\n') + '\n{"id":5}\n';
    const path = await file(text);
    const { table, rejects } = await readAll(path, {
      schema: { id: 'int64', amt: 'int64', fx: 'decimal(38,2)', ts: 'timestamp', d: 'date', ok: 'boolean', note: 'string', meta: 'string' },
    });
    expect(rejects).toEqual([]);
    const c = await duckdb();
    const oracle = (
      await c.runAndReadAll(
        `SELECT id::VARCHAR, amt::VARCHAR, fx::VARCHAR, (epoch_us(ts) * 1000)::VARCHAR, (d - DATE '1970-01-01')::VARCHAR, ok::VARCHAR, note, meta::VARCHAR
         FROM read_json('${path}', format='newline_delimited',
           columns={id:'BIGINT', amt:'BIGINT', fx:'DECIMAL(38,2)', ts:'TIMESTAMPTZ', d:'DATE', ok:'BOOLEAN', note:'VARCHAR', meta:'JSON'})`,
      )
    ).getRows();
    const names = ['id', 'amt', 'fx', 'ts', 'd', 'ok', 'note', 'meta'];
    names.forEach((name, k) => {
      const ours = canonicalColumn(table.getChild(name)!);
      const theirs = oracle.map((r) => (r[k] === null ? null : String(r[k])));
      if (name === 'fx') {
        // DuckDB reads JSON numbers through a double before the DECIMAL cast; paylake keeps all 37 digits.
        expect(theirs[3]).toBe('99999999999999995387626582021211422.72');
        expect(ours[3]).toBe('99999999999999999999999999999999999.99');
        expect(ours.filter((_, i) => i !== 3), name).toEqual(theirs.filter((_, i) => i !== 3));
      } else if (name === 'meta') {
        // DuckDB re-prints numbers (2.50 → 2.5); compare the JSON values.
        expect(ours.map((v) => (v === null ? null : JSON.parse(String(v)) as unknown)), name).toEqual(theirs.map((v) => (v === null ? null : JSON.parse(v) as unknown)));
      } else expect(ours, name).toEqual(theirs);
    });
    expect(table.numRows).toBe(5);
  });
});
