// Ctrl-C during `paylake agg`: the run stops, the process exits with 130 after one 'cancelled' line on stderr,
// prints no result and leaves none of its scratch directories (os.tmpdir()/paylake-<pid>-<uuid>) behind.
import { spawn } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDuckDB, sqlString } from '../dataframe/engine/engine-fixtures.js';

const cli = fileURLToPath(new URL('../../dist/bin/paylake.js', import.meta.url));
/** Enough rows for the group-by to run several seconds, so Ctrl-C lands in the middle of it. */
const ROWS = 1_000_000;

let dir: string;
let tx: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'paylake-cli-cancel-'));
  tx = join(dir, 'tx.parquet');
  const duck = await openDuckDB();
  try {
    await duck.run(
      `COPY (SELECT i::BIGINT AS id, (i * 7919 % 500000)::BIGINT AS k, (i % 1000)::BIGINT AS v FROM range(${ROWS}) t(i))
       TO ${sqlString(tx)} (FORMAT parquet, ROW_GROUP_SIZE 100000)`,
    );
  } finally {
    duck.closeSync();
  }
});

afterAll(async () => {
  if (dir !== undefined) await rm(dir, { recursive: true, force: true });
});

/** The scratch directories of process `pid` in the OS temp dir. */
function scratchDirsOf(pid: number): string[] {
  return readdirSync(tmpdir()).filter((name) => name.startsWith(`paylake-${pid}-`));
}

/** True once process `pid` has a run directory with files in it: its tasks are running in the workers. */
function runStarted(pid: number): boolean {
  for (const scratch of scratchDirsOf(pid)) {
    const root = join(tmpdir(), scratch);
    if (!existsSync(root)) continue;
    for (const run of readdirSync(root)) {
      const runDir = join(root, run);
      if (run.startsWith('run-') && existsSync(runDir) && readdirSync(runDir).length > 0) return true;
    }
  }
  return false;
}

describe('paylake agg and Ctrl-C', () => {
  it('exits with 130 and one "cancelled" line, prints no result and removes its scratch directory', async () => {
    const child = spawn(process.execPath, [cli, 'agg', tx, '--group-by', 'k', '--agg', 'sum(v) AS total, count(*) AS n', '--quiet'], {
      env: { ...process.env, TZ: 'UTC' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (s: string) => (stdout += s));
    child.stderr.setEncoding('utf8').on('data', (s: string) => (stderr += s));
    const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => child.on('exit', (code, signal) => resolve({ code, signal })));
    const pid = child.pid!;

    // Ctrl-C once the run's tasks are under way (its scratch files exist); the child installs its SIGINT
    // handler before the run starts, so the signal cannot reach Node's default handler.
    let interrupted = false;
    let killer: NodeJS.Timeout | undefined;
    const watch = setInterval(() => {
      if (!interrupted && runStarted(pid)) {
        interrupted = true;
        child.kill('SIGINT');
        // A child that does not stop is killed, so the test fails on its exit signal rather than timing out.
        killer = setTimeout(() => child.kill('SIGKILL'), 30_000);
      }
    }, 10);
    let result: { code: number | null; signal: NodeJS.Signals | null };
    try {
      result = await exited;
    } finally {
      clearInterval(watch);
      clearTimeout(killer);
    }

    expect(interrupted, `the run finished before it could be interrupted; stderr: ${stderr}`).toBe(true);
    expect(result, stderr).toEqual({ code: 130, signal: null });
    expect(stderr).toMatch(/^paylake: cancelled[^\n]*\n$/);
    expect(stdout).toBe('');
    expect(scratchDirsOf(pid)).toEqual([]);
  });
});
