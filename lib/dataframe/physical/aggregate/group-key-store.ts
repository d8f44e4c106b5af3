// Columnar storage of the distinct group-by key values, one store per key column: per-row hashing of an
// input column, equality of a stored key with an input row, append, ordering and output as a Column.
// Keys are normalised the way Spark groups them: all NULLs are one key, -0.0 = 0.0, every NaN is one key.
import { assertNever } from '../../assert-never.js';
import type { DataType } from '../../types/data-type.js';
import { getBit, makeColumn, newBitmap, setBit } from '../expr-eval/column.js';
import type { Column } from '../expr-eval/column.js';
import { compareBytes } from '../expr-eval/comparison-kernels.js';
import { flattenDictionary } from '../expr-eval/take-column.js';
import { int64Words } from '../expr-eval/wide-integers.js';
import { ensureCapacity } from './typed-array-growth.js';

/**
 * An input column ready for row access: `col` is never dictionary-encoded; a string/binary dictionary
 * column is kept as its dictionary plus `index` (row → entry) so bytes are hashed once per entry.
 * `validity` is the row's validity (the dictionary entry's NULLs folded in).
 */
export interface RowSource {
  readonly col: Column;
  readonly index: Int32Array | null;
  readonly validity: Uint8Array | null;
}

/** A RowSource for `c`. Only string/binary dictionaries stay indirect; others are flattened. */
export function rowSource(c: Column): RowSource {
  if (c.dictionary === null) return { col: c, index: null, validity: c.validity };
  const kind = c.type.kind;
  if (kind !== 'string' && kind !== 'binary') return rowSource(flattenDictionary(c));
  const index = c.values as Int32Array;
  const dict = c.dictionary;
  let validity = c.validity;
  if (dict.validity !== null) {
    const v = newBitmap(c.length);
    for (let i = 0; i < c.length; i++) {
      if ((validity === null || getBit(validity, i)) && getBit(dict.validity, index[i]!)) setBit(v, i);
    }
    validity = v;
  }
  return { col: dict, index, validity };
}

/** Hash of a NULL key (any constant works: all NULLs are one group). */
const NULL_HASH = 0x5bd1e995;

/** Folds a column's hash `h` into the running row hash `acc` (the table finalises with fmix32). */
export function mixHash(acc: number, h: number): number {
  const x = Math.imul(acc ^ h, 0x9e3779b1);
  return x ^ (x >>> 15);
}

/** MurmurHash3's 32-bit finaliser: spreads every input bit over the whole word. */
export function fmix32(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  return h ^ (h >>> 16);
}

/** Murmur3-style hash of the bytes v[s, e). */
export function hashBytes(v: Uint8Array, s: number, e: number): number {
  let h = 0x811c9dc5 ^ (e - s);
  let i = s;
  for (; i + 4 <= e; i += 4) {
    let k = v[i]! | (v[i + 1]! << 8) | (v[i + 2]! << 16) | (v[i + 3]! << 24);
    k = Math.imul(k, 0xcc9e2d51);
    k = Math.imul((k << 15) | (k >>> 17), 0x1b873593);
    h ^= k;
    h = (Math.imul((h << 13) | (h >>> 19), 5) + 0xe6546b64) | 0;
  }
  for (; i < e; i++) {
    h ^= Math.imul(v[i]!, 0xcc9e2d51);
    h = Math.imul((h << 15) | (h >>> 17), 0x1b873593);
  }
  return h;
}

/** Whether row `i` of a source is valid. */
function valid(src: RowSource, i: number): boolean {
  return src.validity === null || getBit(src.validity, i) === 1;
}

/** The normalised float key: one NaN, and 0.0 for -0.0. */
export function normaliseFloat(x: number): number {
  return x !== x ? NaN : x === 0 ? 0 : x;
}

/** Total order on doubles as Spark orders them: NaN greatest, -0.0 = 0.0 (keys are normalised first). */
export function compareFloat(a: number, b: number): number {
  if (a < b) return -1;
  if (a > b) return 1;
  if (a === b) return 0;
  const an = a !== a;
  const bn = b !== b;
  return an === bn ? 0 : an ? 1 : -1;
}

/** The distinct values of one key column, stored columnar by group id. */
export abstract class GroupKeyStore {
  /** Number of stored keys (= groups). */
  size = 0;
  /** 1 where the key of group g is NULL. */
  protected nulls = new Uint8Array(16);

  constructor(readonly type: DataType) {}

  /** Mixes each of the first `n` rows' key hash into `hashes`. */
  abstract hashRows(src: RowSource, hashes: Int32Array, n: number): void;
  /** Whether the stored key of group `g` equals row `row` of `src`. */
  abstract equalsRow(g: number, src: RowSource, row: number): boolean;
  /** Orders the keys of groups a and b ascending, NULLs first: negative, 0 or positive. */
  abstract compare(a: number, b: number): number;
  /** The keys of groups `order`, in that order, as a Column of `type`. */
  abstract gather(order: Int32Array): Column;
  /** Appends row `row` of `src` (known valid) as key number `size`; `size` is bumped by `append`. */
  protected abstract appendValue(src: RowSource, row: number, g: number): void;
  /** Bytes held per stored key, for the memory note (variable-width stores report their average). */
  abstract bytesPerKey(): number;

  /** Stores row `row` of `src` as the key of a new group `size`. */
  append(src: RowSource, row: number): void {
    const g = this.size++;
    this.nulls = ensureCapacity(this.nulls, g + 1);
    if (valid(src, row)) this.appendValue(src, row, g);
    else {
      this.nulls[g] = 1;
      this.appendNull(g);
    }
  }

  /** Whether the key of group g is NULL. */
  isNull(g: number): boolean {
    return this.nulls[g] === 1;
  }

  /** Hook for stores that must record something for a NULL key (offsets of a bytes store). */
  protected appendNull(_g: number): void {}

  /** NULLs-first comparison when either key is NULL; undefined when both are non-NULL. */
  protected compareNulls(a: number, b: number): number | undefined {
    const na = this.nulls[a]!;
    const nb = this.nulls[b]!;
    if ((na | nb) === 0) return undefined;
    return nb - na;
  }

  /** The validity bitmap of `order`'s keys, or null when none is NULL. */
  protected gatherValidity(order: Int32Array): Uint8Array | null {
    let any = false;
    for (let i = 0; i < order.length; i++) if (this.nulls[order[i]!] === 1) { any = true; break; }
    if (!any) return null;
    const bits = newBitmap(order.length);
    for (let i = 0; i < order.length; i++) if (this.nulls[order[i]!] === 0) setBit(bits, i);
    return bits;
  }
}

/** Keys of type null: every row is NULL, so there is at most one group. */
class NullKeyStore extends GroupKeyStore {
  hashRows(_src: RowSource, hashes: Int32Array, n: number): void {
    for (let i = 0; i < n; i++) hashes[i] = mixHash(hashes[i]!, NULL_HASH);
  }
  equalsRow(): boolean {
    return true;
  }
  compare(): number {
    return 0;
  }
  gather(order: Int32Array): Column {
    return makeColumn(this.type, order.length, new Uint8Array(0), newBitmap(order.length));
  }
  protected appendValue(): void {}
  bytesPerKey(): number {
    return 1;
  }
}

/** int32 and date keys (and boolean keys, read from the values bitmap). */
class Int32KeyStore extends GroupKeyStore {
  private values = new Int32Array(16);
  private readonly isBoolean = this.type.kind === 'boolean';

  private read(src: RowSource, row: number): number {
    return this.isBoolean ? getBit(src.col.values as Uint8Array, row) : (src.col.values as Int32Array)[row]!;
  }

  hashRows(src: RowSource, hashes: Int32Array, n: number): void {
    if (this.isBoolean) {
      for (let i = 0; i < n; i++) hashes[i] = mixHash(hashes[i]!, valid(src, i) ? getBit(src.col.values as Uint8Array, i) : NULL_HASH);
      return;
    }
    const v = src.col.values as Int32Array;
    const bits = src.validity;
    if (bits === null) for (let i = 0; i < n; i++) hashes[i] = mixHash(hashes[i]!, v[i]!);
    else for (let i = 0; i < n; i++) hashes[i] = mixHash(hashes[i]!, getBit(bits, i) ? v[i]! : NULL_HASH);
  }
  equalsRow(g: number, src: RowSource, row: number): boolean {
    if (!valid(src, row)) return this.nulls[g] === 1;
    return this.nulls[g] === 0 && this.values[g] === this.read(src, row);
  }
  compare(a: number, b: number): number {
    return this.compareNulls(a, b) ?? this.values[a]! - this.values[b]!;
  }
  gather(order: Int32Array): Column {
    const n = order.length;
    const validity = this.gatherValidity(order);
    if (this.isBoolean) {
      const bits = newBitmap(n);
      for (let i = 0; i < n; i++) if (this.values[order[i]!] === 1) setBit(bits, i);
      return makeColumn(this.type, n, bits, validity);
    }
    const out = new Int32Array(n);
    for (let i = 0; i < n; i++) out[i] = this.values[order[i]!]!;
    return makeColumn(this.type, n, out, validity);
  }
  protected appendValue(src: RowSource, row: number, g: number): void {
    this.values = ensureCapacity(this.values, g + 1);
    this.values[g] = this.read(src, row);
  }
  /** The int32 key of group g (count-distinct reads its group-id key column through this). */
  valueAt(g: number): number {
    return this.values[g]!;
  }
  bytesPerKey(): number {
    return 5;
  }
}

/** int64 and timestamp keys, stored and compared as two int32 words (no BigInt on the hot path). */
class Int64KeyStore extends GroupKeyStore {
  private words = new Int32Array(32);

  hashRows(src: RowSource, hashes: Int32Array, n: number): void {
    const w = int64Words(src.col.values as BigInt64Array);
    for (let i = 0; i < n; i++) {
      const h = valid(src, i) ? w[2 * i]! ^ Math.imul(w[2 * i + 1]!, 0x85ebca6b) : NULL_HASH;
      hashes[i] = mixHash(hashes[i]!, h);
    }
  }
  equalsRow(g: number, src: RowSource, row: number): boolean {
    if (!valid(src, row)) return this.nulls[g] === 1;
    const w = int64Words(src.col.values as BigInt64Array);
    return this.nulls[g] === 0 && this.words[2 * g] === w[2 * row] && this.words[2 * g + 1] === w[2 * row + 1];
  }
  compare(a: number, b: number): number {
    const c = this.compareNulls(a, b);
    if (c !== undefined) return c;
    const ha = this.words[2 * a + 1]!;
    const hb = this.words[2 * b + 1]!;
    if (ha !== hb) return ha < hb ? -1 : 1;
    return (this.words[2 * a]! >>> 0) - (this.words[2 * b]! >>> 0);
  }
  gather(order: Int32Array): Column {
    const n = order.length;
    const out = new BigInt64Array(n);
    const ow = int64Words(out);
    for (let i = 0; i < n; i++) {
      const g = order[i]!;
      ow[2 * i] = this.words[2 * g]!;
      ow[2 * i + 1] = this.words[2 * g + 1]!;
    }
    return makeColumn(this.type, n, out, this.gatherValidity(order));
  }
  protected appendValue(src: RowSource, row: number, g: number): void {
    const w = int64Words(src.col.values as BigInt64Array);
    this.words = ensureCapacity(this.words, g + 1, 2);
    this.words[2 * g] = w[2 * row]!;
    this.words[2 * g + 1] = w[2 * row + 1]!;
  }
  bytesPerKey(): number {
    return 9;
  }
}

/** float64 keys, normalised (-0.0 → 0.0, one NaN) before hashing and storing. */
class Float64KeyStore extends GroupKeyStore {
  private values = new Float64Array(16);
  private readonly scratch = new Float64Array(1);
  private readonly scratchWords = new Int32Array(this.scratch.buffer);

  hashRows(src: RowSource, hashes: Int32Array, n: number): void {
    const v = src.col.values as Float64Array;
    const s = this.scratch;
    const w = this.scratchWords;
    for (let i = 0; i < n; i++) {
      let h = NULL_HASH;
      if (valid(src, i)) {
        s[0] = normaliseFloat(v[i]!);
        h = w[0]! ^ Math.imul(w[1]!, 0x85ebca6b);
      }
      hashes[i] = mixHash(hashes[i]!, h);
    }
  }
  equalsRow(g: number, src: RowSource, row: number): boolean {
    if (!valid(src, row)) return this.nulls[g] === 1;
    if (this.nulls[g] === 1) return false;
    const a = this.values[g]!;
    const b = (src.col.values as Float64Array)[row]!;
    return a === b || (a !== a && b !== b);
  }
  compare(a: number, b: number): number {
    return this.compareNulls(a, b) ?? compareFloat(this.values[a]!, this.values[b]!);
  }
  gather(order: Int32Array): Column {
    const n = order.length;
    const out = new Float64Array(n);
    for (let i = 0; i < n; i++) out[i] = this.values[order[i]!]!;
    return makeColumn(this.type, n, out, this.gatherValidity(order));
  }
  protected appendValue(src: RowSource, row: number, g: number): void {
    this.values = ensureCapacity(this.values, g + 1);
    this.values[g] = normaliseFloat((src.col.values as Float64Array)[row]!);
  }
  bytesPerKey(): number {
    return 9;
  }
}

/** decimal keys: the unscaled 128-bit value as four little-endian words. */
class DecimalKeyStore extends GroupKeyStore {
  private words = new Uint32Array(64);

  hashRows(src: RowSource, hashes: Int32Array, n: number): void {
    const w = src.col.values as Uint32Array;
    for (let i = 0; i < n; i++) {
      let h = NULL_HASH;
      if (valid(src, i)) {
        const b = 4 * i;
        h = w[b]! ^ Math.imul(w[b + 1]!, 0x85ebca6b) ^ Math.imul(w[b + 2]!, 0xc2b2ae35) ^ Math.imul(w[b + 3]!, 0x27d4eb2f);
      }
      hashes[i] = mixHash(hashes[i]!, h);
    }
  }
  equalsRow(g: number, src: RowSource, row: number): boolean {
    if (!valid(src, row)) return this.nulls[g] === 1;
    if (this.nulls[g] === 1) return false;
    const w = src.col.values as Uint32Array;
    const a = 4 * g;
    const b = 4 * row;
    const s = this.words;
    return s[a] === w[b] && s[a + 1] === w[b + 1] && s[a + 2] === w[b + 2] && s[a + 3] === w[b + 3];
  }
  compare(a: number, b: number): number {
    const c = this.compareNulls(a, b);
    if (c !== undefined) return c;
    const s = this.words;
    const ha = s[4 * a + 3]! | 0;
    const hb = s[4 * b + 3]! | 0;
    if (ha !== hb) return ha < hb ? -1 : 1;
    for (let k = 2; k >= 0; k--) {
      const x = s[4 * a + k]!;
      const y = s[4 * b + k]!;
      if (x !== y) return x < y ? -1 : 1;
    }
    return 0;
  }
  gather(order: Int32Array): Column {
    const n = order.length;
    const out = new Uint32Array(4 * n);
    for (let i = 0; i < n; i++) out.set(this.words.subarray(4 * order[i]!, 4 * order[i]! + 4), 4 * i);
    return makeColumn(this.type, n, out, this.gatherValidity(order));
  }
  protected appendValue(src: RowSource, row: number, g: number): void {
    this.words = ensureCapacity(this.words, g + 1, 4);
    this.words.set((src.col.values as Uint32Array).subarray(4 * row, 4 * row + 4), 4 * g);
  }
  bytesPerKey(): number {
    return 17;
  }
}

/** string and binary keys: one append-only byte heap, compared by bytes (UTF-8 byte order, as Spark). */
class BytesKeyStore extends GroupKeyStore {
  private heap = new Uint8Array(256);
  /** Key g is heap[offsets[g], offsets[g + 1]). */
  private offsets = new Int32Array(17);
  /** Scratch for the per-entry hashes of a dictionary (reused across batches). */
  private dictHashes = new Int32Array(0);

  hashRows(src: RowSource, hashes: Int32Array, n: number): void {
    const bytes = src.col.values as Uint8Array;
    const off = src.col.offsets!;
    const bits = src.validity;
    if (src.index !== null) {
      // Dictionary: hash each entry once, then gather.
      const m = src.col.length;
      if (this.dictHashes.length < m) this.dictHashes = new Int32Array(m);
      const dh = this.dictHashes;
      for (let e = 0; e < m; e++) dh[e] = hashBytes(bytes, off[e]!, off[e + 1]!);
      const idx = src.index;
      for (let i = 0; i < n; i++) hashes[i] = mixHash(hashes[i]!, bits === null || getBit(bits, i) ? dh[idx[i]!]! : NULL_HASH);
      return;
    }
    for (let i = 0; i < n; i++) {
      const h = bits === null || getBit(bits, i) ? hashBytes(bytes, off[i]!, off[i + 1]!) : NULL_HASH;
      hashes[i] = mixHash(hashes[i]!, h);
    }
  }
  equalsRow(g: number, src: RowSource, row: number): boolean {
    if (!valid(src, row)) return this.nulls[g] === 1;
    if (this.nulls[g] === 1) return false;
    const r = src.index === null ? row : src.index[row]!;
    const off = src.col.offsets!;
    const s = off[r]!;
    const len = off[r + 1]! - s;
    const gs = this.offsets[g]!;
    if (this.offsets[g + 1]! - gs !== len) return false;
    const bytes = src.col.values as Uint8Array;
    const heap = this.heap;
    for (let k = 0; k < len; k++) if (heap[gs + k] !== bytes[s + k]) return false;
    return true;
  }
  compare(a: number, b: number): number {
    const o = this.offsets;
    return this.compareNulls(a, b) ?? compareBytes(this.heap, o[a]!, o[a + 1]!, this.heap, o[b]!, o[b + 1]!);
  }
  gather(order: Int32Array): Column {
    const n = order.length;
    const o = this.offsets;
    let total = 0;
    for (let i = 0; i < n; i++) total += o[order[i]! + 1]! - o[order[i]!]!;
    const out = new Uint8Array(total);
    const offsets = new Int32Array(n + 1);
    let p = 0;
    for (let i = 0; i < n; i++) {
      const g = order[i]!;
      out.set(this.heap.subarray(o[g]!, o[g + 1]!), p);
      p += o[g + 1]! - o[g]!;
      offsets[i + 1] = p;
    }
    return makeColumn(this.type, n, out, this.gatherValidity(order), offsets);
  }
  protected appendValue(src: RowSource, row: number, g: number): void {
    const r = src.index === null ? row : src.index[row]!;
    const off = src.col.offsets!;
    const s = off[r]!;
    const e = off[r + 1]!;
    const start = this.offsets[g]!;
    this.heap = ensureCapacity(this.heap, start + e - s);
    this.heap.set((src.col.values as Uint8Array).subarray(s, e), start);
    this.offsets = ensureCapacity(this.offsets, g + 2);
    this.offsets[g + 1] = start + e - s;
  }
  protected override appendNull(g: number): void {
    this.offsets = ensureCapacity(this.offsets, g + 2);
    this.offsets[g + 1] = this.offsets[g]!;
  }
  bytesPerKey(): number {
    return 5 + (this.size === 0 ? 0 : this.offsets[this.size]! / this.size);
  }
}

/** The key store for a key column of logical type `t`. */
export function createKeyStore(t: DataType): GroupKeyStore {
  switch (t.kind) {
    case 'null':
      return new NullKeyStore(t);
    case 'boolean':
    case 'int32':
    case 'date':
      return new Int32KeyStore(t);
    case 'int64':
    case 'timestamp':
      return new Int64KeyStore(t);
    case 'float64':
      return new Float64KeyStore(t);
    case 'decimal':
      return new DecimalKeyStore(t);
    case 'string':
    case 'binary':
      return new BytesKeyStore(t);
    default:
      return assertNever(t, 'key type');
  }
}

/** The int32 key of group g in a store made for an int32 column (count-distinct's group-id column). */
export function int32KeyAt(store: GroupKeyStore, g: number): number {
  return (store as Int32KeyStore).valueAt(g);
}
