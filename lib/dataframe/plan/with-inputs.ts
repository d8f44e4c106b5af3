// Rebuilds a node over new inputs, recomputing the schema where it is the input's (filter, sort, limit).
// Rules use it so that none of them repeats the per-kind construction.
import { assertNever } from '../assert-never.js';
import type { LogicalPlan } from './logical-plan.js';
import { planInputs } from './logical-plan.js';
import { AggregateNode } from './nodes/aggregate-node.js';
import { FilterNode } from './nodes/filter-node.js';
import { LimitNode } from './nodes/limit-node.js';
import { ProjectNode } from './nodes/project-node.js';
import { SortNode } from './nodes/sort-node.js';
import { UnionNode } from './nodes/union-node.js';

/** `plan` with its inputs replaced; the same object when every input is unchanged. */
export function withInputs(plan: LogicalPlan, inputs: readonly LogicalPlan[]): LogicalPlan {
  switch (plan.kind) {
    case 'scan':
      return plan;
    case 'union':
      return inputs.every((p, i) => p === plan.inputs[i]) ? plan : UnionNode.create(inputs, plan.schema);
    case 'filter':
    case 'project':
    case 'aggregate':
    case 'sort':
    case 'limit': {
      const input = inputs[0]!;
      if (input === plan.input) return plan;
      switch (plan.kind) {
        case 'filter':
          return FilterNode.create(input, plan.condition);
        case 'project':
          return ProjectNode.create(input, plan.exprs, plan.schema);
        case 'aggregate':
          return AggregateNode.create(input, plan.keys, plan.aggregates, plan.schema);
        case 'sort':
          return SortNode.create(input, plan.keys);
        case 'limit':
          return LimitNode.create(input, plan.count);
        default:
          return assertNever(plan, 'plan node');
      }
    }
    default:
      return assertNever(plan, 'plan node');
  }
}

/** Applies `rule` to every node bottom-up (children first). */
export function transformUp(plan: LogicalPlan, rule: (p: LogicalPlan) => LogicalPlan): LogicalPlan {
  const inputs = planInputs(plan).map((p) => transformUp(p, rule));
  return rule(withInputs(plan, inputs));
}

/** Applies `rule` to every node top-down (the node first, then the children of its result). */
export function transformDown(plan: LogicalPlan, rule: (p: LogicalPlan) => LogicalPlan): LogicalPlan {
  const next = rule(plan);
  return withInputs(next, planInputs(next).map((p) => transformDown(p, rule)));
}
