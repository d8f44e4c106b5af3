// One long-lived piscina pool of engine workers per session, and the classification of what happened to
// a task attempt: the handler answered (done), the thread died under it (died), or we stopped it (aborted).
import { availableParallelism } from 'node:os';
import { inspect } from 'node:util';
import type { ResourceLimits, Worker } from 'node:worker_threads';
import { Piscina } from 'piscina';
import type { WorkerRequest, WorkerResponse } from '../../../workers/protocol.js';
import { workerUrl } from '../../../workers/worker-url.js';
import { PaylakeError } from '../../errors/paylake-error.js';

/** Options of {@link WorkerPool}. */
export interface WorkerPoolOptions {
  /** Worker threads, all started up front and kept alive while idle. Default `os.availableParallelism()`. */
  readonly workers?: number;
  /**
   * Per-thread V8 limits; a thread that exceeds `maxOldGenerationSizeMb` dies and its task is retried like any
   * other worker death. ArrayBuffers (Arrow data, wasm memory) are outside the V8 heap and not capped by this.
   */
  readonly resourceLimits?: ResourceLimits;
}

/** What happened to one task attempt sent with {@link WorkerPool.run}. */
export type TaskOutcome =
  /** The worker answered: the handler's value or its thrown error, as a protocol message. */
  | { readonly kind: 'done'; readonly response: WorkerResponse }
  /** The thread ended before answering (exit, out of memory, uncaught async error, terminated). */
  | { readonly kind: 'died'; readonly cause: Error }
  /** The attempt was stopped by its abort signal or by closing the pool. */
  | { readonly kind: 'aborted' };

/**
 * A session's pool of engine worker threads (workers/engine.worker.ts). Close it when the session ends.
 * @example
 * const pool = new WorkerPool({ workers: 4, resourceLimits: { maxOldGenerationSizeMb: 2048 } });
 * try { await runTasks(pool, tasks, { onResult }); } finally { await pool.close(); }
 */
export class WorkerPool {
  /** Configured number of threads. */
  readonly workers: number;
  /** Attempts the scheduler keeps in flight: one per thread plus a small queue that hides the hand-off latency. */
  readonly capacity: number;
  private readonly piscina: Piscina<WorkerRequest, WorkerResponse>;
  /** Every thread seen, so {@link settle} can wait for removed ones to exit. */
  private readonly seen = new Set<Worker>();
  private closing = false;

  constructor(options: WorkerPoolOptions = {}) {
    const workers = options.workers ?? availableParallelism();
    if (!Number.isInteger(workers) || workers < 1) {
      throw new PaylakeError('USAGE', `workers must be a positive integer, got ${workers}`);
    }
    this.workers = workers;
    this.capacity = workers + Math.max(2, Math.ceil(workers / 4));
    this.piscina = new Piscina<WorkerRequest, WorkerResponse>({
      filename: workerUrl('engine.worker').href,
      minThreads: workers,
      maxThreads: workers,
      idleTimeout: Infinity,
      ...(options.resourceLimits === undefined ? {} : { resourceLimits: options.resourceLimits }),
    });
    this.piscina.on('workerCreate', () => this.noteThreads());
    // Piscina emits 'error' when a thread dies with no task on it (e.g. a timer a handler left behind threw).
    // The thread is already replaced and no task is affected; without a listener the event would crash us.
    this.piscina.on('error', () => {});
    this.noteThreads();
  }

  /** Live threads (0 after {@link close}). */
  get liveThreads(): number {
    return this.piscina.threads.length;
  }

  /**
   * Runs one task attempt. Never rejects for a task's own failure: the outcome says whether the handler
   * answered, the thread died, or the attempt was aborted (running attempts are stopped by terminating their thread).
   */
  async run(request: WorkerRequest, signal: AbortSignal): Promise<TaskOutcome> {
    // A pool closed under a running action stops it: the scheduler turns this into CANCELLED.
    if (this.closing) return { kind: 'aborted' };
    try {
      return { kind: 'done', response: await this.piscina.run(request, { signal }) };
    } catch (e) {
      // The engine worker catches everything its handler throws, so a rejection is never the handler's error.
      if (signal.aborted || this.closing) return { kind: 'aborted' };
      return { kind: 'died', cause: e instanceof Error ? e : new Error(`worker failed with ${inspect(e)}`) };
    }
  }

  /** Waits until every thread the pool has removed (dead, aborted, replaced) has really exited. */
  async settle(): Promise<void> {
    this.noteThreads();
    const live = new Set(this.piscina.threads);
    const exits: Promise<void>[] = [];
    for (const worker of this.seen) {
      if (live.has(worker)) continue;
      this.seen.delete(worker);
      // threadId is -1 once the thread has stopped.
      if (worker.threadId !== -1) exits.push(new Promise((resolve) => worker.once('exit', () => resolve())));
    }
    await Promise.all(exits);
  }

  /** Stops running attempts (their actions fail as CANCELLED), ends every thread and waits for them to exit. Idempotent. */
  async close(): Promise<void> {
    if (this.closing) return this.settle();
    this.closing = true;
    // Terminates the threads instead of waiting for running attempts: piscina's close (even forced) waits
    // for them, and for threads replaced after an abort until its 30 s timeout.
    await this.piscina.destroy();
    await this.settle();
  }

  private noteThreads(): void {
    for (const worker of this.piscina.threads) this.seen.add(worker);
  }
}
