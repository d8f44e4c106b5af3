// Prints a physical plan for explain: one operator per line, with task counts and what pruning skipped.
import { assertNever } from '../assert-never.js';
import { displayExpr } from '../expr/display-expr.js';
import { displaySortKey } from '../plan/display-plan.js';
import type { PhysicalPlan } from './physical-plan.js';
import { physicalInputs } from './physical-plan.js';
import type { ScanPruningReport } from './scan/scan-planner.js';

/** The physical plan as indented text, root first. */
export function displayPhysicalPlan(plan: PhysicalPlan, indent = 0): string {
  const pad = '  '.repeat(indent);
  const line = describeExec(plan).split('\n').map((l) => `${pad}${l}`).join('\n');
  return [line, ...physicalInputs(plan).map((p) => displayPhysicalPlan(p, indent + 1))].join('\n');
}

function describeExec(plan: PhysicalPlan): string {
  switch (plan.kind) {
    case 'file-scan': {
      const name = { parquet: 'ParquetScan', csv: 'CsvScan', jsonl: 'JsonLinesScan' }[plan.format];
      const parts = [`${name} [${plan.paths.join(', ')}] columns=[${plan.columns.join(', ')}]`];
      if (plan.text?.rejects) parts.push(`rejects=${plan.text.rejects}`);
      if (plan.readColumns.length !== plan.columns.length) parts.push(`read=[${plan.readColumns.join(', ')}]`);
      if (plan.filters.length) parts.push(`filters=[${plan.filters.map(displayExpr).join(', ')}]`);
      return `${parts.join(' ')}\n${describePruning(plan.pruning, plan.tasks.length)}`;
    }
    case 'filter':
      return `Filter ${displayExpr(plan.condition)}`;
    case 'project':
      return `Project [${plan.exprs.map(displayExpr).join(', ')}]`;
    case 'hash-aggregate':
      return `HashAggregate(${plan.mode}) keys=[${plan.keys.map(displayExpr).join(', ')}] aggregates=[${plan.aggregates.map(displayExpr).join(', ')}]`;
    case 'gather':
      {
      const n = countTasks(plan.input);
      return `Gather (${n} task${n === 1 ? '' : 's'} on the worker pool, results in task order)`;
    }
    case 'sort':
      return `${plan.limit === null ? 'Sort' : `TopN ${plan.limit}`} [${plan.keys.map(displaySortKey).join(', ')}]`;
    case 'limit':
      return `Limit ${plan.count}`;
    case 'union':
      return `Union ALL (${plan.inputs.length} inputs)`;
    case 'exchange': {
      const p = plan.partitioning;
      const keys = p.kind === 'hash' ? p.keys.map(displayExpr) : p.keys.map(displaySortKey);
      return `Exchange ${p.kind}(${keys.join(', ')}) into ${p.partitions} partition${p.partitions === 1 ? '' : 's'} (map tasks write scratch files)`;
    }
    case 'broadcast':
      return 'Broadcast (run first, written once, read by every task)';
    case 'hash-join': {
      const on = plan.leftKeys.map((k, i) => `${displayExpr(k)} = ${displayExpr(plan.rightKeys[i]!)}`);
      const name = { broadcast: 'BroadcastHashJoin', shuffled: 'ShuffledHashJoin', coordinator: 'HashJoin on the coordinator' }[plan.strategy];
      const condition = plan.condition === null ? '' : ` condition=${displayExpr(plan.condition)}`;
      return `${name} ${plan.type} on=[${on.join(', ')}]${condition} build=${plan.buildSide} (${plan.reason})`;
    }
    case 'deduplicate':
      return `Deduplicate keys=[${plan.keys.join(', ')}] (first row of each key in input order)`;
    case 'window':
      return `Window [${plan.windows.map(displayExpr).join(', ')}]`;
    case 'stage-input':
      return `StageInput ${plan.from} ${plan.id}`;
    default:
      return assertNever(plan, 'physical operator');
  }
}

/** `pruning: files 7 → 7 (by partition), row groups 7 → 2 (4 by statistics, 1 by dictionary), reading 22.1 MB of 40.2 MB` */
function describePruning(r: ScanPruningReport, tasks: number): string {
  const mb = (n: number): string => `${(n / 1e6).toFixed(1)} MB`;
  return (
    `  pruning: files ${r.files} → ${r.files - r.filesPrunedByPartition} (by partition), ` +
    `row groups ${r.rowGroups} → ${tasks} (${r.rowGroupsPrunedByStatistics} by statistics, ${r.rowGroupsPrunedByDictionary} by dictionary), ` +
    `reading ${mb(r.bytes - r.bytesSkipped)} of ${mb(r.bytes)}`
  );
}

function countTasks(plan: PhysicalPlan): number {
  if (plan.kind === 'file-scan') return plan.tasks.length;
  if (plan.kind === 'exchange') return plan.partitioning.partitions;
  if (plan.kind === 'broadcast') return 0;
  // A stage reads one scan or exchanges of one partition count: its task count is the largest below.
  return physicalInputs(plan).reduce((s, p) => Math.max(s, countTasks(p)), 0);
}
