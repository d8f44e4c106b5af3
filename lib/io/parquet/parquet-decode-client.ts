// Runs parquet-wasm decode requests in a worker thread that is thrown away when it crashes, hangs or bloats.
// Measured on the parquet-testing corpus: a wasm panic (`RuntimeError: unreachable`) is thrown from a
// wasm-bindgen microtask, never rejects the read's promise (the caller would wait forever) and leaves the
// module instance unusable; wasm memory never shrinks. A disposable thread handles all three.
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { PaylakeError } from '../../errors/paylake-error.js';
import type { DecodeRequest, DecodeResponse } from './parquet-decode-protocol.js';

/** Default limit for one decode request; a row group of a million rows decodes in well under a second. */
export const DEFAULT_DECODE_TIMEOUT_MS = 120_000;
/** Wasm memory above which an idle worker is replaced, so one huge row group does not pin memory forever. */
const RECYCLE_WASM_BYTES = 1024 * 1024 * 1024;

/** What went wrong with a request, for the reader to turn into a message naming the file and row group. */
export type DecodeFailure =
  | { readonly kind: 'error'; readonly message: string; readonly int96OutOfRange: boolean }
  | { readonly kind: 'crash'; readonly message: string }
  | { readonly kind: 'timeout'; readonly ms: number };

/** Thrown by {@link ParquetDecodeClient.request}; parquet-reader.ts wraps it in a PaylakeError. */
export class DecodeFailedError extends Error {
  constructor(readonly failure: DecodeFailure) {
    super(failure.kind === 'timeout' ? `timed out after ${failure.ms} ms` : failure.message);
  }
}

/** A decode request without its id (the decoder numbers them). */
export type DecodeRequestBody = DecodeRequest extends infer R ? (R extends DecodeRequest ? Omit<R, 'id'> : never) : never;

/** Runs decode requests: in a disposable worker thread, or in this thread (see parquet-in-thread-decoder.ts). */
export interface ParquetDecoder {
  /** Resolves with Arrow IPC streams (the schema, or one per batch) or rejects with a {@link DecodeFailedError}. */
  request(body: DecodeRequestBody, timeoutMs?: number): Promise<readonly Uint8Array[]>;
}

interface Job {
  readonly req: DecodeRequest;
  readonly timeoutMs: number;
  readonly resolve: (ipcs: readonly Uint8Array[]) => void;
  readonly reject: (e: Error) => void;
}

function workerUrl(): URL {
  const beside = new URL('./parquet-decode-worker.js', import.meta.url);
  if (existsSync(fileURLToPath(beside))) return beside;
  // Running from TypeScript sources (vitest): use the compiled worker of `npm run build`.
  const built = new URL('../../../dist/lib/io/parquet/parquet-decode-worker.js', import.meta.url);
  if (existsSync(fileURLToPath(built))) return built;
  throw new PaylakeError('INTERNAL', `the Parquet decode worker is not built (${fileURLToPath(built)}); run npm run build`);
}

/** One decode worker, used by one request at a time; replaced after a crash, a timeout or memory growth. */
export class ParquetDecodeClient implements ParquetDecoder {
  private worker: Worker | null = null;
  private active: { job: Job; timer: NodeJS.Timeout } | null = null;
  private readonly queue: Job[] = [];
  private nextId = 1;

  /** Sends one request; resolves with the Arrow IPC bytes or rejects with a {@link DecodeFailedError}. */
  request(body: DecodeRequestBody, timeoutMs: number = DEFAULT_DECODE_TIMEOUT_MS): Promise<readonly Uint8Array[]> {
    return new Promise((resolve, reject) => {
      this.queue.push({ req: { ...body, id: this.nextId++ } as DecodeRequest, timeoutMs, resolve, reject });
      this.pump();
    });
  }

  /** Stops the worker; later requests start a new one. */
  async close(): Promise<void> {
    const w = this.worker;
    this.worker = null;
    if (w !== null) await w.terminate();
  }

  private spawn(): Worker {
    const w = new Worker(workerUrl());
    w.on('message', (res: DecodeResponse) => this.onMessage(w, res));
    w.on('error', (e: Error) => this.onDeath(w, `${e.name}: ${e.message}`));
    w.on('exit', (code) => this.onDeath(w, `the decode worker exited with code ${code}`));
    return w;
  }

  private pump(): void {
    if (this.active !== null) return;
    const job = this.queue.shift();
    if (job === undefined) {
      this.worker?.unref();
      return;
    }
    this.worker ??= this.spawn();
    this.worker.ref();
    const w = this.worker;
    const timer = setTimeout(() => this.fail(w, { kind: 'timeout', ms: job.timeoutMs }), job.timeoutMs);
    this.active = { job, timer };
    w.postMessage(job.req);
  }

  private onMessage(w: Worker, res: DecodeResponse): void {
    const a = this.active;
    if (w !== this.worker || a === null || a.job.req.id !== res.id) return;
    clearTimeout(a.timer);
    this.active = null;
    if (res.ok) a.job.resolve(res.ipcs);
    else a.job.reject(new DecodeFailedError({ kind: 'error', message: res.message, int96OutOfRange: res.int96OutOfRange }));
    if (res.wasmMemoryBytes > RECYCLE_WASM_BYTES && this.queue.length === 0) void this.close();
    this.pump();
  }

  private onDeath(w: Worker, message: string): void {
    if (w !== this.worker) return;
    this.fail(w, { kind: 'crash', message });
  }

  /** Fails the active job and discards the worker, whose wasm instance may now be poisoned. */
  private fail(w: Worker, failure: DecodeFailure): void {
    if (w !== this.worker) return;
    this.worker = null;
    void w.terminate();
    const a = this.active;
    this.active = null;
    if (a !== null) {
      clearTimeout(a.timer);
      a.job.reject(new DecodeFailedError(failure));
    }
    this.pump();
  }
}

let shared: ParquetDecodeClient | null = null;

/** The decode client shared by every reader in this thread (one decode worker per thread). */
export function sharedDecodeClient(): ParquetDecodeClient {
  shared ??= new ParquetDecodeClient();
  return shared;
}
