// A constant value with its logical type. Values use the engine's representations: int64 and decimals
// (unscaled) are bigint, dates are days since the epoch, timestamps are bigint microseconds.
import type { DataType } from '../../types/data-type.js';

/** The JavaScript value of a literal; null is SQL NULL. */
export type LiteralValue = null | boolean | number | bigint | string | Uint8Array;

/** `lit(100n)`, `'APPROVED'`, `DATE '2026-11-21'` */
export interface LiteralNode {
  readonly kind: 'literal';
  readonly value: LiteralValue;
  readonly type: DataType;
}

/** Companion of LiteralNode. */
export const LiteralNode = Object.freeze({
  create(value: LiteralValue, type: DataType): LiteralNode {
    return Object.freeze({ kind: 'literal', value, type });
  },
});
