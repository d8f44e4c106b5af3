// row_number, rank and dense_rank (int, never NULL), and lag/lead: functions of a row's position in its
// partition that ignore the frame. Spark's ranks: rank leaves gaps after peers (1, 1, 3), dense_rank does
// not (1, 1, 2).
import type { RankingFn } from '../../expr/nodes/window-call-node.js';
import { types } from '../../types/data-type.js';
import { makeColumn } from '../expr-eval/column.js';
import type { Column } from '../expr-eval/column.js';
import { interleave } from '../expr-eval/take-column.js';
import type { WindowRows } from './window-partitions.js';

/** row_number(), rank() or dense_rank() of every row. */
export function rankingColumn(fn: RankingFn, rows: WindowRows): Column {
  const out = new Int32Array(rows.count);
  const starts = rows.partitionStarts;
  for (let p = 0; p + 1 < starts.length; p++) {
    const ps = starts[p]!;
    const pe = starts[p + 1]!;
    let dense = 0;
    for (let i = ps; i < pe; i++) {
      const peerStart = rows.peerStart[i]!;
      if (peerStart === i) dense++;
      out[i] = fn === 'row_number' ? i - ps + 1 : fn === 'rank' ? peerStart - ps + 1 : dense;
    }
  }
  return makeColumn(types.int32, rows.count, out, null);
}

/**
 * lag(x, offset, default) or lead(...): x of the row `offset` rows before (lag) or after (lead) in the
 * partition — a NULL x stays NULL — or `fallback` of the current row when there is no such row.
 * A negative offset looks the other way, as in Spark.
 */
export function offsetColumn(fn: 'lag' | 'lead', x: Column, offset: number, fallback: Column, rows: WindowRows): Column {
  const n = rows.count;
  const which = new Int32Array(n);
  const from = new Int32Array(n);
  const step = fn === 'lag' ? -offset : offset;
  const starts = rows.partitionStarts;
  for (let p = 0; p + 1 < starts.length; p++) {
    const ps = starts[p]!;
    const pe = starts[p + 1]!;
    for (let i = ps; i < pe; i++) {
      const j = i + step;
      const inside = j >= ps && j < pe;
      which[i] = inside ? 0 : 1;
      from[i] = inside ? j : i;
    }
  }
  return interleave(x.type, [x, fallback], which, from);
}
