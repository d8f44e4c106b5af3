// A call of a scalar function from the registry (`lower`, `coalesce`, `date_trunc`, `round`, ...).
import type { Expr } from '../expr.js';

/** `lower(currency)` — `name` is the registry's lower-case name. */
export interface FunctionNode {
  readonly kind: 'function';
  readonly name: string;
  readonly args: readonly Expr[];
}

/** Companion of FunctionNode. */
export const FunctionNode = Object.freeze({
  create(name: string, args: readonly Expr[]): FunctionNode {
    return Object.freeze({ kind: 'function', name: name.toLowerCase(), args: Object.freeze([...args]) });
  },
});
