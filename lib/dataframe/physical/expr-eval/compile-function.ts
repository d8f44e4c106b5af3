// Compiles scalar function calls (the registry in expr/functions/function-registry.ts) to evaluators.
// coalesce evaluates each argument only on rows still NULL (as Spark); the others map rows through
// small row functions, which on dictionary strings run once per distinct value (dictionary-eval.ts).
import { PaylakeError } from '../../../errors/paylake-error.js';
import { functionSignature } from '../../expr/functions/function-registry.js';
import type { Expr } from '../../expr/expr.js';
import type { DataType, DecimalType } from '../../types/data-type.js';
import { types } from '../../types/data-type.js';
import { absNumeric, overflowError } from './arithmetic-kernels.js';
import { columnWriter, doubleToString, readRow } from './cast-kernels.js';
import { civilFromDays, daysFromCivil, floorDivMicros } from '../../../calendar/civil-time.js';
import { fullBitmap, getBit, clearBit } from './column.js';
import type { Column } from './column.js';
import { castColumn } from './cast-kernels.js';
import { decimalOverflowError, formatUnscaled, negateDecimal } from './decimal-kernels.js';
import { rowsOf } from './eval-node.js';
import type { EvalInput, EvalNode } from './eval-node.js';
import { expand } from './literal-column.js';
import { roundDigits, roundingMode } from './round-kernels.js';
import type { RoundingMode } from './round-kernels.js';
import { interleave } from './take-column.js';
import { pow10Big } from './wide-integers.js';

type RowValue = ReturnType<typeof readRow>;
const US_PER_DAY = 86_400_000_000n;

/** Compiles `name(args)` whose arguments are already compiled; `e` is the call (for its literal arguments). */
export function compileFunction(name: string, args: readonly EvalNode[], e: Expr, what: string): EvalNode {
  const type = resultType(name, args, e);
  const columns = new Set<number>();
  for (const a of args) for (const c of a.columns) columns.add(c);
  const literalArg = (k: number): unknown => (e.kind === 'function' && e.args[k]?.kind === 'literal' ? (e.args[k] as { value: unknown }).value : null);
  const node = (evaluate: (input: EvalInput, sel: Uint32Array | null) => Column): EvalNode => ({ type, constant: false, columns, evaluate });
  const rowwise = (fn: (v: RowValue[]) => RowValue | null) =>
    node((input, sel) => mapRows(args.map((a) => expandArg(a, input, sel)), type, rowsOf(input, sel), fn, what));
  const cp = (s: string): string[] => [...s];
  switch (name) {
    case 'coalesce':
      return node((input, sel) => coalesce(args, type, input, sel));
    case 'lower':
      return rowwise(([s]) => (s as string).toLowerCase());
    case 'upper':
      return rowwise(([s]) => (s as string).toUpperCase());
    case 'trim':
      return rowwise(([s]) => (s as string).replace(/^ +| +$/g, ''));
    case 'length':
      return rowwise(([s]) => cp(s as string).length);
    case 'concat':
      return rowwise((vs) => vs.join(''));
    case 'substr':
      return rowwise(([s, pos, len]) => substr(s as string, pos as number, args.length > 2 ? (len as number) : Infinity));
    case 'abs':
      return node((input, sel) => {
        const c = expandArg(args[0]!, input, sel);
        return c.type.kind === 'decimal' ? negateDecimal(c, true) : absNumeric(c, what);
      });
    case 'round': {
      const scale = Number(literalArg(1) ?? 0);
      const mode = roundingMode((literalArg(2) as string | null) ?? null);
      const from = args[0]!.type;
      return node((input, sel) => mapRows([expandArg(args[0]!, input, sel)], type, rowsOf(input, sel), ([v]) => roundValue(v!, from, type, scale, mode, what), what));
    }
    case 'to_date': {
      const from = args[0]!.type;
      return node((input, sel) => castColumn(expandArg(args[0]!, input, sel), types.date, from.kind === 'string', what));
    }
    case 'year':
    case 'month':
    case 'day':
    case 'dayofmonth':
    case 'hour': {
      const part = name;
      const from = args[0]!.type;
      return rowwise(([v]) => {
        if (part === 'hour') return from.kind === 'date' ? 0 : Math.floor(Number(floorDivMicros(v as bigint, US_PER_DAY)[1]) / 3_600_000_000);
        const days = from.kind === 'date' ? (v as number) : Number(floorDivMicros(v as bigint, US_PER_DAY)[0]);
        const [y, m, d] = civilFromDays(days);
        return part === 'year' ? y : part === 'month' ? m : d;
      });
    }
    case 'date_trunc': {
      const unit = String(literalArg(0)).toUpperCase();
      return node((input, sel) => mapRows([expandArg(args[1]!, input, sel)], type, rowsOf(input, sel), ([v]) => dateTrunc(unit, v as bigint), what));
    }
    default:
      throw new PaylakeError('TYPE_ERROR', `function ${name}() cannot be evaluated locally yet (${what})`);
  }
}

function resultType(name: string, args: readonly EvalNode[], e: Expr): DataType {
  const analyzed = args.map((a, k) => ({ expr: e.kind === 'function' ? e.args[k]! : e, type: a.type, nullable: true }));
  return functionSignature(name).check(analyzed).type;
}

function expandArg(a: EvalNode, input: EvalInput, sel: Uint32Array | null): Column {
  return expand(a.evaluate(input, sel), a.constant, rowsOf(input, sel));
}

/** Applies `fn` to each row whose arguments are all non-NULL (NULL in, NULL out). */
function mapRows(cols: readonly Column[], type: DataType, n: number, fn: (v: RowValue[]) => RowValue | null, what: string): Column {
  void what;
  const writer = columnWriter(type, n);
  const validity = fullBitmap(n);
  const vals: RowValue[] = new Array<RowValue>(cols.length);
  const flat = cols.map((c) => (c.dictionary ? castDictionary(c) : c));
  let anyNull = false;
  for (let i = 0; i < n; i++) {
    let isNull = false;
    for (let k = 0; k < flat.length; k++) {
      const c = flat[k]!;
      if (c.validity !== null && !getBit(c.validity, i)) {
        isNull = true;
        break;
      }
      vals[k] = readRow(c, i);
    }
    const out = isNull ? null : fn(vals);
    if (out === null) {
      clearBit(validity, i);
      anyNull = true;
    } else writer.set(i, out);
  }
  return writer.finish(anyNull ? validity : null);
}

function castDictionary(c: Column): Column {
  return interleave(c.type, [c], new Int32Array(c.length), Int32Array.from({ length: c.length }, (_, i) => i));
}

/** Spark's substr: 1-based; 0 acts as 1; negative counts from the end; code points, not UTF-16 units. */
export function substr(s: string, pos: number, len: number): string {
  const cps = [...s];
  const n = cps.length;
  if (len <= 0) return '';
  let start = pos > 0 ? pos - 1 : pos < 0 ? n + pos : 0;
  let end = len === Infinity ? n : start + len;
  if (start < 0) start = 0;
  if (end > n) end = n;
  return start >= end ? '' : cps.slice(start, end).join('');
}

function coalesce(args: readonly EvalNode[], type: DataType, input: EvalInput, sel: Uint32Array | null): Column {
  const n = rowsOf(input, sel);
  const which = new Int32Array(n).fill(-1);
  const rows = new Int32Array(n);
  const sources: Column[] = [];
  let remaining = Uint32Array.from({ length: n }, (_, i) => i);
  for (const a of args) {
    if (remaining.length === 0) break;
    const subSel = sel === null ? remaining : Uint32Array.from(remaining, (p) => sel[p]!);
    const c = a.evaluate(input, subSel);
    const src = sources.push(c) - 1;
    const still: number[] = [];
    for (let j = 0; j < remaining.length; j++) {
      const r = a.constant ? 0 : j;
      if (c.validity === null || getBit(c.validity, r)) {
        which[remaining[j]!] = src;
        rows[remaining[j]!] = r;
      } else still.push(remaining[j]!);
    }
    remaining = Uint32Array.from(still);
  }
  return interleave(type, sources, which, rows);
}

function roundValue(v: RowValue, from: DataType, to: DataType, scale: number, mode: RoundingMode, what: string): RowValue {
  switch (from.kind) {
    case 'decimal': {
      const s = from.scale;
      if (scale >= s) return v;
      const t = to as DecimalType;
      const rounded = roundDigits(v as bigint, s - scale, mode);
      const out = scale < 0 ? rounded * pow10Big(-scale) : rounded;
      if (out <= -pow10Big(t.precision) || out >= pow10Big(t.precision)) throw decimalOverflowError(what, t, formatUnscaled(out, t.scale));
      return out;
    }
    case 'int32':
    case 'int64': {
      if (scale >= 0) return v;
      const out = roundDigits(BigInt(v as number | bigint), -scale, mode) * pow10Big(-scale);
      if (from.kind === 'int32') {
        if (out < -2147483648n || out > 2147483647n) throw overflowError(what, 'int');
        return Number(out);
      }
      if (out < -(2n ** 63n) || out > 2n ** 63n - 1n) throw overflowError(what, 'bigint');
      return out;
    }
    case 'float64': {
      const d = v as number;
      if (!Number.isFinite(d)) return d;
      const text = doubleToString(d).replace('E', 'e');
      const m = /^(-?)(\d+)(?:\.(\d+))?(?:e(-?\d+))?$/.exec(text)!;
      let digits = `${m[2]}${m[3] ?? ''}`;
      let exp = -(m[3] ?? '').length + Number(m[4] ?? 0);
      if (exp > 0) {
        digits += '0'.repeat(exp);
        exp = 0;
      }
      const unscaled = BigInt(`${m[1]}${digits}`);
      const drop = -exp - scale;
      if (drop <= 0) return d;
      const r = roundDigits(unscaled, drop, mode);
      const out = Number(`${r}e${-scale}`);
      return out === 0 ? 0 : out;
    }
    default:
      return v;
  }
}

function dateTrunc(unit: string, us: bigint): bigint {
  const [day, rest] = floorDivMicros(us, US_PER_DAY);
  const dayStart = day * US_PER_DAY;
  const r = (size: bigint): bigint => us - (((us % size) + size) % size);
  switch (unit) {
    case 'MICROSECOND':
      return us;
    case 'MILLISECOND':
      return r(1000n);
    case 'SECOND':
      return r(1_000_000n);
    case 'MINUTE':
      return r(60_000_000n);
    case 'HOUR':
      return r(3_600_000_000n);
    case 'DAY':
      void rest;
      return dayStart;
    case 'WEEK': {
      // 1970-01-01 was a Thursday; Monday-based weeks.
      const dow = (((Number(day) + 3) % 7) + 7) % 7;
      return (day - BigInt(dow)) * US_PER_DAY;
    }
    case 'MONTH':
    case 'QUARTER':
    case 'YEAR': {
      const [y, m] = civilFromDays(Number(day));
      const month = unit === 'YEAR' ? 1 : unit === 'QUARTER' ? m - ((m - 1) % 3) : m;
      return BigInt(daysFromCivil(y, month, 1)) * US_PER_DAY;
    }
    default:
      throw new PaylakeError('TYPE_ERROR', `date_trunc unit '${unit}' is not supported`);
  }
}
