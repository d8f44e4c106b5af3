// Runs the operators of a plan fragment, push-based: each operator asks its input to push batches into a
// sink and pushes its own output into its parent's. The same code runs a stage inside a task (leaves:
// scans, shuffle and broadcast inputs) and the coordinator's part of a plan (leaves: gathers), so every
// operator has one implementation. Batches arrive in a deterministic order: inputs in task or partition
// order, rows in input order.
import { RecordBatch, Schema as ArrowSchema, Struct, makeData } from 'apache-arrow';
import { PaylakeError } from '../../errors/paylake-error.js';
import { assertNever } from '../assert-never.js';
import { ColumnNode } from '../expr/nodes/column-node.js';
import { GroupHashTable } from '../physical/aggregate/group-hash-table.js';
import { compileExpr } from '../physical/expr-eval/compile-expr.js';
import { BatchInput } from '../physical/expr-eval/eval-node.js';
import { takeRows } from '../physical/expr-eval/selection.js';
import { HashJoiner } from '../physical/join/hash-joiner.js';
import { evaluateWindows } from '../physical/window/window-evaluator.js';
import type { WindowCallNode } from '../expr/nodes/window-call-node.js';
import type { PhysicalPlan } from '../physical/physical-plan.js';
import type { DeduplicateExec } from '../physical/nodes/deduplicate-exec.js';
import type { HashAggregateExec } from '../physical/nodes/hash-aggregate-exec.js';
import type { HashJoinExec } from '../physical/nodes/hash-join-exec.js';
import { ExternalSorter } from '../physical/sort/external-sort.js';
import type { SpillContext } from '../physical/sort/external-sort.js';
import { sortBatches } from '../physical/sort/sort-batches.js';
import { aggregationBuilder, filterOperator, limitOperator, projectOperator } from './batch-operators.js';

/** Receives an operator's output batches, one at a time, in order. */
export type BatchSink = (batch: RecordBatch) => void | Promise<void>;

/** Where the fragment's leaves come from. */
export interface OperatorContext {
  /** Pushes the rows of a leaf (a scan, a stage input, a gather or a broadcast) into `sink`. */
  leaf(node: PhysicalPlan, sink: BatchSink): Promise<void>;
  /** A task's memory budget: a full sort beyond it spills sorted runs here. None on the coordinator. */
  readonly spill?: { readonly budgetBytes: number; readonly context: SpillContext };
}

/**
 * Pushes the output of `plan` into `sink`.
 * @example const out: RecordBatch[] = []; await runOperators(plan, ctx, (b) => void out.push(b));
 */
export async function runOperators(plan: PhysicalPlan, ctx: OperatorContext, sink: BatchSink): Promise<void> {
  switch (plan.kind) {
    case 'filter': {
      const op = filterOperator(plan.condition, plan.input.schema);
      return runOperators(plan.input, ctx, (b) => emit(op(b), sink));
    }
    case 'project': {
      const op = projectOperator(plan.exprs, plan.input.schema, plan.schema);
      return runOperators(plan.input, ctx, (b) => emit(op(b), sink));
    }
    case 'limit': {
      const op = limitOperator(plan.count);
      return runOperators(plan.input, ctx, (b) => (op.done() ? undefined : emit(op(b), sink)));
    }
    case 'sort': {
      if (plan.limit === null && ctx.spill !== undefined) {
        const sorter = new ExternalSorter(plan.schema, plan.keys, ctx.spill.budgetBytes, ctx.spill.context);
        try {
          await runOperators(plan.input, ctx, (b) => sorter.add(b));
          for await (const b of sorter.finish()) await sink(b);
        } finally {
          sorter.discard();
        }
        return;
      }
      const batches = await collectBatches(plan.input, ctx);
      for (const b of sortBatches(batches, plan.schema, plan.keys, plan.limit)) await sink(b);
      return;
    }
    case 'hash-aggregate':
      return aggregate(plan, ctx, sink);
    case 'hash-join':
      return hashJoin(plan, ctx, sink);
    case 'deduplicate':
      return deduplicate(plan, ctx, sink);
    case 'window': {
      // The input is sorted by the calls' partition and order keys; a window partition may span batches.
      const calls = plan.windows.map((w) => (w.kind === 'alias' ? w.operand : w) as WindowCallNode);
      const batches = await collectBatches(plan.input, ctx);
      for (const b of evaluateWindows(batches, plan.input.schema, calls, plan.schema)) await sink(b);
      return;
    }
    case 'union': {
      // Inputs one after another; names come from the first input, as in Spark.
      const names = plan.schema.fields.map((f) => f.name);
      for (const input of plan.inputs) await runOperators(input, ctx, (b) => sink(renamed(b, names)));
      return;
    }
    case 'file-scan':
    case 'stage-input':
    case 'gather':
    case 'broadcast':
    case 'exchange':
      return ctx.leaf(plan, sink);
    default:
      return assertNever(plan, 'physical operator');
  }
}

/** Every output batch of `plan`, in order. */
async function collectBatches(plan: PhysicalPlan, ctx: OperatorContext): Promise<RecordBatch[]> {
  const out: RecordBatch[] = [];
  await runOperators(plan, ctx, (b) => void out.push(b));
  return out;
}

function emit(batch: RecordBatch | null, sink: BatchSink): void | Promise<void> {
  if (batch !== null && batch.numRows > 0) return sink(batch);
}

async function aggregate(plan: HashAggregateExec, ctx: OperatorContext, sink: BatchSink): Promise<void> {
  const builder = aggregationBuilder(plan.keys, plan.aggregates, plan.inputSchema, plan.schema);
  const input = plan.input;
  if (plan.mode === 'partial') {
    await runOperators(input, ctx, (b) => builder.add(b));
    return sink(builder.aggregator.partialToBatch());
  }
  if (input.kind === 'hash-aggregate' && input.mode === 'partial') {
    // Both phases in one place: aggregate the raw rows directly.
    await runOperators(input.input, ctx, (b) => builder.add(b));
  } else {
    // The input brings partial states (from a gather or an exchange), merged as they arrive.
    await runOperators(input, ctx, (b) => builder.aggregator.mergeBatch(b));
  }
  return sink(builder.aggregator.finish());
}

async function hashJoin(plan: HashJoinExec, ctx: OperatorContext, sink: BatchSink): Promise<void> {
  const joiner = new HashJoiner({
    type: plan.type,
    left: plan.left.schema,
    right: plan.right.schema,
    leftKeys: plan.leftKeys,
    rightKeys: plan.rightKeys,
    condition: plan.condition,
    buildSide: plan.buildSide,
    output: plan.schema,
  });
  const [build, probe] = plan.buildSide === 'right' ? [plan.right, plan.left] : [plan.left, plan.right];
  await runOperators(build, ctx, (b) => joiner.addBuild(b));
  await runOperators(probe, ctx, async (b) => {
    for (const out of joiner.probe(b)) await emit(out, sink);
  });
  for (const out of joiner.finish()) await emit(out, sink);
}

/** Keeps the first row of each key: a row is new when the key table gives it the next unused group id. */
async function deduplicate(plan: DeduplicateExec, ctx: OperatorContext, sink: BatchSink): Promise<void> {
  const keys = plan.keys.map((k) => compileExpr(ColumnNode.create(k), plan.input.schema));
  const table = new GroupHashTable(keys.map((k) => k.type));
  await runOperators(plan.input, ctx, (b) => {
    const input = new BatchInput(b, plan.input.schema);
    let next = table.groupCount;
    const ids = table.findOrInsert(
      keys.map((k) => k.evaluateColumn(input, null)),
      b.numRows,
    );
    const keep = new Uint32Array(ids.length);
    let kept = 0;
    for (let i = 0; i < ids.length; i++) {
      if (ids[i] === next) {
        keep[kept++] = i;
        next++;
      }
    }
    if (kept === 0) return;
    return sink(kept === b.numRows ? b : takeRows(b, keep.subarray(0, kept)));
  });
}

function renamed(batch: RecordBatch, names: readonly string[]): RecordBatch {
  if (batch.schema.fields.every((f, i) => f.name === names[i])) return batch;
  const schema = new ArrowSchema(batch.schema.fields.map((f, i) => f.clone({ name: names[i]! })));
  return new RecordBatch(schema, makeData({ type: new Struct(schema.fields), length: batch.numRows, nullCount: 0, children: batch.data.children }));
}

/** Refuses a leaf that the context cannot provide. */
export function unexpectedLeaf(node: PhysicalPlan, where: string): PaylakeError {
  return new PaylakeError('INTERNAL', `a ${node.kind} cannot run ${where}; please report this`);
}
