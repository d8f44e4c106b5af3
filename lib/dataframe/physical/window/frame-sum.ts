// count, sum and avg over window frames, with the aggregate functions' result types and exactness
// (physical/aggregate/): integer and decimal sums are exact running sums (a double part kept inside
// ±2^52 plus a BigInt carry, so adding and removing rows never rounds) and raise OVERFLOW when a frame's
// total does not fit the result type; double sums are compensated (Neumaier) with NaN and ±Infinity
// counted apart, so a value leaving the frame leaves no trace. A frame without values gives NULL (count 0).
import { PaylakeError } from '../../../errors/paylake-error.js';
import { formatUnscaled } from '../../expr/display-expr.js';
import { typeName, types } from '../../types/data-type.js';
import type { DataType, DecimalType } from '../../types/data-type.js';
import { decimalSumType } from '../../types/type-coercion.js';
import { nearestDoubleOfQuotient, sparkDecimalAverage } from '../aggregate/avg-aggregate.js';
import { TWO52 } from '../aggregate/sum-accumulator.js';
import { getBit, makeColumn, newBitmap, setBit } from '../expr-eval/column.js';
import type { Column } from '../expr-eval/column.js';
import { decimalAsBigInt, decimalAsSafeNumber, int64Words, pow10Big, TWO53, writeDecimalBigInt, writeDecimalNumber, writeInt64Number } from '../expr-eval/wide-integers.js';
import type { FrameBounds } from './frame-bounds.js';
import { slideFrames } from './sliding-frame.js';
import type { SlidingState } from './sliding-frame.js';
import type { WindowRows } from './window-partitions.js';

const INT64_MAX = (1n << 63n) - 1n;

/** count(*) (`arg` null) or count(x) per frame: never NULL. */
export function frameCount(arg: Column | null, bounds: FrameBounds, rows: WindowRows): Column {
  const n = rows.count;
  // prefix[k] = values among rows 0..k-1; a frame's count is a difference of two.
  const prefix = new Float64Array(n + 1);
  const bits = arg === null || arg.type.kind === 'null' ? null : arg.validity;
  const none = arg !== null && arg.type.kind === 'null';
  for (let i = 0; i < n; i++) prefix[i + 1] = prefix[i]! + (none ? 0 : bits === null ? 1 : getBit(bits, i));
  const out = new BigInt64Array(n);
  const w = int64Words(out);
  for (let i = 0; i < n; i++) {
    const lo = bounds.lo[i]!;
    const hi = bounds.hi[i]!;
    writeInt64Number(w, i, hi > lo ? prefix[hi]! - prefix[lo]! : 0);
  }
  return makeColumn(types.int64, n, out, null);
}

/** sum(x) per frame; `resultType` is the analyzer's (bigint, decimal(p+10,s) or double). `what` names the call in errors. */
export function frameSum(arg: Column, resultType: DataType, bounds: FrameBounds, rows: WindowRows, what: string): Column {
  if (arg.type.kind === 'float64') {
    const state = new RunningFloatSum(arg);
    return floatResults(rows.count, bounds, rows, state, () => state.total());
  }
  const state = new RunningExactSum(arg);
  const n = rows.count;
  if (resultType.kind === 'decimal') {
    const words = new Uint32Array(4 * n);
    const limit = pow10Big(resultType.precision);
    const validity = slideNonEmpty(bounds, rows, state, (i) => {
      writeDecimalBigInt(words, i, checked(state.total(), limit, resultType, 'sum', what));
    });
    return makeColumn(resultType, n, words, validity);
  }
  const out = new BigInt64Array(n);
  const w = int64Words(out);
  const validity = slideNonEmpty(bounds, rows, state, (i) => {
    const t = state.totalNumber();
    if (t === t) writeInt64Number(w, i, t);
    else {
      const big = state.total();
      if (big > INT64_MAX || big < -INT64_MAX - 1n) throw overflow(what, `the exact sum ${big} does not fit bigint`);
      out[i] = big;
    }
  });
  return makeColumn(resultType, n, out, validity);
}

/** avg(x) per frame: double for int/bigint/double, decimalAvgType for decimals, with Spark 3.5's rounding. */
export function frameAvg(arg: Column, resultType: DataType, bounds: FrameBounds, rows: WindowRows, what: string): Column {
  const n = rows.count;
  if (arg.type.kind === 'float64') {
    const state = new RunningFloatSum(arg);
    return floatResults(n, bounds, rows, state, () => state.total() / state.count);
  }
  const state = new RunningExactSum(arg);
  const input = arg.type;
  if (input.kind === 'decimal' && resultType.kind === 'decimal') {
    const sumType = decimalSumType(input);
    const sumLimit = pow10Big(sumType.precision);
    const limit = pow10Big(resultType.precision);
    const scaleUp = 10 ** (resultType.scale - input.scale);
    const words = new Uint32Array(4 * n);
    const validity = slideNonEmpty(bounds, rows, state, (i) => {
      const t = state.totalNumber();
      const fast = t === t ? halfUpQuotient(t * scaleUp, state.count) : NaN;
      if (fast === fast && Math.abs(t) < 10 ** sumType.precision && Math.abs(fast) < 10 ** resultType.precision) {
        writeDecimalNumber(words, i, fast);
        return;
      }
      // Spark (ANSI) keeps the running sum in decimalSumType and fails when it, or the average, does not fit.
      const sum = checked(state.total(), sumLimit, sumType, 'sum', what);
      writeDecimalBigInt(words, i, checked(sparkDecimalAverage(sum, BigInt(state.count), input), limit, resultType, 'average', what));
    });
    return makeColumn(resultType, n, words, validity);
  }
  return floatResults(n, bounds, rows, state, () => {
    const t = state.totalNumber();
    // Exact sum and count: one IEEE division is correctly rounded; beyond 2^53 divide exactly.
    return t === t ? t / state.count : nearestDoubleOfQuotient(state.total(), BigInt(state.count));
  });
}

/**
 * a / c rounded HALF_UP (c > 0) when a is an integer double and |a| + c < 2^53, else NaN. It equals
 * sparkDecimalAverage's two roundings (to scale 39, then to the result scale) unless the count exceeds
 * 10^34: only then can the first rounding carry into a tie.
 */
function halfUpQuotient(a: number, c: number): number {
  const x = Math.abs(a);
  if (!(x + c < TWO53)) return NaN;
  let q = Math.floor(x / c);
  let r = x - q * c;
  if (r < 0) {
    q--;
    r += c;
  } else if (r >= c) {
    q++;
    r -= c;
  }
  if (2 * r >= c) q++;
  return a < 0 ? -q : q;
}

/**
 * Slides the frames and calls `write(i)` for each row whose frame holds values; returns the result's
 * validity (NULL where the frame holds none; null when no row is NULL).
 */
function slideNonEmpty(bounds: FrameBounds, rows: WindowRows, state: SlidingState & { readonly count: number }, write: (i: number) => void): Uint8Array | null {
  const validity = newBitmap(rows.count);
  let nulls = 0;
  slideFrames(bounds, rows, state, (i) => {
    if (state.count === 0) {
      nulls++;
      return;
    }
    setBit(validity, i);
    write(i);
  });
  return nulls > 0 ? validity : null;
}

/** A double column of `value()` per row, NULL where the frame holds no value. */
function floatResults(n: number, bounds: FrameBounds, rows: WindowRows, state: SlidingState & { readonly count: number }, value: () => number): Column {
  const out = new Float64Array(n);
  const validity = slideNonEmpty(bounds, rows, state, (i) => {
    out[i] = value();
  });
  return makeColumn(types.float64, n, out, validity);
}

function checked(v: bigint, limit: bigint, type: DecimalType, what: string, call: string): bigint {
  if (v < limit && v > -limit) return v;
  throw overflow(call, `the exact ${what} ${formatUnscaled(v, type.scale)} does not fit ${typeName(type)}`);
}

function overflow(call: string, message: string): PaylakeError {
  return new PaylakeError(
    'OVERFLOW',
    `window "${call}": ${message} (Spark ANSI mode raises ARITHMETIC_OVERFLOW); cast the argument to a decimal with more digits, e.g. CAST(x AS DECIMAL(38, its scale))`,
  );
}

/**
 * The exact sum of the rows in the frame of an int32, int64 or decimal column (unscaled): `small` is a
 * double kept strictly inside ±2^52, so adding a value of magnitude ≤ 2^52 is exact; what leaves that
 * range, and values beyond ±2^52 themselves, go to the BigInt `big`.
 */
class RunningExactSum implements SlidingState {
  /** Values within the frame that are not NULL. */
  count = 0;
  private small = 0;
  private big = 0n;
  /** Row values as doubles when |v| ≤ 2^52, else NaN (then `wide` holds them). */
  private readonly values: Float64Array;
  private readonly wide = new Map<number, bigint>();
  private readonly validity: Uint8Array | null;

  constructor(col: Column) {
    const n = col.length;
    this.values = new Float64Array(n);
    this.validity = col.type.kind === 'null' ? newBitmap(n) : col.validity;
    switch (col.type.kind) {
      case 'int32':
        this.values.set(col.values as Int32Array);
        break;
      case 'int64': {
        const w = int64Words(col.values as BigInt64Array);
        const big = col.values as BigInt64Array;
        for (let i = 0; i < n; i++) {
          const hw = w[2 * i + 1]!;
          if (hw >= -0x100000 && hw < 0x100000) this.values[i] = hw * 4294967296 + (w[2 * i]! >>> 0);
          else this.keepWide(i, big[i]!);
        }
        break;
      }
      case 'decimal': {
        const words = col.values as Uint32Array;
        for (let i = 0; i < n; i++) {
          const v = decimalAsSafeNumber(words, i);
          if (v <= TWO52 && v >= -TWO52) this.values[i] = v;
          else this.keepWide(i, decimalAsBigInt(words, i));
        }
        break;
      }
      case 'null':
        break;
      default:
        throw new PaylakeError('INTERNAL', `exact window sum of ${typeName(col.type)}; please report this`);
    }
  }

  reset(): void {
    this.count = 0;
    this.small = 0;
    this.big = 0n;
  }

  add(row: number): void {
    this.update(row, 1);
  }

  remove(row: number): void {
    this.update(row, -1);
  }

  /** The frame's sum as a double when it is exactly one (no BigInt part), else NaN. */
  totalNumber(): number {
    return this.big === 0n ? this.small : NaN;
  }

  /** The frame's exact sum. */
  total(): bigint {
    return this.big + BigInt(this.small);
  }

  private keepWide(i: number, v: bigint): void {
    this.values[i] = NaN;
    this.wide.set(i, v);
  }

  private update(row: number, sign: 1 | -1): void {
    if (this.validity !== null && getBit(this.validity, row) === 0) return;
    this.count += sign;
    const v = this.values[row]!;
    if (v !== v) {
      const w = this.wide.get(row)!;
      this.big += sign === 1 ? w : -w;
      return;
    }
    const s = this.small + sign * v;
    if (s >= TWO52 || s <= -TWO52) {
      this.big += BigInt(s);
      this.small = 0;
    } else this.small = s;
  }
}

/**
 * The sum of the frame's doubles with Neumaier compensation. NaN and ±Infinity are counted, not added, so
 * removing them restores the finite sum; a finite sum that overflows is recomputed over the frame.
 */
class RunningFloatSum implements SlidingState {
  count = 0;
  private s = 0;
  private c = 0;
  private nan = 0;
  private positiveInfinity = 0;
  private negativeInfinity = 0;
  /** The frame's rows: [first, end). */
  private first = 0;
  private end = 0;
  private readonly values: Float64Array;

  constructor(private readonly col: Column) {
    this.values = col.values as Float64Array;
  }

  reset(): void {
    this.count = 0;
    this.s = 0;
    this.c = 0;
    this.nan = 0;
    this.positiveInfinity = 0;
    this.negativeInfinity = 0;
    this.first = 0;
    this.end = 0;
  }

  add(row: number): void {
    if (this.end === this.first) this.first = row;
    this.end = row + 1;
    this.update(row, 1);
  }

  remove(row: number): void {
    this.first = row + 1;
    this.update(row, -1);
  }

  total(): number {
    if (this.nan > 0 || (this.positiveInfinity > 0 && this.negativeInfinity > 0)) return NaN;
    if (this.positiveInfinity > 0) return Infinity;
    if (this.negativeInfinity > 0) return -Infinity;
    if (!Number.isFinite(this.s)) this.recompute();
    return Number.isFinite(this.s) ? this.s + this.c : this.s;
  }

  private update(row: number, sign: 1 | -1): void {
    const bits = this.col.validity;
    if (bits !== null && getBit(bits, row) === 0) return;
    this.count += sign;
    const x = this.values[row]!;
    if (x !== x) this.nan += sign;
    else if (x === Infinity) this.positiveInfinity += sign;
    else if (x === -Infinity) this.negativeInfinity += sign;
    else this.addFinite(sign * x);
  }

  private addFinite(x: number): void {
    const s = this.s;
    const t = s + x;
    if (Math.abs(s) >= Math.abs(x)) this.c += s - t + x;
    else this.c += x - t + s;
    this.s = t;
  }

  /** After an overflow to ±Infinity the running sum is lost; sum the frame's finite values again. */
  private recompute(): void {
    this.s = 0;
    this.c = 0;
    const bits = this.col.validity;
    for (let i = this.first; i < this.end; i++) {
      const x = this.values[i]!;
      if ((bits === null || getBit(bits, i) === 1) && Number.isFinite(x)) this.addFinite(x);
    }
  }
}
