// Translates expressions of the parser's AST into paylake expressions, with Spark SQL 3.5 literal typing:
// `10` is int, `3000000000` bigint, `100L` bigint, `12.50` decimal(4,2), `1e3` double, "x" a string.
import { PaylakeError } from '../../../errors/paylake-error.js';
import { MAX_DECIMAL_PRECISION, types } from '../../types/data-type.js';
import type { DataType } from '../../types/data-type.js';
import type { Expr } from '../expr.js';
import { AggregateCallNode } from '../nodes/aggregate-call-node.js';
import type { AggregateFn } from '../nodes/aggregate-call-node.js';
import { BinaryNode } from '../nodes/binary-node.js';
import type { BinaryOp } from '../nodes/binary-node.js';
import { CaseNode } from '../nodes/case-node.js';
import { CastNode } from '../nodes/cast-node.js';
import { ColumnNode } from '../nodes/column-node.js';
import { FunctionNode } from '../nodes/function-node.js';
import { InListNode } from '../nodes/in-list-node.js';
import { IntervalNode } from '../nodes/interval-node.js';
import { LikeNode } from '../nodes/like-node.js';
import { LiteralNode } from '../nodes/literal-node.js';
import { UnaryNode } from '../nodes/unary-node.js';
import type { SortKey } from '../sort-key.js';
import { parseDateLiteral, parseTimestampLiteral } from './temporal-literal.js';
import { translateWindowCall } from './window-translator.js';

type Node = Record<string, unknown>;

const BINARY_OPS: Record<string, BinaryOp> = {
  Plus: '+',
  Minus: '-',
  Multiply: '*',
  Divide: '/',
  Modulo: '%',
  Eq: '=',
  NotEq: '!=',
  Lt: '<',
  LtEq: '<=',
  Gt: '>',
  GtEq: '>=',
  Spaceship: '<=>',
  And: 'AND',
  Or: 'OR',
};

const AGGREGATES: ReadonlySet<string> = new Set<AggregateFn>(['count', 'sum', 'min', 'max', 'avg']);

const MICROS_PER_UNIT: Record<string, bigint> = {
  microsecond: 1n,
  millisecond: 1_000n,
  second: 1_000_000n,
  minute: 60_000_000n,
  hour: 3_600_000_000n,
  day: 86_400_000_000n,
  week: 604_800_000_000n,
};

/** The single variant of a Rust-enum-shaped AST object: `{ BinaryOp: {...} }` → ['BinaryOp', {...}]. */
function variant(node: unknown): [string, unknown] {
  if (typeof node === 'string') return [node, undefined];
  const keys = Object.keys(node as Node);
  if (keys.length !== 1) throw unsupported(`an expression of shape ${JSON.stringify(keys)}`);
  const key = keys[0]!;
  return [key, (node as Node)[key]];
}

function unsupported(what: string): PaylakeError {
  return new PaylakeError('PARSE_ERROR', `paylake does not support ${what} in expressions yet`);
}

/**
 * Translates one expression node of the parser's AST.
 * @example translateExpr(ast.Query.body.Select.projection[0].UnnamedExpr)
 */
export function translateExpr(node: unknown): Expr {
  const [tag, body] = variant(node);
  const b = body as Node;
  switch (tag) {
    case 'Identifier':
      return ColumnNode.create(String(b.value));
    case 'CompoundIdentifier': {
      const parts = (body as Node[]).map((p) => String(p.value));
      if (parts.length !== 2) throw unsupported(`the multi-part name ${parts.join('.')}`);
      return ColumnNode.create(parts[1]!, parts[0]!);
    }
    case 'Nested':
      return translateExpr(body);
    case 'Value':
      return translateValue(b.value);
    case 'TypedString':
      return translateTypedString(b);
    case 'BinaryOp': {
      const opName = String(b.op);
      if (opName === 'StringConcat') return FunctionNode.create('concat', [translateExpr(b.left), translateExpr(b.right)]);
      if (opName === 'MyIntegerDivide') return FunctionNode.create('div', [translateExpr(b.left), translateExpr(b.right)]);
      const op = BINARY_OPS[opName];
      if (!op) throw unsupported(`the operator ${opName}`);
      return BinaryNode.create(op, translateExpr(b.left), translateExpr(b.right));
    }
    case 'UnaryOp': {
      const operand = translateExpr(b.expr);
      switch (b.op) {
        case 'Not':
          return UnaryNode.create('NOT', operand);
        case 'Minus':
          return negate(operand);
        case 'Plus':
          return operand;
        default:
          throw unsupported(`the unary operator ${String(b.op)}`);
      }
    }
    case 'IsNull':
      return UnaryNode.create('isnull', translateExpr(body));
    case 'IsNotNull':
      return UnaryNode.create('isnotnull', translateExpr(body));
    case 'IsTrue':
      return BinaryNode.create('<=>', translateExpr(body), LiteralNode.create(true, types.boolean));
    case 'IsFalse':
      return BinaryNode.create('<=>', translateExpr(body), LiteralNode.create(false, types.boolean));
    case 'InList':
      return InListNode.create(translateExpr(b.expr), (b.list as unknown[]).map(translateExpr), Boolean(b.negated));
    case 'Between': {
      const operand = translateExpr(b.expr);
      const within = BinaryNode.create(
        'AND',
        BinaryNode.create('>=', operand, translateExpr(b.low)),
        BinaryNode.create('<=', operand, translateExpr(b.high)),
      );
      return b.negated ? UnaryNode.create('NOT', within) : within;
    }
    case 'Like':
    case 'ILike':
      if (b.any) throw unsupported('LIKE ANY');
      if (b.escape_char !== undefined && b.escape_char !== null) throw unsupported('LIKE ... ESCAPE');
      return LikeNode.create(translateExpr(b.expr), translateExpr(b.pattern), Boolean(b.negated), tag === 'ILike');
    case 'Case':
      return translateCase(b);
    case 'Cast':
      if (b.format !== undefined && b.format !== null) throw unsupported('CAST ... FORMAT');
      return CastNode.create(translateExpr(b.expr), translateDataType(b.data_type), b.kind === 'TryCast' || b.kind === 'SafeCast');
    case 'Function':
      return translateFunction(b);
    case 'Substring': {
      const args = [translateExpr(b.expr)];
      if (b.substring_from) args.push(translateExpr(b.substring_from));
      if (b.substring_for) args.push(translateExpr(b.substring_for));
      return FunctionNode.create('substr', args);
    }
    case 'Trim': {
      if (b.trim_where || b.trim_what || b.trim_characters) throw unsupported('TRIM with BOTH/LEADING/TRAILING or characters');
      return FunctionNode.create('trim', [translateExpr(b.expr)]);
    }
    case 'Interval':
      return translateInterval(b);
    default:
      throw unsupported(`the construct ${tag}`);
  }
}

function negate(operand: Expr): Expr {
  // Fold `-<number>` so that -9223372036854775808 is a bigint literal, as Spark types it.
  if (operand.kind === 'literal' && typeof operand.value === 'bigint') {
    return typedInteger(-operand.value, operand.type);
  }
  if (operand.kind === 'literal' && typeof operand.value === 'number') {
    if (operand.type.kind === 'int32') return typedInteger(-BigInt(operand.value), operand.type);
    return LiteralNode.create(-operand.value, operand.type);
  }
  if (operand.kind === 'interval') return IntervalNode.create(-operand.micros);
  return UnaryNode.create('negate', operand);
}

/** The type Spark gives a negated integer literal: the narrowest of int, bigint, decimal(n,0). */
function typedInteger(value: bigint, written: DataType): Expr {
  if (written.kind === 'decimal' && written.scale > 0) return LiteralNode.create(value, written);
  if (value >= -(2n ** 31n) && value < 2n ** 31n) return LiteralNode.create(Number(value), types.int32);
  if (value >= -(2n ** 63n) && value < 2n ** 63n) return LiteralNode.create(value, types.int64);
  return LiteralNode.create(value, types.decimal(Math.max(1, value.toString().replace('-', '').length), 0));
}

function translateValue(value: unknown): Expr {
  const [tag, body] = variant(value);
  switch (tag) {
    case 'Null':
      return LiteralNode.create(null, types.null);
    case 'Boolean':
      return LiteralNode.create(Boolean(body), types.boolean);
    case 'SingleQuotedString':
    case 'DoubleQuotedString':
      return LiteralNode.create(String(body), types.string);
    case 'Number': {
      const [text, long] = body as [string, boolean];
      return numberLiteral(text, long);
    }
    default:
      throw unsupported(`the literal ${tag}`);
  }
}

/** Spark's typing of numeric literals. */
function numberLiteral(text: string, long: boolean): Expr {
  if (/[eE]/.test(text)) return LiteralNode.create(Number(text), types.float64);
  if (text.includes('.')) {
    const [whole = '', frac = ''] = text.split('.');
    const digits = (whole.replace(/^0+/, '') + frac).replace(/^0+(?=\d)/, '');
    const precision = Math.max(digits.length, frac.length, 1);
    if (precision > MAX_DECIMAL_PRECISION) return LiteralNode.create(Number(text), types.float64);
    return LiteralNode.create(BigInt(whole + frac), types.decimal(precision, frac.length));
  }
  const value = BigInt(text);
  if (long) {
    if (value >= 2n ** 63n) throw new PaylakeError('PARSE_ERROR', `the literal ${text}L does not fit a bigint`);
    return LiteralNode.create(value, types.int64);
  }
  if (value < 2n ** 31n) return LiteralNode.create(Number(value), types.int32);
  if (value < 2n ** 63n) return LiteralNode.create(value, types.int64);
  if (text.length <= MAX_DECIMAL_PRECISION) return LiteralNode.create(value, types.decimal(text.length, 0));
  throw new PaylakeError('PARSE_ERROR', `the literal ${text} has more than 38 digits`);
}

function translateTypedString(b: Node): Expr {
  const [, valueBody] = variant((b.value as Node).value);
  const text = String(valueBody);
  const [typeTag] = variant(b.data_type);
  switch (typeTag) {
    case 'Date':
      return LiteralNode.create(parseDateLiteral(text), types.date);
    case 'Timestamp':
      return LiteralNode.create(parseTimestampLiteral(text), types.timestamp);
    case 'TimestampNtz':
      return LiteralNode.create(parseTimestampLiteral(text), types.timestampNtz);
    default:
      throw unsupported(`the typed literal ${typeTag} '...'`);
  }
}

function translateCase(b: Node): Expr {
  const operand = b.operand ? translateExpr(b.operand) : null;
  const branches = (b.conditions as Node[]).map((c) => {
    const condition = translateExpr(c.condition);
    return { when: operand ? BinaryNode.create('=', operand, condition) : condition, then: translateExpr(c.result) };
  });
  return CaseNode.create(branches, b.else_result ? translateExpr(b.else_result) : null);
}

function translateFunction(b: Node): Expr {
  const nameParts = (b.name as Node[]).map((p) => String((variant(p)[1] as Node).value));
  if (nameParts.length !== 1) throw unsupported(`the qualified function name ${nameParts.join('.')}`);
  const name = nameParts[0]!.toLowerCase();
  if (b.filter && !b.over) throw unsupported(`${name}(...) FILTER (WHERE ...)`);
  const [argsTag, argsBody] = variant(b.args);
  const list = argsTag === 'List' ? (argsBody as Node) : { args: [] };
  const distinct = list.duplicate_treatment === 'Distinct';
  const args = (list.args as unknown[]).map((a) => {
    const [kind, inner] = variant(a);
    if (kind !== 'Unnamed') throw unsupported(`named arguments in ${name}(...)`);
    const [argKind, argExpr] = variant(inner);
    if (argKind === 'Wildcard') return null;
    if (argKind !== 'Expr') throw unsupported(`${argKind} arguments in ${name}(...)`);
    return translateExpr(argExpr);
  });
  if (b.over) return translateWindowCall(name, b, args, distinct, { expr: translateExpr, sortKey: translateSortKey });
  if (AGGREGATES.has(name)) {
    const fn = name as AggregateFn;
    if (args.length !== 1) throw new PaylakeError('PARSE_ERROR', `${name}() takes exactly one argument, got ${args.length}`);
    const arg = args[0] ?? null;
    if (arg === null && fn !== 'count') throw new PaylakeError('PARSE_ERROR', `${name}(*) is not valid; only count(*) is`);
    // count(1) and count(*) are the same thing in Spark.
    const countsRows = fn === 'count' && (arg === null || (arg.kind === 'literal' && arg.value !== null)) && !distinct;
    return AggregateCallNode.create(fn, countsRows ? null : arg, distinct);
  }
  if (distinct) throw unsupported(`DISTINCT in the non-aggregate function ${name}(...)`);
  if (args.some((a) => a === null)) throw new PaylakeError('PARSE_ERROR', `${name}(*) is not valid`);
  return FunctionNode.create(name === 'substring' ? 'substr' : name, args as Expr[]);
}

/**
 * One ORDER BY item (`expr [ASC|DESC] [NULLS FIRST|LAST]`) with Spark's default null order: NULLS FIRST
 * for ASC, NULLS LAST for DESC.
 */
export function translateSortKey(node: unknown): SortKey {
  const item = node as { expr: unknown; options?: { asc?: boolean | null; nulls_first?: boolean | null } };
  const ascending = item.options?.asc ?? true;
  return { expr: translateExpr(item.expr), ascending, nullsFirst: item.options?.nulls_first ?? ascending };
}

function translateInterval(b: Node): Expr {
  if (b.last_field || b.fractional_seconds_precision) throw unsupported('compound INTERVAL literals');
  const unit = String(b.leading_field ?? '').toLowerCase().replace(/s$/, '');
  const perUnit = MICROS_PER_UNIT[unit];
  if (perUnit === undefined) {
    const hint = unit === 'month' || unit === 'year' ? ' (their length varies; use days)' : '';
    throw unsupported(`INTERVAL in ${unit || 'that unit'}${hint}`);
  }
  const value = translateExpr(b.value);
  const amount = value.kind === 'literal' ? value.value : null;
  let count: bigint;
  if (typeof amount === 'number' && Number.isInteger(amount)) count = BigInt(amount);
  else if (typeof amount === 'bigint' && value.kind === 'literal' && value.type.kind !== 'decimal') count = amount;
  else if (typeof amount === 'string' && /^-?\d+$/.test(amount.trim())) count = BigInt(amount.trim());
  else throw new PaylakeError('PARSE_ERROR', `INTERVAL needs a whole number of ${unit}s`);
  return IntervalNode.create(count * perUnit);
}

/** Translates a SQL type name (`BIGINT`, `DECIMAL(18,2)`, `TIMESTAMP`) into a logical type. */
export function translateDataType(node: unknown): DataType {
  const [tag, body] = variant(node);
  switch (tag) {
    case 'Boolean':
    case 'Bool':
      return types.boolean;
    case 'TinyInt':
    case 'SmallInt':
    case 'Int':
    case 'Integer':
      return types.int32;
    case 'BigInt':
      return types.int64;
    case 'Float':
    case 'Double':
    case 'DoublePrecision':
    case 'Real':
      return types.float64;
    case 'String':
    case 'Varchar':
    case 'Char':
    case 'Text':
      return types.string;
    case 'Binary':
    case 'Bytea':
      return types.binary;
    case 'Date':
      return types.date;
    case 'Timestamp':
      return types.timestamp;
    case 'TimestampNtz':
      return types.timestampNtz;
    case 'Decimal':
    case 'Numeric':
    case 'Dec': {
      // Spark's DECIMAL without arguments is decimal(10,0).
      const [info, args] = variant(body ?? 'None');
      if (info === 'None') return types.decimal(10, 0);
      if (info === 'Precision') return decimalType(Number(args), 0);
      const [p, s] = args as [number, number];
      return decimalType(p, s);
    }
    default:
      throw unsupported(`the type ${tag}`);
  }
}

function decimalType(precision: number, scale: number): DataType {
  try {
    return types.decimal(precision, scale);
  } catch (e) {
    throw new PaylakeError('PARSE_ERROR', `invalid DECIMAL(${precision},${scale}): ${(e as Error).message}`);
  }
}
