// The shape every aggregate function has (STYLE.md rule 4): per-group state in typed arrays that is
// initialised, added to from a batch, merged from another aggregator's partial state, and finished.
// Workers run init/add and ship `partial()`; the coordinator runs init/merge and `finish()`.
import type { Data, Field } from 'apache-arrow';
import type { AggregateFn } from '../../expr/nodes/aggregate-call-node.js';
import type { DataType } from '../../types/data-type.js';
import type { Column } from '../expr-eval/column.js';

/** One aggregate of a hash aggregation, as the physical planner describes it. */
export interface AggregateSpec {
  /** count, sum, min, max or avg. */
  readonly fn: AggregateFn;
  /** The logical type of the (already evaluated) argument; null only for count(*). */
  readonly inputType: DataType | null;
  /** count(DISTINCT x). For min/max DISTINCT changes nothing and is ignored. */
  readonly distinct: boolean;
  /** The output column name (also used in error messages). */
  readonly name: string;
}

/**
 * A mergeable aggregate over many groups at once. Group ids are dense (0 … groupCount-1); state for a
 * group starts at its initial value when `init` makes room for it.
 */
export interface AggregateFunction {
  /** What this aggregate computes. */
  readonly spec: AggregateSpec;
  /** The Spark result type (see analyze-expr.ts). */
  readonly resultType: DataType;
  /** The Arrow fields of the partial state, in the order `partial` returns them (names without prefix). */
  readonly stateFields: readonly Field[];
  /** Makes room for groups up to `groupCount` (new groups start empty). */
  init(groupCount: number): void;
  /** Folds rows 0…n-1 of `arg` (null for count(*)) into groups `groups[i]`. */
  add(groups: Int32Array, arg: Column | null, n: number): void;
  /** Folds partial state rows 0…n-1 (`state` as `stateFields`) into groups `groups[i]`. */
  merge(groups: Int32Array, state: readonly Data[], n: number): void;
  /** The state of groups 0…groupCount-1 as Arrow data, one per state field. */
  partial(groupCount: number): Data[];
  /** The results of groups `order`, in that order, as a column of `resultType`. */
  finish(order: Int32Array): Column;
  /** Bytes of state held per group. */
  bytesPerGroup(): number;
}

/** The error message prefix naming an aggregate: `sum(amount_minor) AS total`. */
export function describeAggregate(spec: AggregateSpec): string {
  const arg = spec.inputType === null ? '*' : spec.distinct ? 'DISTINCT x' : 'x';
  return `aggregate "${spec.name}" (${spec.fn}(${arg}))`;
}
