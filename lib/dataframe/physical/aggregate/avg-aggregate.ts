// avg(x) as Spark 3.5 computes it. int/bigint/double → double: sum / count, where integer sums are exact
// and the quotient is correctly rounded (Spark's running double sum gives the same value whenever its
// partial sums stay below 2^53; beyond that Spark's value depends on row order, ours does not). decimal(p,s) → decimalAvgType: the exact decimal sum divided by the
// count with Spark's roundings (see sparkDecimalAverage). State: a sum plus an 8-byte count per group.
import { Field, Int64 } from 'apache-arrow';
import type { Data } from 'apache-arrow';
import { PaylakeError } from '../../../errors/paylake-error.js';
import { toArrowType } from '../../types/arrow-type.js';
import { types, typeName } from '../../types/data-type.js';
import type { DataType, DecimalType } from '../../types/data-type.js';
import { decimalAvgType, decimalSumType } from '../../types/type-coercion.js';
import { formatUnscaled } from '../../expr/display-expr.js';
import { columnFromData } from '../expr-eval/arrow-column.js';
import { getBit, makeColumn } from '../expr-eval/column.js';
import type { Column } from '../expr-eval/column.js';
import { divideHalfUp, pow10Big, writeDecimalBigInt } from '../expr-eval/wide-integers.js';
import { describeAggregate } from './aggregate-function.js';
import type { AggregateFunction, AggregateSpec } from './aggregate-function.js';
import { countsPartial, mergeCounts } from './count-aggregate.js';
import { ExactSumAccumulator, FloatSumAccumulator } from './sum-accumulator.js';
import { addExact, partialSumType, validityOf } from './sum-aggregate.js';
import { ensureCapacity } from './typed-array-growth.js';

/** Spark's DecimalType.MAX_SCALE + 1: the scale Decimal division computes at before any result rounding. */
const DIVISION_SCALE = 39;

/**
 * The unscaled avg of a decimal column as Spark 3.5's Average computes it: DecimalDivideWithOverflowCheck
 * divides the sum by the count (Decimal division at scale 39, HALF_UP) and rounds that once, HALF_UP, to
 * decimalAvgType's scale. (Spark before 3.4 rounded to the Divide's own result scale first; 3.5 does not.)
 */
export function sparkDecimalAverage(sum: bigint, count: bigint, input: DecimalType): bigint {
  const s = input.scale;
  const resultScale = decimalAvgType(input).scale;
  const q39 = divideHalfUp(sum * pow10Big(DIVISION_SCALE - s), count);
  return divideHalfUp(q39, pow10Big(DIVISION_SCALE - resultScale));
}

/**
 * n / d (d > 0) correctly rounded to the nearest double: the quotient is computed to at least 64
 * significant bits with a sticky bit for the remainder, so Number() rounds once, at the right place.
 */
export function nearestDoubleOfQuotient(n: bigint, d: bigint): number {
  const negative = n < 0n;
  const a = negative ? -n : n;
  const shift = Math.max(0, 65 - (a.toString(2).length - d.toString(2).length));
  const scaled = a << BigInt(shift);
  let q = scaled / d;
  if (scaled % d !== 0n) q |= 1n;
  const v = Number(q) / 2 ** shift;
  return negative ? -v : v;
}

/** Per-group non-NULL counts for avg. */
function countValid(counts: Float64Array, groups: Int32Array, arg: Column, n: number): void {
  if (arg.type.kind === 'null') return;
  const bits = arg.validity;
  if (bits === null) for (let i = 0; i < n; i++) counts[groups[i]!]!++;
  else for (let i = 0; i < n; i++) if (getBit(bits, i) === 1) counts[groups[i]!]!++;
}

/** avg over int32, int64 (→ double) or decimal (→ decimalAvgType): exact sum + count. */
class ExactAvgAggregate implements AggregateFunction {
  readonly resultType: DataType;
  readonly stateFields: readonly Field[];
  private readonly acc = new ExactSumAccumulator();
  private counts = new Float64Array(16);
  private readonly stateType: DecimalType;

  constructor(readonly spec: AggregateSpec, private readonly input: DataType) {
    this.resultType = input.kind === 'decimal' ? decimalAvgType(input) : types.float64;
    this.stateType = partialSumType(input);
    this.stateFields = [new Field('sum', toArrowType(this.stateType), true), new Field('count', new Int64(), false)];
  }

  init(groupCount: number): void {
    this.acc.init(groupCount);
    this.counts = ensureCapacity(this.counts, groupCount);
  }

  add(groups: Int32Array, arg: Column | null, n: number): void {
    addExact(this.acc, groups, arg!, n);
    countValid(this.counts, groups, arg!, n);
  }

  merge(groups: Int32Array, state: readonly Data[], n: number): void {
    this.acc.addDecimal(groups, columnFromData(state[0]!, this.stateType, this.spec.name), n);
    mergeCounts(this.counts, groups, state[1]!, n);
  }

  partial(groupCount: number): Data[] {
    return [this.acc.partial(groupCount, this.stateType, describeAggregate(this.spec)), countsPartial(this.counts, groupCount)];
  }

  finish(order: Int32Array): Column {
    const n = order.length;
    const validity = validityOf(order, (g) => this.counts[g]! > 0);
    const input = this.input;
    if (input.kind !== 'decimal') {
      const out = new Float64Array(n);
      for (let i = 0; i < n; i++) {
        const g = order[i]!;
        const c = this.counts[g]!;
        if (c === 0) continue;
        const v = this.acc.totalNumber(g);
        // Exact sum and count: one IEEE division is correctly rounded; beyond 2^53 divide exactly.
        out[i] = v === v ? v / c : nearestDoubleOfQuotient(this.acc.total(g), BigInt(c));
      }
      return makeColumn(this.resultType, n, out, validity);
    }
    // Spark (ANSI) keeps the running sum in decimalSumType and fails when it, or the average, does not fit.
    const sumType = decimalSumType(input);
    const resultType = this.resultType as DecimalType;
    const words = new Uint32Array(4 * n);
    for (let i = 0; i < n; i++) {
      const g = order[i]!;
      const c = this.counts[g]!;
      if (c === 0) continue;
      const sum = this.checked(this.acc.total(g), sumType, 'sum');
      writeDecimalBigInt(words, i, this.checked(sparkDecimalAverage(sum, BigInt(c), input), resultType, 'average'));
    }
    return makeColumn(this.resultType, n, words, validity);
  }

  bytesPerGroup(): number {
    return this.acc.bytesPerGroup() + 8;
  }

  private checked(unscaled: bigint, type: DecimalType, what: string): bigint {
    const limit = pow10Big(type.precision);
    if (unscaled < limit && unscaled > -limit) return unscaled;
    throw new PaylakeError(
      'OVERFLOW',
      `${describeAggregate(this.spec)}: the exact ${what} ${formatUnscaled(unscaled, type.scale)} does not fit ${typeName(type)} ` +
        '(Spark ANSI mode raises ARITHMETIC_OVERFLOW); cast the argument to a decimal with more integer digits, e.g. CAST(x AS DECIMAL(38,2)), to average it',
    );
  }
}

/** avg over double: compensated sum / count. */
class FloatAvgAggregate implements AggregateFunction {
  readonly resultType = types.float64;
  readonly stateFields = [...FloatSumAccumulator.fields, new Field('count', new Int64(), false)];
  private readonly acc = new FloatSumAccumulator();
  private counts = new Float64Array(16);

  constructor(readonly spec: AggregateSpec) {}

  init(groupCount: number): void {
    this.acc.init(groupCount);
    this.counts = ensureCapacity(this.counts, groupCount);
  }

  add(groups: Int32Array, arg: Column | null, n: number): void {
    this.acc.add(groups, arg!, n);
    countValid(this.counts, groups, arg!, n);
  }

  merge(groups: Int32Array, state: readonly Data[], n: number): void {
    const sum = columnFromData(state[0]!, types.float64, this.spec.name);
    const comp = columnFromData(state[1]!, types.float64, this.spec.name);
    this.acc.merge(groups, sum, comp, n);
    mergeCounts(this.counts, groups, state[2]!, n);
  }

  partial(groupCount: number): Data[] {
    return [...this.acc.partial(groupCount), countsPartial(this.counts, groupCount)];
  }

  finish(order: Int32Array): Column {
    const out = new Float64Array(order.length);
    for (let i = 0; i < order.length; i++) {
      const g = order[i]!;
      if (this.counts[g]! > 0) out[i] = this.acc.total(g) / this.counts[g]!;
    }
    return makeColumn(types.float64, order.length, out, validityOf(order, (g) => this.counts[g]! > 0));
  }

  bytesPerGroup(): number {
    return 25;
  }
}

/** The avg aggregate for `spec` (TYPE_ERROR for a non-numeric argument). */
export function createAvgAggregate(spec: AggregateSpec): AggregateFunction {
  const t = spec.inputType;
  if (t === null) throw new PaylakeError('USAGE', `${describeAggregate(spec)}: avg needs an argument`);
  switch (t.kind) {
    case 'int32':
    case 'int64':
    case 'decimal':
    case 'null':
      return new ExactAvgAggregate(spec, t);
    case 'float64':
      return new FloatAvgAggregate(spec);
    default:
      throw new PaylakeError('TYPE_ERROR', `${describeAggregate(spec)}: avg needs a numeric argument, got ${typeName(t)}`);
  }
}
