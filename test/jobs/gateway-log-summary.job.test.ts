// gateway-log-summary on generated data, cross-checked independently: line classes counted with plain Node
// over the log files, the (status, response_code) breakdown from the Parquet transaction log with DuckDB
// (plus the duplicated lines found in the log), rejects pointing at real lines, byte-identical outputs with
// 1 and 2 workers, and an output directory that is replaced only when a run succeeds.
import { readFile, readdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { DuckDBInstance } from '@duckdb/node-api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { resolveGenParams } from '../../datasets/gen/gen-params.js';
import { runGen } from '../../datasets/gen/run-gen.js';
import { gatewayLogSummaryJob } from '../../jobs/gateway-log-summary.job.js';
import { runJob } from '../../lib/jobs/run-job.js';

const ROWS = 30_000;
const DATE = '2026-11-02';

let dir: string;
let data: string;

class Collect extends Writable {
  text = '';
  override _write(chunk: Buffer, _enc: BufferEncoding, done: () => void): void {
    this.text += chunk.toString('utf8');
    done();
  }
}

async function run(output: string, workers: number, format: 'table' | 'csv' | 'json' = 'table'): Promise<string> {
  const out = new Collect();
  await runJob(gatewayLogSummaryJob, { date: DATE, input: data, output, workers, format, quiet: true, stdout: out });
  return out.text;
}

interface SummaryJson {
  lines: { input: number; dropped_error: number; blank: number; malformed: number; counted: number };
  by_status_response_code: { status: string; response_code: string; lines: number }[];
  rejects: { lines: number };
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'paylake-gls-'));
  data = join(dir, 'data');
  // Small parts, so a day has several log files.
  await runGen({ outDir: data, params: resolveGenParams({ rows: ROWS, days: 3, seed: 11, merchants: 300, cards: 5_000, partRows: 2_000 }), workers: 2 });
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('gateway-log-summary', () => {
  it('counts that add up and agree with an independent reading of the logs and the transaction log', async () => {
    const output = join(dir, 'out-2');
    const table = await run(output, 2);
    const summary = JSON.parse(await readFile(join(output, 'summary.json'), 'utf8')) as SummaryJson;
    const s = summary.lines;
    expect(s.input).toBe(s.dropped_error + s.blank + s.malformed + s.counted);

    // Plain Node over the files: every line once, classified the obvious way.
    const dayDir = join(data, 'raw', 'gateway', `dt=${DATE}`);
    const files = (await readdir(dayDir)).filter((f) => f.endsWith('.log')).sort();
    expect(files.length).toBeGreaterThan(1);
    let input = 0;
    let errors = 0;
    let blank = 0;
    let wellFormed = 0;
    const duplicates = new Map<string, number>();
    const fileLines = new Map<string, string[]>();
    for (const f of files) {
      const text = await readFile(join(dayDir, f), 'utf8');
      const lines = text.split('\n');
      if (text.endsWith('\n')) lines.pop();
      fileLines.set(join(dayDir, f), lines);
      input += lines.length;
      let prev: string | undefined;
      for (const line of lines) {
        if (line.toLowerCase().includes('error')) errors++;
        else if (line.trim() === '') blank++;
        else if (line.trim().split(',').length === 15) {
          wellFormed++;
          if (line === prev) {
            const f2 = line.split(',');
            const key = `${f2[6]}/${f2[7]}`;
            duplicates.set(key, (duplicates.get(key) ?? 0) + 1);
          }
        }
        prev = line;
      }
    }
    expect(s.input).toBe(input);
    expect(s.dropped_error).toBe(errors);
    expect(s.blank).toBe(blank);
    expect(s.counted).toBe(wellFormed);
    expect(s.malformed).toBe(input - errors - blank - wellFormed);
    expect(s.malformed).toBeGreaterThan(0);

    // The breakdown: the day's non-ERROR events from the Parquet log, plus the duplicated lines.
    const db = await (await DuckDBInstance.create(':memory:')).connect();
    const rows = (
      await db.runAndReadAll(
        `SELECT status, response_code, count(*)::INTEGER AS n FROM read_parquet('${join(data, 'transactions', `dt=${DATE}`, '*.parquet')}') ` +
          `WHERE status <> 'ERROR' GROUP BY ALL`,
      )
    ).getRowObjectsJson() as { status: string; response_code: string; n: number }[];
    db.closeSync();
    const want = new Map(rows.map((r) => [`${r.status}/${r.response_code}`, r.n + (duplicates.get(`${r.status}/${r.response_code}`) ?? 0)]));
    const got = new Map(summary.by_status_response_code.map((b) => [`${b.status}/${b.response_code}`, b.lines]));
    expect(got).toEqual(want);
    // Ordered by count descending, then value.
    const counts = summary.by_status_response_code.map((b) => b.lines);
    expect(counts).toEqual([...counts].sort((a, b) => b - a));

    // Every reject names a real line of its file.
    const rejects = (await readFile(join(output, 'rejects.csv'), 'utf8')).split('\r\n').filter((l) => l !== '');
    expect(rejects[0]).toBe('file,line,reason,text');
    expect(rejects).toHaveLength(s.malformed + 1);
    for (const r of rejects.slice(1)) {
      const m = /^([^,]+),(\d+),/.exec(r);
      expect(m, r).not.toBeNull();
      const line = fileLines.get(m![1]!)![Number(m![2]) - 1]!;
      const found = /found (\d+)/.exec(r);
      if (found !== null) expect(Number(found[1]), r).toBe(line.trim().split(',').length);
      expect(line.toLowerCase()).not.toContain('error');
      expect(line.trim()).not.toBe('');
    }

    expect(table).toContain('gateway-log-summary 2026-11-02');
    expect(table).toContain(`input ${s.input} = dropped_error ${s.dropped_error} + blank ${s.blank} + malformed ${s.malformed} + counted ${s.counted}`);
    expect((await readdir(output)).sort()).toEqual(['_SUCCESS', 'manifest.json', 'rejects.csv', 'summary.csv', 'summary.json']);
  });

  it('writes byte-identical outputs with 1 and 2 workers', async () => {
    const a = join(dir, 'out-a');
    const b = join(dir, 'out-b');
    await run(a, 1);
    await run(b, 2);
    for (const f of ['summary.csv', 'summary.json', 'rejects.csv', 'manifest.json']) {
      expect(await readFile(join(b, f), 'utf8'), f).toBe(await readFile(join(a, f), 'utf8'));
    }
  });

  it('prints CSV or JSON for scripts', async () => {
    const output = join(dir, 'out-fmt');
    const csv = await run(output, 2, 'csv');
    expect(csv.split('\r\n')[0]).toBe('category,status,response_code,lines');
    expect(csv).toBe(await readFile(join(output, 'summary.csv'), 'utf8'));
    const json = JSON.parse(await run(output, 2, 'json')) as SummaryJson;
    expect(json).toEqual(JSON.parse(await readFile(join(output, 'summary.json'), 'utf8')));
  });

  it('fails with the missing day named and leaves the previous output untouched', async () => {
    const output = join(dir, 'out-keep');
    await run(output, 2);
    const before = await readFile(join(output, 'summary.json'), 'utf8');
    await expect(runJob(gatewayLogSummaryJob, { date: '2027-01-01', input: data, output, quiet: true, stdout: new Collect() })).rejects.toThrow(
      /raw\/gateway\/dt=2027-01-01: no gateway logs/,
    );
    expect(await readFile(join(output, 'summary.json'), 'utf8')).toBe(before);
    expect((await readdir(dir)).filter((n) => n.includes('paylake-tmp'))).toEqual([]);
  });
});
