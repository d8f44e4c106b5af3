// A shuffle boundary: the stage below runs as map tasks that split their output rows into `partitions`
// buckets — by a hash of key columns, or by ranges of sort keys between sampled boundaries — and write them
// to the session's scratch directory; the stage above runs one reduce task per bucket, reading that bucket
// of every map output in map-task order (so results do not depend on timing or the number of workers).
import type { Expr } from '../../expr/expr.js';
import type { SortKey } from '../../expr/sort-key.js';
import type { Schema } from '../../types/schema.js';
import type { PhysicalPlan } from '../physical-plan.js';

/** Rows with equal key values land in the same partition. */
export interface HashPartitioning {
  readonly kind: 'hash';
  /** Key expressions over the exchange's input; joined sides use keys of the same types. */
  readonly keys: readonly Expr[];
  readonly partitions: number;
}

/** Partition i holds rows ordered before those of partition i + 1 by `keys` (boundaries sampled first). */
export interface RangePartitioning {
  readonly kind: 'range';
  readonly keys: readonly SortKey[];
  readonly partitions: number;
}

/** How an exchange splits rows. */
export type Partitioning = HashPartitioning | RangePartitioning;

/** Physical shuffle exchange. */
export interface ExchangeExec {
  readonly kind: 'exchange';
  /** Unique within a physical plan; names the exchange's scratch files and its inputs in reduce tasks. */
  readonly id: number;
  readonly input: PhysicalPlan;
  readonly partitioning: Partitioning;
  /** What the partitioning keys are analysed against: the input's schema, or for partial aggregation states the group keys' (their first columns). */
  readonly keySchema: Schema;
  readonly schema: Schema;
}
