// Rebuilds a node over new inputs, recomputing the schema where it is the input's (filter, sort, limit).
// Rules use it so that none of them repeats the per-kind construction.
import { assertNever } from '../assert-never.js';
import type { Schema } from '../types/schema.js';
import type { LogicalPlan } from './logical-plan.js';
import { planInputs } from './logical-plan.js';
import { AggregateNode } from './nodes/aggregate-node.js';
import { DeduplicateNode } from './nodes/deduplicate-node.js';
import { FilterNode } from './nodes/filter-node.js';
import { JoinNode } from './nodes/join-node.js';
import { LimitNode } from './nodes/limit-node.js';
import { ProjectNode } from './nodes/project-node.js';
import { SortNode } from './nodes/sort-node.js';
import { UnionNode } from './nodes/union-node.js';
import { WindowNode } from './nodes/window-node.js';
import { schemaOf } from '../types/schema.js';
import { joinOutputSchema } from './join-schema.js';

/** `plan` with its inputs replaced; the same object when every input is unchanged. */
export function withInputs(plan: LogicalPlan, inputs: readonly LogicalPlan[]): LogicalPlan {
  switch (plan.kind) {
    case 'scan':
      return plan;
    case 'union':
      return inputs.every((p, i) => p === plan.inputs[i]) ? plan : UnionNode.create(inputs, plan.schema);
    case 'join': {
      const [left, right] = inputs as [LogicalPlan, LogicalPlan];
      return left === plan.left && right === plan.right ? plan : JoinNode.create(left, right, plan.type, plan.leftKeys, plan.rightKeys, plan.condition, joinSchema(plan, left, right));
    }
    case 'filter':
    case 'project':
    case 'aggregate':
    case 'sort':
    case 'limit':
    case 'deduplicate':
    case 'window': {
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
        case 'deduplicate':
          return DeduplicateNode.create(input, plan.keys);
        case 'window':
          return WindowNode.create(input, plan.windows, schemaOf([...input.schema.fields, ...plan.schema.fields.slice(plan.input.schema.fields.length)]));
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

/** A join's schema over new inputs, which may have fewer columns (pruned) than the old ones. */
function joinSchema(plan: JoinNode, left: LogicalPlan, right: LogicalPlan): Schema {
  return joinOutputSchema(plan.type, left.schema, right.schema);
}
