// Exhaustiveness check for switches over discriminated unions (plan nodes, expressions, types).

/** Marks a switch as exhaustive: a missing case makes `value` not `never` and fails to compile. */
export function assertNever(value: never, what = 'value'): never {
  throw new Error(`unexpected ${what}: ${JSON.stringify(value, (_k, v: unknown) => (typeof v === 'bigint' ? `${v}n` : v))}`);
}
