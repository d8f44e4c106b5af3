// `paylake jobs` and `paylake run` as a user runs them (the built CLI): listing, a run on a tiny log, and
// the exit codes scripts rely on (0 success, 1 failure naming the path, 2 usage: unknown job, bad date).
import { spawnSync } from 'node:child_process';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const cli = fileURLToPath(new URL('../../dist/bin/paylake.js', import.meta.url));

function paylake(...args: string[]): { status: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [cli, ...args], { encoding: 'utf8', env: { ...process.env, TZ: 'UTC' } });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

const EVENT = (i: number, status: string, code: string): string =>
  `2026-11-01T00:00:${String(i).padStart(2, '0')}.000000Z,INFO,gw-01,tx_${i},pay_${i},AUTH,${status},${code},m_000001,100,USD,ECOM,VISA,12,`;

let dir: string;
let data: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'paylake-jobs-cli-'));
  data = join(dir, 'data');
  const day = join(data, 'raw', 'gateway', 'dt=2026-11-01');
  await mkdir(day, { recursive: true });
  const lines = [EVENT(1, 'APPROVED', '00'), EVENT(2, 'DECLINED', '05'), '2026-11-01T00:00:03Z,ERROR upstream reset', '   ', EVENT(4, 'APPROVED', '00').slice(0, 40), `  ${EVENT(5, 'APPROVED', '00')}\t`];
  await writeFile(join(day, 'gateway-00.log'), `${lines.join('\n')}\n`);
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('paylake jobs / run', () => {
  it('lists the jobs with their descriptions', () => {
    const r = paylake('jobs');
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/^gateway-log-summary\s+Counts a day's raw gateway log lines/m);
    expect(r.stdout).toContain('--param rejectTextChars=<number>');
  });

  it('runs a job and publishes its output', async () => {
    const out = join(dir, 'out');
    const r = paylake('run', 'gateway-log-summary', '--date', '2026-11-01', '--input', data, '--output', out, '--workers', '1', '--format', 'json', '--quiet');
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    const summary = JSON.parse(r.stdout) as { lines: Record<string, number>; by_status_response_code: unknown[] };
    expect(summary.lines).toEqual({ input: 6, dropped_error: 1, blank: 1, malformed: 1, counted: 3 });
    expect(summary.by_status_response_code).toEqual([
      { status: 'APPROVED', response_code: '00', lines: 2 },
      { status: 'DECLINED', response_code: '05', lines: 1 },
    ]);
    expect(await readFile(join(out, '_SUCCESS'), 'utf8')).toBe('');
    expect(await readFile(join(out, 'rejects.csv'), 'utf8')).toMatch(/gateway-00\.log,5,"expected 15 comma-separated fields, found 4","2026-11-01T00:00:04/);
  });

  it('exits 2 for an unknown job, listing the jobs', () => {
    const r = paylake('run', 'no-such-job', '--date', '2026-11-01', '--input', data);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/^paylake: unknown job "no-such-job"; the jobs are: gateway-log-summary/);
  });

  it('exits 2 for a bad or missing date and a bad parameter', () => {
    for (const date of ['2026-13-01', '2026-02-30', '20261101', 'yesterday']) {
      const r = paylake('run', 'gateway-log-summary', '--date', date, '--input', data);
      expect(r.status, date).toBe(2);
      expect(r.stderr).toContain('--date must be a calendar date as YYYY-MM-DD');
    }
    expect(paylake('run', 'gateway-log-summary', '--input', data).status).toBe(2);
    const p = paylake('run', 'gateway-log-summary', '--date', '2026-11-01', '--input', data, '--param', 'nope=1');
    expect(p.status).toBe(2);
    expect(p.stderr).toContain('has no parameter "nope"; it takes rejectTextChars');
  });

  it('exits 1 naming the path when the input or the day is missing', () => {
    const missing = join(dir, 'missing');
    const r = paylake('run', 'gateway-log-summary', '--date', '2026-11-01', '--input', missing);
    expect(r.status).toBe(1);
    expect(r.stderr).toContain(missing);
    const day = paylake('run', 'gateway-log-summary', '--date', '2026-11-09', '--input', data);
    expect(day.status).toBe(1);
    expect(day.stderr).toContain(join(data, 'raw', 'gateway', 'dt=2026-11-09'));
  });
});
