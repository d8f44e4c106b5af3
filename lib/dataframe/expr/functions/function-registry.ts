// Signatures of the scalar functions of the expression language: arity, argument checks, implicit
// casts and the result type, following Spark SQL 3.5. Evaluation kernels live with the executor.
import { PaylakeError } from '../../../errors/paylake-error.js';
import { closestName } from '../../types/schema.js';
import { isNumeric, typeName, types } from '../../types/data-type.js';
import type { DataType } from '../../types/data-type.js';
import { commonType } from '../../types/type-coercion.js';
import { boundedDecimal } from '../../types/type-coercion.js';
import type { AnalyzedExpr } from '../analyzed-expr.js';
import { castTo } from '../analyzed-expr.js';

/** What a function's analysis returns: arguments (possibly cast) and the result type. */
export interface FunctionSignatureResult {
  readonly args: readonly AnalyzedExpr[];
  readonly type: DataType;
  /** Null when the result can be NULL only if an argument is. */
  readonly nullable?: boolean;
}

/** A scalar function's typing rule. */
export interface FunctionSignature {
  readonly name: string;
  readonly minArgs: number;
  readonly maxArgs: number;
  /** `lower(str)`, shown in errors. */
  readonly usage: string;
  check(args: readonly AnalyzedExpr[]): FunctionSignatureResult;
}

/** Units `date_trunc` accepts, as Spark spells them. */
export const DATE_TRUNC_UNITS = ['YEAR', 'QUARTER', 'MONTH', 'WEEK', 'DAY', 'HOUR', 'MINUTE', 'SECOND', 'MILLISECOND', 'MICROSECOND'] as const;

/** Rounding modes `round` accepts as its third argument (Spark's round is HALF_UP, bround HALF_EVEN). */
export const ROUNDING_MODES = ['HALF_UP', 'HALF_EVEN', 'HALF_DOWN', 'UP', 'DOWN', 'CEILING', 'FLOOR'] as const;

function typeError(sig: FunctionSignature, message: string): PaylakeError {
  return new PaylakeError('TYPE_ERROR', `${sig.name}(): ${message}; usage: ${sig.usage}`);
}

function requireString(sig: FunctionSignature, a: AnalyzedExpr, what: string): AnalyzedExpr {
  if (a.type.kind === 'string') return a;
  if (a.type.kind === 'null') return castTo(a, types.string);
  throw typeError(sig, `${what} must be a string, got ${typeName(a.type)}`);
}

function requireInt(sig: FunctionSignature, a: AnalyzedExpr, what: string): AnalyzedExpr {
  if (a.type.kind === 'int32') return a;
  if (a.type.kind === 'null') return castTo(a, types.int32);
  throw typeError(sig, `${what} must be an int, got ${typeName(a.type)}`);
}

function requireTemporal(sig: FunctionSignature, a: AnalyzedExpr): AnalyzedExpr {
  if (a.type.kind === 'date' || a.type.kind === 'timestamp') return a;
  if (a.type.kind === 'null') return castTo(a, types.timestamp);
  throw typeError(sig, `the argument must be a date or timestamp, got ${typeName(a.type)}`);
}

function literalString(a: AnalyzedExpr | undefined): string | null {
  return a?.expr.kind === 'literal' && typeof a.expr.value === 'string' ? a.expr.value : null;
}

const stringToString = (name: string): FunctionSignature => ({
  name,
  minArgs: 1,
  maxArgs: 1,
  usage: `${name}(str)`,
  check(args) {
    return { args: [requireString(this, args[0]!, 'the argument')], type: types.string };
  },
});

const datePart = (name: string): FunctionSignature => ({
  name,
  minArgs: 1,
  maxArgs: 1,
  usage: `${name}(date_or_timestamp)`,
  check(args) {
    return { args: [requireTemporal(this, args[0]!)], type: types.int32 };
  },
});

const SIGNATURES: readonly FunctionSignature[] = [
  stringToString('lower'),
  stringToString('upper'),
  stringToString('trim'),
  {
    name: 'length',
    minArgs: 1,
    maxArgs: 1,
    usage: 'length(str)',
    check(args) {
      return { args: [requireString(this, args[0]!, 'the argument')], type: types.int32 };
    },
  },
  {
    name: 'substr',
    minArgs: 2,
    maxArgs: 3,
    usage: 'substr(str, pos[, len]) with a 1-based pos',
    check(args) {
      const [s, pos, len] = args;
      const out = [requireString(this, s!, 'str'), requireInt(this, pos!, 'pos')];
      if (len) out.push(requireInt(this, len, 'len'));
      return { args: out, type: types.string };
    },
  },
  {
    name: 'concat',
    minArgs: 1,
    maxArgs: 255,
    usage: 'concat(str, ...)',
    check(args) {
      return { args: args.map((a, i) => requireString(this, a, `argument ${i + 1}`)), type: types.string };
    },
  },
  {
    name: 'coalesce',
    minArgs: 1,
    maxArgs: 255,
    usage: 'coalesce(value, ...) with values of one type',
    check(args) {
      const t = commonType(args.map((a) => a.type));
      if (t === null) throw typeError(this, `the arguments have no common type (${args.map((a) => typeName(a.type)).join(', ')})`);
      return { args: args.map((a) => castTo(a, t)), type: t, nullable: args.every((a) => a.nullable) };
    },
  },
  {
    name: 'abs',
    minArgs: 1,
    maxArgs: 1,
    usage: 'abs(number)',
    check(args) {
      const a = args[0]!;
      if (!isNumeric(a.type) && a.type.kind !== 'null') throw typeError(this, `the argument must be numeric, got ${typeName(a.type)}`);
      return { args: [a], type: a.type.kind === 'null' ? types.int32 : a.type };
    },
  },
  {
    name: 'round',
    minArgs: 1,
    maxArgs: 3,
    usage: "round(number[, scale[, mode]]) with mode one of 'HALF_UP' (default), 'HALF_EVEN', 'HALF_DOWN', 'UP', 'DOWN', 'CEILING', 'FLOOR'",
    check(args) {
      const [x, scaleArg, modeArg] = args;
      if (!isNumeric(x!.type)) throw typeError(this, `the number must be numeric, got ${typeName(x!.type)}`);
      let scale = 0;
      if (scaleArg) {
        if (scaleArg.expr.kind !== 'literal' || typeof scaleArg.expr.value !== 'number') {
          throw typeError(this, 'the scale must be an integer literal');
        }
        scale = scaleArg.expr.value;
      }
      if (modeArg) {
        const mode = literalString(modeArg);
        if (mode === null || !(ROUNDING_MODES as readonly string[]).includes(mode.toUpperCase())) {
          throw typeError(this, `the mode must be one of ${ROUNDING_MODES.join(', ')}`);
        }
      }
      const t = x!.type;
      // Spark: rounding a decimal(p,s) to scale d gives decimal(p - s + d + 1, d) when d < s.
      const type = t.kind === 'decimal' && scale < t.scale ? boundedDecimal(t.precision - t.scale + Math.max(scale, 0) + 1, Math.max(scale, 0)) : t;
      return { args: args.slice(), type };
    },
  },
  {
    name: 'to_date',
    minArgs: 1,
    maxArgs: 1,
    usage: 'to_date(timestamp_or_string)',
    check(args) {
      const a = args[0]!;
      if (a.type.kind !== 'timestamp' && a.type.kind !== 'string' && a.type.kind !== 'date' && a.type.kind !== 'null') {
        throw typeError(this, `the argument must be a timestamp, date or string, got ${typeName(a.type)}`);
      }
      return { args: [a], type: types.date };
    },
  },
  datePart('year'),
  datePart('month'),
  datePart('day'),
  datePart('dayofmonth'),
  datePart('hour'),
  {
    name: 'date_trunc',
    minArgs: 2,
    maxArgs: 2,
    usage: `date_trunc(unit, timestamp) with unit one of ${DATE_TRUNC_UNITS.join(', ')}`,
    check(args) {
      const unit = literalString(args[0]);
      if (unit === null || !(DATE_TRUNC_UNITS as readonly string[]).includes(unit.toUpperCase())) {
        throw typeError(this, `the unit must be a string literal, one of ${DATE_TRUNC_UNITS.join(', ')}`);
      }
      const ts = requireTemporal(this, args[1]!);
      return { args: [args[0]!, castTo(ts, types.timestamp)], type: types.timestamp };
    },
  },
];

const BY_NAME: ReadonlyMap<string, FunctionSignature> = new Map(SIGNATURES.map((s) => [s.name, s]));

/** The signature of a scalar function by (case-insensitive) name; NOT_FOUND with a suggestion if none. */
export function functionSignature(name: string): FunctionSignature {
  const sig = BY_NAME.get(name.toLowerCase());
  if (sig) return sig;
  const close = closestName(name, [...BY_NAME.keys()]);
  throw new PaylakeError(
    'NOT_FOUND',
    `unknown function ${name}()${close ? `; did you mean ${close}()?` : ''} Functions: ${[...BY_NAME.keys()].sort().join(', ')}`,
  );
}
