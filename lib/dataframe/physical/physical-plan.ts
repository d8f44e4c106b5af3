// The physical plan union: operators chosen by the planner, each carrying its output schema. Everything
// below a GatherExec runs once per scan task inside workers; everything above runs on the coordinator.
import type { FilterExec } from './nodes/filter-exec.js';
import type { GatherExec } from './nodes/gather-exec.js';
import type { HashAggregateExec } from './nodes/hash-aggregate-exec.js';
import type { LimitExec } from './nodes/limit-exec.js';
import type { FileScanExec } from './nodes/file-scan-exec.js';
import type { ProjectExec } from './nodes/project-exec.js';
import type { SortExec } from './nodes/sort-exec.js';
import type { UnionExec } from './nodes/union-exec.js';

/** Any physical operator. */
export type PhysicalPlan = FileScanExec | FilterExec | ProjectExec | HashAggregateExec | GatherExec | SortExec | LimitExec | UnionExec;

/** The inputs of an operator, in order. */
export function physicalInputs(plan: PhysicalPlan): readonly PhysicalPlan[] {
  switch (plan.kind) {
    case 'file-scan':
      return [];
    case 'union':
      return plan.inputs;
    case 'filter':
    case 'project':
    case 'hash-aggregate':
    case 'gather':
    case 'sort':
    case 'limit':
      return [plan.input];
  }
}
