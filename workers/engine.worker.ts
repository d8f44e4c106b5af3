// Piscina worker entry of the local runtime: runs one task attempt by calling a registered handler
// (module URL + export name) and turns whatever it throws into an error value, so only a real worker
// death (exit, out of memory, uncaught async error, termination) rejects the scheduler's promise.
import { Piscina } from 'piscina';
import { assertNever } from '../lib/dataframe/assert-never.js';
import { checkHandlerModule } from '../lib/dataframe/exec/handler-ref.js';
import { PaylakeError, isPaylakeError } from '../lib/errors/paylake-error.js';
import type { TaskContext, TaskHandler, WorkerRequest, WorkerResponse } from './protocol.js';

/** Imported handler modules of this thread, by requested URL (each is imported once). */
const modules = new Map<string, Promise<Record<string, unknown>>>();

async function loadHandler(moduleUrl: string, name: string): Promise<TaskHandler> {
  let mod = modules.get(moduleUrl);
  if (mod === undefined) {
    const checked = checkHandlerModule(moduleUrl);
    mod = import(checked.href) as Promise<Record<string, unknown>>;
    modules.set(moduleUrl, mod);
  }
  const handler = (await mod)[name];
  if (typeof handler !== 'function') {
    throw new PaylakeError('INTERNAL', `task handler module ${moduleUrl} has no exported function ${JSON.stringify(name)}`);
  }
  return handler as TaskHandler;
}

function errorResponse(e: unknown): WorkerResponse {
  if (isPaylakeError(e)) return { kind: 'error', code: e.code, message: e.message, stack: e.stack };
  if (e instanceof Error) {
    const message = e.name === 'Error' ? e.message : `${e.name}: ${e.message}`;
    return { kind: 'error', code: 'INTERNAL', message, stack: e.stack };
  }
  return { kind: 'error', code: 'INTERNAL', message: `a task handler threw ${String(e)}`, stack: undefined };
}

async function runTask(request: WorkerRequest): Promise<{ response: WorkerResponse; transfer: ArrayBuffer[] }> {
  const transfer = new Set<ArrayBuffer>();
  let rows = 0;
  const context: TaskContext = {
    attempt: request.attempt,
    taskId: request.taskId,
    transfer: (...buffers) => buffers.forEach((b) => transfer.add(b)),
    countRows: (n) => {
      rows += n;
    },
  };
  try {
    const handler = await loadHandler(request.module, request.handler);
    const value = await handler(request.payload, context);
    // Piscina posts the result itself; a value that cannot be cloned would throw there, kill the thread and
    // arrive as an empty object, i.e. look like a worker death and be retried. Cloning here (moving the
    // listed buffers, so only small parts are copied) turns it into a deterministic error instead.
    const moved = [...transfer];
    const clone = structuredClone({ value, moved }, { transfer: moved });
    return { response: { kind: 'ok', value: clone.value, rows, transfer: clone.moved }, transfer: clone.moved };
  } catch (e) {
    return { response: errorResponse(e), transfer: [] };
  }
}

/** Piscina calls this once per task attempt; the returned message moves the listed ArrayBuffers. */
export default async function engineWorker(request: WorkerRequest): Promise<WorkerResponse> {
  switch (request.kind) {
    case 'run': {
      const { response, transfer } = await runTask(request);
      if (transfer.length === 0) return response;
      // Piscina.move marks a { [transferableSymbol], [valueSymbol] } pair so the buffers go in the transfer list.
      const movable = { [Piscina.transferableSymbol]: transfer, [Piscina.valueSymbol]: response };
      return Piscina.move(movable as unknown as Parameters<typeof Piscina.move>[0]) as unknown as WorkerResponse;
    }
    default:
      return assertNever(request.kind, 'worker request kind');
  }
}
