// Hash aggregation in two phases, as Spark's HashAggregate: `partial` builds per-group states inside each
// task; `final` merges partial states and finishes them, sorted by key — per exchange partition for a
// grouped aggregation (so partitions come in partition order), on the coordinator for a global one.
import type { Expr } from '../../expr/expr.js';
import type { Schema } from '../../types/schema.js';
import type { PhysicalPlan } from '../physical-plan.js';

/** Physical hash aggregation. */
export interface HashAggregateExec {
  readonly kind: 'hash-aggregate';
  readonly mode: 'partial' | 'final';
  readonly input: PhysicalPlan;
  /** Grouping expressions (named), analysed against the partial phase's input. */
  readonly keys: readonly Expr[];
  /** Named aggregate calls, analysed against the partial phase's input. */
  readonly aggregates: readonly Expr[];
  /** The partial phase's input schema, against which keys and aggregates were analysed. */
  readonly inputSchema: Schema;
  /** The logical aggregation's output schema (keys, then aggregates); partial states are internal. */
  readonly schema: Schema;
}
