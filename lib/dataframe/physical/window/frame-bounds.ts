// Each row's frame as a half-open row range [lo, hi) of the sorted rows, in O(n) per frame end: ROWS
// bounds by arithmetic on the row index, RANGE CURRENT ROW by the peer group, and RANGE offsets by a
// pointer that only moves forward over the order key (the rows are sorted by it, so each row's bound
// value moves the same way). Spark's rules for NULL (and NaN) order keys: a row whose key is NULL has
// the other NULL rows as its whole offset frame, and a NULL row is never inside a non-NULL row's offset
// frame — only UNBOUNDED reaches across.
import { PaylakeError } from '../../../errors/paylake-error.js';
import { assertNever } from '../../assert-never.js';
import type { FrameBound, FrameOffset, WindowFrame } from '../../expr/nodes/window-call-node.js';
import { typeName } from '../../types/data-type.js';
import { getBit } from '../expr-eval/column.js';
import type { Column } from '../expr-eval/column.js';
import { decimalAsBigInt, decimalAsSafeNumber, int64AsSafeNumber, int64Words, TWO53 } from '../expr-eval/wide-integers.js';
import { compareDoubles } from '../sort/row-comparator.js';
import type { OrderColumn, WindowRows } from './window-partitions.js';

/** Per row, the frame [lo[i], hi[i]); empty when hi[i] <= lo[i]. Both are non-decreasing within a partition. */
export interface FrameBounds {
  readonly lo: Int32Array;
  readonly hi: Int32Array;
}

/**
 * The frame of every row. `orderKey` is the single order key, needed only for RANGE offsets (the analyzer
 * guarantees there is exactly one then).
 */
export function frameBounds(frame: WindowFrame, rows: WindowRows, orderKey: OrderColumn | null): FrameBounds {
  const lo = new Int32Array(rows.count);
  const hi = new Int32Array(rows.count);
  fillBound(lo, frame.start, 'start', frame.unit, rows, orderKey);
  fillBound(hi, frame.end, 'end', frame.unit, rows, orderKey);
  return { lo, hi };
}

function fillBound(out: Int32Array, bound: FrameBound, side: 'start' | 'end', unit: 'rows' | 'range', rows: WindowRows, orderKey: OrderColumn | null): void {
  const starts = rows.partitionStarts;
  let keys: RangeKeys | null = null;
  for (let p = 0; p + 1 < starts.length; p++) {
    const ps = starts[p]!;
    const pe = starts[p + 1]!;
    switch (bound.kind) {
      case 'unbounded-preceding':
        out.fill(ps, ps, pe);
        break;
      case 'unbounded-following':
        out.fill(pe, ps, pe);
        break;
      case 'current-row':
        if (unit === 'rows') for (let i = ps; i < pe; i++) out[i] = side === 'start' ? i : i + 1;
        else out.set((side === 'start' ? rows.peerStart : rows.peerEnd).subarray(ps, pe), ps);
        break;
      case 'preceding':
      case 'following':
        if (unit === 'rows') {
          const k = bound.offset.kind === 'literal' ? Number(bound.offset.value) : Number(bound.offset.micros);
          const delta = (bound.kind === 'preceding' ? -k : k) + (side === 'end' ? 1 : 0);
          for (let i = ps; i < pe; i++) out[i] = Math.min(pe, Math.max(ps, i + delta));
        } else {
          if (orderKey === null) throw new PaylakeError('INTERNAL', 'a RANGE frame offset without an ORDER BY key reached the window kernel; please report this');
          keys ??= rangeKeys(orderKey.column, bound.offset);
          fillRangeOffset(out, bound.kind, keys, side, ps, pe, rows, orderKey);
        }
        break;
      default:
        assertNever(bound, 'frame bound');
    }
  }
}

/**
 * RANGE `offset PRECEDING|FOLLOWING` over one partition [ps, pe). The bound value of row i is key_i ±
 * offset (the sign flips for a descending key, so PRECEDING always looks back in sort order); the frame
 * starts at the first row whose key is not before the bound value, and ends after the last row whose key
 * is not after it.
 */
function fillRangeOffset(
  out: Int32Array,
  kind: 'preceding' | 'following',
  keys: RangeKeys,
  side: 'start' | 'end',
  ps: number,
  pe: number,
  rows: WindowRows,
  orderKey: OrderColumn,
): void {
  const col = orderKey.column;
  const direction = orderKey.key.ascending ? 1 : -1;
  const signed = (kind === 'preceding' ? -1 : 1) * direction;
  const valid = (i: number): boolean => col.validity === null || getBit(col.validity, i) === 1;
  // NULL keys sit together at one end of the partition; the pointer walks the non-NULL run [vs, ve).
  let vs = ps;
  let ve = pe;
  if (orderKey.key.nullsFirst) while (vs < pe && !valid(vs)) vs++;
  else while (ve > ps && !valid(ve - 1)) ve--;
  let ptr = vs;
  for (let i = ps; i < pe; i++) {
    if (!valid(i)) {
      out[i] = side === 'start' ? rows.peerStart[i]! : rows.peerEnd[i]!;
      continue;
    }
    // Before the bound in sort order: the start skips these; the end also skips rows equal to it.
    while (ptr < ve) {
      const c = direction * keys.compareToBound(ptr, i, signed);
      if (side === 'start' ? c >= 0 : c > 0) break;
      ptr++;
    }
    out[i] = ptr;
  }
}

/** Order key values compared with another row's bound value key_i + sign·offset. */
interface RangeKeys {
  /** Sign of key_j - (key_i + sign·offset), in ascending value order. */
  compareToBound(j: number, i: number, sign: number): number;
}

/**
 * Comparisons in doubles when every key and bound is an exactly representable integer (or the key is a
 * double, where Spark adds in doubles too), else in BigInt.
 */
function rangeKeys(col: Column, offset: FrameOffset): RangeKeys {
  const raw = offset.kind === 'interval' ? offset.micros : offset.value;
  const n = col.length;
  switch (col.type.kind) {
    case 'int32':
    case 'date': {
      const v = col.values as Int32Array;
      const off = Number(raw);
      return { compareToBound: (j, i, sign) => Math.sign(v[j]! - (v[i]! + sign * off)) };
    }
    case 'float64': {
      const v = col.values as Float64Array;
      const off = Number(raw);
      return { compareToBound: (j, i, sign) => compareDoubles(v[j]!, v[i]! + sign * off) };
    }
    case 'int64':
    case 'timestamp': {
      const w = int64Words(col.values as BigInt64Array);
      const asNumbers = new Float64Array(n);
      for (let i = 0; i < n; i++) asNumbers[i] = int64AsSafeNumber(w, i);
      const big = col.values as BigInt64Array;
      return numbersOrBigInts(asNumbers, (i) => big[i]!, BigInt(raw as number | bigint), col.validity);
    }
    case 'decimal': {
      const words = col.values as Uint32Array;
      const asNumbers = new Float64Array(n);
      for (let i = 0; i < n; i++) asNumbers[i] = decimalAsSafeNumber(words, i);
      return numbersOrBigInts(asNumbers, (i) => decimalAsBigInt(words, i), BigInt(raw as number | bigint), col.validity);
    }
    default:
      throw new PaylakeError('INTERNAL', `a RANGE frame offset over a ${typeName(col.type)} order key reached the window kernel; please report this`);
  }
}

/** Double comparisons when |key| + offset < 2^53 for every valid key (exact), else BigInt ones. */
function numbersOrBigInts(asNumbers: Float64Array, big: (i: number) => bigint, offset: bigint, validity: Uint8Array | null): RangeKeys {
  const off = Number(offset);
  let exact = off < TWO53 / 2;
  for (let i = 0; exact && i < asNumbers.length; i++) {
    if (validity !== null && getBit(validity, i) === 0) continue;
    const v = asNumbers[i]!;
    if (!(Math.abs(v) < TWO53 / 2)) exact = false;
  }
  if (exact) return { compareToBound: (j, i, sign) => Math.sign(asNumbers[j]! - (asNumbers[i]! + sign * off)) };
  return {
    compareToBound: (j, i, sign) => {
      const d = big(j) - (big(i) + BigInt(sign) * offset);
      return d < 0n ? -1 : d > 0n ? 1 : 0;
    },
  };
}
