// A sort whose input may not fit its memory budget: batches are buffered until they exceed the budget,
// then sorted (stably, by sortBatches' comparator) and spilled as a sorted run; finish() merges the runs
// and the in-memory remainder with a k-way merge that holds one batch per run. Ties keep input order
// (run order, then position in a run), so the result equals sortBatches over all the input.
//
// Memory: the buffer (≤ budget + one batch), then while merging one batch per run plus one output batch.
// Runs are written in batches of about RUN_BATCH_BYTES, and when there are more runs than the budget
// holds batches of that size, runs are first merged in groups (in run order, which keeps the sort
// stable) until they fit — the same bound Spark's external sorter keeps with its per-spill read buffers.
import { randomUUID } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { RecordBatch, Schema as ArrowSchema, Struct } from 'apache-arrow';
import { PaylakeError } from '../../../errors/paylake-error.js';
import { recordBatchBytes } from '../../exec/spill/batch-bytes.js';
import { readSpillFile, removeSpillFile, writeSpillFile } from '../../exec/spill/spill-file.js';
import type { SortKey } from '../../expr/sort-key.js';
import { toArrowType } from '../../types/arrow-type.js';
import type { Schema } from '../../types/schema.js';
import { nullColumn } from '../expr-eval/column.js';
import type { Column } from '../expr-eval/column.js';
import { compileExpr } from '../expr-eval/compile-expr.js';
import type { CompiledExpr } from '../expr-eval/compile-expr.js';
import { BatchInput } from '../expr-eval/eval-node.js';
import { flattenDictionary } from '../expr-eval/take-column.js';
import { keyComparator } from './row-comparator.js';
import type { RowComparator } from './row-comparator.js';
import { gatherRows, sortBatches, sortOrder } from './sort-batches.js';

/** Where a task may spill, and who is told how much it spilled. */
export interface SpillContext {
  /** A scratch directory the caller owns (created on the first spill); the sorter creates and removes its files in it. */
  readonly dir: string;
  /** Called with bytes each time something is spilled. */
  onSpill(bytes: number): void;
}

/** Rows per output batch of finish(), as sortBatches. */
const OUTPUT_BATCH_ROWS = 65_536;

/** The size a spilled run's batches aim at: what merging holds per run. */
const RUN_BATCH_BYTES = 1024 * 1024;

/** Runs merged at once at least, whatever the budget (fewer would mean many passes over the data). */
const MIN_FAN_IN = 16;

/**
 * Sorts batches by `keys` within a memory budget, spilling sorted runs to `spill.dir`.
 * Call `add` for each batch (awaiting each), then iterate `finish()` once. Every file the sorter made is
 * removed when finish() ends (completed, abandoned by the consumer, or failed), when add() fails, or on
 * discard().
 * @example
 * const sorter = new ExternalSorter(schema, keys, 256 * 1024 * 1024, { dir, onSpill: (b) => metrics.spilled += b });
 * for await (const b of input) await sorter.add(b);
 * for await (const b of sorter.finish()) emit(b);
 */
export class ExternalSorter {
  private buffered: RecordBatch[] = [];
  private bufferedBytes = 0;
  private bufferedViews = new Set<ArrayBufferView>();
  /** Spilled runs in input order. */
  private runs: string[] = [];
  /** Every file made and not yet removed. */
  private readonly files = new Set<string>();
  private readonly compiledKeys: CompiledExpr[];
  private readonly fileStem = `sort-${randomUUID()}`;
  private fileCount = 0;
  /** The Arrow schema of everything spilled and merged (that of the first batch, with engine types). */
  private arrowSchema: ArrowSchema | null = null;
  /** Rows per batch in spilled runs, from the row size seen at the last spill. */
  private runBatchRows = OUTPUT_BATCH_ROWS;
  private state: 'open' | 'spilling' | 'finished' | 'failed' | 'discarded' = 'open';
  private spilled = 0;

  constructor(
    private readonly schema: Schema,
    private readonly keys: readonly SortKey[],
    private readonly budgetBytes: number,
    private readonly spill: SpillContext,
  ) {
    this.compiledKeys = keys.map((k) => compileExpr(k.expr, schema));
  }

  /** Bytes written to spill files so far (runs and merged runs). */
  get spilledBytes(): number {
    return this.spilled;
  }

  /** Buffers a batch; when the buffer exceeds the budget, sorts it and spills it as a run. */
  async add(batch: RecordBatch): Promise<void> {
    if (this.state !== 'open') throw this.misuse('add');
    if (batch.numRows === 0) return;
    this.arrowSchema ??= new ArrowSchema(
      batch.schema.fields.map((f, c) => f.clone({ type: toArrowType(this.schema.fields[c]!.type) })),
      batch.schema.metadata,
    );
    this.buffered.push(batch);
    this.bufferedBytes += recordBatchBytes(batch, this.bufferedViews);
    if (this.bufferedBytes <= this.budgetBytes) return;
    this.state = 'spilling';
    try {
      await this.spillBuffer();
      this.state = 'open';
    } catch (e) {
      this.state = 'failed';
      this.discardAfter(e);
    }
  }

  /**
   * The sorted rows in batches of OUTPUT_BATCH_ROWS: from memory when nothing was spilled, else merged
   * from the runs (read batch by batch) and the in-memory remainder. Iterate it once.
   */
  async *finish(): AsyncGenerator<RecordBatch, void, undefined> {
    if (this.state !== 'open') throw this.misuse('finish');
    this.state = 'finished';
    try {
      const inMemory = sortBatches(this.buffered, this.schema, this.keys, null);
      this.releaseBuffer();
      if (this.runs.length === 0) {
        while (inMemory.length > 0) yield inMemory.shift()!;
        return;
      }
      const fanIn = Math.max(MIN_FAN_IN, Math.floor(this.budgetBytes / RUN_BATCH_BYTES));
      await this.mergeRunsDownTo(inMemory.length > 0 ? fanIn - 1 : fanIn, fanIn);
      const inputs: AsyncIterable<RecordBatch>[] = this.runs.map((path) => readSpillFile(path));
      if (inMemory.length > 0) inputs.push(drain(inMemory));
      yield* this.merge(inputs, OUTPUT_BATCH_ROWS);
    } catch (e) {
      this.state = 'failed';
      this.discardAfter(e);
    } finally {
      // Completed, or abandoned by the consumer (after an error, discardAfter has run).
      if (this.state === 'finished') this.discard();
    }
  }

  /** Drops the buffer and removes every file the sorter made (for a task abandoned before finish()). */
  discard(): void {
    if (this.state === 'open') this.state = 'discarded';
    this.releaseBuffer();
    this.runs = [];
    const errors: unknown[] = [];
    for (const path of this.files) {
      try {
        removeSpillFile(path);
        this.files.delete(path);
      } catch (e) {
        errors.push(e);
      }
    }
    if (errors.length > 0) throw errors[0];
  }

  /** Discards everything and rethrows `error` (not an error met while removing files: it says less). */
  private discardAfter(error: unknown): never {
    try {
      this.discard();
    } catch {
      // `error` is what the caller needs; a file left behind is in the caller's scratch directory.
    }
    throw error;
  }

  private releaseBuffer(): void {
    this.buffered = [];
    this.bufferedBytes = 0;
    this.bufferedViews = new Set();
  }

  private newRunPath(): string {
    // Created on the first spill, so a sort that fits its budget touches no disk.
    if (this.fileCount === 0) mkdirSync(this.spill.dir, { recursive: true });
    const path = join(this.spill.dir, `${this.fileStem}-${this.fileCount++}.arrow`);
    this.files.add(path);
    return path;
  }

  private recordSpill(bytes: number): void {
    this.spilled += bytes;
    this.spill.onSpill(bytes);
  }

  /** Sorts the buffer and writes it as the next run, gathering one run batch at a time. */
  private async spillBuffer(): Promise<void> {
    const batches = this.buffered;
    const rowCount = batches.reduce((n, b) => n + b.numRows, 0);
    this.runBatchRows = Math.max(1, Math.min(OUTPUT_BATCH_ROWS, Math.floor((RUN_BATCH_BYTES * rowCount) / Math.max(1, this.bufferedBytes))));
    const order = sortOrder(batches, this.schema, this.keys);
    // Converted (and dictionaries flattened) once, not once per run batch gathered from them.
    const inputs = batches.map((b) => new BatchInput(b, this.schema));
    const sources = this.schema.fields.map((_, c) => inputs.map((input) => flattenDictionary(input.column(c, null))));
    const schema = this.schema;
    const arrowSchema = this.arrowSchema!;
    const step = this.runBatchRows;
    function* chunks(): Generator<RecordBatch> {
      for (let start = 0; start < rowCount; start += step) {
        const end = Math.min(rowCount, start + step);
        for (const b of gatherRows(batches, schema, order.batch.subarray(start, end), order.row.subarray(start, end), sources)) {
          yield withSchema(b, arrowSchema);
        }
      }
    }
    const path = this.newRunPath();
    const bytes = await writeSpillFile(path, chunks());
    this.runs.push(path);
    this.releaseBuffer();
    this.recordSpill(bytes);
  }

  /** Merges consecutive groups of `fanIn` runs into one until at most `maxRuns` remain. */
  private async mergeRunsDownTo(maxRuns: number, fanIn: number): Promise<void> {
    while (this.runs.length > maxRuns) {
      const next: string[] = [];
      for (let i = 0; i < this.runs.length; i += fanIn) {
        const group = this.runs.slice(i, i + fanIn);
        if (group.length === 1) {
          next.push(group[0]!);
          continue;
        }
        const path = this.newRunPath();
        const bytes = await writeSpillFile(path, this.merge(group.map((p) => readSpillFile(p)), this.runBatchRows));
        this.recordSpill(bytes);
        for (const p of group) {
          removeSpillFile(p);
          this.files.delete(p);
        }
        next.push(path);
      }
      this.runs = next;
    }
  }

  /**
   * The rows of sorted inputs in one sorted sequence, in batches of `batchRows`. A binary heap of input
   * indexes picks the next row; equal rows come from the earlier input first.
   */
  private async *merge(inputs: readonly AsyncIterable<RecordBatch>[], batchRows: number): AsyncGenerator<RecordBatch, void, undefined> {
    const k = inputs.length;
    const iterators = inputs.map((input) => input[Symbol.asyncIterator]());
    try {
      const current: (BatchInput | null)[] = new Array<BatchInput | null>(k).fill(null);
      const position = new Int32Array(k);
      // Key columns of each input's current batch; an empty column of the key's type until one is loaded.
      const keyColumns: Column[][] = this.compiledKeys.map((c) => new Array<Column>(k).fill(nullColumn(c.type, 0)));
      let comparators: RowComparator[] = [];
      const rebuild = (): void => {
        comparators = this.keys.map((key, i) => keyComparator(keyColumns[i]!, key.ascending, key.nullsFirst));
      };
      // Output rows gathered so far: source batch (an index into `sources`) and row.
      let sources: BatchInput[] = [];
      const sourceOf = new Int32Array(k);
      const which = new Int32Array(batchRows);
      const rows = new Int32Array(batchRows);
      let n = 0;

      const load = async (r: number): Promise<boolean> => {
        for (;;) {
          const next = await iterators[r]!.next();
          if (next.done === true) {
            current[r] = null;
            return false;
          }
          if (next.value.numRows === 0) continue;
          const input = new BatchInput(next.value, this.schema);
          current[r] = input;
          position[r] = 0;
          this.compiledKeys.forEach((c, i) => (keyColumns[i]![r] = c.evaluateColumn(input, null)));
          sourceOf[r] = sources.push(input) - 1;
          return true;
        }
      };
      const flush = (): RecordBatch => {
        const batches = sources.map((s) => s.batch);
        const columns = this.schema.fields.map((_, c) => sources.map((s) => s.column(c, null)));
        const [out] = gatherRows(batches, this.schema, which.slice(0, n), rows.slice(0, n), columns);
        n = 0;
        sources = [];
        current.forEach((input, r) => {
          if (input !== null) sourceOf[r] = sources.push(input) - 1;
        });
        return withSchema(out!, this.arrowSchema!);
      };
      const before = (x: number, y: number): boolean => {
        const px = position[x]!;
        const py = position[y]!;
        for (const c of comparators) {
          const d = c(x, px, y, py);
          if (d !== 0) return d < 0;
        }
        return x < y;
      };

      const heap: number[] = [];
      for (let r = 0; r < k; r++) if (await load(r)) heap.push(r);
      rebuild();
      const siftDown = (start: number): void => {
        let i = start;
        for (;;) {
          const l = 2 * i + 1;
          const rr = l + 1;
          let m = i;
          if (l < heap.length && before(heap[l]!, heap[m]!)) m = l;
          if (rr < heap.length && before(heap[rr]!, heap[m]!)) m = rr;
          if (m === i) return;
          [heap[i], heap[m]] = [heap[m]!, heap[i]!];
          i = m;
        }
      };
      for (let i = (heap.length >> 1) - 1; i >= 0; i--) siftDown(i);

      while (heap.length > 0) {
        const r = heap[0]!;
        which[n] = sourceOf[r]!;
        rows[n] = position[r]!;
        n++;
        if (n === batchRows) yield flush();
        position[r]!++;
        if (position[r]! >= current[r]!.numRows) {
          if (await load(r)) {
            rebuild();
          } else {
            heap[0] = heap[heap.length - 1]!;
            heap.pop();
          }
        }
        siftDown(0);
      }
      if (n > 0) yield flush();
    } finally {
      await Promise.all(iterators.map((it) => it.return?.()));
    }
  }

  private misuse(call: string): PaylakeError {
    return new PaylakeError('INTERNAL', `ExternalSorter.${call}() called while the sorter is ${this.state}; please report this`);
  }
}

/** The batch with `schema` (same columns and types; field names, nullability and metadata from it). */
function withSchema(batch: RecordBatch, schema: ArrowSchema): RecordBatch {
  if (batch.schema === schema) return batch;
  return new RecordBatch(schema, batch.data.clone(new Struct(schema.fields)));
}

/** An array's batches as an async iterable, letting go of each as it is taken. */
async function* drain(batches: RecordBatch[]): AsyncGenerator<RecordBatch, void, undefined> {
  while (batches.length > 0) yield batches.shift()!;
}
