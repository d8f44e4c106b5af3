// A day-time interval constant, for timestamp arithmetic (`event_time - INTERVAL 10 MINUTES`).
// Stored as exact microseconds; year-month intervals are not supported (their length varies).

/** `INTERVAL 10 MINUTES` */
export interface IntervalNode {
  readonly kind: 'interval';
  readonly micros: bigint;
}

/** Companion of IntervalNode. */
export const IntervalNode = Object.freeze({
  create(micros: bigint): IntervalNode {
    return Object.freeze({ kind: 'interval', micros });
  },
});
