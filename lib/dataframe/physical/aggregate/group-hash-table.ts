// The group-by hash table: maps each row of a batch to a dense group id (0, 1, 2, … in order of first
// appearance) by hashing every row, then probing an open-addressing (linear probing) table of group ids.
// Keys live columnar in one GroupKeyStore per key column; no per-row objects or strings are built.
//
// Memory per group: 4 B stored hash + ≤ 8 B of table slots (load ≤ 1/2, 4 B per slot) + the key stores
// (1 B NULL flag + 4 B int32/date/boolean, 8 B int64/timestamp/float64, 16 B decimal, 4 B offset +
// the bytes for string/binary), all in doubling typed arrays (so up to 2× that while growing).
import type { DataType } from '../../types/data-type.js';
import type { Column } from '../expr-eval/column.js';
import { createKeyStore, fmix32, rowSource } from './group-key-store.js';
import type { GroupKeyStore, RowSource } from './group-key-store.js';
import { ensureCapacity } from './typed-array-growth.js';

/** Running-hash seed for a row (any constant). */
const SEED = 0x2545f491;

/**
 * Dense group ids for rows of key columns of the given types. With zero key columns there is exactly
 * one group (id 0), present from the start, as a global aggregation needs.
 * @example
 * const t = new GroupHashTable([types.string]);
 * const ids = t.findOrInsert([merchantColumn], merchantColumn.length); // Int32Array of group ids
 */
export class GroupHashTable {
  /** One store per key column. */
  readonly stores: readonly GroupKeyStore[];
  private groupHashes = new Int32Array(16);
  /** Slot → group id + 1; 0 = empty. */
  private slots = new Int32Array(64);
  private mask = 63;
  private count = 0;

  constructor(readonly keyTypes: readonly DataType[]) {
    this.stores = keyTypes.map(createKeyStore);
    if (keyTypes.length === 0) this.count = 1;
  }

  /** Number of groups so far. */
  get groupCount(): number {
    return this.count;
  }

  /** The group id of each of the first `n` rows of `keys` (one Column per key type), adding new groups. */
  findOrInsert(keys: readonly Column[], n: number): Int32Array {
    return this.lookup(keys, n, true);
  }

  /**
   * The group id of each of the first `n` rows of `keys`, or -1 where the key is not in the table; adds
   * nothing (a hash join's probe side). With zero key columns every row is in group 0.
   * @example
   * const build = new GroupHashTable([types.int64]);
   * build.findOrInsert([buildKeys], buildKeys.length);
   * const ids = build.find([probeKeys], probeKeys.length); // -1 = no build row has that key
   */
  find(keys: readonly Column[], n: number): Int32Array {
    return this.lookup(keys, n, false);
  }

  private lookup(keys: readonly Column[], n: number, insert: boolean): Int32Array {
    const out = new Int32Array(n);
    if (this.stores.length === 0) return out;
    const sources = keys.map(rowSource);
    const hashes = new Int32Array(n).fill(SEED);
    for (let k = 0; k < this.stores.length; k++) this.stores[k]!.hashRows(sources[k]!, hashes, n);
    const stores = this.stores;
    const single = stores.length === 1 ? stores[0]! : null;
    const src0 = sources[0]!;
    let slots = this.slots;
    let mask = this.mask;
    let groupHashes = this.groupHashes;
    for (let i = 0; i < n; i++) {
      const h = fmix32(hashes[i]!);
      let s = h & mask;
      for (;;) {
        const e = slots[s]!;
        if (e === 0) {
          if (!insert) {
            out[i] = -1;
            break;
          }
          const g = this.insert(sources, i, h, s);
          out[i] = g;
          slots = this.slots;
          mask = this.mask;
          groupHashes = this.groupHashes;
          break;
        }
        const g = e - 1;
        if (groupHashes[g] === h && (single !== null ? single.equalsRow(g, src0, i) : this.equalsRow(g, sources, i))) {
          out[i] = g;
          break;
        }
        s = (s + 1) & mask;
      }
    }
    return out;
  }

  /** Ascending key order over all groups, NULLs first (the order of `finish`). */
  sortedGroupOrder(): Int32Array {
    const order = new Int32Array(this.count);
    for (let g = 0; g < this.count; g++) order[g] = g;
    const stores = this.stores;
    if (stores.length === 0) return order;
    return order.sort((a, b) => {
      for (let k = 0; k < stores.length; k++) {
        const c = stores[k]!.compare(a, b);
        if (c !== 0) return c;
      }
      return 0;
    });
  }

  /** The key column k for groups `order`. */
  keyColumn(k: number, order: Int32Array): Column {
    return this.stores[k]!.gather(order);
  }

  /** Approximate bytes held per group (hash, slots at the current load, keys). */
  bytesPerGroup(): number {
    const keyBytes = this.stores.reduce((a, s) => a + s.bytesPerKey(), 0);
    return 4 + (this.count === 0 ? 0 : (4 * this.slots.length) / this.count) + keyBytes;
  }

  private equalsRow(g: number, sources: readonly RowSource[], row: number): boolean {
    for (let k = 0; k < this.stores.length; k++) if (!this.stores[k]!.equalsRow(g, sources[k]!, row)) return false;
    return true;
  }

  private insert(sources: readonly RowSource[], row: number, h: number, slot: number): number {
    const g = this.count++;
    for (let k = 0; k < this.stores.length; k++) this.stores[k]!.append(sources[k]!, row);
    this.groupHashes = ensureCapacity(this.groupHashes, g + 1);
    this.groupHashes[g] = h;
    this.slots[slot] = g + 1;
    if (this.count * 2 > this.slots.length) this.rehash(this.slots.length * 2);
    return g;
  }

  private rehash(size: number): void {
    const slots = new Int32Array(size);
    const mask = size - 1;
    for (let g = 0; g < this.count; g++) {
      let s = this.groupHashes[g]! & mask;
      while (slots[s] !== 0) s = (s + 1) & mask;
      slots[s] = g + 1;
    }
    this.slots = slots;
    this.mask = mask;
  }
}
