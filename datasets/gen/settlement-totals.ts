// Control totals of the settlement lines per (settlement day, acquirer, settlement currency, merchant), in
// flat typed arrays under numeric keys: no string key or array per line, and cheap to pass between threads.
import { PaylakeError } from '../../lib/errors/paylake-error.js';

/** The sums kept per key, in this order. */
export const TOTAL_FIELDS = ['lines', 'gross', 'interchange', 'scheme', 'markup', 'net'] as const;
const F = TOTAL_FIELDS.length;

/** Totals as plain typed arrays (structured-clone friendly): 4 key ints and 6 sums per entry. */
export interface SettlementTotalsData {
  /** (settlement day number, acquirer index, settlement currency index, merchant index) per entry. */
  readonly keys: Int32Array;
  /** lines, gross, interchange, scheme, markup, net per entry (exact integers in doubles). */
  readonly sums: Float64Array;
}

/** Running totals, added to per line (tasks) or merged per task (coordinator). */
export class SettlementTotals {
  /** (day × 4 + acquirer) → (merchant × 64 + currency) → slot: two maps of small-integer keys, no boxed numbers. */
  private readonly slots = new Map<number, Map<number, number>>();
  private keys = new Int32Array(4 * 256);
  private sums = new Float64Array(F * 256);
  private count = 0;

  /** Adds one line's amounts (`lines` counts it once). Returns the entry's slot for {@link addToSlot}. */
  add(day: number, acquirer: number, currency: number, merchant: number, lines: number, gross: number, ic: number, scheme: number, markup: number, net: number): number {
    const slot = this.slotOf(day, acquirer, currency, merchant);
    this.addToSlot(slot, lines, gross, ic, scheme, markup, net);
    return slot;
  }

  /** Adds amounts to an entry found by {@link add}. */
  addToSlot(slot: number, lines: number, gross: number, ic: number, scheme: number, markup: number, net: number): void {
    const s = this.sums;
    const o = slot * F;
    s[o]! += lines;
    s[o + 1]! += gross;
    s[o + 2]! += ic;
    s[o + 3]! += scheme;
    s[o + 4]! += markup;
    s[o + 5]! += net;
  }

  /** Adds every entry of another set of totals. */
  merge(data: SettlementTotalsData): void {
    const { keys, sums } = data;
    for (let e = 0; e * 4 < keys.length; e++) {
      const slot = this.slotOf(keys[e * 4]!, keys[e * 4 + 1]!, keys[e * 4 + 2]!, keys[e * 4 + 3]!);
      const o = e * F;
      this.addToSlot(slot, sums[o]!, sums[o + 1]!, sums[o + 2]!, sums[o + 3]!, sums[o + 4]!, sums[o + 5]!);
    }
  }

  /** Throws PaylakeError('OVERFLOW') when a sum has left the exact integer range of doubles. */
  checkExact(): void {
    for (let i = 0; i < this.count * F; i++) {
      if (!Number.isSafeInteger(this.sums[i])) {
        const e = Math.floor(i / F);
        throw new PaylakeError(
          'OVERFLOW',
          `settlement totals of day ${this.keys[e * 4]}, acquirer ${this.keys[e * 4 + 1]}, currency ${this.keys[e * 4 + 2]}, merchant ${this.keys[e * 4 + 3]} exceed 2^53 minor units`,
        );
      }
    }
  }

  /** A copy of the entries (in insertion order). */
  data(): SettlementTotalsData {
    return { keys: this.keys.slice(0, this.count * 4), sums: this.sums.slice(0, this.count * F) };
  }

  private slotOf(day: number, acquirer: number, currency: number, merchant: number): number {
    // day < 2^17 (dates up to 2200), acquirer < 4, currency < 64, merchant ≤ 10^7: both keys stay below 2^30.
    const batchKey = day * 4 + acquirer;
    const key = merchant * 64 + currency;
    let batch = this.slots.get(batchKey);
    if (!batch) this.slots.set(batchKey, (batch = new Map()));
    let slot = batch.get(key);
    if (slot === undefined) {
      slot = this.count++;
      if (slot * 4 >= this.keys.length) {
        const keys = new Int32Array(this.keys.length * 2);
        keys.set(this.keys);
        this.keys = keys;
        const sums = new Float64Array(this.sums.length * 2);
        sums.set(this.sums);
        this.sums = sums;
      }
      this.keys[slot * 4] = day;
      this.keys[slot * 4 + 1] = acquirer;
      this.keys[slot * 4 + 2] = currency;
      this.keys[slot * 4 + 3] = merchant;
      batch.set(key, slot);
    }
    return slot;
  }
}
