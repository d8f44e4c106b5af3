// One task of a stage, run inside an engine worker: the stage's operators over one unit of input — a
// Parquet row group or a CSV / JSON-lines file, or one partition of the exchanges below the stage — with
// broadcast inputs read once per worker. The output goes back to the coordinator as Arrow IPC (moved, not
// copied), into one map-output file with a byte range per exchange partition, or, before a range exchange,
// as a sample of the sort keys.
import { mkdirSync, rmSync } from 'node:fs';
import { RecordBatch, Table, tableToIPC } from 'apache-arrow';
import type { TaskContext } from '../../../workers/protocol.js';
import { PaylakeError } from '../../errors/paylake-error.js';
import { assertNever } from '../assert-never.js';
import { conformBatches } from './conform-batches.js';
import { BinaryNode } from '../expr/nodes/binary-node.js';
import type { SortKey } from '../expr/sort-key.js';
import type { PhysicalPlan } from '../physical/physical-plan.js';
import type { Partitioning } from '../physical/nodes/exchange-exec.js';
import type { FileScanExec, FileScanTask } from '../physical/nodes/file-scan-exec.js';
import type { StageInputExec } from '../physical/nodes/stage-input-exec.js';
import { compilePredicate, takeRows } from '../physical/expr-eval/selection.js';
import { splitByPartition } from './exchange/take-partition-rows.js';
import { schemaToArrow } from '../types/arrow-type.js';
import type { Schema } from '../types/schema.js';
import { hashPartitioner } from './exchange/hash-partitioner.js';
import { injectFault } from './fault-injection.js';
import type { FaultInjection } from './fault-injection.js';
import type { RowPartitioner } from './exchange/hash-partitioner.js';
import { rangePartitioner, sampleKeys } from './exchange/range-partitioner.js';
import { runOperators, unexpectedLeaf } from './run-operators.js';
import type { BatchSink } from './run-operators.js';
import { readScanTask } from './scan-task-reader.js';
import type { ScanTaskSpec } from './scan-task-reader.js';
import { splitInputs, subPartitionCount, subPartitionRows } from './spill/partition-spill.js';
import type { SplitInputs } from './spill/partition-spill.js';
import { recordBatchBytes } from './spill/batch-bytes.js';
import { readSpillFile, readSpillRange, SpillFileWriter } from './spill/spill-file.js';
import { readTextScanTask } from './text-scan-reader.js';
import type { RejectsCount } from './text-scan-reader.js';

/** The unit a task reads: one scan task, or one partition of every exchange below the stage. */
export type StageUnit = { readonly kind: 'scan'; readonly task: FileScanTask } | { readonly kind: 'partition'; readonly index: number };

/** Part of one map output holding one partition's rows (an IPC stream). */
export interface ShuffleSegment {
  readonly file: string;
  readonly start: number;
  readonly end: number;
}

/** Where a task's output goes. */
export type StageOutput =
  | { readonly kind: 'collect' }
  | {
      readonly kind: 'shuffle';
      readonly partitioning: Partitioning;
      /** Schema the partitioning keys are analysed against (the stage's output or a prefix of it). */
      readonly keySchema: Schema;
      /** Range boundaries (chooseBoundaries' IPC) for a range partitioning; null for hash. */
      readonly boundaries: Uint8Array | null;
      /** Path of the map output file, without the attempt suffix. */
      readonly file: string;
    }
  | { readonly kind: 'sample'; readonly keys: readonly SortKey[]; readonly count: number };

/** One task: the stage's operators and the unit to run them on. */
export interface StageTaskPayload {
  /** The stage, with exchange and broadcast leaves replaced by stage inputs and scans without task lists. */
  readonly plan: PhysicalPlan;
  readonly unit: StageUnit;
  /** Exchange id → this partition's segments of every map output, in map-task order. */
  readonly shuffleInputs: Readonly<Record<number, readonly ShuffleSegment[]>>;
  /** Broadcast id → file holding the broadcast rows. */
  readonly broadcasts: Readonly<Record<number, string>>;
  /** Scratch file for the malformed records of a CSV/JSON-lines task whose source routes them; else null. */
  readonly rejectsFile: string | null;
  readonly output: StageOutput;
  /** A fault to inject into this task (tests of failure handling); null normally. */
  readonly fault: FaultInjection | null;
  /** Memory the task may use before it spills, and the directory (without the attempt suffix) it spills to. */
  readonly memory: { readonly taskBytes: number; readonly spillDir: string };
}

/** What a task returns. */
export interface StageTaskResult {
  /** `collect`: the rows; `sample`: the sampled keys (null when the task had no rows). */
  readonly ipc: Uint8Array | null;
  /** `shuffle`: the map output files (usually one), in order. */
  readonly mapOutput: readonly MapOutputFile[] | null;
  /** Malformed records of a CSV/JSON-lines scan task; null otherwise. */
  readonly rejects: RejectsCount | null;
  /** Bytes the task wrote to spill files because its input did not fit its memory. */
  readonly spilledBytes: number;
}

/** What the reader needs to read one task of a scan. */
export function scanTaskSpec(scan: FileScanExec, task: FileScanTask): ScanTaskSpec {
  return { uri: task.uri, rowGroup: task.rowGroup, readSchema: scan.readSchema, partitionColumns: scan.partitionColumns, partitionValues: task.partitionValues };
}

/** Broadcast inputs already read by this worker thread, by file (a stage's tasks share them). */
const broadcastCache = new Map<string, RecordBatch[]>();

/** Broadcast files kept per thread; a new one evicts the oldest. */
const BROADCAST_CACHE_SIZE = 2;

/** The task handler (see workers/protocol.ts). */
export async function runStageTask(payload: StageTaskPayload, ctx: TaskContext): Promise<StageTaskResult> {
  injectFault(payload.fault, ctx.attempt);
  let rejects: RejectsCount | null = null;
  const shuffleRows = async function* (node: StageInputExec): AsyncGenerator<RecordBatch> {
    for (const s of payload.shuffleInputs[node.id] ?? []) {
      for await (const b of readSpillRange(s.file, s.start, s.end)) {
        ctx.countRows(b.numRows);
        yield b;
      }
    }
  };
  const leafWith =
    (inputRows: (node: StageInputExec) => AsyncIterable<RecordBatch>) =>
    async (node: PhysicalPlan, sink: BatchSink): Promise<void> => {
      switch (node.kind) {
        case 'file-scan': {
          if (payload.unit.kind !== 'scan') throw unexpectedLeaf(node, 'in a partition task');
          rejects = await readScan(node, payload.unit.task, payload.rejectsFile, ctx, sink);
          return;
        }
        case 'stage-input':
          if (node.from === 'broadcast') {
            for (const b of await broadcastRows(payload.broadcasts[node.id]!)) await sink(b);
            return;
          }
          for await (const b of inputRows(node)) await sink(b);
          return;
        default:
          throw unexpectedLeaf(node, 'inside a task');
      }
    };

  // A partition whose exchanged input would not fit the task's memory is split on disk and run in parts.
  const inputBytes = Object.values(payload.shuffleInputs).reduce((sum, segments) => sum + segments.reduce((s, x) => s + x.end - x.start, 0), 0);
  const parts = subPartitionCount(payload.plan, inputBytes, payload.memory.taskBytes);
  const spillDir = `${payload.memory.spillDir}-attempt${ctx.attempt}`;
  let split: SplitInputs | null = null;
  let sortSpilled = 0;
  const spill = {
    budgetBytes: payload.memory.taskBytes,
    context: {
      dir: spillDir,
      onSpill: (bytes: number) => {
        sortSpilled += bytes;
      },
    },
  };
  const run = async (sink: BatchSink): Promise<void> => {
    if (parts === 1) return runOperators(payload.plan, { leaf: leafWith(shuffleRows), spill }, sink);
    mkdirSync(spillDir, { recursive: true });
    split = await splitInputs(payload.plan, parts, spillDir, shuffleRows);
    const done = split;
    for (let k = 0; k < parts; k++) await runOperators(payload.plan, { leaf: leafWith((node) => subPartitionRows(done, node, k)), spill }, sink);
  };
  try {
    const output = payload.output;
    const collect = async (): Promise<RecordBatch[]> => {
      const out: RecordBatch[] = [];
      await run((b) => void out.push(b));
      return out;
    };
    switch (output.kind) {
      case 'collect': {
        const batches = conformOrFail(await collect());
        const ipc = tableToIPC(batches.length > 0 ? new Table(batches) : new Table(schemaToArrow(payload.plan.schema)), 'stream');
        ctx.transfer(ipc.buffer as ArrayBuffer);
        return { ipc, mapOutput: null, rejects, spilledBytes: spilledBytes(split, sortSpilled) };
      }
      case 'sample': {
        const ipc = sampleKeys(await collect(), payload.plan.schema, output.keys, output.count);
        if (ipc !== null) ctx.transfer(ipc.buffer as ArrayBuffer);
        return { ipc, mapOutput: null, rejects, spilledBytes: spilledBytes(split, sortSpilled) };
      }
      case 'shuffle': {
        const mapOutput = await writeMapOutput(run, output, ctx.attempt, payload.memory.taskBytes);
        return { ipc: null, mapOutput, rejects, spilledBytes: spilledBytes(split, sortSpilled) };
      }
      default:
        return assertNever(output, 'stage output');
    }
  } finally {
    rmSync(spillDir, { recursive: true, force: true });
  }
}

function spilledBytes(split: SplitInputs | null, sortSpilled: number): number {
  return (split === null ? 0 : split.spilledBytes) + sortSpilled;
}

/** Streams the scan task's rows, filtered exactly, into `sink`; returns the rejects of a text file. */
async function readScan(scan: FileScanExec, task: FileScanTask, rejectsFile: string | null, ctx: TaskContext, sink: BatchSink): Promise<RejectsCount | null> {
  const filter = scanFilter(scan);
  const emit = async (b: RecordBatch): Promise<void> => {
    const kept = filter(b);
    if (kept !== null) await sink(kept);
  };
  if (scan.format === 'parquet' || scan.text === null) {
    const batches = await readScanTask(scanTaskSpec(scan, task));
    ctx.countRows(task.rows);
    for (const b of batches) await emit(b);
    return null;
  }
  let rows = 0;
  const rejects = await readTextScanTask({ format: scan.format, uri: task.uri, readSchema: scan.readSchema, text: scan.text, rejectsFile }, (b) => {
    rows += b.numRows;
    return emit(b);
  });
  ctx.countRows(rows + rejects.count);
  return rejects;
}

async function broadcastRows(file: string): Promise<RecordBatch[]> {
  let rows = broadcastCache.get(file);
  if (rows === undefined) {
    rows = [];
    for await (const b of readSpillFile(file)) rows.push(b);
    if (broadcastCache.size >= BROADCAST_CACHE_SIZE) broadcastCache.delete(broadcastCache.keys().next().value!);
    broadcastCache.set(file, rows);
  }
  return rows;
}

/** One file of a map task's output: a stream per partition, partition `p` in bytes [offsets[p], offsets[p + 1]). */
export interface MapOutputFile {
  readonly file: string;
  readonly offsets: readonly number[];
}

/**
 * Runs the stage and writes its rows partition after partition, each an IPC stream. Rows are buffered per
 * partition; when the buffers outgrow the task's memory they are written as one more file (a round), so a
 * task of any size needs bounded memory, and a partition's rows are its ranges in round order — arrival
 * order. The attempt number is part of the names, so a retry never appends to a dead attempt's files.
 */
async function writeMapOutput(
  run: (sink: BatchSink) => Promise<void>,
  output: Extract<StageOutput, { kind: 'shuffle' }>,
  attempt: number,
  budgetBytes: number,
): Promise<MapOutputFile[]> {
  const p = output.partitioning;
  const partitionOf: RowPartitioner =
    p.kind === 'hash' ? hashPartitioner(p.keys, output.keySchema, p.partitions) : rangePartitioner(p.keys, output.keySchema, output.boundaries!, p.partitions);
  const buckets: RecordBatch[][] = Array.from({ length: p.partitions }, () => []);
  const files: MapOutputFile[] = [];
  let buffered = 0;
  const flush = (): void => {
    const file = `${output.file}-attempt${attempt}-round${files.length}.arrow`;
    const writer = new SpillFileWriter(file);
    const offsets = [0];
    try {
      for (const bucket of buckets) {
        for (const b of bucket) writer.write(b);
        bucket.length = 0;
        offsets.push(writer.endStream().end);
      }
      writer.close();
    } catch (e) {
      writer.discard();
      throw e;
    }
    files.push({ file, offsets });
    buffered = 0;
  };
  await run((batch) => {
    splitByPartition(batch, partitionOf(batch), p.partitions).forEach((part, q) => {
      if (part === undefined) return;
      buckets[q]!.push(part);
      buffered += recordBatchBytes(part);
    });
    if (buffered > budgetBytes) flush();
  });
  if (files.length === 0 || buffered > 0) flush();
  return files;
}

/**
 * The scan's filters, compiled once per task: a batch's rows that pass them exactly, with only the scan's
 * output columns (null when none pass). Rows are selected on the read columns but only the output columns
 * are copied, so a column read just for a filter (often a string) is never gathered.
 */
function scanFilter(scan: FileScanExec): (batch: RecordBatch) => RecordBatch | null {
  const keep = scan.columns.map((c) => scan.readColumns.indexOf(c));
  const narrow = keep.length !== scan.readColumns.length;
  const narrowed = (b: RecordBatch): RecordBatch => (narrow ? b.selectAt(keep) : b);
  if (scan.filters.length === 0) return narrowed;
  const predicate = compilePredicate(scan.filters.reduce((acc, f) => BinaryNode.create('AND', acc, f)), scan.readSchema);
  return (b) => {
    const selection = predicate.select(b);
    if (selection.length === 0) return null;
    return selection.length === b.numRows ? narrowed(b) : takeRows(narrowed(b), selection);
  };
}

function conformOrFail(batches: RecordBatch[]): RecordBatch[] {
  const conformed = conformBatches(batches);
  if (conformed === null) throw new PaylakeError('INTERNAL', `a task produced batches of different columns: ${batches.map((b) => String(b.schema.fields)).join(' / ')}; please report this`);
  return conformed;
}

