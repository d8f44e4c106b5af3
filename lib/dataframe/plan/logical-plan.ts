// The logical plan union. Consumers (display, optimizer rules, physical planner, Spark compiler) switch on
// `kind` and end in assertNever, so a new node fails to compile until each of them handles it.
import type { AggregateNode } from './nodes/aggregate-node.js';
import type { DeduplicateNode } from './nodes/deduplicate-node.js';
import type { FilterNode } from './nodes/filter-node.js';
import type { JoinNode } from './nodes/join-node.js';
import type { LimitNode } from './nodes/limit-node.js';
import type { ProjectNode } from './nodes/project-node.js';
import type { ScanNode } from './nodes/scan-node.js';
import type { SortNode } from './nodes/sort-node.js';
import type { UnionNode } from './nodes/union-node.js';
import type { WindowNode } from './nodes/window-node.js';

/** Any logical plan node. Each carries its output schema. */
export type LogicalPlan = ScanNode | FilterNode | ProjectNode | AggregateNode | SortNode | LimitNode | UnionNode | JoinNode | DeduplicateNode | WindowNode;

/** The tag of a LogicalPlan. */
export type PlanKind = LogicalPlan['kind'];

/** The inputs of a node, in order. */
export function planInputs(plan: LogicalPlan): readonly LogicalPlan[] {
  switch (plan.kind) {
    case 'scan':
      return [];
    case 'union':
      return plan.inputs;
    case 'join':
      return [plan.left, plan.right];
    case 'filter':
    case 'deduplicate':
    case 'window':
    case 'project':
    case 'aggregate':
    case 'sort':
    case 'limit':
      return [plan.input];
  }
}
