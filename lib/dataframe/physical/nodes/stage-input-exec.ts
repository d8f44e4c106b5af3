// What a task sees in place of an exchange or broadcast below its stage: the rows arrive from scratch
// files written by an earlier stage (its partition of every map output, or the whole broadcast file).
// Only task payloads contain it; the planner never makes one.
import type { Expr } from '../../expr/expr.js';
import type { Schema } from '../../types/schema.js';

/** Physical stage input. */
export interface StageInputExec {
  readonly kind: 'stage-input';
  readonly from: 'exchange' | 'broadcast';
  /** The id of the exchange or broadcast it replaces. */
  readonly id: number;
  /** The exchange's hash keys and what they are analysed against (a partition too big for memory is split by them); null otherwise. */
  readonly hashKeys: { readonly keys: readonly Expr[]; readonly schema: Schema } | null;
  readonly schema: Schema;
}
