// sum(x) with Spark's result types: int/bigint → bigint, decimal(p,s) → decimal(min(38,p+10),s), double →
// double. Integer and decimal sums are exact (sum-accumulator.ts) and raise OVERFLOW when the exact total
// does not fit the result type; the sum of an empty or all-NULL group is NULL.
import { Field } from 'apache-arrow';
import type { Data } from 'apache-arrow';
import { PaylakeError } from '../../../errors/paylake-error.js';
import { toArrowType } from '../../types/arrow-type.js';
import { types, typeName } from '../../types/data-type.js';
import type { DataType, DecimalType } from '../../types/data-type.js';
import { decimalSumType } from '../../types/type-coercion.js';
import { columnFromData } from '../expr-eval/arrow-column.js';
import { makeColumn, newBitmap, setBit } from '../expr-eval/column.js';
import type { Column } from '../expr-eval/column.js';
import { int64Words, pow10Big, writeDecimalBigInt, writeDecimalNumber, writeInt64Number } from '../expr-eval/wide-integers.js';
import { describeAggregate } from './aggregate-function.js';
import type { AggregateFunction, AggregateSpec } from './aggregate-function.js';
import { ExactSumAccumulator, FloatSumAccumulator, INTEGER_PARTIAL_SUM_TYPE } from './sum-accumulator.js';

const INT64_MAX = (1n << 63n) - 1n;
const INT64_MIN = -(1n << 63n);

/** Adds an exact-sum argument column of logical type `t` (int32, int64, decimal; null adds nothing). */
export function addExact(acc: ExactSumAccumulator, groups: Int32Array, arg: Column, n: number): void {
  switch (arg.type.kind) {
    case 'int32':
      acc.addInt32(groups, arg, n);
      return;
    case 'int64':
      acc.addInt64(groups, arg, n);
      return;
    case 'decimal':
      acc.addDecimal(groups, arg, n);
      return;
    case 'null':
      return;
    default:
      throw new PaylakeError('INTERNAL', `exact sum of ${typeName(arg.type)}; please report this`);
  }
}

/** The decimal type of the exact partial sum for an argument type (decimal(38,0) or decimal(38,s)). */
export function partialSumType(t: DataType): DecimalType {
  return t.kind === 'decimal' ? types.decimal(38, t.scale) : INTEGER_PARTIAL_SUM_TYPE;
}

/** Validity bitmap of `order` from a has-value test, or null when every group has a value. */
export function validityOf(order: Int32Array, has: (g: number) => boolean): Uint8Array | null {
  const bits = newBitmap(order.length);
  let all = true;
  for (let i = 0; i < order.length; i++) {
    if (has(order[i]!)) setBit(bits, i);
    else all = false;
  }
  return all ? null : bits;
}

/** sum over int32, int64 or decimal: exact, OVERFLOW when the total does not fit the result type. */
class ExactSumAggregate implements AggregateFunction {
  readonly resultType: DataType;
  readonly stateFields: readonly Field[];
  private readonly acc = new ExactSumAccumulator();
  private readonly stateType: DecimalType;

  constructor(readonly spec: AggregateSpec, input: DataType) {
    this.resultType = input.kind === 'decimal' ? decimalSumType(input) : types.int64;
    this.stateType = partialSumType(input);
    this.stateFields = [new Field('sum', toArrowType(this.stateType), true)];
  }

  init(groupCount: number): void {
    this.acc.init(groupCount);
  }

  add(groups: Int32Array, arg: Column | null, n: number): void {
    addExact(this.acc, groups, arg!, n);
  }

  merge(groups: Int32Array, state: readonly Data[], n: number): void {
    this.acc.addDecimal(groups, columnFromData(state[0]!, this.stateType, this.spec.name), n);
  }

  partial(groupCount: number): Data[] {
    return [this.acc.partial(groupCount, this.stateType, describeAggregate(this.spec))];
  }

  finish(order: Int32Array): Column {
    const n = order.length;
    const validity = validityOf(order, (g) => this.acc.hasValue(g));
    const t = this.resultType;
    if (t.kind !== 'decimal') {
      const out = new BigInt64Array(n);
      const w = int64Words(out);
      for (let i = 0; i < n; i++) {
        const g = order[i]!;
        if (!this.acc.hasValue(g)) continue;
        const v = this.acc.totalNumber(g);
        if (v === v) writeInt64Number(w, i, v);
        else out[i] = this.checked(this.acc.total(g), INT64_MIN, INT64_MAX, 'bigint');
      }
      return makeColumn(t, n, out, validity);
    }
    const limit = pow10Big(t.precision);
    const words = new Uint32Array(4 * n);
    for (let i = 0; i < n; i++) {
      const g = order[i]!;
      if (!this.acc.hasValue(g)) continue;
      const v = this.acc.totalNumber(g);
      // |v| < 2^53 < 10^16 fits any decimal of precision ≥ 16 without a BigInt.
      if (v === v && t.precision >= 16) writeDecimalNumber(words, i, v);
      else writeDecimalBigInt(words, i, this.checked(this.acc.total(g), 1n - limit, limit - 1n, typeName(t)));
    }
    return makeColumn(t, n, words, validity);
  }

  bytesPerGroup(): number {
    return this.acc.bytesPerGroup();
  }

  private checked(v: bigint, min: bigint, max: bigint, type: string): bigint {
    if (v >= min && v <= max) return v;
    throw new PaylakeError(
      'OVERFLOW',
      `${describeAggregate(this.spec)}: the exact sum ${v} does not fit ${type} (Spark ANSI mode raises ARITHMETIC_OVERFLOW); ` +
        'cast the argument to a wider decimal, e.g. CAST(x AS DECIMAL(38,0)), to sum it',
    );
  }
}

/** sum over double: compensated float sum; NULL for an empty group. */
class FloatSumAggregate implements AggregateFunction {
  readonly resultType = types.float64;
  readonly stateFields = FloatSumAccumulator.fields;
  private readonly acc = new FloatSumAccumulator();

  constructor(readonly spec: AggregateSpec) {}

  init(groupCount: number): void {
    this.acc.init(groupCount);
  }

  add(groups: Int32Array, arg: Column | null, n: number): void {
    this.acc.add(groups, arg!, n);
  }

  merge(groups: Int32Array, state: readonly Data[], n: number): void {
    const sum = columnFromData(state[0]!, types.float64, this.spec.name);
    const comp = columnFromData(state[1]!, types.float64, this.spec.name);
    this.acc.merge(groups, sum, comp, n);
  }

  partial(groupCount: number): Data[] {
    return this.acc.partial(groupCount);
  }

  finish(order: Int32Array): Column {
    const out = new Float64Array(order.length);
    for (let i = 0; i < order.length; i++) if (this.acc.hasValue(order[i]!)) out[i] = this.acc.total(order[i]!);
    return makeColumn(types.float64, order.length, out, validityOf(order, (g) => this.acc.hasValue(g)));
  }

  bytesPerGroup(): number {
    return 17;
  }
}

/** The sum aggregate for `spec` (TYPE_ERROR for a non-numeric argument). */
export function createSumAggregate(spec: AggregateSpec): AggregateFunction {
  const t = spec.inputType;
  if (t === null) throw new PaylakeError('USAGE', `${describeAggregate(spec)}: sum needs an argument`);
  switch (t.kind) {
    case 'int32':
    case 'int64':
    case 'decimal':
    case 'null':
      return new ExactSumAggregate(spec, t);
    case 'float64':
      return new FloatSumAggregate(spec);
    default:
      throw new PaylakeError('TYPE_ERROR', `${describeAggregate(spec)}: sum needs a numeric argument, got ${typeName(t)}`);
  }
}
