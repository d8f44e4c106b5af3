// Session worker pool: threads started up front and kept while idle, replaced after a death, all gone after close.
import { mkdtempSync, rmSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { handlerRef } from '../../../lib/dataframe/exec/handler-ref.js';
import { WorkerPool } from '../../../lib/dataframe/exec/worker-pool.js';
import type { RunTaskRequest } from '../../../workers/protocol.js';

const FIXTURE = new URL('../../fixtures/scheduler-handlers.mjs', import.meta.url);

function request(handler: string, payload: unknown): RunTaskRequest {
  return { kind: 'run', module: handlerRef(FIXTURE, handler).module, handler, payload, attempt: 1, taskId: '0' };
}

describe('WorkerPool', () => {
  it('starts `workers` threads, keeps them while idle and ends them all on close', async () => {
    const pool = new WorkerPool({ workers: 3 });
    try {
      expect(pool.workers).toBe(3);
      expect(pool.capacity).toBeGreaterThan(3);
      expect(pool.liveThreads).toBe(3);
      const outcome = await pool.run(request('echo', { a: 1 }), new AbortController().signal);
      expect(outcome).toEqual({ kind: 'done', response: { kind: 'ok', value: { a: 1 }, rows: 0, transfer: [] } });
      await new Promise((resolve) => setTimeout(resolve, 300));
      expect(pool.liveThreads).toBe(3);
    } finally {
      await pool.close();
    }
    expect(pool.liveThreads).toBe(0);
    await pool.close(); // idempotent
    // A run after close is stopped, as a running one would be (the scheduler reports CANCELLED).
    await expect(pool.run(request('echo', 1), new AbortController().signal)).resolves.toEqual({ kind: 'aborted' });
  });

  it('defaults to os.availableParallelism() threads', async () => {
    const pool = new WorkerPool();
    try {
      expect(pool.workers).toBe(availableParallelism());
    } finally {
      await pool.close();
    }
    expect(pool.liveThreads).toBe(0);
  });

  it('rejects a bad thread count', () => {
    expect(() => new WorkerPool({ workers: 0 })).toThrow(/positive integer/);
  });

  it('classifies a thread exit as died, a thrown error as done, an abort as aborted', async () => {
    const pool = new WorkerPool({ workers: 1 });
    const dir = mkdtempSync(path.join(tmpdir(), 'paylake-pool-'));
    try {
      const died = await pool.run(request('crashAlways', { dir }), new AbortController().signal);
      expect(died.kind).toBe('died');
      const thrown = await pool.run(request('fail', { code: 'IO', message: 'nope' }), new AbortController().signal);
      expect(thrown).toMatchObject({ kind: 'done', response: { kind: 'error', code: 'IO', message: 'nope' } });
      const controller = new AbortController();
      const running = pool.run(request('sleep', { ms: 60_000 }), controller.signal);
      setTimeout(() => controller.abort(), 100);
      expect(await running).toEqual({ kind: 'aborted' });
      await pool.settle();
      expect(pool.liveThreads).toBe(1);
    } finally {
      await pool.close();
      rmSync(dir, { recursive: true, force: true });
    }
    expect(pool.liveThreads).toBe(0);
  });
});
