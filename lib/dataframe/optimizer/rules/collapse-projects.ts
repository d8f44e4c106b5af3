// Rule: two adjacent projections become one by substituting the inner expressions into the outer ones,
// unless that would compute a non-trivial inner expression more than once.
import type { Expr } from '../../expr/expr.js';
import { AliasNode } from '../../expr/nodes/alias-node.js';
import { childrenOf, rewriteExpr } from '../../expr/transform-expr.js';
import type { LogicalPlan } from '../../plan/logical-plan.js';
import { ProjectNode } from '../../plan/nodes/project-node.js';
import { transformUp } from '../../plan/with-inputs.js';
import { outputName } from '../../expr/display-expr.js';

/** The rule. */
export function collapseProjects(plan: LogicalPlan): LogicalPlan {
  return transformUp(plan, (p) => {
    if (p.kind !== 'project' || p.input.kind !== 'project') return p;
    const inner = p.input;
    const definitions = new Map(inner.exprs.map((e, i) => [inner.schema.fields[i]!.name, e.kind === 'alias' ? e.operand : e]));
    const uses = new Map<string, number>();
    const count = (e: Expr): void => {
      if (e.kind === 'column') uses.set(e.name, (uses.get(e.name) ?? 0) + 1);
      else childrenOf(e).forEach(count);
    };
    p.exprs.forEach(count);
    const wouldRepeat = [...uses].some(([name, n]) => n > 1 && definitions.get(name)?.kind !== 'column' && definitions.get(name)?.kind !== 'literal');
    if (wouldRepeat) return p;
    const exprs = p.exprs.map((e, i) => {
      const body = rewriteExpr(e.kind === 'alias' ? e.operand : e, (node) => (node.kind === 'column' ? definitions.get(node.name) : undefined));
      const name = p.schema.fields[i]!.name;
      return keepName(body, name);
    });
    return ProjectNode.create(inner.input, exprs, p.schema);
  });
}

/** The expression under the output name it had. */
function keepName(body: Expr, name: string): Expr {
  return outputName(body) === name && (body.kind === 'column' || body.kind === 'alias') ? body : AliasNode.create(body, name);
}
