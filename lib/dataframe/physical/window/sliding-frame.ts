// The driver of frame aggregates: per partition, rows enter a running state at the frame's end and leave
// at its start. Frame bounds never move backwards (frame-bounds.ts), so each row enters and leaves once:
// O(n) state updates per window call whatever the frame size.
import { PaylakeError } from '../../../errors/paylake-error.js';
import type { FrameBounds } from './frame-bounds.js';
import type { WindowRows } from './window-partitions.js';

/** A frame aggregate's running state over a contiguous range of rows. */
export interface SlidingState {
  /** Empties the state (a new partition begins). */
  reset(): void;
  /** Row `row` enters the frame (rows enter in increasing order). */
  add(row: number): void;
  /** Row `row` leaves the frame (rows leave in increasing order, only after entering). */
  remove(row: number): void;
}

/** Calls `emit(i)` for every row i while `state` holds exactly row i's frame. */
export function slideFrames(bounds: FrameBounds, rows: WindowRows, state: SlidingState, emit: (i: number) => void): void {
  const starts = rows.partitionStarts;
  const { lo, hi } = bounds;
  for (let p = 0; p + 1 < starts.length; p++) {
    const ps = starts[p]!;
    const pe = starts[p + 1]!;
    state.reset();
    let added = ps;
    let removed = ps;
    for (let i = ps; i < pe; i++) {
      const start = lo[i]!;
      // An empty frame (end before start) is kept empty at its start, so bounds stay monotone.
      const end = Math.max(start, hi[i]!);
      if (start < removed || end < added) throw new PaylakeError('INTERNAL', `window frame bounds moved backwards at row ${i}; please report this`);
      while (added < end) state.add(added++);
      while (removed < start) state.remove(removed++);
      emit(i);
    }
  }
}
