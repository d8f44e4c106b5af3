// Sorts record batches by keys (stable: ties keep input order, so output is deterministic) or keeps only
// the first N rows in that order with a bounded heap (top-N: memory O(N), not O(rows)). Key expressions
// are evaluated once per batch; rows are gathered across batches into new batches at the end.
import { RecordBatch, Schema as ArrowSchema, Struct, makeData } from 'apache-arrow';
import type { SortKey } from '../../expr/sort-key.js';
import type { Schema } from '../../types/schema.js';
import { columnFromVector, columnToData } from '../expr-eval/arrow-column.js';
import type { Column } from '../expr-eval/column.js';
import { compileExpr } from '../expr-eval/compile-expr.js';
import { BatchInput } from '../expr-eval/eval-node.js';
import { interleave } from '../expr-eval/take-column.js';
import { keyComparator } from './row-comparator.js';
import type { RowComparator } from './row-comparator.js';

/** Rows per output batch. */
const OUTPUT_BATCH_ROWS = 65_536;

/**
 * The rows of `batches` ordered by `keys`, or the first `limit` of them.
 * @example sortBatches(batches, schema, parseSortKeys('gross DESC'), 10)
 */
export function sortBatches(batches: readonly RecordBatch[], schema: Schema, keys: readonly SortKey[], limit: number | null): RecordBatch[] {
  const nonEmpty = batches.filter((b) => b.numRows > 0);
  const compare = rowsComparator(nonEmpty, schema, keys);
  const order = limit === null ? fullOrder(nonEmpty, compare) : topN(nonEmpty, compare, limit);
  return gatherRows(nonEmpty, schema, order.batch, order.row);
}

/**
 * Where each row of `batches` goes in `keys` order (ties in input order), without moving any data: the
 * external sorter gathers a spill run from it a chunk at a time.
 * @example const order = sortOrder(batches, schema, keys); gatherRows(batches, schema, order.batch, order.row)
 */
export function sortOrder(batches: readonly RecordBatch[], schema: Schema, keys: readonly SortKey[]): RowOrder {
  return fullOrder(batches, rowsComparator(batches, schema, keys));
}

/** One comparator over all keys: the first key that differs decides; ties then by input position. */
function rowsComparator(batches: readonly RecordBatch[], schema: Schema, keys: readonly SortKey[]): RowComparator {
  const perKey = keys.map((k) => {
    const compiled = compileExpr(k.expr, schema);
    const columns: Column[] = batches.map((b) => compiled.evaluateColumn(new BatchInput(b, schema), null));
    return keyComparator(columns, k.ascending, k.nullsFirst);
  });
  return (a, i, b, j) => {
    for (const c of perKey) {
      const r = c(a, i, b, j);
      if (r !== 0) return r;
    }
    return a !== b ? a - b : i - j;
  };
}

/** A sequence of rows: row `row[k]` of batch `batch[k]`. */
export interface RowOrder {
  readonly batch: Int32Array;
  readonly row: Int32Array;
}

function fullOrder(batches: readonly RecordBatch[], compare: RowComparator): RowOrder {
  const total = batches.reduce((s, b) => s + b.numRows, 0);
  const batch = new Int32Array(total);
  const row = new Int32Array(total);
  let k = 0;
  batches.forEach((b, bi) => {
    for (let r = 0; r < b.numRows; r++, k++) {
      batch[k] = bi;
      row[k] = r;
    }
  });
  const idx = Array.from({ length: total }, (_, i) => i);
  idx.sort((x, y) => compare(batch[x]!, row[x]!, batch[y]!, row[y]!));
  return { batch: Int32Array.from(idx, (i) => batch[i]!), row: Int32Array.from(idx, (i) => row[i]!) };
}

/** The first `limit` rows in order, with a max-heap of the best `limit` seen so far. */
function topN(batches: readonly RecordBatch[], compare: RowComparator, limit: number): RowOrder {
  const hb = new Int32Array(limit);
  const hr = new Int32Array(limit);
  let size = 0;
  // Heap order: the worst kept row at the root.
  const worse = (x: number, y: number): boolean => compare(hb[x]!, hr[x]!, hb[y]!, hr[y]!) > 0;
  const swap = (x: number, y: number): void => {
    [hb[x], hb[y]] = [hb[y]!, hb[x]!];
    [hr[x], hr[y]] = [hr[y]!, hr[x]!];
  };
  const siftDown = (start: number): void => {
    let i = start;
    for (;;) {
      const l = 2 * i + 1;
      const r = l + 1;
      let m = i;
      if (l < size && worse(l, m)) m = l;
      if (r < size && worse(r, m)) m = r;
      if (m === i) return;
      swap(i, m);
      i = m;
    }
  };
  if (limit > 0) {
    batches.forEach((b, bi) => {
      for (let r = 0; r < b.numRows; r++) {
        if (size < limit) {
          hb[size] = bi;
          hr[size] = r;
          let i = size++;
          while (i > 0) {
            const p = (i - 1) >> 1;
            if (!worse(i, p)) break;
            swap(i, p);
            i = p;
          }
        } else if (compare(bi, r, hb[0]!, hr[0]!) < 0) {
          hb[0] = bi;
          hr[0] = r;
          siftDown(0);
        }
      }
    });
  }
  const idx = Array.from({ length: size }, (_, i) => i);
  idx.sort((x, y) => compare(hb[x]!, hr[x]!, hb[y]!, hr[y]!));
  return { batch: Int32Array.from(idx, (i) => hb[i]!), row: Int32Array.from(idx, (i) => hr[i]!) };
}

/**
 * New batches holding the given rows, in order. `sources` (`sources[column][batch]`) are the batches'
 * columns when the caller already has them, so gathering chunk after chunk converts each batch once.
 */
export function gatherRows(
  batches: readonly RecordBatch[],
  schema: Schema,
  which: Int32Array,
  rows: Int32Array,
  sources: readonly (readonly Column[])[] = schema.fields.map((f, c) => batches.map((b) => columnFromVector(b.getChildAt(c)!, f.type, f.name))),
): RecordBatch[] {
  const first = batches[0];
  if (first === undefined || which.length === 0) return [];
  const out: RecordBatch[] = [];
  for (let start = 0; start < which.length; start += OUTPUT_BATCH_ROWS) {
    const end = Math.min(which.length, start + OUTPUT_BATCH_ROWS);
    const w = which.subarray(start, end);
    const r = rows.subarray(start, end);
    const children = schema.fields.map((f, c) => columnToData(interleave(f.type, sources[c]!, w, r)));
    // Output columns carry the engine's Arrow types (narrow input types come back widened).
    const outSchema = new ArrowSchema(children.map((d, c) => first.schema.fields[c]!.clone({ type: d.type })));
    out.push(new RecordBatch(outSchema, makeData({ type: new Struct(outSchema.fields), length: end - start, nullCount: 0, children })));
  }
  return out;
}
