// Rule: moves filter conjuncts as close to the scan as they can go — through projections (substituting
// the projected expressions), sorts, unions (per input, by position) and aggregations (conjuncts on
// grouping keys only) — and finally into the scan: conjuncts on partition columns only become
// partition filters (dt= pruning before any file is opened), the rest scan filters (row-group pruning).
import type { Expr } from '../../expr/expr.js';
import { BinaryNode } from '../../expr/nodes/binary-node.js';
import { ColumnNode } from '../../expr/nodes/column-node.js';
import { referencedColumns, rewriteExpr, someExpr, splitConjunction } from '../../expr/transform-expr.js';
import type { WindowCallNode } from '../../expr/nodes/window-call-node.js';
import type { LogicalPlan } from '../../plan/logical-plan.js';
import { FilterNode } from '../../plan/nodes/filter-node.js';
import { ScanNode } from '../../plan/nodes/scan-node.js';
import { transformDown, withInputs } from '../../plan/with-inputs.js';

/** The rule. */
export function pushDownFilter(plan: LogicalPlan): LogicalPlan {
  return transformDown(plan, (p) => (p.kind === 'filter' ? pushFilter(p.input, splitConjunction(p.condition)) : p));
}

function conjoin(conditions: readonly Expr[]): Expr {
  return conditions.reduce((acc, c) => BinaryNode.create('AND', acc, c));
}

function filterOver(input: LogicalPlan, conditions: readonly Expr[]): LogicalPlan {
  return conditions.length === 0 ? input : FilterNode.create(input, conjoin(conditions));
}

/** Substitutes column references by the expressions that define them. */
function substitute(e: Expr, definitions: ReadonlyMap<string, Expr>): Expr {
  return rewriteExpr(e, (node) => (node.kind === 'column' ? definitions.get(node.name) : undefined));
}

function unaliased(e: Expr): Expr {
  return e.kind === 'alias' ? e.operand : e;
}

/** Places `conditions` (already split) as deep under `input` as they can go. */
function pushFilter(input: LogicalPlan, conditions: readonly Expr[]): LogicalPlan {
  switch (input.kind) {
    case 'scan': {
      const partition = new Set(input.source.partitionColumns);
      const onPartitions = conditions.filter((c) => {
        const cols = referencedColumns(c);
        return cols.length > 0 && cols.every((n) => partition.has(n));
      });
      const rest = conditions.filter((c) => !onPartitions.includes(c));
      return ScanNode.create(input.source, input.columns, [...input.filters, ...rest], [...input.partitionFilters, ...onPartitions]);
    }
    case 'project': {
      const definitions = new Map(input.exprs.map((e, i) => [input.schema.fields[i]!.name, unaliased(e)]));
      const pushed = conditions.map((c) => substitute(c, definitions));
      return withInputs(input, [pushFilter(input.input, pushed)]);
    }
    case 'filter':
      return pushFilter(input.input, [...splitConjunction(input.condition), ...conditions]);
    case 'sort':
      return withInputs(input, [pushFilter(input.input, conditions)]);
    case 'union': {
      const pushedInputs = input.inputs.map((branch) => {
        const byPosition = new Map(input.schema.fields.map((f, i) => [f.name, ColumnNode.create(branch.schema.fields[i]!.name) as Expr]));
        return pushFilter(branch, conditions.map((c) => substitute(c, byPosition)));
      });
      return withInputs(input, pushedInputs);
    }
    case 'aggregate': {
      const keyNames = new Set(input.schema.fields.slice(0, input.keys.length).map((f) => f.name));
      const keyDefinitions = new Map(input.keys.map((k, i) => [input.schema.fields[i]!.name, unaliased(k)]));
      const onKeys = conditions.filter((c) => {
        const cols = referencedColumns(c);
        return cols.length > 0 && cols.every((n) => keyNames.has(n)) && !someExpr(c, (x) => x.kind === 'aggregate-call');
      });
      const above = conditions.filter((c) => !onKeys.includes(c));
      const below = pushFilter(input.input, onKeys.map((c) => substitute(c, keyDefinitions)));
      return filterOver(withInputs(input, [below]), above);
    }
    case 'join': {
      // A conjunct on one side's columns only filters that side first, where the join keeps that side's
      // rows only when they match (it would turn NULL-extended rows into dropped ones on a preserved side).
      const toLeft = input.type === 'inner' || input.type === 'left' || input.type === 'left_semi' || input.type === 'left_anti';
      const toRight = input.type === 'inner' || input.type === 'right';
      const leftNames = new Set(input.left.schema.fields.map((f) => f.name));
      const rightNames = new Set(input.right.schema.fields.map((f) => f.name));
      const within = (c: Expr, names: ReadonlySet<string>): boolean => {
        const cols = referencedColumns(c);
        return cols.length > 0 && cols.every((n) => names.has(n));
      };
      const left = toLeft ? conditions.filter((c) => within(c, leftNames)) : [];
      const right = toRight ? conditions.filter((c) => within(c, rightNames)) : [];
      const above = conditions.filter((c) => !left.includes(c) && !right.includes(c));
      return filterOver(withInputs(input, [pushFilter(input.left, left), pushFilter(input.right, right)]), above);
    }
    case 'window': {
      // A conjunct on columns every call partitions by keeps or drops whole window partitions.
      const partitionColumns = input.windows
        .map((w) => new Set((w.kind === 'alias' ? w.operand : w).kind === 'window-call' ? ((w.kind === 'alias' ? w.operand : w) as WindowCallNode).partitionBy.flatMap((p) => (p.kind === 'column' ? [p.name] : [])) : []))
        .reduce((a, b) => new Set([...a].filter((x) => b.has(x))));
      const onPartitions = conditions.filter((c) => {
        const cols = referencedColumns(c);
        return cols.length > 0 && cols.every((n) => partitionColumns.has(n));
      });
      return filterOver(withInputs(input, [pushFilter(input.input, onPartitions)]), conditions.filter((c) => !onPartitions.includes(c)));
    }
    case 'deduplicate': {
      // Rows of one key share its key values, so a conjunct on keys keeps or drops all of them.
      const keys = new Set(input.keys);
      const onKeys = conditions.filter((c) => {
        const cols = referencedColumns(c);
        return cols.length > 0 && cols.every((n) => keys.has(n));
      });
      return filterOver(withInputs(input, [pushFilter(input.input, onKeys)]), conditions.filter((c) => !onKeys.includes(c)));
    }
    case 'limit':
      // A filter above a limit keeps rows among the first N; pushing it below would change which rows.
      return filterOver(input, conditions);
  }
}
