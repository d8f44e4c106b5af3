// The optimizer: an ordered list of pure rules, each `(plan) => plan`, run once in this order. After
// each rule the output schema must be unchanged (names, types, nullability may only narrow); a rule that
// breaks that is a bug and fails loudly. Rules can be switched off by name for tests and diagnosis.
import { PaylakeError } from '../../errors/paylake-error.js';
import { sameType, typeName } from '../types/data-type.js';
import type { LogicalPlan } from '../plan/logical-plan.js';
import { collapseProjects } from './rules/collapse-projects.js';
import { foldConstants } from './rules/fold-constants.js';
import { mergeFilters } from './rules/merge-filters.js';
import { pruneColumns } from './rules/prune-columns.js';
import { pushDownFilter } from './rules/push-down-filter.js';

/** An optimizer rule with the reason for its place in the order. */
export interface OptimizerRule {
  readonly name: string;
  readonly apply: (plan: LogicalPlan) => LogicalPlan;
  readonly why: string;
}

/** The rules, in the order they run. */
export const OPTIMIZER_RULES: readonly OptimizerRule[] = [
  {
    name: 'fold-constants',
    apply: foldConstants,
    why: 'first, so that pushed predicates compare columns with plain literals (10000L, not CAST(10000 AS BIGINT)) that statistics can use',
  },
  {
    name: 'merge-filters',
    apply: mergeFilters,
    why: 'before pushdown, so that stacked filters travel as one conjunction and split once',
  },
  {
    name: 'push-down-filter',
    apply: pushDownFilter,
    why: 'before pruning, so that columns used only by filters are known to be needed by the scan and nowhere above',
  },
  {
    name: 'collapse-projects',
    apply: collapseProjects,
    why: 'after pushdown (which substitutes through projections) and before pruning, so pruning sees one projection',
  },
  {
    name: 'prune-columns',
    apply: pruneColumns,
    why: 'last: it needs every filter and projection in its final place to know what each scan must read',
  },
];

/** Options for `optimize`. */
export interface OptimizeOptions {
  /** Names of rules to skip. */
  readonly disabledRules?: readonly string[];
}

/**
 * Runs every enabled rule in order and checks that the output schema is preserved.
 * @example optimize(plan, { disabledRules: ['push-down-filter'] })
 */
export function optimize(plan: LogicalPlan, options: OptimizeOptions = {}): LogicalPlan {
  const disabled = new Set(options.disabledRules ?? []);
  for (const name of disabled) {
    if (!OPTIMIZER_RULES.some((r) => r.name === name)) {
      throw new PaylakeError('USAGE', `unknown optimizer rule "${name}"; rules: ${OPTIMIZER_RULES.map((r) => r.name).join(', ')}`);
    }
  }
  let current = plan;
  for (const rule of OPTIMIZER_RULES) {
    if (disabled.has(rule.name)) continue;
    const next = rule.apply(current);
    checkSchemaPreserved(current, next, rule.name);
    current = next;
  }
  return current;
}

function checkSchemaPreserved(before: LogicalPlan, after: LogicalPlan, rule: string): void {
  const a = before.schema.fields;
  const b = after.schema.fields;
  const same =
    a.length === b.length &&
    a.every((f, i) => f.name === b[i]!.name && sameType(f.type, b[i]!.type) && (f.nullable || !b[i]!.nullable));
  if (!same) {
    const show = (fs: typeof a): string => fs.map((f) => `${f.name}: ${typeName(f.type)}`).join(', ');
    throw new PaylakeError('INTERNAL', `optimizer rule ${rule} changed the output schema from [${show(a)}] to [${show(b)}]; please report this`);
  }
}
