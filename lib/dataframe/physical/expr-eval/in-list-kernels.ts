// `x [NOT] IN (v1, …)` as a three-valued OR of equalities: TRUE on a match, else NULL when x or any
// list value is NULL, else FALSE (Spark's In). On dictionary strings it runs once per dictionary entry
// (see dictionary-eval.ts), so the per-row work is one byte comparison per list value at most.
import { andOr, not } from './boolean-kernels.js';
import type { Column } from './column.js';
import { compareColumns } from './comparison-kernels.js';

/** One evaluated list value: a full column, or a one-row constant. */
export interface InListItem {
  readonly column: Column;
  readonly constant: boolean;
}

/** `x IN (items)` over n rows (NOT IN when `negated`). */
export function inList(x: Column, items: readonly InListItem[], negated: boolean, n: number): Column {
  let acc: Column | null = null;
  for (const item of items) {
    const eq = compareColumns('=', x, 1, item.column, item.constant ? 0 : 1, n);
    acc = acc === null ? eq : andOr('OR', acc, eq, n);
  }
  if (acc === null) throw new Error('IN with an empty list');
  return negated ? not(acc) : acc;
}
