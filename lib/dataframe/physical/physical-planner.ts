// Chooses physical operators for an optimized logical plan and places the worker/coordinator boundary:
// scans, filters and projections run per task in workers; an aggregation splits into a partial phase per
// task and a final phase on the coordinator; ORDER BY + LIMIT becomes a top-N per task and a final top-N;
// a plain LIMIT stops each task early. Partition and row-group pruning happen here, before tasks exist.
import type { FileStatus } from '../../io/fs/file-system.js';
import type { ParquetDataset, ParquetDatasetFile } from '../../io/dataset/parquet-dataset.js';
import { assertNever } from '../assert-never.js';
import type { Expr } from '../expr/expr.js';
import { referencedColumns, splitConjunction } from '../expr/transform-expr.js';
import { orderByCost } from './scan/filter-order.js';
import type { LogicalPlan } from '../plan/logical-plan.js';
import type { ScanNode, ScanSource } from '../plan/nodes/scan-node.js';
import { schemaOf } from '../types/schema.js';
import type { PhysicalPlan } from './physical-plan.js';
import type { FileScanExec } from './nodes/file-scan-exec.js';
import { planScanTasks } from './scan/scan-planner.js';

/** What the planner needs from the session: discovered datasets and a partition-filter evaluator. */
export interface PlannerContext {
  /** The discovered dataset of a Parquet scan source (cached by the session). */
  dataset(source: ScanSource): Promise<ParquetDataset>;
  /** The files of a CSV or JSON-lines source, in a fixed order (cached by the session). */
  textFiles(source: ScanSource): Promise<readonly FileStatus[]>;
  /** A predicate over files deciding whether their partition values pass `filters`. */
  partitionPredicate(dataset: ParquetDataset, filters: readonly Expr[]): (file: ParquetDatasetFile) => boolean;
}

interface Planned {
  readonly plan: PhysicalPlan;
  /** True while the subtree runs per task (no gather below the root yet). */
  readonly perTask: boolean;
}

/**
 * The physical plan of an optimized logical plan; its root always runs on the coordinator.
 * @example const physical = await createPhysicalPlan(optimize(df.plan), session.plannerContext)
 */
export async function createPhysicalPlan(plan: LogicalPlan, ctx: PlannerContext): Promise<PhysicalPlan> {
  return gathered(await planNode(plan, ctx));
}

function gathered(p: Planned): PhysicalPlan {
  return p.perTask ? { kind: 'gather', input: p.plan, schema: p.plan.schema } : p.plan;
}

async function planNode(plan: LogicalPlan, ctx: PlannerContext): Promise<Planned> {
  switch (plan.kind) {
    case 'scan':
      return { plan: await planScan(plan, ctx), perTask: true };
    case 'filter': {
      const input = await planNode(plan.input, ctx);
      return { plan: { kind: 'filter', input: input.plan, condition: plan.condition, schema: plan.schema }, perTask: input.perTask };
    }
    case 'project': {
      const input = await planNode(plan.input, ctx);
      return { plan: { kind: 'project', input: input.plan, exprs: plan.exprs, schema: plan.schema }, perTask: input.perTask };
    }
    case 'aggregate': {
      const input = await planNode(plan.input, ctx);
      const partial: PhysicalPlan = { kind: 'hash-aggregate', mode: 'partial', input: input.plan, keys: plan.keys, aggregates: plan.aggregates, schema: plan.schema };
      const below = input.perTask ? ({ kind: 'gather', input: partial, schema: plan.schema } as const) : partial;
      return { plan: { kind: 'hash-aggregate', mode: 'final', input: below, keys: plan.keys, aggregates: plan.aggregates, schema: plan.schema }, perTask: false };
    }
    case 'limit': {
      if (plan.input.kind === 'sort') {
        const sortInput = await planNode(plan.input.input, ctx);
        const keys = plan.input.keys;
        const local: PhysicalPlan = { kind: 'sort', input: sortInput.plan, keys, limit: plan.count, schema: plan.schema };
        const below = sortInput.perTask ? ({ kind: 'gather', input: local, schema: plan.schema } as const) : sortInput.plan;
        return { plan: { kind: 'sort', input: below, keys, limit: plan.count, schema: plan.schema }, perTask: false };
      }
      const input = await planNode(plan.input, ctx);
      const local: PhysicalPlan = { kind: 'limit', input: input.plan, count: plan.count, schema: plan.schema };
      const below = input.perTask ? ({ kind: 'gather', input: local, schema: plan.schema } as const) : input.plan;
      return { plan: { kind: 'limit', input: below, count: plan.count, schema: plan.schema }, perTask: false };
    }
    case 'sort': {
      const input = await planNode(plan.input, ctx);
      return { plan: { kind: 'sort', input: gathered(input), keys: plan.keys, limit: null, schema: plan.schema }, perTask: false };
    }
    case 'union': {
      const inputs = await Promise.all(plan.inputs.map((p) => planNode(p, ctx)));
      return { plan: { kind: 'union', inputs: inputs.map(gathered), schema: plan.schema }, perTask: false };
    }
    default:
      return assertNever(plan, 'plan node');
  }
}

async function planScan(scan: ScanNode, ctx: PlannerContext): Promise<FileScanExec> {
  const filterColumns = new Set(scan.filters.flatMap((f) => referencedColumns(f)));
  const readColumns = scan.source.schema.fields.map((f) => f.name).filter((n) => scan.columns.includes(n) || filterColumns.has(n));
  const readSchema = schemaOf(readColumns.map((n) => scan.source.schema.fields.find((f) => f.name === n)!));
  const common = {
    kind: 'file-scan',
    format: scan.source.format,
    paths: scan.source.paths,
    text: scan.source.text,
    columns: scan.columns,
    readColumns,
    partitionColumns: scan.source.partitionColumns,
    readSchema,
    filters: orderByCost(scan.filters.flatMap(splitConjunction), readSchema),
    schema: scan.schema,
  } as const;
  if (scan.source.format !== 'parquet') {
    // CSV and JSON lines: one task per file; there are no statistics to prune with.
    const files = await ctx.textFiles(scan.source);
    const bytes = files.reduce((s, f) => s + f.size, 0);
    return {
      ...common,
      tasks: files.map((f, fileIndex) => ({ fileIndex, uri: f.uri, rowGroup: 0, rows: 0, compressedBytes: f.size, partitionValues: [] })),
      pruning: { files: files.length, filesPrunedByPartition: 0, rowGroups: files.length, rowGroupsPrunedByStatistics: 0, rowGroupsPrunedByDictionary: 0, bytes, bytesSkipped: 0 },
    };
  }
  const dataset = await ctx.dataset(scan.source);
  const keepFile = scan.partitionFilters.length === 0 ? () => true : ctx.partitionPredicate(dataset, scan.partitionFilters);
  const { tasks, report } = await planScanTasks(dataset, scan.filters, keepFile);
  return {
    ...common,
    tasks: tasks.map((t) => ({ ...t, partitionValues: dataset.files[t.fileIndex]!.partitionValues })),
    pruning: report,
  };
}
