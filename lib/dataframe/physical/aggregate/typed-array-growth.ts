// Amortised growth of the typed arrays that hold per-group aggregation state: capacity doubles, so
// adding G groups costs O(G) copies in total, and new slots are zero (every state's initial value).

/** A typed array the aggregation state uses. */
type GrowableArray = Int32Array | Uint32Array | Float64Array | Uint8Array;

/** The capacity (in items) to allocate for `needed` items when `current` is too small: doubling, at least 16. */
export function grownCapacity(current: number, needed: number): number {
  let cap = Math.max(16, current);
  while (cap < needed) cap *= 2;
  return cap;
}

/**
 * `a` itself when it holds `needed * width` elements, else a zero-extended copy with doubled capacity.
 * `width` is the number of elements per item (2 for int64 words, 4 for decimal128 words).
 */
export function ensureCapacity<T extends GrowableArray>(a: T, needed: number, width = 1): T {
  if (a.length >= needed * width) return a;
  const ctor = a.constructor as new (n: number) => T;
  const out = new ctor(grownCapacity(a.length / width, needed) * width);
  out.set(a as never);
  return out;
}
