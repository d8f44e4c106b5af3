// The layout of rows sorted by (partition keys, order keys): where each partition starts and, per row,
// its peer group (the rows with equal order keys — all of a partition's rows when it has none). NULL keys
// equal each other, NaN equals NaN and -0.0 equals 0.0, as in the sort that produced the order.
import type { SortKey } from '../../expr/sort-key.js';
import type { Column } from '../expr-eval/column.js';
import { keyComparator } from '../sort/row-comparator.js';
import type { RowComparator } from '../sort/row-comparator.js';

/** Partitions and peer groups of `count` sorted rows, by row index. */
export interface WindowRows {
  readonly count: number;
  /** Start row of each partition, ascending, followed by `count`: partition p is [starts[p], starts[p+1]). */
  readonly partitionStarts: Int32Array;
  /** First row of each row's peer group. */
  readonly peerStart: Int32Array;
  /** One past the last row of each row's peer group. */
  readonly peerEnd: Int32Array;
}

/** An order key with its values over all rows. */
export interface OrderColumn {
  readonly key: SortKey;
  readonly column: Column;
}

/**
 * Finds partitions and peer groups of `count` rows sorted by `partitionKeys` then `orderKeys` (columns
 * over all rows).
 */
export function windowRows(count: number, partitionKeys: readonly Column[], orderKeys: readonly OrderColumn[]): WindowRows {
  const samePartition = equalityOf(partitionKeys.map((c) => keyComparator([c], true, true)));
  const samePeers = equalityOf(orderKeys.map((k) => keyComparator([k.column], k.key.ascending, k.key.nullsFirst)));
  const starts: number[] = [];
  const peerStart = new Int32Array(count);
  const peerEnd = new Int32Array(count);
  let groupStart = 0;
  for (let i = 0; i < count; i++) {
    const newPartition = i === 0 || !samePartition(i - 1, i);
    if (newPartition) starts.push(i);
    if (newPartition || !samePeers(i - 1, i)) {
      peerEnd.fill(i, groupStart, i);
      groupStart = i;
    }
    peerStart[i] = groupStart;
  }
  peerEnd.fill(count, groupStart, count);
  starts.push(count);
  return { count, partitionStarts: Int32Array.from(starts), peerStart, peerEnd };
}

/** Whether rows i and j are equal on every key. */
function equalityOf(comparators: readonly RowComparator[]): (i: number, j: number) => boolean {
  return (i, j) => {
    for (const c of comparators) if (c(0, i, 0, j) !== 0) return false;
    return true;
  };
}
