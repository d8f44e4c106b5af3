// The build side of a hash join: its rows kept columnar as they arrived (one Column list per batch), a
// GroupHashTable giving every distinct key a dense id, and, once sealed, the rows of each key contiguous
// in insertion order (a CSR index: keyStart[g] .. keyStart[g + 1] in keyRows), so a probe row's matches
// are a slice that can be cut into output batches of any size.
//
// Keys with a NULL component are stored like any other key (the table groups them) but flagged, and a
// lookup never returns them: in a join a NULL key matches nothing, not even another NULL.
//
// Memory per build row: its columns (as Arrow holds them; dictionaries flattened) + 4 B key id + 4 B in
// the CSR index; per distinct key: the hash table's ~12 B + key bytes, 4 B CSR start, 1 B NULL flag.
import type { RecordBatch } from 'apache-arrow';
import { PaylakeError } from '../../../errors/paylake-error.js';
import type { Expr } from '../../expr/expr.js';
import type { DataType } from '../../types/data-type.js';
import type { Schema } from '../../types/schema.js';
import { GroupHashTable } from '../aggregate/group-hash-table.js';
import { ensureCapacity } from '../aggregate/typed-array-growth.js';
import type { Column } from '../expr-eval/column.js';
import { compileExpr } from '../expr-eval/compile-expr.js';
import type { CompiledExpr } from '../expr-eval/compile-expr.js';
import { BatchInput } from '../expr-eval/eval-node.js';
import { flattenDictionary, interleave } from '../expr-eval/take-column.js';

/** The CSR index built by `seal`. */
interface Sealed {
  /** Key g's rows are keyRows[keyStart[g], keyStart[g + 1]). */
  readonly keyStart: Int32Array;
  /** Build row ids grouped by key, each key's rows ascending (insertion order). */
  readonly keyRows: Int32Array;
  /** 1 where a component of key g is NULL (such keys never match). */
  readonly nullKey: Uint8Array;
}

/**
 * A hash join's build side. Rows are numbered 0, 1, 2, … in insertion order across batches.
 * @example
 * const build = new JoinBuildTable(bankSchema, [ColumnNode.create('psp_reference')]);
 * for (const b of bankBatches) build.add(b);
 * build.seal();
 * const ids = build.lookup([txReferenceColumn], n); // key id per probe row, -1 = no match
 */
export class JoinBuildTable {
  private readonly table: GroupHashTable;
  private readonly keys: readonly CompiledExpr[];
  /** Per stored batch, its columns in schema order. */
  private readonly batches: Column[][] = [];
  /** First row id of each stored batch, then the row count. */
  private starts = new Int32Array(16);
  /** Key id of each build row. */
  private rowKeys = new Int32Array(16);
  private rows = 0;
  private columnBytes = 0;
  private sealed: Sealed | null = null;

  constructor(
    readonly schema: Schema,
    keys: readonly Expr[],
  ) {
    this.keys = keys.map((k) => compileExpr(k, schema));
    this.table = new GroupHashTable(this.keys.map((k) => k.type));
  }

  /** The key types (those of the compiled key expressions). */
  get keyTypes(): readonly DataType[] {
    return this.table.keyTypes;
  }

  /** Number of build rows. */
  get rowCount(): number {
    return this.rows;
  }

  /** Number of distinct keys (NULL-bearing ones included). */
  get keyCount(): number {
    return this.table.groupCount;
  }

  /** Adds a batch of build rows; only before `seal`. */
  add(batch: RecordBatch): void {
    if (this.sealed !== null) throw new PaylakeError('INTERNAL', 'hash join: a build batch arrived after probing started; please report this');
    const n = batch.numRows;
    if (n === 0) return;
    const input = new BatchInput(batch, this.schema);
    const keyColumns = this.keys.map((k) => k.evaluateColumn(input, null));
    const ids = this.table.findOrInsert(keyColumns, n);
    this.rowKeys = ensureCapacity(this.rowKeys, this.rows + n);
    this.rowKeys.set(ids, this.rows);
    // Flattened once here, so gathering (interleave) never re-flattens per output batch.
    const columns = this.schema.fields.map((_f, i) => flattenDictionary(input.column(i, null)));
    for (const c of columns) this.columnBytes += columnByteLength(c);
    this.starts = ensureCapacity(this.starts, this.batches.length + 2);
    this.batches.push(columns);
    this.rows += n;
    this.starts[this.batches.length] = this.rows;
  }

  /** Builds the per-key row index; `add` is refused afterwards. Idempotent. */
  seal(): void {
    if (this.sealed !== null) return;
    const g = this.table.groupCount;
    const keyStart = new Int32Array(g + 1);
    const rowKeys = this.rowKeys;
    for (let r = 0; r < this.rows; r++) keyStart[rowKeys[r]! + 1]!++;
    for (let k = 0; k < g; k++) keyStart[k + 1]! += keyStart[k]!;
    const next = keyStart.slice(0, g);
    const keyRows = new Int32Array(this.rows);
    for (let r = 0; r < this.rows; r++) keyRows[next[rowKeys[r]!]!++] = r;
    const nullKey = new Uint8Array(g);
    for (const store of this.table.stores) for (let k = 0; k < g; k++) if (store.isNull(k)) nullKey[k] = 1;
    this.sealed = { keyStart, keyRows, nullKey };
  }

  /** The key id of each of the first `n` rows of probe key columns, -1 where no build row can match. */
  lookup(keys: readonly Column[], n: number): Int32Array {
    const { nullKey } = this.index();
    const ids = this.table.find(keys, n);
    for (let i = 0; i < n; i++) {
      const g = ids[i]!;
      if (g >= 0 && nullKey[g] === 1) ids[i] = -1;
    }
    return ids;
  }

  /** First position in `keyRows` of key g's rows. */
  start(g: number): number {
    return this.index().keyStart[g]!;
  }

  /** One past the last position in `keyRows` of key g's rows. */
  end(g: number): number {
    return this.index().keyStart[g + 1]!;
  }

  /** Build row ids grouped by key (see `start`, `end`). */
  get keyRows(): Int32Array {
    return this.index().keyRows;
  }

  /** The key id of build row r (possibly a NULL-bearing key, which no probe row matches). */
  keyOf(r: number): number {
    return this.rowKeys[r]!;
  }

  /** Field `field` of the build rows `ids`, in that order; NULL where the id is -1. */
  gather(field: number, ids: Int32Array): Column {
    const type = this.schema.fields[field]!.type;
    const sources = this.batches.map((b) => b[field]!);
    const n = ids.length;
    const which = new Int32Array(n);
    const rows = new Int32Array(n);
    const starts = this.starts;
    const last = this.batches.length - 1;
    let b = 0;
    for (let i = 0; i < n; i++) {
      const r = ids[i]!;
      if (r < 0) {
        which[i] = -1;
        continue;
      }
      // Ids are mostly ascending within a key: try the previous batch first, then binary search.
      if (r < starts[b]! || r >= starts[b + 1]!) {
        let lo = 0;
        let hi = last;
        while (lo < hi) {
          const mid = (lo + hi + 1) >>> 1;
          if (starts[mid]! <= r) lo = mid;
          else hi = mid - 1;
        }
        b = lo;
      }
      which[i] = b;
      rows[i] = r - starts[b]!;
    }
    return interleave(type, sources, which, rows);
  }

  /** Bytes held: the build columns, the key table and the per-row and per-key indexes. */
  estimatedBytes(): number {
    const keys = this.table.groupCount;
    const tableBytes = keys === 0 ? 0 : this.table.bytesPerGroup() * keys;
    const index = this.sealed === null ? 0 : 4 * this.rows + 5 * keys;
    return this.columnBytes + tableBytes + this.rowKeys.byteLength + index;
  }

  private index(): Sealed {
    if (this.sealed === null) throw new PaylakeError('INTERNAL', 'hash join: the build side was probed before it was sealed; please report this');
    return this.sealed;
  }
}

function columnByteLength(c: Column): number {
  return (c.validity?.byteLength ?? 0) + c.values.byteLength + (c.offsets?.byteLength ?? 0);
}
