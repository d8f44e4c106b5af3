// The join types of Spark SQL 3.5 that the engine runs, what a hash join is asked to do (JoinSpec), and
// what each type means for the probe and the build side once one of them is chosen to be hashed.
import type { Expr } from '../../expr/expr.js';
import type { Schema } from '../../types/schema.js';

/** Spark's join types, as `Dataset.join(other, on, how)` spells them (normalised). */
export type JoinType = 'inner' | 'left' | 'right' | 'full' | 'left_semi' | 'left_anti';

/** Every join type, for tests and option parsing. */
export const JOIN_TYPES: readonly JoinType[] = Object.freeze(['inner', 'left', 'right', 'full', 'left_semi', 'left_anti']);

/** A hash join to run: the inputs, the equi keys, the extra condition, and which side is hashed. */
export interface JoinSpec {
  readonly type: JoinType;
  readonly left: Schema;
  readonly right: Schema;
  /** Key expressions analysed against `left`. */
  readonly leftKeys: readonly Expr[];
  /** Key expressions analysed against `right`, each of the same type as its partner in `leftKeys` (the caller casts). */
  readonly rightKeys: readonly Expr[];
  /** Extra condition analysed against `left ++ right`; a key match counts only where it is TRUE. */
  readonly condition: Expr | null;
  /** The side held in the hash table; the other side streams through `probe`. */
  readonly buildSide: 'left' | 'right';
  /** left ++ right fields (the NULL-extended side nullable); only the left's for semi and anti joins. */
  readonly output: Schema;
}

/**
 * What a join type asks of each side, once the build side is chosen:
 * - `probeOuter`: a probe row without a match is emitted once, the build columns NULL;
 * - `buildOuter`: the same for build rows, emitted by `finish`;
 * - `probeSemi` / `probeAnti`: the probe side is the left of a semi/anti join; a probe row is emitted
 *   once when it has a match / has none, and only the left columns are output;
 * - `buildSemi` / `buildAnti`: the same with the left side hashed: `finish` emits the matched /
 *   unmatched build rows;
 * - `pairs`: matched (probe, build) pairs are output (inner and outer joins).
 */
export interface JoinRoles {
  readonly pairs: boolean;
  readonly probeOuter: boolean;
  readonly buildOuter: boolean;
  readonly probeSemi: boolean;
  readonly probeAnti: boolean;
  readonly buildSemi: boolean;
  readonly buildAnti: boolean;
}

/** The roles of the probe and build side for a join type hashed on `buildSide`. */
export function joinRoles(type: JoinType, buildSide: 'left' | 'right'): JoinRoles {
  const leftIsBuild = buildSide === 'left';
  const semi = type === 'left_semi';
  const anti = type === 'left_anti';
  const leftOuter = type === 'left' || type === 'full';
  const rightOuter = type === 'right' || type === 'full';
  return {
    pairs: !semi && !anti,
    probeOuter: leftIsBuild ? rightOuter : leftOuter,
    buildOuter: leftIsBuild ? leftOuter : rightOuter,
    probeSemi: semi && !leftIsBuild,
    probeAnti: anti && !leftIsBuild,
    buildSemi: semi && leftIsBuild,
    buildAnti: anti && leftIsBuild,
  };
}
