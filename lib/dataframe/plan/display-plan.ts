// Prints a logical plan as indented text, one node per line, for explain() and optimizer tests.
import { assertNever } from '../assert-never.js';
import { displayExpr } from '../expr/display-expr.js';
import type { SortKey } from '../expr/sort-key.js';
import type { LogicalPlan } from './logical-plan.js';
import { planInputs } from './logical-plan.js';

/**
 * The plan as text, root first, children indented by two spaces.
 * @example displayPlan(df.plan) // "Filter (amount_minor > 100)\n  Scan parquet [data/transactions] ..."
 */
export function displayPlan(plan: LogicalPlan, indent = 0): string {
  const line = `${'  '.repeat(indent)}${describeNode(plan)}`;
  return [line, ...planInputs(plan).map((p) => displayPlan(p, indent + 1))].join('\n');
}

/** One line describing a node without its inputs. */
export function describeNode(plan: LogicalPlan): string {
  switch (plan.kind) {
    case 'scan': {
      const s = plan.source;
      const parts = [`Scan ${s.format} [${s.paths.join(', ')}]`, `columns=[${plan.columns.join(', ')}]`];
      if (plan.partitionFilters.length) parts.push(`partitionFilters=[${plan.partitionFilters.map(displayExpr).join(', ')}]`);
      if (plan.filters.length) parts.push(`filters=[${plan.filters.map(displayExpr).join(', ')}]`);
      return parts.join(' ');
    }
    case 'filter':
      return `Filter ${displayExpr(plan.condition)}`;
    case 'project':
      return `Project [${plan.exprs.map(displayExpr).join(', ')}]`;
    case 'aggregate':
      return `Aggregate keys=[${plan.keys.map(displayExpr).join(', ')}] aggregates=[${plan.aggregates.map(displayExpr).join(', ')}]`;
    case 'sort':
      return `Sort [${plan.keys.map(displaySortKey).join(', ')}]`;
    case 'limit':
      return `Limit ${plan.count}`;
    case 'union':
      return `Union ALL (${plan.inputs.length} inputs)`;
    case 'join': {
      const on = plan.leftKeys.map((k, i) => `${displayExpr(k)} = ${displayExpr(plan.rightKeys[i]!)}`);
      return `Join ${plan.type} on=[${on.join(', ')}]${plan.condition === null ? '' : ` condition=${displayExpr(plan.condition)}`}`;
    }
    case 'deduplicate':
      return `Deduplicate keys=[${plan.keys.join(', ')}]`;
    case 'window':
      return `Window [${plan.windows.map(displayExpr).join(', ')}]`;
    default:
      return assertNever(plan, 'plan node');
  }
}

/** `gross DESC NULLS LAST` */
export function displaySortKey(k: SortKey): string {
  return `${displayExpr(k.expr)} ${k.ascending ? 'ASC' : 'DESC'} NULLS ${k.nullsFirst ? 'FIRST' : 'LAST'}`;
}
