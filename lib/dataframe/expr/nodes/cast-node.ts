// CAST(x AS type). Under ANSI mode (paylake's setting, as on EMR) an invalid cast is an error;
// TRY_CAST gives NULL instead.
import type { DataType } from '../../types/data-type.js';
import type { Expr } from '../expr.js';

/** `CAST(amount_minor AS DECIMAL(20,2))` */
export interface CastNode {
  readonly kind: 'cast';
  readonly operand: Expr;
  readonly to: DataType;
  /** TRY_CAST: NULL on failure instead of an error. */
  readonly safe: boolean;
}

/** Companion of CastNode. */
export const CastNode = Object.freeze({
  create(operand: Expr, to: DataType, safe = false): CastNode {
    return Object.freeze({ kind: 'cast', operand, to, safe });
  },
});
