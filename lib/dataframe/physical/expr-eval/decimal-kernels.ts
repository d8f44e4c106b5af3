// Exact decimal arithmetic on decimal128 columns, as Spark's Decimal under ANSI mode: operands are
// rescaled to the result scale, division rounds HALF_UP to the result scale, and a result with more
// digits than the result precision raises OVERFLOW. Values within ±2^53 run on doubles (exactness
// checked); anything wider goes through BigInt.
import { PaylakeError } from '../../../errors/paylake-error.js';
import type { DecimalType } from '../../types/data-type.js';
import { typeName } from '../../types/data-type.js';
import { binaryValidity, divideByZeroError } from './arithmetic-kernels.js';
import type { ArithmeticOp } from './arithmetic-kernels.js';
import { makeColumn } from './column.js';
import type { Column } from './column.js';
import {
  decimalAsBigInt, decimalAsSafeNumber, divideHalfUp, pow10Big, TWO53, writeDecimalBigInt, writeDecimalNumber,
} from './wide-integers.js';

function validAt(validity: Uint8Array | null, i: number): boolean {
  return validity === null || ((validity[i >>> 3]! >>> (i & 7)) & 1) === 1;
}

/** The ANSI error for a decimal value that does not fit its precision. */
export function decimalOverflowError(what: string, t: DecimalType, value: string): PaylakeError {
  return new PaylakeError(
    'OVERFLOW',
    `[NUMERIC_VALUE_OUT_OF_RANGE] ${value} cannot be represented as ${typeName(t)} in ${what}; CAST to a wider decimal or use try_cast`,
  );
}

/** The unscaled `v` (at scale `scale`) as decimal text, for messages and casts: "-12.50". */
export function formatUnscaled(v: bigint, scale: number): string {
  const neg = v < 0n;
  let digits = (neg ? -v : v).toString();
  if (scale > 0) {
    digits = digits.padStart(scale + 1, '0');
    digits = `${digits.slice(0, digits.length - scale)}.${digits.slice(digits.length - scale)}`;
  }
  return neg ? `-${digits}` : digits;
}

/** `v` rescaled from scale `from` to scale `to`, rounding HALF_UP when digits are dropped. */
export function rescale(v: bigint, from: number, to: number): bigint {
  if (to === from) return v;
  if (to > from) return v * pow10Big(to - from);
  return divideHalfUp(v, pow10Big(from - to));
}

/** `l op r` on decimal columns whose types are the analysed operand types; the result has type `out`. */
export function decimalArithmetic(
  op: ArithmeticOp, l: Column, ls: number, r: Column, rs: number, n: number, out: DecimalType, what: string,
): Column {
  const lt = l.type as DecimalType;
  const rt = r.type as DecimalType;
  const a = l.values as Uint32Array;
  const b = r.values as Uint32Array;
  const res = new Uint32Array(4 * n);
  const validity = binaryValidity(l, ls, r, rs, n);
  const limit = pow10Big(out.precision);
  const limitNumber = out.precision <= 15 ? 10 ** out.precision : TWO53;
  // Fast path factors (only when the exact result is already at the output scale).
  const common = Math.max(lt.scale, rt.scale);
  const addFast = (op === '+' || op === '-') && common === out.scale && common - Math.min(lt.scale, rt.scale) <= 15;
  const mulFast = op === '*' && lt.scale + rt.scale === out.scale;
  const fa = 10 ** (common - lt.scale);
  const fb = 10 ** (common - rt.scale);
  for (let i = 0; i < n; i++) {
    if (addFast || mulFast) {
      const x = decimalAsSafeNumber(a, i * ls);
      const y = decimalAsSafeNumber(b, i * rs);
      if (x === x && y === y) {
        let v: number;
        if (mulFast) v = x * y;
        else {
          const xa = x * fa;
          const yb = y * fb;
          v = xa > -TWO53 && xa < TWO53 && yb > -TWO53 && yb < TWO53 ? (op === '+' ? xa + yb : xa - yb) : NaN;
        }
        if (v > -limitNumber && v < limitNumber) {
          writeDecimalNumber(res, i, v === 0 ? 0 : v);
          continue;
        }
      }
    }
    if (!validAt(validity, i)) continue;
    const x = decimalAsBigInt(a, i * ls);
    const y = decimalAsBigInt(b, i * rs);
    let v: bigint;
    switch (op) {
      case '+':
        v = rescale(x * pow10Big(common - lt.scale) + y * pow10Big(common - rt.scale), common, out.scale);
        break;
      case '-':
        v = rescale(x * pow10Big(common - lt.scale) - y * pow10Big(common - rt.scale), common, out.scale);
        break;
      case '*':
        v = rescale(x * y, lt.scale + rt.scale, out.scale);
        break;
      case '/': {
        if (y === 0n) throw divideByZeroError(what);
        // x/10^ls ÷ y/10^rs at scale s: x·10^(s − ls + rs) / y, rounded HALF_UP.
        const k = out.scale - lt.scale + rt.scale;
        v = k >= 0 ? divideHalfUp(x * pow10Big(k), y) : divideHalfUp(x, y * pow10Big(-k));
        break;
      }
      case '%': {
        if (y === 0n) throw divideByZeroError(what);
        const xc = x * pow10Big(common - lt.scale);
        const yc = y * pow10Big(common - rt.scale);
        v = rescale(xc % yc, common, out.scale);
        break;
      }
    }
    if (v <= -limit || v >= limit) throw decimalOverflowError(what, out, formatUnscaled(v, out.scale));
    writeDecimalBigInt(res, i, v);
  }
  return makeColumn(out, n, res, validity);
}

/** Unary minus (or abs when `absolute`) on a decimal column; decimals are symmetric, so never overflows. */
export function negateDecimal(c: Column, absolute: boolean): Column {
  const n = c.length;
  const a = c.values as Uint32Array;
  const res = new Uint32Array(4 * n);
  for (let i = 0; i < n; i++) {
    const x = decimalAsSafeNumber(a, i);
    if (x === x) writeDecimalNumber(res, i, absolute ? Math.abs(x) : x === 0 ? 0 : -x);
    else {
      const v = decimalAsBigInt(a, i);
      writeDecimalBigInt(res, i, absolute && v >= 0n ? v : -v);
    }
  }
  return makeColumn(c.type, n, res, c.validity);
}
