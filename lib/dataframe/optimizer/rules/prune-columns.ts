// Rule: reads and computes only the columns something above uses. Walks down with the set of names each
// node's parent needs; scans end up reading just those columns (plus what their own filters need, which
// the physical scan reads and drops), and projections drop outputs nobody uses.
import { referencedColumns } from '../../expr/transform-expr.js';
import { ColumnNode } from '../../expr/nodes/column-node.js';
import type { Expr } from '../../expr/expr.js';
import type { LogicalPlan } from '../../plan/logical-plan.js';
import { ProjectNode } from '../../plan/nodes/project-node.js';
import { ScanNode } from '../../plan/nodes/scan-node.js';
import { WindowNode } from '../../plan/nodes/window-node.js';
import { withInputs } from '../../plan/with-inputs.js';
import { schemaOf } from '../../types/schema.js';
import { assertNever } from '../../assert-never.js';

/** The rule. The root keeps its whole schema. */
export function pruneColumns(plan: LogicalPlan): LogicalPlan {
  return prune(plan, new Set(plan.schema.fields.map((f) => f.name)));
}

function prune(plan: LogicalPlan, required: ReadonlySet<string>): LogicalPlan {
  switch (plan.kind) {
    case 'scan': {
      const columns = plan.columns.filter((c) => required.has(c));
      return columns.length === plan.columns.length ? plan : ScanNode.create(plan.source, columns, plan.filters, plan.partitionFilters);
    }
    case 'filter': {
      const need = new Set([...required, ...referencedColumns(plan.condition)]);
      return withInputs(plan, [prune(plan.input, need)]);
    }
    case 'sort': {
      const need = new Set([...required, ...plan.keys.flatMap((k) => referencedColumns(k.expr))]);
      return withInputs(plan, [prune(plan.input, need)]);
    }
    case 'limit':
      return withInputs(plan, [prune(plan.input, required)]);
    case 'project': {
      const kept = plan.exprs.map((e, i) => ({ e, f: plan.schema.fields[i]! })).filter(({ f }) => required.has(f.name));
      // Keep at least one column so that row counts survive (count(*) over a projection).
      const chosen = kept.length > 0 ? kept : plan.exprs.slice(0, 1).map((e, i) => ({ e, f: plan.schema.fields[i]! }));
      const need = new Set(chosen.flatMap(({ e }) => referencedColumns(e)));
      const input = prune(plan.input, need);
      const identity =
        chosen.length === input.schema.fields.length &&
        chosen.every(({ e, f }, i) => e.kind === 'column' && e.name === f.name && input.schema.fields[i]!.name === f.name);
      if (identity) return input;
      return ProjectNode.create(input, chosen.map(({ e }) => e), schemaOf(chosen.map(({ f }) => f)));
    }
    case 'aggregate': {
      const need = new Set([...plan.keys, ...plan.aggregates].flatMap((e) => referencedColumns(e)));
      return withInputs(plan, [prune(plan.input, need)]);
    }
    case 'union': {
      const positions = plan.schema.fields.map((f, i) => (required.has(f.name) ? i : -1)).filter((i) => i >= 0);
      if (positions.length === plan.schema.fields.length) {
        return withInputs(plan, plan.inputs.map((p) => prune(p, new Set(p.schema.fields.map((f) => f.name)))));
      }
      // Narrow every branch to the same positions, keeping column order aligned.
      const keep = positions.length > 0 ? positions : [0];
      const branches = plan.inputs.map((p) => {
        const names = keep.map((i) => p.schema.fields[i]!.name);
        const narrowed = ProjectNode.create(p, names.map((n) => ColumnNode.create(n)), schemaOf(keep.map((i) => p.schema.fields[i]!)));
        return prune(narrowed, new Set(names));
      });
      return withInputs({ ...plan, schema: schemaOf(keep.map((i) => plan.schema.fields[i]!)) }, branches);
    }
    case 'join': {
      const need = new Set([...required, ...(plan.condition === null ? [] : referencedColumns(plan.condition))]);
      const side = (input: LogicalPlan, keys: readonly Expr[]): LogicalPlan => {
        const names = input.schema.fields.map((f) => f.name).filter((n) => need.has(n));
        return prune(input, new Set([...names, ...keys.flatMap((k) => referencedColumns(k))]));
      };
      return withInputs(plan, [side(plan.left, plan.leftKeys), side(plan.right, plan.rightKeys)]);
    }
    case 'window': {
      // Window columns nobody uses are dropped; their inputs are kept only for the ones that stay.
      const width = plan.input.schema.fields.length;
      const kept = plan.windows.filter((_w, i) => required.has(plan.schema.fields[width + i]!.name));
      if (kept.length === 0) return prune(plan.input, required);
      const need = new Set([...required, ...kept.flatMap((w) => referencedColumns(w))]);
      const input = prune(plan.input, need);
      const fields = plan.windows.map((_w, i) => plan.schema.fields[width + i]!).filter((_f, i) => kept.includes(plan.windows[i]!));
      return WindowNode.create(input, kept, schemaOf([...input.schema.fields, ...fields]));
    }
    case 'deduplicate':
      // Which row of a key comes first does not depend on the other columns, so they can go.
      return withInputs(plan, [prune(plan.input, new Set([...required, ...plan.keys]))]);
    default:
      return assertNever(plan, 'plan node');
  }
}
