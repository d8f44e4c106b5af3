// The analyzer: resolves column references against a schema, checks types, and makes Spark's implicit
// conversions explicit as CAST nodes (visible in explain, and the evaluator only ever sees operands of
// one type). Errors name the expression and the types involved.
import { PaylakeError } from '../../errors/paylake-error.js';
import { assertNever } from '../assert-never.js';
import { isNumeric, sameType, typeName, types } from '../types/data-type.js';
import type { DataType, DecimalType } from '../types/data-type.js';
import { fieldIndex } from '../types/schema.js';
import type { Schema } from '../types/schema.js';
import {
  asDecimal, commonType, decimalAddType, decimalDivideType, decimalMultiplyType, decimalRemainderType, widerNumeric,
} from '../types/type-coercion.js';
import { aggregateResultType } from './aggregate-result-type.js';
import { analyzeWindowCall } from './analyze-window.js';
import { castTo } from './analyzed-expr.js';
import type { AnalyzedExpr } from './analyzed-expr.js';
import { displayExpr } from './display-expr.js';
import type { Expr } from './expr.js';
import { functionSignature } from './functions/function-registry.js';
import { AggregateCallNode } from './nodes/aggregate-call-node.js';
import { AliasNode } from './nodes/alias-node.js';
import { BinaryNode } from './nodes/binary-node.js';
import type { BinaryNode as BinaryNodeType } from './nodes/binary-node.js';
import { CaseNode } from './nodes/case-node.js';
import { CastNode } from './nodes/cast-node.js';
import { ColumnNode } from './nodes/column-node.js';
import { FunctionNode } from './nodes/function-node.js';
import { InListNode } from './nodes/in-list-node.js';
import { LikeNode } from './nodes/like-node.js';
import { LiteralNode } from './nodes/literal-node.js';
import { UnaryNode } from './nodes/unary-node.js';
import type { WindowCallNode } from './nodes/window-call-node.js';
import { parseDateLiteral, parseTimestampLiteral } from './parser/temporal-literal.js';
import { someExpr } from './transform-expr.js';

/** Where an expression appears, which decides whether aggregates are allowed. */
export interface AnalyzeOptions {
  /** True in an aggregation's output list and HAVING. */
  readonly allowAggregates?: boolean;
  /** True where a Window plan node computes the window calls (they come from a select list). */
  readonly allowWindows?: boolean;
}

/**
 * Analyses `expr` against `schema`.
 * @example analyzeExpr(parseExpression('amount_minor > 100'), schema).type // { kind: 'boolean' }
 */
export function analyzeExpr(expr: Expr, schema: Schema, options: AnalyzeOptions = {}): AnalyzedExpr {
  return new Analyzer(schema, options.allowAggregates ?? false, options.allowWindows ?? false).analyze(expr);
}

/** True if the expression contains an aggregate call. */
export function containsAggregate(e: Expr): boolean {
  return someExpr(e, (x) => x.kind === 'aggregate-call');
}

const COMPARISONS = new Set(['=', '!=', '<', '<=', '>', '>=', '<=>']);

class Analyzer {
  private insideAggregate = false;
  private insideWindow = false;

  constructor(
    private readonly schema: Schema,
    private readonly allowAggregates: boolean,
    private readonly allowWindows: boolean,
  ) {}

  analyze(e: Expr): AnalyzedExpr {
    switch (e.kind) {
      case 'column': {
        const i = fieldIndex(this.schema, e.name, e.qualifier);
        const f = this.schema.fields[i]!;
        // Resolved and proven unambiguous here, so the reference needs no qualifier below the analyzer (the
        // optimizer may remove the projection that carried a table alias).
        return { expr: ColumnNode.create(f.name), type: f.type, nullable: f.nullable };
      }
      case 'literal':
        return { expr: e, type: e.type, nullable: e.value === null };
      case 'interval':
        throw new PaylakeError('TYPE_ERROR', `${displayExpr(e)} can only be added to or subtracted from a timestamp`);
      case 'binary':
        return this.binary(e);
      case 'unary':
        return this.unary(e);
      case 'in-list': {
        const operand = this.analyze(e.operand);
        const list = e.list.map((x) => this.coerceLiteralTo(this.analyze(x), operand.type));
        const t = commonType([operand.type, ...list.map((x) => x.type)]);
        if (t === null) throw this.typeError(e, `the list values do not match ${typeName(operand.type)}`);
        const items = list.map((x) => castTo(x, t));
        return {
          expr: InListNode.create(castTo(operand, t).expr, items.map((x) => x.expr), e.negated),
          type: types.boolean,
          nullable: operand.nullable || items.some((x) => x.nullable),
        };
      }
      case 'like': {
        const operand = this.requireKind(e, this.analyze(e.operand), 'string', 'LIKE needs a string operand');
        const pattern = this.requireKind(e, this.analyze(e.pattern), 'string', 'the LIKE pattern must be a string');
        return {
          expr: LikeNode.create(operand.expr, pattern.expr, e.negated, e.caseInsensitive),
          type: types.boolean,
          nullable: operand.nullable || pattern.nullable,
        };
      }
      case 'case': {
        const whens = e.branches.map((b) => this.requireKind(e, this.analyze(b.when), 'boolean', 'a WHEN condition must be boolean'));
        const thens = e.branches.map((b) => this.analyze(b.then));
        const otherwise = e.otherwise ? this.analyze(e.otherwise) : null;
        const all = otherwise ? [...thens, otherwise] : thens;
        const t = commonType(all.map((x) => x.type));
        if (t === null) throw this.typeError(e, `the branches have no common type (${all.map((x) => typeName(x.type)).join(', ')})`);
        return {
          expr: CaseNode.create(
            whens.map((w, i) => ({ when: w.expr, then: castTo(thens[i]!, t).expr })),
            otherwise ? castTo(otherwise, t).expr : null,
          ),
          type: t,
          nullable: otherwise === null || all.some((x) => x.nullable),
        };
      }
      case 'cast': {
        const operand = this.analyze(e.operand);
        checkCast(operand.type, e.to, e);
        if (sameType(operand.type, e.to)) return operand;
        return { expr: CastNode.create(operand.expr, e.to, e.safe), type: e.to, nullable: operand.nullable || e.safe };
      }
      case 'function': {
        const sig = functionSignature(e.name);
        if (e.args.length < sig.minArgs || e.args.length > sig.maxArgs) {
          const expected = sig.minArgs === sig.maxArgs ? `${sig.minArgs}` : `${sig.minArgs} to ${sig.maxArgs}`;
          throw new PaylakeError('TYPE_ERROR', `${sig.name}() takes ${expected} arguments, got ${e.args.length}; usage: ${sig.usage}`);
        }
        const result = sig.check(e.args.map((a) => this.analyze(a)));
        return {
          expr: FunctionNode.create(sig.name, result.args.map((a) => a.expr)),
          type: result.type,
          nullable: result.nullable ?? result.args.some((a) => a.nullable),
        };
      }
      case 'aggregate-call':
        return this.aggregate(e);
      case 'window-call':
        return this.window(e);
      case 'alias': {
        const operand = this.analyze(e.operand);
        return { ...operand, expr: AliasNode.create(operand.expr, e.name) };
      }
      default:
        return assertNever(e, 'expression');
    }
  }

  private aggregate(e: Extract<Expr, { kind: 'aggregate-call' }>): AnalyzedExpr {
    if (!this.allowAggregates) {
      throw this.typeError(e, 'aggregate functions are only allowed in an aggregation (agg, GROUP BY select list or HAVING)');
    }
    if (this.insideAggregate) throw this.typeError(e, 'aggregate functions cannot be nested');
    if (e.arg === null) return { expr: e, type: types.int64, nullable: false };
    this.insideAggregate = true;
    const arg = this.analyze(e.arg);
    this.insideAggregate = false;
    const node = AggregateCallNode.create(e.fn, arg.expr, e.distinct);
    return { expr: node, type: aggregateResultType(e.fn, arg.type, displayExpr(e)), nullable: e.fn !== 'count' };
  }

  private window(e: WindowCallNode): AnalyzedExpr {
    if (this.insideAggregate) throw this.typeError(e, 'a window function cannot be used inside an aggregate function; compute it in a select over the aggregation');
    if (this.insideWindow) throw this.typeError(e, 'window functions cannot be nested; compute the inner one in a select first');
    if (!this.allowWindows) throw this.typeError(e, 'window functions are only allowed in a select list (select, withColumn, SELECT), not in filters, grouping keys or sort keys');
    this.insideWindow = true;
    try {
      return analyzeWindowCall(e, (x) => this.analyze(x));
    } finally {
      this.insideWindow = false;
    }
  }

  private unary(e: Extract<Expr, { kind: 'unary' }>): AnalyzedExpr {
    const operand = this.analyze(e.operand);
    switch (e.op) {
      case 'NOT': {
        const b = this.requireKind(e, operand, 'boolean', 'NOT needs a boolean operand');
        return { expr: UnaryNode.create('NOT', b.expr), type: types.boolean, nullable: b.nullable };
      }
      case 'negate':
        if (!isNumeric(operand.type)) throw this.typeError(e, `cannot negate a ${typeName(operand.type)}`);
        return { expr: UnaryNode.create('negate', operand.expr), type: operand.type, nullable: operand.nullable };
      case 'isnull':
      case 'isnotnull':
        return { expr: UnaryNode.create(e.op, operand.expr), type: types.boolean, nullable: false };
      default:
        return assertNever(e.op, 'unary operator');
    }
  }

  private binary(e: BinaryNodeType): AnalyzedExpr {
    if (e.op === 'AND' || e.op === 'OR') {
      const l = this.requireKind(e, this.analyze(e.left), 'boolean', `${e.op} needs boolean operands`);
      const r = this.requireKind(e, this.analyze(e.right), 'boolean', `${e.op} needs boolean operands`);
      return { expr: BinaryNode.create(e.op, l.expr, r.expr), type: types.boolean, nullable: l.nullable || r.nullable };
    }
    if ((e.op === '+' || e.op === '-') && (e.left.kind === 'interval' || e.right.kind === 'interval')) {
      return this.intervalArithmetic(e);
    }
    let l = this.analyze(e.left);
    let r = this.analyze(e.right);
    if (COMPARISONS.has(e.op)) {
      l = this.coerceLiteralTo(l, r.type);
      r = this.coerceLiteralTo(r, l.type);
      const t = comparableType(l.type, r.type);
      if (t === null) {
        throw this.typeError(e, `cannot compare ${typeName(l.type)} with ${typeName(r.type)}; CAST one side to the other's type`);
      }
      const nullable = e.op === '<=>' ? false : l.nullable || r.nullable;
      return { expr: BinaryNode.create(e.op, castTo(l, t).expr, castTo(r, t).expr), type: types.boolean, nullable };
    }
    // Arithmetic.
    if ((e.op === '+' || e.op === '-') && l.type.kind === 'date' && (r.type.kind === 'int32' || r.type.kind === 'null')) {
      return { expr: BinaryNode.create(e.op, l.expr, castTo(r, types.int32).expr), type: types.date, nullable: l.nullable || r.nullable };
    }
    if (!isArithmetic(l.type) || !isArithmetic(r.type)) {
      throw this.typeError(e, `${e.op} needs numeric operands, got ${typeName(l.type)} and ${typeName(r.type)}`);
    }
    const nullable = l.nullable || r.nullable || e.op === '%';
    const wide = widerNumeric(l.type, r.type) ?? types.int32;
    if (e.op === '/' && wide.kind !== 'decimal') {
      // Spark: `/` on integers is a double division.
      return { expr: BinaryNode.create('/', castTo(l, types.float64).expr, castTo(r, types.float64).expr), type: types.float64, nullable };
    }
    if (wide.kind === 'decimal') {
      const dl = decimalOperandType(l);
      const dr = decimalOperandType(r);
      const resultType =
        e.op === '*' ? decimalMultiplyType(dl, dr)
        : e.op === '/' ? decimalDivideType(dl, dr)
        : e.op === '%' ? decimalRemainderType(dl, dr)
        : decimalAddType(dl, dr);
      return { expr: BinaryNode.create(e.op, castTo(l, dl).expr, castTo(r, dr).expr), type: resultType, nullable };
    }
    return { expr: BinaryNode.create(e.op, castTo(l, wide).expr, castTo(r, wide).expr), type: wide, nullable };
  }

  private intervalArithmetic(e: BinaryNodeType): AnalyzedExpr {
    if (e.left.kind === 'interval' && e.op === '-') throw this.typeError(e, 'cannot subtract a timestamp from an interval');
    const [tsSide, interval] = e.left.kind === 'interval' ? [e.right, e.left] : [e.left, e.right];
    if (interval.kind !== 'interval') throw this.typeError(e, 'cannot add two intervals');
    const ts = this.analyze(tsSide);
    if (ts.type.kind !== 'timestamp' && ts.type.kind !== 'date') {
      throw this.typeError(e, `an INTERVAL can only be added to a timestamp, got ${typeName(ts.type)}`);
    }
    const t = ts.type.kind === 'timestamp' ? ts.type : types.timestamp;
    const operand = castTo(ts, t).expr;
    const node = e.left.kind === 'interval' ? BinaryNode.create(e.op, interval, operand) : BinaryNode.create(e.op, operand, interval);
    return { expr: node, type: t, nullable: ts.nullable };
  }

  /** A string literal compared with a date or timestamp becomes a literal of that type, as Spark casts it. */
  private coerceLiteralTo(a: AnalyzedExpr, target: DataType): AnalyzedExpr {
    if (a.expr.kind !== 'literal' || typeof a.expr.value !== 'string') return a;
    if (target.kind === 'date') return { expr: LiteralNode.create(parseDateLiteral(a.expr.value), types.date), type: types.date, nullable: false };
    if (target.kind === 'timestamp') {
      return { expr: LiteralNode.create(parseTimestampLiteral(a.expr.value), target), type: target, nullable: false };
    }
    return a;
  }

  private requireKind(e: Expr, a: AnalyzedExpr, kind: DataType['kind'], message: string): AnalyzedExpr {
    if (a.type.kind === kind) return a;
    if (a.type.kind === 'null') return castTo(a, kind === 'boolean' ? types.boolean : types.string);
    throw this.typeError(e, `${message}, got ${typeName(a.type)} in ${displayExpr(a.expr)}`);
  }

  private typeError(e: Expr, message: string): PaylakeError {
    return new PaylakeError('TYPE_ERROR', `type error in ${displayExpr(e)}: ${message}`);
  }
}

/**
 * The decimal type an operand of decimal arithmetic is cast to. Integer literals take the fewest digits
 * that hold them, as Spark does (spark.sql.legacy.literal.pickMinimumPrecision, default true): `fee / 3`
 * divides by decimal(1,0), not decimal(10,0).
 */
function decimalOperandType(a: AnalyzedExpr): DecimalType {
  if (a.expr.kind === 'literal' && (a.type.kind === 'int32' || a.type.kind === 'int64') && a.expr.value !== null) {
    const digits = String(a.expr.value).replace('-', '').length;
    return types.decimal(digits, 0);
  }
  return asDecimal(a.type.kind === 'null' ? types.int32 : a.type)!;
}

function isArithmetic(t: DataType): boolean {
  return isNumeric(t) || t.kind === 'null';
}

/** The type two compared operands are converted to, or null if they cannot be compared. */
function comparableType(a: DataType, b: DataType): DataType | null {
  if (sameType(a, b)) return a;
  if (a.kind === 'null') return b;
  if (b.kind === 'null') return a;
  return commonType([a, b]);
}

/** Casts Spark allows (ANSI mode); a cast it refuses is a TYPE_ERROR at analysis, not a runtime surprise. */
function checkCast(from: DataType, to: DataType, e: Expr): void {
  const ok = (() => {
    if (from.kind === 'null' || sameType(from, to)) return true;
    const kind = to.kind;
    switch (kind) {
      case 'string':
        return true;
      case 'int32':
      case 'int64':
      case 'float64':
      case 'decimal':
        return isNumeric(from) || from.kind === 'string' || from.kind === 'boolean';
      case 'boolean':
        return isNumeric(from) || from.kind === 'string';
      case 'date':
        return from.kind === 'string' || from.kind === 'timestamp';
      case 'timestamp':
        return from.kind === 'string' || from.kind === 'date' || from.kind === 'timestamp';
      case 'binary':
        return from.kind === 'string';
      case 'null':
        return false;
      default:
        return assertNever(kind, 'type');
    }
  })();
  if (!ok) throw new PaylakeError('TYPE_ERROR', `type error in ${displayExpr(e)}: cannot cast ${typeName(from)} to ${typeName(to)}`);
}
