// Builds analysed join and deduplication plans. A join is given either as a list of column names that both
// inputs have (SQL's USING: the keys come out once, first) or as a condition over both inputs' columns,
// whose `left = right` conjuncts become the hash keys and whose other conjuncts stay as an extra condition.
// Join inputs must not share column names (references are by name), except for USING keys.
import { PaylakeError } from '../../errors/paylake-error.js';
import { analyzeExpr } from '../expr/analyze-expr.js';
import { castTo } from '../expr/analyzed-expr.js';
import { displayExpr } from '../expr/display-expr.js';
import type { Expr } from '../expr/expr.js';
import { AliasNode } from '../expr/nodes/alias-node.js';
import { BinaryNode } from '../expr/nodes/binary-node.js';
import { ColumnNode } from '../expr/nodes/column-node.js';
import { FunctionNode } from '../expr/nodes/function-node.js';
import { parseExpression } from '../expr/parser/parse-expression.js';
import { referencedColumns, someExpr, splitConjunction } from '../expr/transform-expr.js';
import { JOIN_TYPES } from '../physical/join/join-type.js';
import type { JoinType } from '../physical/join/join-type.js';
import { typeName } from '../types/data-type.js';
import { fieldOf, schemaOf } from '../types/schema.js';
import type { Schema } from '../types/schema.js';
import { commonType } from '../types/type-coercion.js';
import { joinOutputSchema } from './join-schema.js';
import type { LogicalPlan } from './logical-plan.js';
import { DeduplicateNode } from './nodes/deduplicate-node.js';
import { JoinNode } from './nodes/join-node.js';
import { ProjectNode } from './nodes/project-node.js';
import type { ExprInput } from './plan-builder.js';

/** Prefix of the internal names the right input's USING keys get while the join runs. */
const USING_KEY_PREFIX = '__using_right_';

/** A join type as users write it: Spark's names, case-insensitive, `_` or space optional (`left_outer`, `leftsemi`). */
export function parseJoinType(how: string): JoinType {
  const normal = how.toLowerCase().replace(/[\s_]/g, '');
  const aliases: Record<string, JoinType> = {
    inner: 'inner',
    left: 'left',
    leftouter: 'left',
    right: 'right',
    rightouter: 'right',
    full: 'full',
    fullouter: 'full',
    outer: 'full',
    leftsemi: 'left_semi',
    semi: 'left_semi',
    leftanti: 'left_anti',
    anti: 'left_anti',
  };
  const type = aliases[normal];
  if (type === undefined) throw new PaylakeError('USAGE', `unknown join type "${how}"; use one of ${JOIN_TYPES.join(', ')}`);
  return type;
}

/**
 * Joins `left` and `right` on the columns named in `on` (both inputs have them) or on a condition.
 * @example join(tx, bank, 'txn_id = psp_reference', 'left')
 * @example join(tx, merchants, ['merchant_id'], 'inner')
 */
export function join(left: LogicalPlan, right: LogicalPlan, on: ExprInput | readonly string[], type: JoinType): LogicalPlan {
  return Array.isArray(on) ? joinUsing(left, right, on as readonly string[], type) : joinOn(left, right, on as ExprInput, type);
}

function joinOn(left: LogicalPlan, right: LogicalPlan, on: ExprInput, type: JoinType): LogicalPlan {
  checkDisjoint(left.schema, right.schema, []);
  const both = schemaOf([...left.schema.fields, ...right.schema.fields]);
  const condition = analyzeExpr(typeof on === 'string' ? parseExpression(on) : on, both);
  if (condition.type.kind !== 'boolean') {
    throw new PaylakeError('TYPE_ERROR', `a join condition must be boolean, but ${displayExpr(condition.expr)} is ${typeName(condition.type)}`);
  }
  const leftNames = new Set(left.schema.fields.map((f) => f.name));
  const rightNames = new Set(right.schema.fields.map((f) => f.name));
  const onlyIn = (e: Expr, names: ReadonlySet<string>): boolean => {
    const cols = referencedColumns(e);
    return cols.length > 0 && cols.every((c) => names.has(c));
  };
  const leftKeys: Expr[] = [];
  const rightKeys: Expr[] = [];
  const rest: Expr[] = [];
  for (const c of splitConjunction(condition.expr)) {
    if (c.kind === 'binary' && c.op === '=' && !someExpr(c, (x) => x.kind === 'aggregate-call')) {
      if (onlyIn(c.left, leftNames) && onlyIn(c.right, rightNames)) {
        leftKeys.push(c.left);
        rightKeys.push(c.right);
        continue;
      }
      if (onlyIn(c.left, rightNames) && onlyIn(c.right, leftNames)) {
        leftKeys.push(c.right);
        rightKeys.push(c.left);
        continue;
      }
    }
    rest.push(c);
  }
  if (leftKeys.length === 0) {
    throw new PaylakeError(
      'USAGE',
      `the join condition ${displayExpr(condition.expr)} has no equality between a column of each side; paylake runs equi-joins (hash joins) only — add one such as left_col = right_col`,
    );
  }
  const extra = rest.length === 0 ? null : rest.reduce((a, b) => BinaryNode.create('AND', a, b));
  return JoinNode.create(left, right, type, leftKeys, rightKeys, extra, joinOutputSchema(type, left.schema, right.schema));
}

function joinUsing(left: LogicalPlan, right: LogicalPlan, names: readonly string[], type: JoinType): LogicalPlan {
  if (names.length === 0) throw new PaylakeError('USAGE', 'a join needs at least one key column');
  const keys = names.map((n) => {
    const l = fieldOf(left.schema, n);
    const r = fieldOf(right.schema, n);
    const t = commonType([l.type, r.type]);
    if (t === null) throw new PaylakeError('TYPE_ERROR', `join key "${n}" is ${typeName(l.type)} on the left and ${typeName(r.type)} on the right; cast one side`);
    return { name: l.name, rightName: r.name, type: t };
  });
  checkDisjoint(left.schema, right.schema, keys.map((k) => k.name));
  // The right input's key columns get internal names so that the join's columns stay unique.
  const rightKeyNames = new Set(keys.map((k) => k.rightName.toLowerCase()));
  const renamed = ProjectNode.create(
    right,
    right.schema.fields.map((f) => (rightKeyNames.has(f.name.toLowerCase()) ? AliasNode.create(ColumnNode.create(f.name), USING_KEY_PREFIX + f.name) : ColumnNode.create(f.name))),
    schemaOf(right.schema.fields.map((f) => (rightKeyNames.has(f.name.toLowerCase()) ? { ...f, name: USING_KEY_PREFIX + f.name } : f))),
  );
  const leftKeys = keys.map((k) => castTo(analyzeExpr(ColumnNode.create(k.name), left.schema), k.type).expr);
  const rightKeys = keys.map((k) => castTo(analyzeExpr(ColumnNode.create(USING_KEY_PREFIX + k.rightName), renamed.schema), k.type).expr);
  const joined = JoinNode.create(left, renamed, type, leftKeys, rightKeys, null, joinOutputSchema(type, left.schema, renamed.schema));
  // Spark's USING output: the keys once (the left's; the right's for RIGHT; coalesced for FULL), then the rest.
  const keyOutputs = keys.map((k) => {
    const l = ColumnNode.create(k.name);
    const r = ColumnNode.create(USING_KEY_PREFIX + k.rightName);
    const value = type === 'right' ? r : type === 'full' ? FunctionNode.create('coalesce', [l, r]) : l;
    return AliasNode.create(value, k.name);
  });
  const leftKeyNames = new Set(keys.map((k) => k.name.toLowerCase()));
  const restLeft = left.schema.fields.filter((f) => !leftKeyNames.has(f.name.toLowerCase())).map((f) => ColumnNode.create(f.name));
  const restRight =
    type === 'left_semi' || type === 'left_anti' ? [] : right.schema.fields.filter((f) => !rightKeyNames.has(f.name.toLowerCase())).map((f) => ColumnNode.create(f.name));
  const outputs = [...keyOutputs, ...restLeft, ...restRight];
  const analysed = outputs.map((e) => analyzeExpr(e, joined.schema));
  const fields = analysed.map((a, i) => ({ name: i < keys.length ? keys[i]!.name : (outputs[i] as ColumnNode).name, type: a.type, nullable: a.nullable }));
  return ProjectNode.create(joined, analysed.map((a, i) => (i < keys.length ? AliasNode.create(unaliased(a.expr), keys[i]!.name) : a.expr)), schemaOf(fields));
}

function unaliased(e: Expr): Expr {
  return e.kind === 'alias' ? e.operand : e;
}

/** Refuses inputs that share column names (other than USING keys): references to them would be ambiguous. */
function checkDisjoint(left: Schema, right: Schema, usingKeys: readonly string[]): void {
  const keys = new Set(usingKeys.map((k) => k.toLowerCase()));
  const leftNames = new Set(left.fields.map((f) => f.name.toLowerCase()));
  const shared = right.fields.map((f) => f.name).filter((n) => leftNames.has(n.toLowerCase()) && !keys.has(n.toLowerCase()));
  if (shared.length > 0) {
    const first = shared[0]!;
    throw new PaylakeError(
      'USAGE',
      `both join inputs have the column${shared.length > 1 ? 's' : ''} ${shared.join(', ')}; rename ${shared.length > 1 ? 'them' : 'it'} on one side first, e.g. other.withColumnRenamed('${first}', 'other_${first}'), or drop ${shared.length > 1 ? 'them' : 'it'} with select`,
    );
  }
}

/**
 * Keeps the first row (in input order) of each distinct combination of `keys`; all columns when empty.
 * @example deduplicate(tx, ['txn_id'])
 */
export function deduplicate(input: LogicalPlan, keys: readonly string[]): LogicalPlan {
  const names = keys.length === 0 ? input.schema.fields.map((f) => f.name) : keys.map((k) => fieldOf(input.schema, k).name);
  return DeduplicateNode.create(input, [...new Set(names)]);
}
