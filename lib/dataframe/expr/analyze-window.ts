// Analysis of a window call (see analyze-expr.ts for the rest): arguments, PARTITION BY and ORDER BY are
// analysed, Spark 3.5's rules are checked (ranking functions and lag/lead need ORDER BY; a RANGE offset
// needs exactly one numeric, date or timestamp order key), and the call is normalised for the kernel:
// lag/lead always carry (x, offset, default) with the default cast to x's type, first/last carry (x)
// with the IGNORE NULLS flag, and frame offsets become literals of the order key's type.
import { PaylakeError } from '../../errors/paylake-error.js';
import { assertNever } from '../assert-never.js';
import { sameType, typeName, types } from '../types/data-type.js';
import type { DataType } from '../types/data-type.js';
import { commonType } from '../types/type-coercion.js';
import { aggregateResultType } from './aggregate-result-type.js';
import { castTo } from './analyzed-expr.js';
import type { AnalyzedExpr } from './analyzed-expr.js';
import { displayExpr } from './display-expr.js';
import type { Expr } from './expr.js';
import { LiteralNode } from './nodes/literal-node.js';
import { frameBoundsError, WindowCallNode } from './nodes/window-call-node.js';
import type { FrameBound, FrameOffset, WindowFrame } from './nodes/window-call-node.js';
import type { SortKey } from './sort-key.js';

const INT32_MAX = 2 ** 31 - 1;

/**
 * Types a window call whose sub-expressions `analyze` resolves (the caller guards against nesting).
 * @example analyzeWindowCall(call, (x) => analyzeExpr(x, schema)).type // int for row_number()
 */
export function analyzeWindowCall(e: WindowCallNode, analyze: (x: Expr) => AnalyzedExpr): AnalyzedExpr {
  const fail = (message: string): PaylakeError => new PaylakeError('TYPE_ERROR', `type error in ${displayExpr(e)}: ${message}`);
  const partitionBy = e.partitionBy.map((x) => analyze(x).expr);
  const keys = e.orderBy.map((k) => ({ key: k, analyzed: analyze(k.expr) }));
  const orderBy: SortKey[] = keys.map(({ key, analyzed }) => ({ ...key, expr: analyzed.expr }));
  const arity = (min: number, max: number, usage: string): void => {
    if (e.args.length < min || e.args.length > max) throw fail(`${e.fn}() takes ${min === max ? min : `${min} to ${max}`} arguments, got ${e.args.length}; usage: ${usage}`);
  };
  if (WindowCallNode.isFrameless(e.fn) && orderBy.length === 0) {
    throw fail(`${e.fn}() requires the window to be ordered; add ORDER BY to its OVER clause, e.g. ${e.fn}(...) OVER (PARTITION BY k ORDER BY t)`);
  }
  if (e.ignoreNulls && e.fn !== 'first' && e.fn !== 'last') throw fail(`IGNORE NULLS is supported for first and last only`);
  const spec = { partitionBy, orderBy };
  const make = (args: readonly Expr[], type: DataType, nullable: boolean, ignoreNulls = false): AnalyzedExpr => {
    const frame = WindowCallNode.isFrameless(e.fn) ? e.frame : analyzeFrame(e.frame, keys.map((k) => k.analyzed.type), fail);
    return { expr: WindowCallNode.create(e.fn, args, { ...spec, frame, ignoreNulls }), type, nullable };
  };
  switch (e.fn) {
    case 'row_number':
    case 'rank':
    case 'dense_rank':
      arity(0, 0, `${e.fn}()`);
      return make([], types.int32, false);
    case 'lag':
    case 'lead': {
      const usage = `${e.fn}(x[, offset[, default]]) with an integer literal offset`;
      arity(1, 3, usage);
      const x = analyze(e.args[0]!);
      const offsetArg = e.args[1] ?? LiteralNode.create(1, types.int32);
      if (offsetArg.kind !== 'literal' || offsetArg.type.kind !== 'int32') throw fail(`the offset must be an integer literal; usage: ${usage}`);
      const d = e.args[2] === undefined ? null : analyze(e.args[2]);
      if (d !== null) {
        const common = commonType([x.type, d.type]);
        if (common === null || !sameType(common, x.type)) {
          throw fail(`the default (${typeName(d.type)}) must have the type of x (${typeName(x.type)}) or a narrower one; CAST one of them`);
        }
      }
      const def = d === null ? LiteralNode.create(null, x.type) : castTo(d, x.type).expr;
      return make([x.expr, offsetArg, def], x.type, true);
    }
    case 'first':
    case 'last': {
      arity(1, 2, `${e.fn}(x[, ignoreNulls]) with a boolean literal ignoreNulls`);
      const x = analyze(e.args[0]!);
      const flag = e.args[1];
      if (flag !== undefined && (flag.kind !== 'literal' || typeof flag.value !== 'boolean')) {
        throw fail(`the second argument must be true or false (ignoreNulls)`);
      }
      const ignoreNulls = e.ignoreNulls || (flag !== undefined && flag.kind === 'literal' && flag.value === true);
      return make([x.expr], x.type, true, ignoreNulls);
    }
    case 'count': {
      arity(0, 1, 'count(*) or count(x)');
      const args = e.args.map((a) => analyze(a).expr);
      return make(args, types.int64, false);
    }
    case 'sum':
    case 'avg':
    case 'min':
    case 'max': {
      arity(1, 1, `${e.fn}(x)`);
      const x = analyze(e.args[0]!);
      return make([x.expr], aggregateResultType(e.fn, x.type, displayExpr(e)), true);
    }
    default:
      return assertNever(e.fn, 'window function');
  }
}

/** The frame with its bounds checked and RANGE offsets converted to the order key's type. */
function analyzeFrame(frame: WindowFrame, orderTypes: readonly DataType[], fail: (message: string) => PaylakeError): WindowFrame {
  const boundsError = frameBoundsError(frame);
  if (boundsError !== null) throw fail(boundsError);
  const bound = (b: FrameBound): FrameBound => {
    if (b.kind !== 'preceding' && b.kind !== 'following') return b;
    if (frame.unit === 'rows') return { kind: b.kind, offset: rowsOffset(b.offset, fail) };
    if (orderTypes.length !== 1) {
      throw fail(`a RANGE frame with an offset (${displayExpr(b.offset)} ${b.kind.toUpperCase()}) needs exactly one ORDER BY key, got ${orderTypes.length}`);
    }
    return { kind: b.kind, offset: rangeOffset(b.offset, orderTypes[0]!, fail) };
  };
  const start = bound(frame.start);
  const end = bound(frame.end);
  return start === frame.start && end === frame.end ? frame : { unit: frame.unit, start, end };
}

/** A ROWS offset: a non-negative int literal. */
function rowsOffset(o: FrameOffset, fail: (message: string) => PaylakeError): FrameOffset {
  const v = o.kind === 'literal' && (o.type.kind === 'int32' || o.type.kind === 'int64') ? Number(o.value) : NaN;
  if (!Number.isInteger(v) || v < 0 || v > INT32_MAX) {
    throw fail(`a ROWS frame offset must be a non-negative integer literal (a number of rows), got ${displayExpr(o)}`);
  }
  return o.kind === 'literal' && o.type.kind === 'int32' ? o : LiteralNode.create(v, types.int32);
}

/**
 * A RANGE offset in the order key's terms: an interval for a timestamp key, a number of days for a date
 * key, and for a numeric key the literal converted exactly to the key's type (Spark casts it; paylake
 * refuses a conversion that would change the value).
 */
function rangeOffset(o: FrameOffset, key: DataType, fail: (message: string) => PaylakeError): FrameOffset {
  const shown = displayExpr(o);
  if (o.kind === 'interval') {
    if (key.kind !== 'timestamp') throw fail(`the RANGE offset ${shown} is an interval, which needs a timestamp ORDER BY key, got ${typeName(key)}`);
    if (o.micros < 0n) throw fail(`a RANGE frame offset must not be negative, got ${shown}`);
    return o;
  }
  if (key.kind === 'timestamp') {
    throw fail(`a RANGE offset on a timestamp ORDER BY key must be an INTERVAL, e.g. INTERVAL 10 MINUTES PRECEDING; got ${shown}`);
  }
  const exact = exactValue(o);
  if (exact === null) throw fail(`a RANGE frame offset must be a numeric literal, got ${shown}`);
  if (exact.unscaled < 0n) throw fail(`a RANGE frame offset must not be negative, got ${shown}`);
  if (key.kind === 'float64') return LiteralNode.create(Number(exact.unscaled) / 10 ** exact.scale, types.float64);
  const notExact = (): PaylakeError => fail(`the RANGE offset ${shown} cannot be represented exactly as ${typeName(key)}, the ORDER BY key's type`);
  switch (key.kind) {
    case 'date':
    case 'int32':
    case 'int64': {
      const whole = exact.scale === 0 ? exact.unscaled : exact.unscaled % 10n ** BigInt(exact.scale) === 0n ? exact.unscaled / 10n ** BigInt(exact.scale) : null;
      if (whole === null) throw notExact();
      if (key.kind === 'int64') return sameType(o.type, types.int64) ? o : LiteralNode.create(whole, types.int64);
      if (whole > BigInt(INT32_MAX)) throw notExact();
      return LiteralNode.create(Number(whole), types.int32);
    }
    case 'decimal': {
      let unscaled: bigint;
      if (exact.scale <= key.scale) unscaled = exact.unscaled * 10n ** BigInt(key.scale - exact.scale);
      else {
        const divisor = 10n ** BigInt(exact.scale - key.scale);
        if (exact.unscaled % divisor !== 0n) throw notExact();
        unscaled = exact.unscaled / divisor;
      }
      if (unscaled >= 10n ** BigInt(key.precision)) throw notExact();
      return LiteralNode.create(unscaled, key);
    }
    default:
      throw fail(`a RANGE frame with an offset needs a numeric, date or timestamp ORDER BY key, got ${typeName(key)}`);
  }
}

/** A numeric literal as an unscaled integer and scale (doubles only when whole), or null. */
function exactValue(o: LiteralNode): { unscaled: bigint; scale: number } | null {
  const v = o.value;
  switch (o.type.kind) {
    case 'int32':
    case 'int64':
      return typeof v === 'number' || typeof v === 'bigint' ? { unscaled: BigInt(v), scale: 0 } : null;
    case 'decimal':
      return typeof v === 'bigint' ? { unscaled: v, scale: o.type.scale } : null;
    case 'float64': {
      if (typeof v !== 'number' || !Number.isFinite(v)) return null;
      // Doubles as their shortest decimal text, exact enough for an offset (`1.5e0` → 15 scale 1).
      const m = /^(-?)(\d+)(?:\.(\d+))?$/.exec(String(v));
      if (!m) return null;
      return { unscaled: BigInt(`${m[1]}${m[2]}${m[3] ?? ''}`), scale: (m[3] ?? '').length };
    }
    default:
      return null;
  }
}
