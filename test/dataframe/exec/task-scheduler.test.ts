// Task scheduler with fault injection: ordering across worker counts, retries after worker deaths (exit,
// uncaught error, out of memory), deterministic errors, cancellation, transfers and backpressure.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Piscina } from 'piscina';
import { afterEach, describe, expect, it } from 'vitest';
import { handlerRef } from '../../../lib/dataframe/exec/handler-ref.js';
import type { ProgressSink } from '../../../lib/dataframe/exec/progress-reporter.js';
import { collectTaskResults, inTaskOrder, runTasks, type TaskResult, type TaskSpec } from '../../../lib/dataframe/exec/task-scheduler.js';
import { WorkerPool, type WorkerPoolOptions } from '../../../lib/dataframe/exec/worker-pool.js';
import { PaylakeError } from '../../../lib/errors/paylake-error.js';
import engineWorker from '../../../workers/engine.worker.js';

const FIXTURE = new URL('../../fixtures/scheduler-handlers.mjs', import.meta.url);
const h = (name: string) => handlerRef(FIXTURE, name);

const pools: WorkerPool[] = [];
const dirs: string[] = [];

function openPool(options: WorkerPoolOptions): WorkerPool {
  const pool = new WorkerPool(options);
  pools.push(pool);
  return pool;
}

function tempDir(): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'paylake-scheduler-'));
  dirs.push(dir);
  return dir;
}

afterEach(async () => {
  for (const pool of pools.splice(0)) {
    await pool.close();
    expect(pool.liveThreads).toBe(0);
  }
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function task(handler: string, payload: unknown, index: number): TaskSpec {
  return { handler: h(handler), payload, description: `stage 1 task ${index} (file data/x.parquet row group ${index})` };
}

async function rejection(p: Promise<unknown>): Promise<PaylakeError> {
  const e: unknown = await p.then(
    () => undefined,
    (err: unknown) => err,
  );
  expect(e).toBeInstanceOf(PaylakeError);
  return e as PaylakeError;
}

describe('runTasks ordering', () => {
  // Later tasks finish first (shorter delays), so completion order is the reverse of task order.
  const tasks = Array.from({ length: 12 }, (_, i) => task('sum', { values: [i, i * 10, 1], delayMs: (12 - i) * 5 }, i));
  const expected = Array.from({ length: 12 }, (_, i) => i * 11 + 1);

  for (const workers of [1, 2, 4]) {
    it(`returns values in task order with ${workers} worker(s)`, async () => {
      const pool = openPool({ workers });
      const completion: number[] = [];
      const values = await collectTaskResults<number>(pool, tasks, {});
      expect(values).toEqual(expected);
      const summary = await runTasks<number>(pool, tasks, { onResult: (r) => void completion.push(r.index) });
      expect(summary).toEqual({ tasks: 12, retries: 0, rows: 36 });
      expect([...completion].sort((a, b) => a - b)).toEqual(tasks.map((_, i) => i));
    });
  }

  it('inTaskOrder delivers in index order whatever the completion order', async () => {
    const pool = openPool({ workers: 4 });
    const seen: number[] = [];
    await runTasks<number>(pool, tasks, { onResult: inTaskOrder<number>((r) => void seen.push(r.value)) });
    expect(seen).toEqual(expected);
  });

  it('runs an empty task list', async () => {
    const pool = openPool({ workers: 1 });
    expect(await collectTaskResults(pool, [])).toEqual([]);
  });

  it('keeps at most pool.capacity tasks in flight and waits for onResult (backpressure)', async () => {
    const pool = openPool({ workers: 2 });
    const dir = tempDir();
    let delivered = 0;
    let startedWhileHeld = -1;
    const many = Array.from({ length: 20 }, (_, i) => task('sleep', { ms: 1, dir }, i));
    await runTasks(pool, many, {
      onResult: async () => {
        if (delivered === 0) {
          await new Promise((resolve) => setTimeout(resolve, 300));
          startedWhileHeld = readFileSync(path.join(dir, 'started'), 'utf8').trim().split('\n').length;
        }
        delivered++;
      },
    });
    // While the first result was held (and later ones queued behind it), exactly one window of `capacity`
    // tasks had started: the slow consumer held back the rest.
    expect(delivered).toBe(20);
    expect(startedWhileHeld).toBe(pool.capacity);
  });
});

describe('runTasks worker deaths', () => {
  it('retries a task whose worker exited, on another thread, with the same result', async () => {
    const pool = openPool({ workers: 2 });
    const dir = tempDir();
    const tasks = [task('echo', 'a', 0), task('crashOnce', { value: 'b', dir }, 1), task('echo', 'c', 2)];
    const results: TaskResult<unknown>[] = [];
    const summary = await runTasks(pool, tasks, { onResult: (r) => void results.push(r) });
    expect(summary.retries).toBe(1);
    const retried = results.find((r) => r.index === 1)!;
    expect(retried.attempt).toBe(2);
    const value = retried.value as { value: string; threadId: number; attempt: number };
    expect(value.value).toBe('b');
    expect(value.attempt).toBe(2);
    const deadThread = Number(readFileSync(path.join(dir, 'crashed-1'), 'utf8'));
    expect(value.threadId).not.toBe(deadThread);
    expect(pool.liveThreads).toBe(2);
  });

  it('fails after exactly maxAttempts worker deaths, naming the task and the last cause', async () => {
    const pool = openPool({ workers: 2 });
    const dir = tempDir();
    const tasks = [task('echo', 1, 0), task('crashAlways', { dir }, 1)];
    const e = await rejection(runTasks(pool, tasks));
    expect(e.code).toBe('INTERNAL');
    expect(e.message).toContain('stage 1 task 1 (file data/x.parquet row group 1)');
    expect(e.message).toContain('failed 4 times');
    expect(e.message).toContain('worker exited with code: 7');
    expect(readFileSync(path.join(dir, 'attempts-1'), 'utf8')).toBe('1\n2\n3\n4\n');
  });

  it('reports the error explainDeath finds instead of the bare worker death, keeping the task named', async () => {
    const pool = openPool({ workers: 1 });
    const dir = tempDir();
    const asked: number[] = [];
    const explainDeath = async (index: number): Promise<PaylakeError> => {
      asked.push(index);
      return new PaylakeError('PARQUET_CORRUPT', 'data/x.parquet: row group 0: the Parquet decoder crashed (unreachable)');
    };
    const e = await rejection(runTasks(pool, [task('crashAlways', { dir }, 0)], { maxAttempts: 2, explainDeath }));
    expect(asked).toEqual([0]);
    expect(e.code).toBe('PARQUET_CORRUPT');
    expect(e.message).toBe('stage 1 task 0 (file data/x.parquet row group 0) failed after 2 worker deaths: data/x.parquet: row group 0: the Parquet decoder crashed (unreachable)');
  });

  it('keeps the worker-death error when explainDeath finds nothing or fails', async () => {
    const pool = openPool({ workers: 1 });
    const dir = tempDir();
    const nothing = await rejection(runTasks(pool, [task('crashAlways', { dir }, 0)], { maxAttempts: 1, explainDeath: async () => undefined }));
    expect(nothing.code).toBe('INTERNAL');
    expect(nothing.message).toContain('failed 1 times because its worker thread died');
    const broken = await rejection(runTasks(pool, [task('crashAlways', { dir }, 1)], { maxAttempts: 1, explainDeath: () => Promise.reject(new Error('boom')) }));
    expect(broken.message).toContain('failed 1 times because its worker thread died');
  });

  it('honours maxAttempts', async () => {
    const pool = openPool({ workers: 1 });
    const dir = tempDir();
    const e = await rejection(runTasks(pool, [task('crashAlways', { dir }, 0)], { maxAttempts: 2 }));
    expect(e.message).toContain('failed 2 times');
    expect(readFileSync(path.join(dir, 'attempts-0'), 'utf8')).toBe('1\n2\n');
  });

  it('treats an uncaught asynchronous error as a worker death', async () => {
    const pool = openPool({ workers: 1 });
    const e = await rejection(runTasks(pool, [task('crashAsync', null, 0)], { maxAttempts: 2 }));
    expect(e.message).toContain('failed 2 times');
    expect(e.message).toContain('uncaught in a timer');
  });

  it('treats running out of memory under resourceLimits as a worker death', async () => {
    const pool = openPool({ workers: 1, resourceLimits: { maxOldGenerationSizeMb: 24, maxYoungGenerationSizeMb: 4 } });
    const e = await rejection(runTasks(pool, [task('allocate', null, 0)], { maxAttempts: 2 }));
    expect(e.message).toContain('stage 1 task 0');
    expect(e.message).toContain('failed 2 times');
    expect(e.message).toMatch(/memory limit/);
    // The pool recovers: a fresh thread runs the next job.
    expect(await collectTaskResults(pool, [task('echo', 'after', 0)])).toEqual(['after']);
  });
});

describe('runTasks deterministic errors', () => {
  it('fails at once, without retry, keeping the code and naming the task', async () => {
    const pool = openPool({ workers: 2 });
    const dir = tempDir();
    const tasks = [
      task('fail', { code: 'PARQUET_CORRUPT', message: 'bad page header', delayMs: 300 }, 0),
      ...Array.from({ length: 10 }, (_, i) => task('sleep', { ms: 30_000, dir }, i + 1)),
    ];
    let cancelledWith: PaylakeError | undefined;
    const started = Date.now();
    const e = await rejection(runTasks(pool, tasks, { onCancel: (reason) => void (cancelledWith = reason) }));
    expect(Date.now() - started).toBeLessThan(20_000);
    expect(e.code).toBe('PARQUET_CORRUPT');
    expect(e.message).toBe('stage 1 task 0 (file data/x.parquet row group 0) failed: bad page header');
    expect(cancelledWith).toBe(e);
    // The running sleepers were stopped and replaced; tasks beyond the in-flight window never started. (Piscina
    // hands a queued task to a thread the moment it frees up, before the error reaches us, so task 2 may start.)
    const startedTasks = readFileSync(path.join(dir, 'started'), 'utf8').trim().split('\n').map(Number);
    expect(startedTasks).toContain(1);
    expect(Math.max(...startedTasks)).toBeLessThan(pool.capacity);
    expect(pool.liveThreads).toBe(2);
  });

  it('reports a non-PaylakeError throw as INTERNAL with its name', async () => {
    const pool = openPool({ workers: 1 });
    const e = await rejection(runTasks(pool, [task('failPlain', null, 3)]));
    expect(e.code).toBe('INTERNAL');
    expect(e.message).toBe('stage 1 task 3 (file data/x.parquet row group 3) failed: TypeError: cannot read properties of undefined');
    expect((e.cause as Error).stack).toContain('scheduler-handlers.mjs');
  });

  it('reports an unclonable result as a deterministic error, not a worker death', async () => {
    const pool = openPool({ workers: 1 });
    const e = await rejection(runTasks(pool, [task('unclonable', null, 0)]));
    expect(e.code).toBe('INTERNAL');
    expect(e.message).toMatch(/DataCloneError/);
  });

  it('reports a missing export', async () => {
    const pool = openPool({ workers: 1 });
    const e = await rejection(runTasks(pool, [task('notAFunction', null, 0)]));
    expect(e.message).toContain('has no exported function "notAFunction"');
  });

  it('refuses a handler module outside dist/ and test/fixtures/ before starting anything', async () => {
    const pool = openPool({ workers: 1 });
    const outside = { module: new URL('../../../package.json', import.meta.url).href.replace(/\.json$/, '.js'), handler: 'x' };
    const e = await rejection(runTasks(pool, [{ handler: outside, payload: null, description: 'task 0' }]));
    expect(['INVALID_PATH', 'NOT_FOUND']).toContain(e.code);
  });

  it('rethrows an error thrown by onResult', async () => {
    const pool = openPool({ workers: 1 });
    const boom = new PaylakeError('IO', 'disk full');
    const e = await rejection(runTasks(pool, [task('echo', 1, 0)], { onResult: () => Promise.reject(boom) }));
    expect(e).toBe(boom);
  });
});

describe('runTasks cancellation', () => {
  it('aborting cancels queued and running tasks, rejects with CANCELLED and runs onCancel', async () => {
    const pool = openPool({ workers: 2 });
    const dir = tempDir();
    const controller = new AbortController();
    const tasks = Array.from({ length: 20 }, (_, i) => task('sleep', { ms: 60_000, dir }, i));
    const events: string[] = [];
    const progress: ProgressSink = {
      start: (n) => void events.push(`start ${n}`),
      taskDone: () => void events.push('done'),
      stop: () => void events.push('stop'),
    };
    const run = runTasks(pool, tasks, {
      signal: controller.signal,
      progress,
      onCancel: (reason) => void events.push(`onCancel ${reason.code}`),
    });
    setTimeout(() => controller.abort(), 300);
    const started = Date.now();
    const e = await rejection(run);
    expect(Date.now() - started).toBeLessThan(20_000);
    expect(e.code).toBe('CANCELLED');
    expect(e.message).toBe('cancelled after 0 of 20 tasks');
    expect(events).toEqual(['start 20', 'stop', 'onCancel CANCELLED']);
    const startedTasks = readFileSync(path.join(dir, 'started'), 'utf8').trim().split('\n');
    expect(startedTasks.length).toBeLessThanOrEqual(2);
    // Killed threads are replaced; the session pool keeps working.
    expect(await collectTaskResults(pool, [task('echo', 'still here', 0)])).toEqual(['still here']);
  });

  it('an already aborted signal starts nothing', async () => {
    const pool = openPool({ workers: 1 });
    const dir = tempDir();
    const e = await rejection(runTasks(pool, [task('sleep', { ms: 10, dir }, 0)], { signal: AbortSignal.abort() }));
    expect(e.code).toBe('CANCELLED');
    expect(() => readFileSync(path.join(dir, 'started'))).toThrow();
  });
});

describe('runTasks transfer', () => {
  it('moves a large ArrayBuffer result instead of copying it', async () => {
    const pool = openPool({ workers: 1 });
    const bytes = 32 * 1024 * 1024;
    const [result] = await collectTaskResults<{ buffer: ArrayBuffer; note: string }>(pool, [task('transferOut', { bytes }, 0)]);
    expect(result!.note).toBe('moved');
    expect(result!.buffer).toBeInstanceOf(ArrayBuffer);
    expect(result!.buffer.byteLength).toBe(bytes);
    const view = new Uint8Array(result!.buffer);
    expect([view[0], view[250], view[251], view[bytes - 1]]).toEqual([0, 250, 0, (bytes - 1) % 251]);
    // Same (only) thread: the buffer the handler kept a reference to is detached there.
    expect(await collectTaskResults(pool, [task('lastTransferredByteLength', null, 0)])).toEqual([0]);
  });

  it('the worker entry hands piscina the very buffer of its answer in the transfer list', async () => {
    const h = handlerRef(FIXTURE, 'transferOut');
    const answer = (await engineWorker({ kind: 'run', ...h, payload: { bytes: 1024 }, attempt: 1, taskId: '0' })) as unknown as Record<symbol, unknown>;
    const transfer = answer[Piscina.transferableSymbol] as ArrayBuffer[];
    const response = answer[Piscina.valueSymbol] as { kind: string; value: { buffer: ArrayBuffer }; transfer: ArrayBuffer[] };
    expect(response.kind).toBe('ok');
    expect(transfer).toHaveLength(1);
    expect(transfer[0]).toBe(response.value.buffer);
    expect(response.transfer[0]).toBe(response.value.buffer);
    expect(response.value.buffer.byteLength).toBe(1024);
  });
});
