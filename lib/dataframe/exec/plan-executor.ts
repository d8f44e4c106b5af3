// Runs a physical plan: each gather runs its stage as one task per scan task on the worker pool and
// collects the results in task order (never completion order, so output does not depend on the number of
// workers); everything above a gather runs here on the coordinator over the gathered batches.
import { randomUUID } from 'node:crypto';
import { mkdir } from 'node:fs/promises';
import * as path from 'node:path';
import { RecordBatch, Schema as ArrowSchema, Struct, makeData, tableFromIPC } from 'apache-arrow';
import { PaylakeError } from '../../errors/paylake-error.js';
import { assertNever } from '../assert-never.js';
import type { PhysicalPlan } from '../physical/physical-plan.js';
import { physicalInputs } from '../physical/physical-plan.js';
import type { GatherExec } from '../physical/nodes/gather-exec.js';
import type { HashAggregateExec } from '../physical/nodes/hash-aggregate-exec.js';
import type { FileScanExec } from '../physical/nodes/file-scan-exec.js';
import { sortBatches } from '../physical/sort/sort-batches.js';
import { aggregationBuilder, filterOperator, limitOperator, mapBatches, projectOperator } from './batch-operators.js';
import { handlerRef } from './handler-ref.js';
import { collectRejects, removeRejectsScratch } from './rejects-collector.js';
import type { RejectsSummary } from './rejects-collector.js';
import type { ProgressSink } from './progress-reporter.js';
import { scanTaskSpec } from './scan-fragment.js';
import type { ScanFragmentPayload, ScanFragmentResult } from './scan-fragment.js';
import type { RejectsCount } from './text-scan-reader.js';
import { scanTaskDecodeError } from './scan-task-reader.js';
import { inTaskOrder, runTasks } from './task-scheduler.js';
import type { TaskSpec } from './task-scheduler.js';
import type { WorkerPool } from './worker-pool.js';

/** What running a plan needs from the session. */
export interface ExecutionContext {
  readonly pool: WorkerPool;
  /** Directory for the run's temporary files (rejects parts); each run uses its own subdirectory. */
  readonly scratchDir: string;
  /** Told how many malformed records a text scan routed to its rejects file. */
  readonly onRejects?: (summary: RejectsSummary) => void;
  readonly signal?: AbortSignal;
  readonly progress?: ProgressSink;
}

const SCAN_FRAGMENT = handlerRef(new URL('./scan-fragment.js', import.meta.url), 'runScanFragment');

/**
 * The plan's result batches, in a deterministic order.
 * @example const batches = await executePlan(physical, { pool })
 */
export async function executePlan(plan: PhysicalPlan, ctx: ExecutionContext): Promise<RecordBatch[]> {
  switch (plan.kind) {
    case 'gather':
      return gather(plan, ctx);
    case 'filter':
      return mapBatches(await executePlan(plan.input, ctx), filterOperator(plan.condition, plan.input.schema));
    case 'project':
      return mapBatches(await executePlan(plan.input, ctx), projectOperator(plan.exprs, plan.input.schema, plan.schema));
    case 'limit':
      return mapBatches(await executePlan(plan.input, ctx), limitOperator(plan.count));
    case 'sort':
      return sortBatches(await executePlan(plan.input, ctx), plan.schema, plan.keys, plan.limit);
    case 'hash-aggregate':
      return aggregate(plan, ctx);
    case 'union': {
      const parts = await Promise.all(plan.inputs.map((p) => executePlan(p, ctx)));
      // Names come from the first input, as in Spark.
      return parts.flatMap((batches) => batches.map((b) => renamed(b, plan.schema.fields.map((f) => f.name))));
    }
    case 'file-scan':
      throw new PaylakeError('INTERNAL', 'a scan must run under a gather; please report this');
    default:
      return assertNever(plan, 'physical operator');
  }
}

async function aggregate(plan: HashAggregateExec, ctx: ExecutionContext): Promise<RecordBatch[]> {
  if (plan.mode === 'partial') throw new PaylakeError('INTERNAL', 'a partial aggregation must sit under a final one; please report this');
  const input = plan.input;
  if (input.kind === 'gather' && input.input.kind === 'hash-aggregate' && input.input.mode === 'partial') {
    const partial = input.input;
    const final = aggregationBuilder(partial.keys, partial.aggregates, partial.input.schema, plan.schema).aggregator;
    await gatherEach(input, ctx, (batches) => batches.forEach((b) => final.mergeBatch(b)));
    return [final.finish()];
  }
  if (input.kind === 'hash-aggregate' && input.mode === 'partial') {
    const builder = aggregationBuilder(input.keys, input.aggregates, input.input.schema, plan.schema);
    for (const b of await executePlan(input.input, ctx)) builder.add(b);
    return [builder.aggregator.finish()];
  }
  throw new PaylakeError('INTERNAL', 'a final aggregation must sit over its partial phase; please report this');
}

async function gather(plan: GatherExec, ctx: ExecutionContext): Promise<RecordBatch[]> {
  const out: RecordBatch[] = [];
  await gatherEach(plan, ctx, (batches) => {
    out.push(...batches);
  });
  return out;
}

/**
 * Runs the stage under a gather and hands each task's batches to `consume` as soon as it and every earlier
 * task have finished — in task order, so consumers (a final aggregation merging partial states) work while
 * later tasks still run, hold only what arrived out of order, and give the same answer every time.
 */
async function gatherEach(plan: GatherExec, ctx: ExecutionContext, consume: (batches: RecordBatch[]) => void): Promise<void> {
  const scan = findScan(plan.input);
  // Each task carries the stage without the scan's task list, which would otherwise be copied N times.
  const stage = withoutTasks(plan.input);
  const routesRejects = scan.text !== null && scan.text.rejects !== null;
  const runDir = path.join(ctx.scratchDir, `run-${process.pid}-${randomUUID()}`);
  const parts = scan.tasks.map((_t, i) => (routesRejects ? path.join(runDir, `rejects-${i}.csv`) : null));
  const tasks: TaskSpec<ScanFragmentPayload>[] = scan.tasks.map((task, i) => ({
    handler: SCAN_FRAGMENT,
    payload: { plan: stage, task, rejectsFile: parts[i]! },
    description: `task ${i + 1} of ${scan.tasks.length} (file ${task.uri}${scan.format === 'parquet' ? ` row group ${task.rowGroup}` : ''})`,
  }));
  const rejects: RejectsCount[] = [];
  try {
    if (routesRejects) await mkdir(runDir, { recursive: true });
    await runTasks<ScanFragmentResult>(ctx.pool, tasks, {
      onResult: inTaskOrder((r) => {
        rejects[r.index] = r.value.rejects ?? NO_REJECTS;
        consume(tableFromIPC(r.value.ipc).batches.filter((b) => b.numRows > 0));
      }),
      ...(ctx.signal === undefined ? {} : { signal: ctx.signal }),
      ...(ctx.progress === undefined ? {} : { progress: ctx.progress }),
      explainDeath: (index) => scanTaskDecodeError(scanTaskSpec(scan, scan.tasks[index]!)),
    });
    if (scan.text !== null) {
      const summary = await collectRejects(scan.text.rejects, parts, rejects);
      if (summary.count > 0) ctx.onRejects?.(summary);
    }
  } finally {
    if (routesRejects) await removeRejectsScratch(runDir);
  }
}

const NO_REJECTS: RejectsCount = { count: 0, byReason: {}, first: null };

function findScan(plan: PhysicalPlan): FileScanExec {
  if (plan.kind === 'file-scan') return plan;
  const [input] = physicalInputs(plan);
  if (input === undefined || physicalInputs(plan).length !== 1) throw new PaylakeError('INTERNAL', 'a stage must read exactly one scan; please report this');
  return findScan(input);
}

function withoutTasks(plan: PhysicalPlan): PhysicalPlan {
  switch (plan.kind) {
    case 'file-scan':
      return { ...plan, tasks: [] };
    case 'filter':
    case 'project':
    case 'limit':
    case 'sort':
    case 'hash-aggregate':
    case 'gather':
      return { ...plan, input: withoutTasks(plan.input) };
    case 'union':
      return { ...plan, inputs: plan.inputs.map(withoutTasks) };
    default:
      return assertNever(plan, 'physical operator');
  }
}

function renamed(batch: RecordBatch, names: readonly string[]): RecordBatch {
  if (batch.schema.fields.every((f, i) => f.name === names[i])) return batch;
  const schema = new ArrowSchema(batch.schema.fields.map((f, i) => f.clone({ name: names[i]! })));
  return new RecordBatch(schema, makeData({ type: new Struct(schema.fields), length: batch.numRows, nullCount: 0, children: batch.data.children }));
}
