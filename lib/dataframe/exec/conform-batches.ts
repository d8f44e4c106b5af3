// One Arrow schema for the batches of one IPC stream. Operators produce equivalent batches whose schema
// objects still differ: a batch read back from a scratch file has Arrow's generic type classes (Int_)
// where a freshly built one has specific ones (Int64), and a column's nullability flag follows whether that
// batch has NULLs. Arrow's stream writer compares schemas strictly and, on a difference, silently ends the
// stream and drops the batch — so every batch is relabelled to the stream's first schema before writing.
import { RecordBatch, Struct, util } from 'apache-arrow';
import type { Schema as ArrowSchema } from 'apache-arrow';

/** True if `b` holds the same columns as `a`: names and types alike in either direction; nullability aside. */
export function equivalentSchemas(a: ArrowSchema, b: ArrowSchema): boolean {
  if (a.fields.length !== b.fields.length) return false;
  return a.fields.every((f, i) => {
    const g = b.fields[i]!;
    return f.name === g.name && (util.compareTypes(f.type, g.type) || util.compareTypes(g.type, f.type));
  });
}

/** `batch` labelled with `schema` (which must be equivalent), so a stream writer accepts it; nullable as `schema` says or wider. */
export function relabel(batch: RecordBatch, schema: ArrowSchema): RecordBatch {
  if (batch.schema === schema) return batch;
  return new RecordBatch(schema, batch.data.clone(new Struct(schema.fields)));
}

/**
 * The batches relabelled to one schema — the first's, with every column nullable that is nullable in any —
 * or null when they are not all equivalent.
 */
export function conformBatches(batches: readonly RecordBatch[]): RecordBatch[] | null {
  const first = batches[0];
  if (first === undefined) return [];
  if (!batches.every((b) => equivalentSchemas(first.schema, b.schema))) return null;
  const nullable = first.schema.fields.map((_f, i) => batches.some((b) => b.schema.fields[i]!.nullable));
  const schema = first.schema.fields.every((f, i) => f.nullable === nullable[i])
    ? first.schema
    : new (first.schema.constructor as typeof ArrowSchema)(first.schema.fields.map((f, i) => f.clone({ nullable: nullable[i]! })), first.schema.metadata);
  return batches.map((b) => relabel(b, schema));
}
