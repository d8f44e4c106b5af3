// Window functions whose result is one row's value of the frame: min and max (a monotonic deque of row
// indexes, so sliding frames cost O(1) amortised per row), first and last (the frame's first or last
// row, or its first or last non-NULL one with IGNORE NULLS). The picked rows are gathered at the end.
import type { Column } from '../expr-eval/column.js';
import { getBit } from '../expr-eval/column.js';
import { interleave } from '../expr-eval/take-column.js';
import { keyComparator } from '../sort/row-comparator.js';
import type { FrameBounds } from './frame-bounds.js';
import { slideFrames } from './sliding-frame.js';
import type { SlidingState } from './sliding-frame.js';
import type { WindowRows } from './window-partitions.js';

/**
 * min(x) or max(x) per frame, in Spark's order (strings by UTF-8 bytes, NaN greatest, decimals exactly);
 * NULL where the frame holds no value.
 */
export function frameMinMax(arg: Column, fn: 'min' | 'max', bounds: FrameBounds, rows: WindowRows): Column {
  const n = rows.count;
  const picked = new Int32Array(n).fill(-1);
  if (arg.type.kind !== 'null') {
    const deque = new MonotonicDeque(arg, fn === 'max' ? 1 : -1);
    slideFrames(bounds, rows, deque, (i) => {
      picked[i] = deque.best();
    });
  }
  return pickRows(arg, picked);
}

/** first(x) or last(x) per frame; with `ignoreNulls` the first or last non-NULL value. */
export function frameFirstLast(arg: Column, fn: 'first' | 'last', ignoreNulls: boolean, bounds: FrameBounds, rows: WindowRows): Column {
  const n = rows.count;
  const picked = new Int32Array(n).fill(-1);
  const bits = arg.type.kind === 'null' ? null : arg.validity;
  // With IGNORE NULLS: the nearest non-NULL row at or after (first) / at or before (last) each row, within its partition.
  const nearest = ignoreNulls && bits !== null ? nearestValid(bits, rows, fn) : null;
  for (let i = 0; i < n; i++) {
    const lo = bounds.lo[i]!;
    const hi = bounds.hi[i]!;
    if (hi <= lo) continue;
    const row = fn === 'first' ? lo : hi - 1;
    const hit = nearest === null ? row : nearest[row]!;
    if (fn === 'first' ? hit < hi : hit >= lo) picked[i] = hit;
  }
  return pickRows(arg, picked);
}

/** Per row, the nearest non-NULL row in the direction `fn` looks (partition end, or start - 1, if none). */
function nearestValid(bits: Uint8Array, rows: WindowRows, fn: 'first' | 'last'): Int32Array {
  const out = new Int32Array(rows.count);
  const starts = rows.partitionStarts;
  for (let p = 0; p + 1 < starts.length; p++) {
    const ps = starts[p]!;
    const pe = starts[p + 1]!;
    if (fn === 'first') {
      let next = pe;
      for (let i = pe - 1; i >= ps; i--) out[i] = next = getBit(bits, i) === 1 ? i : next;
    } else {
      let prev = ps - 1;
      for (let i = ps; i < pe; i++) out[i] = prev = getBit(bits, i) === 1 ? i : prev;
    }
  }
  return out;
}

/** A column of row `picked[i]` of `arg`, NULL where picked[i] is -1. */
export function pickRows(arg: Column, picked: Int32Array): Column {
  const which = new Int32Array(picked.length);
  const rows = new Int32Array(picked.length);
  for (let i = 0; i < picked.length; i++) {
    const r = picked[i]!;
    which[i] = r < 0 ? -1 : 0;
    rows[i] = r < 0 ? 0 : r;
  }
  return interleave(arg.type, [arg], which, rows);
}

/**
 * Row indexes of the frame's non-NULL values whose values strictly decrease (max) or increase (min) from
 * front to back: the front is the frame's best value, and a row that can never be best again (an equal
 * or better row entered after it) is dropped when that row enters.
 */
class MonotonicDeque implements SlidingState {
  private readonly rows: Int32Array;
  private head = 0;
  private tail = 0;
  private readonly compare: (i: number, j: number) => number;

  constructor(
    private readonly arg: Column,
    /** +1 keeps the greatest value at the front, -1 the least. */
    sign: 1 | -1,
  ) {
    this.rows = new Int32Array(arg.length);
    const c = keyComparator([arg], true, true);
    this.compare = (i, j) => sign * c(0, i, 0, j);
  }

  reset(): void {
    this.head = 0;
    this.tail = 0;
  }

  add(row: number): void {
    const bits = this.arg.validity;
    if (bits !== null && getBit(bits, row) === 0) return;
    while (this.tail > this.head && this.compare(this.rows[this.tail - 1]!, row) <= 0) this.tail--;
    this.rows[this.tail++] = row;
  }

  remove(row: number): void {
    if (this.tail > this.head && this.rows[this.head] === row) this.head++;
  }

  /** The row holding the frame's best value, or -1 when the frame has no value. */
  best(): number {
    return this.tail > this.head ? this.rows[this.head]! : -1;
  }
}
