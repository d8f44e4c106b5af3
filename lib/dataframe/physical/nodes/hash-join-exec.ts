// A hash join inside a task: the build side's rows go into a hash table on their keys, then the probe
// side streams past it. `broadcast`: the build side is a broadcast input and the probe side keeps its own
// tasks; `shuffled`: both sides are hash-exchanged on their keys into the same number of partitions and
// each reduce task joins one partition of each; `coordinator`: both inputs are gathered first (an input
// that is already on the coordinator, such as a union's).
import type { Expr } from '../../expr/expr.js';
import type { Schema } from '../../types/schema.js';
import type { JoinType } from '../join/join-type.js';
import type { PhysicalPlan } from '../physical-plan.js';

/** Physical hash join. */
export interface HashJoinExec {
  readonly kind: 'hash-join';
  readonly left: PhysicalPlan;
  readonly right: PhysicalPlan;
  readonly type: JoinType;
  readonly leftKeys: readonly Expr[];
  readonly rightKeys: readonly Expr[];
  readonly condition: Expr | null;
  readonly buildSide: 'left' | 'right';
  readonly strategy: 'broadcast' | 'shuffled' | 'coordinator';
  /** Why the planner chose the strategy, for explain (sizes and the threshold). */
  readonly reason: string;
  readonly schema: Schema;
}
