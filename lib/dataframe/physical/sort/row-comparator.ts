// Compares two rows of evaluator columns by one sort key, in Spark's order: NULLS FIRST/LAST as asked,
// NaN above every number and equal to itself, -0.0 equal to 0.0, strings by UTF-8 bytes (code points),
// decimals exactly. One closure per key and batch set, chosen once by type — not per row.
import { assertNever } from '../../assert-never.js';
import { getBit } from '../expr-eval/column.js';
import type { Column } from '../expr-eval/column.js';
import { compareBytes } from '../expr-eval/comparison-kernels.js';
import { flattenDictionary } from '../expr-eval/take-column.js';
import { compareDecimalSlots } from '../expr-eval/wide-integers.js';

/** Compares row `i` of batch `a` with row `j` of batch `b`: negative, zero or positive. */
export type RowComparator = (a: number, i: number, b: number, j: number) => number;

/** A comparator of one key over the key's column in every batch (`columns[batchIndex]`). */
export function keyComparator(columns: readonly Column[], ascending: boolean, nullsFirst: boolean): RowComparator {
  const cols = columns.map((c) => (c.dictionary ? flattenDictionary(c) : c));
  const valueOrder = valueComparator(cols);
  const direction = ascending ? 1 : -1;
  const nullOrder = nullsFirst ? -1 : 1;
  return (a, i, b, j) => {
    const va = cols[a]!.validity;
    const vb = cols[b]!.validity;
    const aNull = va !== null && !getBit(va, i);
    const bNull = vb !== null && !getBit(vb, j);
    if (aNull || bNull) return aNull === bNull ? 0 : aNull ? nullOrder : -nullOrder;
    return direction * valueOrder(a, i, b, j);
  };
}

function valueComparator(cols: readonly Column[]): RowComparator {
  const type = cols[0]?.type;
  if (type === undefined) return () => 0;
  const kind = type.kind;
  switch (kind) {
    case 'null':
      return () => 0;
    case 'boolean':
      return (a, i, b, j) => getBit(cols[a]!.values as Uint8Array, i) - getBit(cols[b]!.values as Uint8Array, j);
    case 'int32':
    case 'date': {
      const vs = cols.map((c) => c.values as Int32Array);
      return (a, i, b, j) => vs[a]![i]! - vs[b]![j]!;
    }
    case 'int64':
    case 'timestamp': {
      const vs = cols.map((c) => c.values as BigInt64Array);
      return (a, i, b, j) => {
        const x = vs[a]![i]!;
        const y = vs[b]![j]!;
        return x < y ? -1 : x > y ? 1 : 0;
      };
    }
    case 'float64': {
      const vs = cols.map((c) => c.values as Float64Array);
      return (a, i, b, j) => compareDoubles(vs[a]![i]!, vs[b]![j]!);
    }
    case 'decimal': {
      const vs = cols.map((c) => c.values as Uint32Array);
      return (a, i, b, j) => compareDecimalSlots(vs[a]!, i, vs[b]!, j);
    }
    case 'string':
    case 'binary': {
      const vs = cols.map((c) => c.values as Uint8Array);
      const os = cols.map((c) => c.offsets!);
      return (a, i, b, j) => {
        const oa = os[a]!;
        const ob = os[b]!;
        return compareBytes(vs[a]!, oa[i]!, oa[i + 1]!, vs[b]!, ob[j]!, ob[j + 1]!);
      };
    }
    default:
      return assertNever(kind, 'type');
  }
}

/** Spark's double order: NaN greatest and equal to NaN; -0.0 equals 0.0. */
export function compareDoubles(x: number, y: number): number {
  if (x < y) return -1;
  if (x > y) return 1;
  if (x === y) return 0;
  const xNaN = Number.isNaN(x);
  const yNaN = Number.isNaN(y);
  return xNaN === yNaN ? 0 : xNaN ? 1 : -1;
}
