// Counter-free randomness for the generator: 32-bit hashes of (seed, entity, day, index) and a tiny
// reseedable generator, so any task can recreate any entity or payment without a shared sequential RNG.

/** murmur3's 32-bit finaliser: a bijective avalanche mix. */
export function fmix32(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/** Hashes up to four 32-bit integers (negative or larger values are folded to 32 bits) after a seed. */
export function hash32(seed: number, a: number, b = 0, c = 0, d = 0): number {
  let h = fmix32((seed ^ 0x3c6ef372) >>> 0);
  h = fmix32((h ^ Math.imul(a | 0, 0xcc9e2d51)) + 0x6b43a9b5);
  h = fmix32((h ^ Math.imul(b | 0, 0x1b873593)) + 0x165667b1);
  h = fmix32((h ^ Math.imul(c | 0, 0x27d4eb2f)) + 0x2545f491);
  h = fmix32((h ^ Math.imul(d | 0, 0x9e3779b1)) + 0x85ebca77);
  return h;
}

/** Folds a non-negative safe-integer seed into 32 bits. */
export function seed32(seed: number): number {
  const lo = seed % 0x1_0000_0000;
  const hi = Math.floor(seed / 0x1_0000_0000);
  return fmix32((lo ^ fmix32(hi + 0x7f4a7c15)) >>> 0);
}

/** Stable tags that separate the hash streams of different entity kinds. */
export const STREAM = {
  merchant: 1,
  card: 2,
  unit: 3,
  device: 4,
  fx: 5,
  settlement: 6,
  gatewayLog: 7,
  merchantOrder: 8,
  scenarioCard: 9,
} as const;

/** A uniform double in [0, 1) from a 32-bit hash. */
export function unitFloat(h: number): number {
  return h / 0x1_0000_0000;
}

/**
 * A reseedable 32-bit generator (a splitmix-style Weyl sequence through a murmur3 finaliser). Reseeding
 * is one assignment, so one instance serves millions of payments without allocation.
 */
export class HashRng {
  private state = 0;
  private spare = Number.NaN;

  /** Restarts the sequence from a 32-bit key (normally a {@link hash32} of the entity). */
  reseed(key: number): this {
    this.state = key >>> 0;
    this.spare = Number.NaN;
    return this;
  }

  /** The next uniform 32-bit unsigned integer. */
  nextU32(): number {
    this.state = (this.state + 0x9e3779b9) >>> 0;
    let z = this.state;
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
    return (z ^ (z >>> 16)) >>> 0;
  }

  /** A uniform double in [0, 1) with 53 bits. */
  float(): number {
    return (this.nextU32() * 0x20_0000 + (this.nextU32() >>> 11)) / 0x20_0000_0000_0000;
  }

  /** A uniform integer in [0, n). */
  int(n: number): number {
    return Math.floor(this.float() * n);
  }

  /** An integer in [lo, hi] inclusive. */
  range(lo: number, hi: number): number {
    return lo + this.int(hi - lo + 1);
  }

  /** True with probability p. */
  chance(p: number): boolean {
    return this.float() < p;
  }

  /** A standard normal variate (Box–Muller, caching the second value). */
  normal(): number {
    if (!Number.isNaN(this.spare)) {
      const s = this.spare;
      this.spare = Number.NaN;
      return s;
    }
    const u = 1 - this.float();
    const v = this.float();
    const r = Math.sqrt(-2 * Math.log(u));
    this.spare = r * Math.sin(2 * Math.PI * v);
    return r * Math.cos(2 * Math.PI * v);
  }

  /** An exponential variate with the given mean. */
  exponential(mean: number): number {
    return -Math.log(1 - this.float()) * mean;
  }

  /** An index drawn from cumulative weights (last entry = total). */
  pickCumulative(cum: Float64Array | readonly number[]): number {
    const total = cum[cum.length - 1] ?? 0;
    const x = this.float() * total;
    let lo = 0;
    let hi = cum.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if ((cum[mid] ?? 0) > x) hi = mid;
      else lo = mid + 1;
    }
    return lo;
  }
}

/** Running sums of weights, for {@link HashRng.pickCumulative}. */
export function cumulative(weights: readonly number[]): Float64Array {
  const out = new Float64Array(weights.length);
  let s = 0;
  for (let i = 0; i < weights.length; i++) {
    s += weights[i] ?? 0;
    out[i] = s;
  }
  return out;
}
