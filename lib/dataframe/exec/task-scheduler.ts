// Runs a job's tasks on the session's worker pool: a bounded number in flight, results by task index,
// retries on a fresh worker when a thread dies (Spark's spark.task.maxFailures = 4), a deterministic error
// or a cancellation fails the run at once after stopping everything still running.
import type { RunTaskRequest } from '../../../workers/protocol.js';
import { PaylakeError, isPaylakeError } from '../../errors/paylake-error.js';
import { assertNever } from '../assert-never.js';
import { checkHandlerModule, type HandlerRef } from './handler-ref.js';
import type { ProgressSink } from './progress-reporter.js';
import type { WorkerPool } from './worker-pool.js';

/** Default attempts per task, as Spark's `spark.task.maxFailures`. */
export const DEFAULT_MAX_ATTEMPTS = 4;

/** One unit of work: which handler runs, on what, and how to name it in errors. */
export interface TaskSpec<P = unknown> {
  readonly handler: HandlerRef;
  /** Structured-cloneable input; copied to the worker on every attempt. */
  readonly payload: P;
  /** Names the task in errors, e.g. "stage 1 task 7 (file data/x.parquet row group 3)". */
  readonly description: string;
}

/** A finished task, delivered as soon as it completes (not in task order; see {@link inTaskOrder}). */
export interface TaskResult<R> {
  /** Position of the task in the array given to {@link runTasks}. */
  readonly index: number;
  readonly value: R;
  /** Rows the handler counted. */
  readonly rows: number;
  /** 1 unless the task was retried after a worker death. */
  readonly attempt: number;
}

/** Options of {@link runTasks}. */
export interface RunTasksOptions<R> {
  /**
   * Called once per task as results arrive, never concurrently: the next call waits for the promise this one
   * returns, and a waiting result keeps its slot in flight, so a slow consumer holds back new tasks.
   */
  readonly onResult?: (result: TaskResult<R>) => void | Promise<void>;
  /** Cancels queued and running tasks; the run rejects with PaylakeError CANCELLED. */
  readonly signal?: AbortSignal;
  /** Attempts per task when its worker dies (a thrown error is never retried). Default 4. */
  readonly maxAttempts?: number;
  readonly progress?: ProgressSink;
  /** Names the run on the progress bar, e.g. "stage 2 shuffle map". */
  readonly label?: string;
  /**
   * Runs when the run ends early (cancelled or failed), after every running attempt has stopped and its
   * thread has exited: the caller removes scratch files here. Its own errors do not replace the run's error.
   */
  readonly onCancel?: (reason: PaylakeError) => void | Promise<void>;
  /**
   * Called when a task's worker died on its last attempt, to find the cause in the task's input (a scan
   * re-reads its row group where a decoder crash cannot kill the caller). The error it returns replaces the
   * generic worker-death error, whose "last cause" is often just a wasm trap such as `unreachable`.
   */
  readonly explainDeath?: (index: number) => Promise<PaylakeError | undefined>;
}

/** Totals of a successful run. */
export interface TaskRunSummary {
  readonly tasks: number;
  /** Attempts repeated after worker deaths. */
  readonly retries: number;
  readonly rows: number;
}

interface Attempt {
  readonly index: number;
  readonly attempt: number;
}

/**
 * Runs `tasks` on `pool` and delivers each result with its index. Resolves when all succeeded; rejects with
 * a PaylakeError naming the task when one throws (its code kept), when one's worker died `maxAttempts`
 * times, or with code CANCELLED when `signal` aborts.
 * @example
 * const sums: bigint[] = [];
 * await runTasks<bigint>(pool, tasks, { onResult: (r) => { sums[r.index] = r.value; }, signal });
 */
export async function runTasks<R>(pool: WorkerPool, tasks: readonly TaskSpec[], options: RunTasksOptions<R> = {}): Promise<TaskRunSummary> {
  const maxAttempts = options.maxAttempts ?? DEFAULT_MAX_ATTEMPTS;
  if (!Number.isInteger(maxAttempts) || maxAttempts < 1) {
    throw new PaylakeError('USAGE', `maxAttempts must be a positive integer, got ${maxAttempts}`);
  }
  // Refuse a bad handler before anything starts (the worker checks again before it imports).
  for (const module of new Set(tasks.map((t) => t.handler.module))) checkHandlerModule(module);

  const stop = new AbortController();
  let failure: PaylakeError | undefined;
  let done = 0;
  let retries = 0;
  let rows = 0;
  let delivery: Promise<unknown> = Promise.resolve();
  const fail = (e: PaylakeError): void => {
    if (failure !== undefined) return;
    failure = e;
    stop.abort(e);
  };
  const onAbort = (): void => fail(new PaylakeError('CANCELLED', `cancelled after ${done} of ${tasks.length} tasks`, { cause: options.signal?.reason }));
  if (options.signal?.aborted) onAbort();
  options.signal?.addEventListener('abort', onAbort, { once: true });

  const runAttempt = async ({ index, attempt }: Attempt): Promise<Attempt | undefined> => {
    const task = tasks[index]!;
    const request: RunTaskRequest = {
      kind: 'run',
      module: task.handler.module,
      handler: task.handler.handler,
      payload: task.payload,
      attempt,
      taskId: String(index),
    };
    const outcome = await pool.run(request, stop.signal);
    if (failure !== undefined) return undefined;
    switch (outcome.kind) {
      case 'done': {
        const response = outcome.response;
        switch (response.kind) {
          case 'ok': {
            const result: TaskResult<R> = { index, value: response.value as R, rows: response.rows, attempt };
            // One delivery at a time, in completion order; the attempt keeps its slot until its result is taken.
            const delivered = delivery.then(() => (failure === undefined ? options.onResult?.(result) : undefined));
            delivery = delivered.catch(() => undefined);
            try {
              await delivered;
            } catch (e) {
              fail(isPaylakeError(e) ? e : new PaylakeError('INTERNAL', `handling the result of ${task.description} failed: ${String(e)}`, { cause: e }));
              return undefined;
            }
            done++;
            rows += response.rows;
            options.progress?.taskDone(response.rows);
            return undefined;
          }
          case 'error': {
            // The worker's stack, so --verbose shows where in the handler it was thrown.
            const cause = new Error(response.message);
            if (response.stack !== undefined) cause.stack = response.stack;
            fail(new PaylakeError(response.code, `${task.description} failed: ${response.message}`, { cause }));
            return undefined;
          }
          default:
            return assertNever(response, 'worker response');
        }
      }
      case 'died':
        if (attempt >= maxAttempts) {
          const explained = await options.explainDeath?.(index).catch(() => undefined);
          fail(
            explained === undefined
              ? new PaylakeError('INTERNAL', `${task.description} failed ${attempt} times because its worker thread died; last cause: ${outcome.cause.message}`, {
                  cause: outcome.cause,
                })
              : new PaylakeError(explained.code, `${task.description} failed after ${attempt} worker deaths: ${explained.message}`, { cause: explained }),
          );
          return undefined;
        }
        retries++;
        return { index, attempt: attempt + 1 };
      case 'aborted':
        // Not stopped by us (failure is unset): the pool was closed under the run.
        fail(new PaylakeError('CANCELLED', `${task.description} was stopped because the worker pool was closed`));
        return undefined;
      default:
        return assertNever(outcome, 'task outcome');
    }
  };

  options.progress?.start(tasks.length, options.label);
  try {
    const retryQueue: Attempt[] = [];
    const running = new Set<Promise<unknown>>();
    let next = 0;
    for (;;) {
      while (failure === undefined && running.size < pool.capacity && (retryQueue.length > 0 || next < tasks.length)) {
        // A retry goes first; its old thread is gone, so whichever thread takes it is a different one.
        const attempt = retryQueue.shift() ?? { index: next++, attempt: 1 };
        const p: Promise<unknown> = runAttempt(attempt).then(
          (again) => {
            running.delete(p);
            if (again !== undefined) retryQueue.push(again);
          },
          (e: unknown) => {
            running.delete(p);
            fail(isPaylakeError(e) ? e : new PaylakeError('INTERNAL', `scheduling ${tasks[attempt.index]!.description} failed: ${String(e)}`, { cause: e }));
          },
        );
        running.add(p);
      }
      if (running.size === 0) break;
      await Promise.race(running);
    }
  } finally {
    options.signal?.removeEventListener('abort', onAbort);
    options.progress?.stop();
  }

  if (failure !== undefined) {
    // Aborted attempts resolve as soon as their thread is told to stop; wait for the threads to be gone
    // before the caller deletes scratch files they might still be writing.
    await pool.settle();
    try {
      await options.onCancel?.(failure);
    } catch {
      // The run's own error is the one to report; a failed cleanup must not hide it.
    }
    throw failure;
  }
  return { tasks: tasks.length, retries, rows };
}

/**
 * Runs `tasks` and returns their values in task order, whatever order they completed in.
 * @example const partials = await collectTaskResults<PartialAgg>(pool, tasks, { signal });
 */
export async function collectTaskResults<R>(
  pool: WorkerPool,
  tasks: readonly TaskSpec[],
  options: Omit<RunTasksOptions<R>, 'onResult'> = {},
): Promise<R[]> {
  const values = new Array<R>(tasks.length);
  await runTasks<R>(pool, tasks, { ...options, onResult: (r) => void (values[r.index] = r.value) });
  return values;
}

/**
 * Wraps an `onResult` callback so it sees results in task order (0, 1, 2, ...): early ones wait in memory
 * until their predecessors arrive. For consumers that stream output whose bytes must not depend on timing.
 * @example await runTasks(pool, tasks, { onResult: inTaskOrder((r) => writer.append(r.value)) });
 */
export function inTaskOrder<R>(onResult: (result: TaskResult<R>) => void | Promise<void>): (result: TaskResult<R>) => Promise<void> {
  const waiting = new Map<number, TaskResult<R>>();
  let next = 0;
  let chain = Promise.resolve();
  return (result) => {
    waiting.set(result.index, result);
    chain = chain.then(async () => {
      for (let r = waiting.get(next); r !== undefined; r = waiting.get(next)) {
        waiting.delete(next);
        next++;
        await onResult(r);
      }
    });
    return chain;
  };
}
