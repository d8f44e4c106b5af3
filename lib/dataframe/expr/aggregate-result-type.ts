// Spark SQL 3.5's result types of the aggregate functions, shared by aggregate calls and by the same
// functions over a window, so `sum(x)` and `sum(x) OVER (...)` cannot disagree.
import { PaylakeError } from '../../errors/paylake-error.js';
import { assertNever } from '../assert-never.js';
import { isNumeric, typeName, types } from '../types/data-type.js';
import type { DataType } from '../types/data-type.js';
import { decimalAvgType, decimalSumType } from '../types/type-coercion.js';
import type { AggregateFn } from './nodes/aggregate-call-node.js';

/**
 * The result type of `fn` over an argument of type `arg` (null for count(*)); TYPE_ERROR naming `what`
 * (the call's SQL text) when Spark does not define it. count is bigint; sum of int/bigint bigint, of
 * decimal(p,s) decimal(min(38,p+10),s); avg double, of decimal(p,s) decimal(p+4,s+4) capped at 38;
 * min/max the argument's type.
 * @example aggregateResultType('sum', types.decimal(18, 2), 'sum(fee)') // decimal(28,2)
 */
export function aggregateResultType(fn: AggregateFn, arg: DataType | null, what: string): DataType {
  const fail = (message: string): PaylakeError => new PaylakeError('TYPE_ERROR', `type error in ${what}: ${message}`);
  if (fn === 'count' || arg === null) return types.int64;
  switch (fn) {
    case 'sum':
      if (arg.kind === 'int32' || arg.kind === 'int64' || arg.kind === 'null') return types.int64;
      if (arg.kind === 'decimal') return decimalSumType(arg);
      if (arg.kind === 'float64') return types.float64;
      throw fail(`sum needs a numeric argument, got ${typeName(arg)}`);
    case 'avg':
      if (arg.kind === 'decimal') return decimalAvgType(arg);
      if (isNumeric(arg) || arg.kind === 'null') return types.float64;
      throw fail(`avg needs a numeric argument, got ${typeName(arg)}`);
    case 'min':
    case 'max':
      if (arg.kind === 'binary') throw fail(`${fn} is not defined for binary values`);
      return arg;
    default:
      return assertNever(fn, 'aggregate');
  }
}
