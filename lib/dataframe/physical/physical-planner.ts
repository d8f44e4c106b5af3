// Chooses physical operators for an optimized logical plan and cuts it into stages: scans, filters and
// projections run per task in workers; a grouped aggregation runs partially per task, is hash-exchanged on
// its keys and finished per partition (a global one finishes on the coordinator); deduplication likewise;
// a join broadcasts a side below the threshold or hash-exchanges both; a global sort range-exchanges and
// sorts per range; ORDER BY + LIMIT becomes a top-N per task and a final top-N; a plain LIMIT stops each
// task early. Partition and row-group pruning happen here, before tasks exist.
import type { FileStatus } from '../../io/fs/file-system.js';
import type { ParquetDataset, ParquetDatasetFile } from '../../io/dataset/parquet-dataset.js';
import { assertNever } from '../assert-never.js';
import { ColumnNode } from '../expr/nodes/column-node.js';
import { displayExpr } from '../expr/display-expr.js';
import type { Expr } from '../expr/expr.js';
import { referencedColumns, splitConjunction } from '../expr/transform-expr.js';
import { orderByCost } from './scan/filter-order.js';
import type { LogicalPlan } from '../plan/logical-plan.js';
import type { AggregateNode } from '../plan/nodes/aggregate-node.js';
import type { JoinNode } from '../plan/nodes/join-node.js';
import type { WindowNode } from '../plan/nodes/window-node.js';
import type { WindowCallNode } from '../expr/nodes/window-call-node.js';
import type { SortKey } from '../expr/sort-key.js';
import type { ScanNode, ScanSource } from '../plan/nodes/scan-node.js';
import { schemaOf } from '../types/schema.js';
import type { Schema } from '../types/schema.js';
import type { BroadcastExec } from './nodes/broadcast-exec.js';
import type { ExchangeExec, Partitioning } from './nodes/exchange-exec.js';
import type { HashJoinExec } from './nodes/hash-join-exec.js';
import type { PhysicalPlan } from './physical-plan.js';
import type { FileScanExec } from './nodes/file-scan-exec.js';
import { planScanTasks } from './scan/scan-planner.js';

/** What the planner needs from the session: discovered datasets, a partition-filter evaluator, shuffle settings. */
export interface PlannerContext {
  /** The discovered dataset of a Parquet scan source (cached by the session). */
  dataset(source: ScanSource): Promise<ParquetDataset>;
  /** The files of a CSV or JSON-lines source, in a fixed order (cached by the session). */
  textFiles(source: ScanSource): Promise<readonly FileStatus[]>;
  /** A predicate over files deciding whether their partition values pass `filters`. */
  partitionPredicate(dataset: ParquetDataset, filters: readonly Expr[]): (file: ParquetDatasetFile) => boolean;
  readonly shuffle: ShuffleConfig;
}

/** Shuffle settings of the session, as the planner uses them. */
export interface ShuffleConfig {
  /** Partitions of an exchange whose input is estimated at `bytes` (Parquet bytes read, file bytes for text). */
  partitionsFor(bytes: number): number;
  /** A join side estimated at or below this many bytes is broadcast; 0 turns broadcast joins off. */
  readonly broadcastThresholdBytes: number;
}

/** Where a subtree runs: once per scan task, once per exchange partition, or on the coordinator. */
type Distribution =
  | { readonly kind: 'scan' }
  /** `hashKeys`: the SQL text of the hash keys the rows are partitioned by, while the columns they name are unchanged. */
  | { readonly kind: 'partitioned'; readonly partitions: number; readonly hashKeys?: string }
  | { readonly kind: 'single' };

interface Planned {
  readonly plan: PhysicalPlan;
  readonly dist: Distribution;
  /** Estimated size of the subtree's input data in bytes (as Spark's sizeInBytes: file bytes, not rows). */
  readonly bytes: number;
}

const SINGLE: Distribution = { kind: 'single' };

/**
 * The physical plan of an optimized logical plan; its root always runs on the coordinator.
 * @example const physical = await createPhysicalPlan(optimize(df.plan), session.plannerContext())
 */
export async function createPhysicalPlan(plan: LogicalPlan, ctx: PlannerContext): Promise<PhysicalPlan> {
  return gathered(await new Planner(ctx).plan(plan));
}

function gathered(p: Planned): PhysicalPlan {
  return p.dist.kind === 'single' ? p.plan : { kind: 'gather', input: p.plan, schema: p.plan.schema };
}

class Planner {
  private nextId = 0;

  constructor(private readonly ctx: PlannerContext) {}

  async plan(plan: LogicalPlan): Promise<Planned> {
    switch (plan.kind) {
      case 'scan': {
        const scan = await planScan(plan, this.ctx);
        const total = plan.source.schema.fields.length;
        const fraction = total === 0 ? 1 : scan.readColumns.length / total;
        return { plan: scan, dist: { kind: 'scan' }, bytes: Math.ceil(scan.tasks.reduce((s, t) => s + t.compressedBytes, 0) * fraction) };
      }
      case 'filter': {
        const input = await this.plan(plan.input);
        return { ...input, plan: { kind: 'filter', input: input.plan, condition: plan.condition, schema: plan.schema } };
      }
      case 'project': {
        const input = await this.plan(plan.input);
        // A projection may redefine key columns: partitioning by them is no longer known.
        const dist: Distribution = input.dist.kind === 'partitioned' ? { kind: 'partitioned', partitions: input.dist.partitions } : input.dist;
        return { ...input, dist, plan: { kind: 'project', input: input.plan, exprs: plan.exprs, schema: plan.schema } };
      }
      case 'aggregate':
        return this.aggregate(plan, await this.plan(plan.input));
      case 'limit': {
        if (plan.input.kind === 'sort') {
          const sortInput = await this.plan(plan.input.input);
          const keys = plan.input.keys;
          const local: PhysicalPlan = { kind: 'sort', input: sortInput.plan, keys, limit: plan.count, schema: plan.schema };
          const below = sortInput.dist.kind === 'single' ? sortInput.plan : ({ kind: 'gather', input: local, schema: plan.schema } as const);
          return { plan: { kind: 'sort', input: below, keys, limit: plan.count, schema: plan.schema }, dist: SINGLE, bytes: sortInput.bytes };
        }
        const input = await this.plan(plan.input);
        const local: PhysicalPlan = { kind: 'limit', input: input.plan, count: plan.count, schema: plan.schema };
        const below = input.dist.kind === 'single' ? input.plan : ({ kind: 'gather', input: local, schema: plan.schema } as const);
        return { plan: { kind: 'limit', input: below, count: plan.count, schema: plan.schema }, dist: SINGLE, bytes: input.bytes };
      }
      case 'sort': {
        const input = await this.plan(plan.input);
        if (input.dist.kind === 'single') return { plan: { kind: 'sort', input: input.plan, keys: plan.keys, limit: null, schema: plan.schema }, dist: SINGLE, bytes: input.bytes };
        // A global sort: rows go to ranges of the keys (boundaries sampled from the input), each range is
        // sorted by its own task, and the ranges come back in order.
        const partitions = this.ctx.shuffle.partitionsFor(input.bytes);
        const exchange = this.exchange(input.plan, { kind: 'range', keys: plan.keys, partitions });
        return { plan: { kind: 'sort', input: exchange, keys: plan.keys, limit: null, schema: plan.schema }, dist: { kind: 'partitioned', partitions }, bytes: input.bytes };
      }
      case 'union': {
        const inputs = await Promise.all(plan.inputs.map((p) => this.plan(p)));
        return { plan: { kind: 'union', inputs: inputs.map(gathered), schema: plan.schema }, dist: SINGLE, bytes: inputs.reduce((s, p) => s + p.bytes, 0) };
      }
      case 'deduplicate': {
        const input = await this.plan(plan.input);
        const dedupe = (below: PhysicalPlan): PhysicalPlan => ({ kind: 'deduplicate', input: below, keys: plan.keys, schema: plan.schema });
        if (input.dist.kind === 'single') return { plan: dedupe(input.plan), dist: SINGLE, bytes: input.bytes };
        // First rows per key within each task, then the first of those per key across tasks.
        const partitions = this.ctx.shuffle.partitionsFor(input.bytes);
        const keys = plan.keys.map((k) => ColumnNode.create(k));
        const exchange = this.exchange(dedupe(input.plan), { kind: 'hash', keys, partitions });
        return { plan: dedupe(exchange), dist: { kind: 'partitioned', partitions }, bytes: input.bytes };
      }
      case 'join':
        return this.join(plan, await this.plan(plan.left), await this.plan(plan.right));
      case 'window':
        return this.window(plan, await this.plan(plan.input));
      default:
        return assertNever(plan, 'plan node');
    }
  }

  private exchange(input: PhysicalPlan, partitioning: Partitioning, keySchema: Schema = input.schema): ExchangeExec {
    return { kind: 'exchange', id: this.nextId++, input, partitioning, keySchema, schema: input.schema };
  }

  private aggregate(plan: AggregateNode, input: Planned): Planned {
    const spec = { keys: plan.keys, aggregates: plan.aggregates, inputSchema: plan.input.schema, schema: plan.schema };
    const partial: PhysicalPlan = { kind: 'hash-aggregate', mode: 'partial', input: input.plan, ...spec };
    if (input.dist.kind === 'single') return { plan: { kind: 'hash-aggregate', mode: 'final', input: partial, ...spec }, dist: SINGLE, bytes: input.bytes };
    if (plan.keys.length === 0) {
      // One group: the tasks' partial states merge on the coordinator as they arrive.
      return { plan: { kind: 'hash-aggregate', mode: 'final', input: { kind: 'gather', input: partial, schema: plan.schema }, ...spec }, dist: SINGLE, bytes: input.bytes };
    }
    // Partial states are hash-exchanged on the group keys (the states' first columns, named as the
    // output's), so each reduce task finishes a disjoint set of groups.
    const keyFields = plan.schema.fields.slice(0, plan.keys.length);
    const partitions = this.ctx.shuffle.partitionsFor(input.bytes);
    const exchange = this.exchange(partial, { kind: 'hash', keys: keyFields.map((f) => ColumnNode.create(f.name)), partitions }, schemaOf(keyFields));
    return { plan: { kind: 'hash-aggregate', mode: 'final', input: exchange, ...spec }, dist: { kind: 'partitioned', partitions }, bytes: input.bytes };
  }

  /**
   * Window partitions must be whole in one task: rows are hash-exchanged on the PARTITION BY keys (or
   * gathered when there are none), then sorted by PARTITION BY and ORDER BY keys in each task.
   */
  private window(plan: WindowNode, input: Planned): Planned {
    const first = plan.windows[0]!;
    const call = (first.kind === 'alias' ? first.operand : first) as WindowCallNode;
    const sortKeys: SortKey[] = [...call.partitionBy.map((e) => ({ expr: e, ascending: true, nullsFirst: true })), ...call.orderBy];
    const over = (below: PhysicalPlan): PhysicalPlan => ({
      kind: 'window',
      input: sortKeys.length === 0 ? below : { kind: 'sort', input: below, keys: sortKeys, limit: null, schema: below.schema },
      windows: plan.windows,
      schema: plan.schema,
    });
    if (input.dist.kind === 'single' || call.partitionBy.length === 0) return { plan: over(gathered(input)), dist: SINGLE, bytes: input.bytes };
    const hashKeys = call.partitionBy.map(displayExpr).join(', ');
    // Rows already hash-partitioned by the same keys (an earlier window) need no second exchange.
    if (input.dist.kind === 'partitioned' && input.dist.hashKeys === hashKeys) return { plan: over(input.plan), dist: input.dist, bytes: input.bytes };
    const partitions = this.ctx.shuffle.partitionsFor(input.bytes);
    const exchange = this.exchange(input.plan, { kind: 'hash', keys: call.partitionBy, partitions });
    return { plan: over(exchange), dist: { kind: 'partitioned', partitions, hashKeys }, bytes: input.bytes };
  }

  private join(plan: JoinNode, left: Planned, right: Planned): Planned {
    const base = { left: left.plan, right: right.plan, type: plan.type, leftKeys: plan.leftKeys, rightKeys: plan.rightKeys, condition: plan.condition, schema: plan.schema };
    const bytes = left.bytes + right.bytes;
    const threshold = this.ctx.shuffle.broadcastThresholdBytes;
    const mb = (n: number): string => `${(n / 1e6).toFixed(1)} MB`;
    if (left.dist.kind === 'single' && right.dist.kind === 'single') {
      const buildSide = right.bytes <= left.bytes ? 'right' : 'left';
      return { plan: { kind: 'hash-join', ...base, buildSide, strategy: 'coordinator', reason: 'both inputs are on the coordinator' }, dist: SINGLE, bytes };
    }
    // Spark's rules: the build side of a broadcast join is one whose unmatched rows are never output.
    const canBuildRight = plan.type === 'inner' || plan.type === 'left' || plan.type === 'left_semi' || plan.type === 'left_anti';
    const canBuildLeft = plan.type === 'inner' || plan.type === 'right';
    const rightSmall = threshold > 0 && canBuildRight && right.bytes <= threshold;
    const leftSmall = threshold > 0 && canBuildLeft && left.bytes <= threshold;
    if (rightSmall || leftSmall) {
      const buildSide = rightSmall && (!leftSmall || right.bytes <= left.bytes) ? 'right' : 'left';
      const [build, probe] = buildSide === 'right' ? [right, left] : [left, right];
      const broadcast: BroadcastExec = { kind: 'broadcast', id: this.nextId++, input: gathered(build), schema: build.plan.schema };
      const reason = `${buildSide} side ${mb(build.bytes)} ≤ broadcast threshold ${mb(threshold)}`;
      const joined: HashJoinExec = {
        kind: 'hash-join',
        ...base,
        ...(buildSide === 'right' ? { right: broadcast } : { left: broadcast }),
        buildSide,
        strategy: 'broadcast',
        reason,
      };
      return { plan: joined, dist: probe.dist, bytes };
    }
    if (left.dist.kind === 'single' || right.dist.kind === 'single') {
      const buildSide = right.bytes <= left.bytes ? 'right' : 'left';
      const reason = 'one input is already on the coordinator (after a union, a limit or a global aggregate)';
      return { plan: { kind: 'hash-join', ...base, left: gathered(left), right: gathered(right), buildSide, strategy: 'coordinator', reason }, dist: SINGLE, bytes };
    }
    const partitions = this.ctx.shuffle.partitionsFor(bytes);
    const side = (p: Planned, keys: readonly Expr[]): PhysicalPlan => this.exchange(p.plan, { kind: 'hash', keys, partitions });
    // The smaller side is hashed; for LEFT, SEMI and ANTI joins the right side, whose unmatched rows are never
    // output, so no match flags are kept.
    const buildSide = right.bytes <= left.bytes || (canBuildRight && !canBuildLeft) ? 'right' : 'left';
    const why =
      threshold <= 0
        ? 'broadcast joins are off'
        : plan.type === 'full'
          ? 'a full outer join cannot be broadcast'
          : `no side that may be broadcast for a ${plan.type} join is ≤ ${mb(threshold)} (left ${mb(left.bytes)}, right ${mb(right.bytes)})`;
    return {
      plan: { kind: 'hash-join', ...base, left: side(left, plan.leftKeys), right: side(right, plan.rightKeys), buildSide, strategy: 'shuffled', reason: why },
      dist: { kind: 'partitioned', partitions },
      bytes,
    };
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
