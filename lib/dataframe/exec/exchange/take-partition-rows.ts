// Picks rows of a batch for exchange partitions: splits a batch by partition id (a counting sort that keeps
// row order within each partition), and takes rows. Rows are flat columns, except partial aggregation
// states, where count(DISTINCT) keeps each group's values as a List of a flat type: its rows are taken
// by rebuilding the offsets and taking the child's value range of each picked row.
import { Field, List, RecordBatch, Schema as ArrowSchema, Struct, makeData } from 'apache-arrow';
import type { Data } from 'apache-arrow';
import { columnFromData, columnToData } from '../../physical/expr-eval/arrow-column.js';
import { takeColumn } from '../../physical/expr-eval/take-column.js';
import { takeRows } from '../../physical/expr-eval/selection.js';
import { fromArrowType } from '../../types/arrow-type.js';

/**
 * The rows of `batch` by partition: entry q holds the rows whose id is q, in row order, or is undefined
 * when there are none; `ids[i]` is row i's partition in [0, partitions).
 * @example splitByPartition(batch, hashPartitioner(keys, schema, 8)(batch), 8)
 */
export function splitByPartition(batch: RecordBatch, ids: Int32Array, partitions: number): (RecordBatch | undefined)[] {
  const starts = new Int32Array(partitions + 1);
  for (const id of ids) starts[id + 1]!++;
  for (let q = 0; q < partitions; q++) starts[q + 1]! += starts[q]!;
  const order = new Uint32Array(ids.length);
  const fill = starts.slice(0, partitions);
  for (let i = 0; i < ids.length; i++) order[fill[ids[i]!]!++] = i;
  const out = new Array<RecordBatch | undefined>(partitions);
  for (let q = 0; q < partitions; q++) {
    const n = starts[q + 1]! - starts[q]!;
    if (n > 0) out[q] = n === batch.numRows ? batch : takePartitionRows(batch, order.subarray(starts[q]!, starts[q + 1]!));
  }
  return out;
}

/** The rows `selection` of `batch`, in that order; List columns of flat values are supported. */
export function takePartitionRows(batch: RecordBatch, selection: Uint32Array): RecordBatch {
  if (!batch.schema.fields.some((f) => f.type instanceof List)) return takeRows(batch, selection);
  const fields: Field[] = [];
  const children = batch.schema.fields.map((f, i) => {
    const data = batch.data.children[i]!;
    const taken = f.type instanceof List ? takeList(data as Data<List>, selection, f.name) : takeFlat(data, selection, f.name);
    fields.push(new Field(f.name, taken.type, f.nullable, f.metadata));
    return taken;
  });
  const struct = makeData({ type: new Struct(fields), length: selection.length, nullCount: 0, children });
  return new RecordBatch(new ArrowSchema(fields, batch.schema.metadata), struct);
}

function takeFlat(data: Data, selection: Uint32Array, name: string): Data {
  return columnToData(takeColumn(columnFromData(data, fromArrowType(data.type, name), name), selection));
}

/** A List column's picked rows: new offsets, and the child rows they cover, in order. */
function takeList(data: Data<List>, selection: Uint32Array, name: string): Data<List> {
  const offsets = data.valueOffsets;
  const base = data.offset;
  const offsetsOut = new Int32Array(selection.length + 1);
  let total = 0;
  for (let i = 0; i < selection.length; i++) {
    const r = selection[i]! + base;
    total += offsets[r + 1]! - offsets[r]!;
    offsetsOut[i + 1] = total;
  }
  const childRows = new Uint32Array(total);
  let k = 0;
  for (const s of selection) {
    const r = s + base;
    for (let j = offsets[r]!; j < offsets[r + 1]!; j++) childRows[k++] = j;
  }
  const child = takeFlat(data.children[0]!, childRows, `${name}.item`);
  let nullBitmap: Uint8Array | undefined;
  if (data.nullCount > 0) {
    nullBitmap = new Uint8Array(((selection.length + 63) >>> 6) << 3);
    selection.forEach((s, i) => {
      if (data.getValid(s)) nullBitmap![i >>> 3]! |= 1 << (i & 7);
    });
  }
  const type = new List(new Field(data.type.children[0]!.name, child.type, true));
  return makeData({ type, length: selection.length, nullBitmap, valueOffsets: offsetsOut, child });
}
