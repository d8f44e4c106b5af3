// The typed messages between the task scheduler (lib/dataframe/exec/) and the engine worker: one request
// kind, two response kinds, and the context a handler receives. Large results travel by transfer.
import type { ErrorCode } from '../lib/errors/paylake-error.js';

/** Run one attempt of a task: import `module` once per worker, call its export `handler(payload, context)`. */
export interface RunTaskRequest {
  readonly kind: 'run';
  /** `file:` URL of a compiled module under the package's dist/ or test/fixtures/ (checked by the worker). */
  readonly module: string;
  /** Name of the exported handler function. */
  readonly handler: string;
  /** Structured-cloneable input; copied, never transferred, so a retry can send it again. */
  readonly payload: unknown;
  /** 1 for the first attempt; a retry after a worker death sends the next number. */
  readonly attempt: number;
  /** Stable id of the task within its run (the task index), e.g. for naming scratch files. */
  readonly taskId: string;
}

/** Every message the scheduler sends to the engine worker. */
export type WorkerRequest = RunTaskRequest;

/** The handler returned: `value` (its ArrayBuffers in `transfer` were moved, not copied). */
export interface TaskOkResponse {
  readonly kind: 'ok';
  readonly value: unknown;
  /** Rows the task processed, as counted by the handler with {@link TaskContext.countRows}; for progress. */
  readonly rows: number;
  /** The buffers that were moved with this message (the same objects that `value` refers to). */
  readonly transfer?: readonly ArrayBuffer[];
}

/** The handler threw: a deterministic failure, reported as a value (the worker stays alive, no retry). */
export interface TaskErrorResponse {
  readonly kind: 'error';
  /** The PaylakeError's code; INTERNAL for any other thrown value (a bug in the handler). */
  readonly code: ErrorCode;
  readonly message: string;
  readonly stack: string | undefined;
}

/** Every message the engine worker sends back for a {@link RunTaskRequest}. */
export type WorkerResponse = TaskOkResponse | TaskErrorResponse;

/** What a handler gets besides its payload. */
export interface TaskContext {
  readonly attempt: number;
  readonly taskId: string;
  /** Moves these buffers to the coordinator instead of copying them; they are detached here afterwards. */
  transfer(...buffers: ArrayBuffer[]): void;
  /** Adds to the task's processed-row count shown by the progress bar. */
  countRows(rows: number): void;
}

/**
 * The shape of a handler export. Runs in a worker thread; return structured-cloneable data, throw a
 * PaylakeError for a deterministic failure (it fails the job without a retry).
 * @example
 * export const sumColumn: TaskHandler<{ uri: string }, bigint> = async (p, ctx) => { ctx.countRows(n); return total; };
 */
export type TaskHandler<P = unknown, R = unknown> = (payload: P, context: TaskContext) => R | Promise<R>;
