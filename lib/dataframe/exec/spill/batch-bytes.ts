// The memory a record batch holds, for memory budgets: the byteLength of every buffer it references
// (validity, offsets, values, type ids, variadic buffers, children, dictionaries), each buffer view once.
// Arrow's own Data.byteLength leaves dictionaries out and counts a shared view twice.
import type { Data, RecordBatch } from 'apache-arrow';

/**
 * Bytes of the buffers `batch` references. Pass the same `seen` set for several batches to count a
 * buffer view they share (a dictionary, the parent of slices) once across all of them.
 * @example recordBatchBytes(batch) // 8 * batch.numRows for one non-null int64 column
 */
export function recordBatchBytes(batch: RecordBatch, seen: Set<ArrayBufferView> = new Set()): number {
  return dataBytes(batch.data, seen);
}

function dataBytes(data: Data, seen: Set<ArrayBufferView>): number {
  let bytes = 0;
  const add = (view: ArrayBufferView | null | undefined): void => {
    if (view == null || seen.has(view)) return;
    seen.add(view);
    bytes += view.byteLength;
  };
  add(data.valueOffsets as ArrayBufferView | undefined);
  add(data.values as ArrayBufferView | undefined);
  add(data.nullBitmap);
  add(data.typeIds);
  for (const v of data.variadicBuffers) add(v);
  for (const child of data.children) bytes += dataBytes(child, seen);
  for (const chunk of data.dictionary?.data ?? []) bytes += dataBytes(chunk, seen);
  return bytes;
}
