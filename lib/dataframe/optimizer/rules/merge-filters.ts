// Rule: two adjacent filters become one with the conditions joined by AND, so the pair pushes down as
// one conjunction and is evaluated in one pass.
import { BinaryNode } from '../../expr/nodes/binary-node.js';
import type { LogicalPlan } from '../../plan/logical-plan.js';
import { FilterNode } from '../../plan/nodes/filter-node.js';
import { transformUp } from '../../plan/with-inputs.js';

/** The rule. */
export function mergeFilters(plan: LogicalPlan): LogicalPlan {
  return transformUp(plan, (p) => {
    if (p.kind !== 'filter' || p.input.kind !== 'filter') return p;
    // The inner condition first: it was written first, and evaluation order is kept for readability.
    return FilterNode.create(p.input.input, BinaryNode.create('AND', p.input.condition, p.condition));
  });
}
