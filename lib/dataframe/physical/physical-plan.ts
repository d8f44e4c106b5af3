// The physical plan union: operators chosen by the planner, each carrying its output schema. A plan is cut
// into stages at its boundaries — gather (to the coordinator), exchange (to reduce tasks) and broadcast (to
// every task of the stage above): everything between boundaries runs as one task per scan task or per
// exchange partition inside workers; everything above the top gather runs on the coordinator.
import type { BroadcastExec } from './nodes/broadcast-exec.js';
import type { DeduplicateExec } from './nodes/deduplicate-exec.js';
import type { ExchangeExec } from './nodes/exchange-exec.js';
import type { FilterExec } from './nodes/filter-exec.js';
import type { GatherExec } from './nodes/gather-exec.js';
import type { HashAggregateExec } from './nodes/hash-aggregate-exec.js';
import type { HashJoinExec } from './nodes/hash-join-exec.js';
import type { LimitExec } from './nodes/limit-exec.js';
import type { FileScanExec } from './nodes/file-scan-exec.js';
import type { ProjectExec } from './nodes/project-exec.js';
import type { SortExec } from './nodes/sort-exec.js';
import type { StageInputExec } from './nodes/stage-input-exec.js';
import type { UnionExec } from './nodes/union-exec.js';
import type { WindowExec } from './nodes/window-exec.js';

/** Any physical operator. */
export type PhysicalPlan =
  | FileScanExec
  | FilterExec
  | ProjectExec
  | HashAggregateExec
  | GatherExec
  | SortExec
  | LimitExec
  | UnionExec
  | ExchangeExec
  | BroadcastExec
  | HashJoinExec
  | DeduplicateExec
  | StageInputExec
  | WindowExec;

/** The inputs of an operator, in order. */
export function physicalInputs(plan: PhysicalPlan): readonly PhysicalPlan[] {
  switch (plan.kind) {
    case 'file-scan':
    case 'stage-input':
      return [];
    case 'union':
      return plan.inputs;
    case 'hash-join':
      return [plan.left, plan.right];
    case 'filter':
    case 'project':
    case 'hash-aggregate':
    case 'gather':
    case 'sort':
    case 'limit':
    case 'exchange':
    case 'broadcast':
    case 'deduplicate':
    case 'window':
      return [plan.input];
  }
}

/** `plan` with its inputs replaced (same order as {@link physicalInputs}). */
export function withPhysicalInputs(plan: PhysicalPlan, inputs: readonly PhysicalPlan[]): PhysicalPlan {
  switch (plan.kind) {
    case 'file-scan':
    case 'stage-input':
      return plan;
    case 'union':
      return { ...plan, inputs };
    case 'hash-join':
      return { ...plan, left: inputs[0]!, right: inputs[1]! };
    case 'filter':
    case 'project':
    case 'hash-aggregate':
    case 'gather':
    case 'sort':
    case 'limit':
    case 'exchange':
    case 'broadcast':
    case 'deduplicate':
    case 'window':
      return { ...plan, input: inputs[0]! };
  }
}
