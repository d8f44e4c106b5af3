// The per-task work of a stage, run inside an engine worker: read one row group (or one CSV file), apply the scan filters,
// then the operators the planner placed below the gather (filters, projections, a limit, a top-N or the
// partial phase of an aggregation), and send the result back as Arrow IPC bytes, moved, not copied.
import { Field as ArrowField, RecordBatch, Schema as ArrowSchema, Table, tableToIPC } from 'apache-arrow';
import type { TaskContext } from '../../../workers/protocol.js';
import { PaylakeError } from '../../errors/paylake-error.js';
import { BinaryNode } from '../expr/nodes/binary-node.js';
import type { PhysicalPlan } from '../physical/physical-plan.js';
import type { FileScanExec, FileScanTask } from '../physical/nodes/file-scan-exec.js';
import { sortBatches } from '../physical/sort/sort-batches.js';
import { toArrowType } from '../types/arrow-type.js';
import type { Schema } from '../types/schema.js';
import { aggregationBuilder, filterOperator, limitOperator, mapBatches, projectOperator } from './batch-operators.js';
import { compilePredicate, takeRows } from '../physical/expr-eval/selection.js';
import { readScanTask } from './scan-task-reader.js';
import { readTextScanTask } from './text-scan-reader.js';
import type { RejectsCount } from './text-scan-reader.js';
import type { ScanTaskSpec } from './scan-task-reader.js';

/** One task: the stage's operators (with the scan's task list emptied) and the unit to read. */
export interface ScanFragmentPayload {
  readonly plan: PhysicalPlan;
  readonly task: FileScanTask;
  /** Scratch file for the malformed records of a CSV/JSON-lines task whose source routes them; else null. */
  readonly rejectsFile: string | null;
}

/** The task's output as an Arrow IPC stream (a partial aggregation state, or rows), and its rejects. */
export interface ScanFragmentResult {
  readonly ipc: Uint8Array;
  /** Malformed records of a CSV/JSON-lines task; null for Parquet. */
  readonly rejects: RejectsCount | null;
}

/** The operators of a stage from the scan up, checked to be ones a task can run. */
function stageOperators(plan: PhysicalPlan): { scan: FileScanExec; above: PhysicalPlan[] } {
  const above: PhysicalPlan[] = [];
  let node = plan;
  for (;;) {
    switch (node.kind) {
      case 'file-scan':
        return { scan: node, above };
      case 'filter':
      case 'project':
      case 'limit':
      case 'sort':
      case 'hash-aggregate':
        above.unshift(node);
        node = node.input;
        break;
      case 'gather':
      case 'union':
        throw new PaylakeError('INTERNAL', `a ${node.kind} cannot run inside a task; please report this`);
    }
  }
}

/** What the reader needs to read one task of a scan. */
export function scanTaskSpec(scan: FileScanExec, task: FileScanTask): ScanTaskSpec {
  return { uri: task.uri, rowGroup: task.rowGroup, readSchema: scan.readSchema, partitionColumns: scan.partitionColumns, partitionValues: task.partitionValues };
}

/** The task handler (see workers/protocol.ts). */
export async function runScanFragment(payload: ScanFragmentPayload, ctx: TaskContext): Promise<ScanFragmentResult> {
  const { scan, above } = stageOperators(payload.plan);
  const task = payload.task;
  let batches: RecordBatch[];
  let rejects: RejectsCount | null = null;
  if (scan.format === 'parquet' || scan.text === null) {
    batches = await readScanTask(scanTaskSpec(scan, task));
    ctx.countRows(task.rows);
  } else {
    const read = await readTextScanTask({ format: scan.format, uri: task.uri, readSchema: scan.readSchema, text: scan.text, rejectsFile: payload.rejectsFile });
    batches = read.batches;
    rejects = read.rejects;
    ctx.countRows(batches.reduce((n, b) => n + b.numRows, 0) + rejects.count);
  }
  batches = applyScanFilters(scan, batches);
  let schema: Schema = scan.schema;
  for (const op of above) {
    switch (op.kind) {
      case 'filter':
        batches = mapBatches(batches, filterOperator(op.condition, schema));
        break;
      case 'project':
        batches = mapBatches(batches, projectOperator(op.exprs, schema, op.schema));
        break;
      case 'limit':
        batches = mapBatches(batches, limitOperator(op.count));
        break;
      case 'sort':
        batches = sortBatches(batches, schema, op.keys, op.limit);
        break;
      case 'hash-aggregate': {
        if (op.mode !== 'partial') throw new PaylakeError('INTERNAL', 'a final aggregation cannot run inside a task; please report this');
        const builder = aggregationBuilder(op.keys, op.aggregates, schema, op.schema);
        for (const b of batches) builder.add(b);
        return send(new Table([builder.aggregator.partialToBatch()]), rejects, ctx);
      }
      default:
        throw new PaylakeError('INTERNAL', `${op.kind} cannot run inside a task; please report this`);
    }
    schema = op.schema;
  }
  return send(batches.length > 0 ? new Table(batches) : new Table(emptySchema(schema)), rejects, ctx);
}

/**
 * Applies the scan's filters exactly and keeps only the scan's output columns. Rows are selected on the
 * read columns but only the output columns are copied, so a column read just for a filter (often a
 * string) is never gathered.
 */
function applyScanFilters(scan: FileScanExec, batches: RecordBatch[]): RecordBatch[] {
  const keep = scan.columns.map((c) => scan.readColumns.indexOf(c));
  const narrow = keep.length !== scan.readColumns.length;
  if (scan.filters.length === 0) return narrow ? batches.map((b) => b.selectAt(keep)) : batches;
  const predicate = compilePredicate(scan.filters.reduce((acc, f) => BinaryNode.create('AND', acc, f)), scan.readSchema);
  const out: RecordBatch[] = [];
  for (const b of batches) {
    const selection = predicate.select(b);
    if (selection.length === 0) continue;
    const narrowed = narrow ? b.selectAt(keep) : b;
    out.push(selection.length === b.numRows ? narrowed : takeRows(narrowed, selection));
  }
  return out;
}

function emptySchema(schema: Schema): ArrowSchema {
  return new ArrowSchema(schema.fields.map((f) => new ArrowField(f.name, toArrowType(f.type), f.nullable)));
}

function send(table: Table, rejects: RejectsCount | null, ctx: TaskContext): ScanFragmentResult {
  const ipc = tableToIPC(table, 'stream');
  ctx.transfer(ipc.buffer as ArrayBuffer);
  return { ipc, rejects };
}
