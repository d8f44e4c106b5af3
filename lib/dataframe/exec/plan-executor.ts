// Runs a physical plan. The coordinator's part (above the top gather) runs here with the shared operators
// (run-operators.ts); each gather runs its stage on the worker pool. A stage first materialises what it
// reads from earlier stages — each exchange below it as map tasks writing partitioned files, each broadcast
// as one file — then runs one task per scan task (or per exchange partition). Results are consumed in task
// order, never completion order, so output does not depend on timing or the number of workers. All scratch
// files of a run live in one directory, removed when the run ends, fails or is cancelled.
import { randomUUID } from 'node:crypto';
import { mkdir, rm } from 'node:fs/promises';
import * as path from 'node:path';
import { tableFromIPC } from 'apache-arrow';
import { PaylakeError } from '../../errors/paylake-error.js';
import type { PhysicalPlan } from '../physical/physical-plan.js';
import { physicalInputs, withPhysicalInputs } from '../physical/physical-plan.js';
import type { BroadcastExec } from '../physical/nodes/broadcast-exec.js';
import type { ExchangeExec } from '../physical/nodes/exchange-exec.js';
import type { FileScanExec } from '../physical/nodes/file-scan-exec.js';
import { chooseBoundaries, SAMPLES_PER_PARTITION } from './exchange/range-partitioner.js';
import type { FaultInjection } from './fault-injection.js';
import { handlerRef } from './handler-ref.js';
import { collectRejects } from './rejects-collector.js';
import type { RejectsSummary } from './rejects-collector.js';
import type { ProgressSink } from './progress-reporter.js';
import { runOperators, unexpectedLeaf } from './run-operators.js';
import type { BatchSink, OperatorContext } from './run-operators.js';
import { scanTaskDecodeError } from './scan-task-reader.js';
import { SpillFileWriter } from './spill/spill-file.js';
import { scanTaskSpec } from './stage-task.js';
import type { MapOutputFile, ShuffleSegment, StageOutput, StageTaskPayload, StageTaskResult } from './stage-task.js';
import type { RejectsCount } from './text-scan-reader.js';
import { inTaskOrder, runTasks } from './task-scheduler.js';
import type { TaskSpec } from './task-scheduler.js';
import type { WorkerPool } from './worker-pool.js';

/** What running a plan needs from the session. */
export interface ExecutionContext {
  readonly pool: WorkerPool;
  /** Directory for the run's temporary files (shuffle, broadcast, rejects parts); each run uses its own subdirectory. */
  readonly scratchDir: string;
  /** Told how many malformed records a text scan routed to its rejects file. */
  readonly onRejects?: (summary: RejectsSummary) => void;
  readonly signal?: AbortSignal;
  readonly progress?: ProgressSink;
  /** Filled in while the run goes: stages, tasks, bytes moved through exchanges. */
  readonly metrics?: RunMetrics;
  /** Memory one task may use before it spills. */
  readonly taskMemoryBytes: number;
  /** Faults to inject (tests of failure handling). */
  readonly faults?: readonly FaultInjection[];
}

/** What a run did, for logs and benchmarks. */
export interface RunMetrics {
  stages: number;
  tasks: number;
  /** Bytes written by map tasks for exchanges and broadcasts (Arrow IPC). */
  shuffleBytes: number;
  /** Bytes tasks wrote to spill files because their input did not fit their memory. */
  spilledBytes: number;
}

/** A run's fresh counters. */
export function newRunMetrics(): RunMetrics {
  return { stages: 0, tasks: 0, shuffleBytes: 0, spilledBytes: 0 };
}

const STAGE_TASK = handlerRef(new URL('./stage-task.js', import.meta.url), 'runStageTask');

/**
 * Runs the plan and hands its result batches to `sink` as they come, in the same deterministic order, so
 * a writer holds one batch at a time instead of the whole result.
 * @example await streamPlan(physical, ctx, (b) => writer.write(b))
 */
export async function streamPlan(plan: PhysicalPlan, ctx: ExecutionContext, sink: BatchSink): Promise<void> {
  const run = new PlanRun(ctx, path.join(ctx.scratchDir, `run-${process.pid}-${randomUUID()}`));
  try {
    await runOperators(plan, run.coordinator(), sink);
  } finally {
    await rm(run.dir, { recursive: true, force: true });
  }
}

/** A map task's output files, in order. */
type MapOutput = readonly MapOutputFile[];

/** One execution of a plan: its scratch directory and what its exchanges and broadcasts produced. */
class PlanRun {
  private readonly exchanges = new Map<number, Promise<readonly MapOutput[]>>();
  private readonly broadcasts = new Map<number, Promise<string>>();
  /** Stages started so far; numbers them in messages, progress and fault injection. */
  private stageCount = 0;

  constructor(
    private readonly ctx: ExecutionContext,
    readonly dir: string,
  ) {}

  /** The coordinator's leaves: gathers run their stage; a broadcast here is just its input. */
  coordinator(): OperatorContext {
    const ctx: OperatorContext = {
      leaf: async (node, sink) => {
        switch (node.kind) {
          case 'gather':
            return this.runStage(node.input, { kind: 'collect' }, async (r) => {
              for (const b of tableFromIPC(r.ipc!).batches) if (b.numRows > 0) await sink(b);
            });
          case 'broadcast':
            return runOperators(node.input, ctx, sink);
          default:
            throw unexpectedLeaf(node, 'on the coordinator');
        }
      },
    };
    return ctx;
  }

  /**
   * Runs `stage` as tasks (after materialising its exchange and broadcast inputs) and hands each task's
   * result to `consume` in task order.
   */
  private async runStage(stage: PhysicalPlan, output: StageOutput, consume: (result: StageTaskResult, index: number) => void | Promise<void>): Promise<void> {
    const leaves = stageLeaves(stage);
    const scans = leaves.filter((l): l is FileScanExec => l.kind === 'file-scan');
    const exchanges = leaves.filter((l): l is ExchangeExec => l.kind === 'exchange');
    const broadcasts = leaves.filter((l): l is BroadcastExec => l.kind === 'broadcast');
    if (scans.length + exchanges.length === 0 || (scans.length > 0 && exchanges.length > 0) || scans.length > 1) {
      throw new PaylakeError('INTERNAL', `a stage must read one scan or exchanges only (it reads ${scans.length} scans and ${exchanges.length} exchanges); please report this`);
    }
    const partitions = new Set(exchanges.map((e) => e.partitioning.partitions));
    if (partitions.size > 1) throw new PaylakeError('INTERNAL', 'the exchanges of one stage disagree on their number of partitions; please report this');
    const mapOutputs = new Map<number, readonly MapOutput[]>();
    for (const e of exchanges) mapOutputs.set(e.id, await this.exchange(e));
    const broadcastFiles: Record<number, string> = {};
    for (const b of broadcasts) broadcastFiles[b.id] = await this.broadcast(b);

    const plan = taskPlan(stage);
    const scan = scans[0];
    const stageNumber = ++this.stageCount;
    const routesRejects = scan !== undefined && scan.text !== null && scan.text.rejects !== null;
    const units = scan !== undefined ? scan.tasks.length : [...partitions][0]!;
    const rejectsParts = Array.from({ length: units }, (_, i) => (routesRejects ? path.join(this.dir, `stage-${stageNumber}-rejects-${i}.csv`) : null));
    const mapFile = (i: number): string => path.join(this.dir, `stage-${stageNumber}-map-${i}`);
    const tasks: TaskSpec<StageTaskPayload>[] = Array.from({ length: units }, (_, i) => {
      const shuffleInputs: Record<number, ShuffleSegment[]> = {};
      for (const [id, outputs] of mapOutputs) shuffleInputs[id] = segmentsOf(outputs, i);
      const taskOutput: StageOutput = output.kind === 'shuffle' ? { ...output, file: mapFile(i) } : output;
      const task = scan?.tasks[i];
      return {
        handler: STAGE_TASK,
        payload: {
          plan,
          unit: task === undefined ? { kind: 'partition', index: i } : { kind: 'scan', task },
          shuffleInputs,
          broadcasts: broadcastFiles,
          rejectsFile: rejectsParts[i]!,
          output: taskOutput,
          fault: this.ctx.faults?.find((f) => f.stage === stageNumber && f.task === i) ?? null,
          memory: { taskBytes: this.ctx.taskMemoryBytes, spillDir: path.join(this.dir, `stage-${stageNumber}-spill-${i}`) },
        },
        description:
          task === undefined
            ? `stage ${stageNumber} task ${i + 1} of ${units} (partition ${i})`
            : `stage ${stageNumber} task ${i + 1} of ${units} (file ${task.uri}${scan!.format === 'parquet' ? ` row group ${task.rowGroup}` : ''})`,
      };
    });
    await mkdir(this.dir, { recursive: true });
    const rejects: RejectsCount[] = [];
    await runTasks<StageTaskResult>(this.ctx.pool, tasks, {
      onResult: inTaskOrder(async (r) => {
        rejects[r.index] = r.value.rejects ?? NO_REJECTS;
        if (this.ctx.metrics !== undefined) this.ctx.metrics.spilledBytes += r.value.spilledBytes;
        await consume(r.value, r.index);
      }),
      ...(this.ctx.signal === undefined ? {} : { signal: this.ctx.signal }),
      ...(this.ctx.progress === undefined ? {} : { progress: this.ctx.progress }),
      label: `stage ${stageNumber} ${{ collect: 'result', shuffle: 'shuffle write', sample: 'sample sort keys' }[output.kind]}`,
      ...(scan === undefined ? {} : { explainDeath: (index: number) => scanTaskDecodeError(scanTaskSpec(scan, scan.tasks[index]!)) }),
    });
    if (this.ctx.metrics !== undefined) {
      this.ctx.metrics.stages++;
      this.ctx.metrics.tasks += tasks.length;
    }
    if (scan !== undefined && scan.text !== null) {
      const summary = await collectRejects(scan.text.rejects, rejectsParts, rejects);
      if (summary.count > 0) this.ctx.onRejects?.(summary);
    }
  }

  /** The map outputs of an exchange (its input stage run once per run; a range exchange samples first). */
  private exchange(e: ExchangeExec): Promise<readonly MapOutput[]> {
    let done = this.exchanges.get(e.id);
    if (done === undefined) {
      done = this.runExchange(e);
      this.exchanges.set(e.id, done);
    }
    return done;
  }

  private async runExchange(e: ExchangeExec): Promise<readonly MapOutput[]> {
    const p = e.partitioning;
    let boundaries: Uint8Array | null = null;
    if (p.kind === 'range') {
      const samples: Uint8Array[] = [];
      const count = Math.min(2000, SAMPLES_PER_PARTITION * p.partitions);
      await this.runStage(e.input, { kind: 'sample', keys: p.keys, count }, (r) => {
        if (r.ipc !== null) samples.push(r.ipc);
      });
      boundaries = chooseBoundaries(samples, p.keys, e.input.schema, p.partitions);
    }
    const outputs: MapOutput[] = [];
    await this.runStage(e.input, { kind: 'shuffle', partitioning: p, keySchema: e.keySchema, boundaries, file: '' }, (r, i) => {
      outputs[i] = r.mapOutput!;
      for (const f of r.mapOutput!) if (this.ctx.metrics !== undefined) this.ctx.metrics.shuffleBytes += f.offsets[f.offsets.length - 1]!;
    });
    return outputs;
  }

  /** The file holding a broadcast's rows (its input run on the coordinator, written once). */
  private broadcast(b: BroadcastExec): Promise<string> {
    let done = this.broadcasts.get(b.id);
    if (done === undefined) {
      done = (async () => {
        await mkdir(this.dir, { recursive: true });
        const file = path.join(this.dir, `broadcast-${b.id}.arrow`);
        const writer = new SpillFileWriter(file);
        try {
          await runOperators(b.input, this.coordinator(), (batch) => writer.write(batch));
          const bytes = writer.close();
          if (this.ctx.metrics !== undefined) this.ctx.metrics.shuffleBytes += bytes;
        } catch (e) {
          writer.discard();
          throw e;
        }
        return file;
      })();
      this.broadcasts.set(b.id, done);
    }
    return done;
  }
}

const NO_REJECTS: RejectsCount = { count: 0, byReason: {}, first: null };

/** Partition `index` of every map output, skipping empty ones, in map-task order. */
function segmentsOf(outputs: readonly MapOutput[], index: number): ShuffleSegment[] {
  const out: ShuffleSegment[] = [];
  for (const files of outputs) {
    for (const o of files) {
      const start = o.offsets[index]!;
      const end = o.offsets[index + 1]!;
      if (end > start) out.push({ file: o.file, start, end });
    }
  }
  return out;
}

/** The scans, exchanges and broadcasts a stage reads (not looking past them). */
function stageLeaves(plan: PhysicalPlan): PhysicalPlan[] {
  switch (plan.kind) {
    case 'file-scan':
    case 'exchange':
    case 'broadcast':
      return [plan];
    case 'gather':
    case 'stage-input':
      throw unexpectedLeaf(plan, 'inside a stage');
    default:
      return physicalInputs(plan).flatMap(stageLeaves);
  }
}

/** The stage as a task receives it: scans without their task lists, exchanges and broadcasts as stage inputs. */
function taskPlan(plan: PhysicalPlan): PhysicalPlan {
  switch (plan.kind) {
    case 'file-scan':
      return { ...plan, tasks: [] };
    case 'exchange':
      return {
        kind: 'stage-input',
        from: 'exchange',
        id: plan.id,
        hashKeys: plan.partitioning.kind === 'hash' ? { keys: plan.partitioning.keys, schema: plan.keySchema } : null,
        schema: plan.schema,
      };
    case 'broadcast':
      return { kind: 'stage-input', from: 'broadcast', id: plan.id, hashKeys: null, schema: plan.schema };
    default:
      return withPhysicalInputs(plan, physicalInputs(plan).map(taskPlan));
  }
}

