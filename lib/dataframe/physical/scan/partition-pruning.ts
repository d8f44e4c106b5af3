// Evaluates partition filters (predicates on `key=value` directory columns only) once per distinct
// partition directory, with the same vectorized evaluator as row filters, so `dt >= '2026-11-20'` means
// exactly what it means in a WHERE clause and pruned files are never opened for data.
import { RecordBatch, Schema as ArrowSchema, Struct, makeData } from 'apache-arrow';
import type { ParquetDataset, ParquetDatasetFile } from '../../../io/dataset/parquet-dataset.js';
import { constantVector } from '../../../io/dataset/parquet-dataset.js';
import type { Expr } from '../../expr/expr.js';
import { BinaryNode } from '../../expr/nodes/binary-node.js';
import { schemaFromArrow } from '../../types/arrow-type.js';
import { compilePredicate } from '../expr-eval/selection.js';

/** A predicate over the dataset's files: true when the file's partition values pass every filter. */
export function partitionPredicate(dataset: ParquetDataset, filters: readonly Expr[]): (file: ParquetDatasetFile) => boolean {
  if (filters.length === 0) return () => true;
  const arrowSchema = new ArrowSchema([...dataset.partitionColumns]);
  const predicate = compilePredicate(
    filters.reduce((acc, f) => BinaryNode.create('AND', acc, f)),
    schemaFromArrow(arrowSchema),
  );
  const decided = new Map<string, boolean>();
  return (file) => {
    const key = JSON.stringify(file.partitionValues, (_k, v: unknown) => (typeof v === 'bigint' ? `${v}n` : v));
    const known = decided.get(key);
    if (known !== undefined) return known;
    const children = dataset.partitionColumns.map((f, i) => constantVector(f.type, file.partitionValues[i] ?? null, 1).data[0]!);
    const batch = new RecordBatch(arrowSchema, makeData({ type: new Struct(arrowSchema.fields), length: 1, nullCount: 0, children }));
    const keep = predicate.select(batch).length === 1;
    decided.set(key, keep);
    return keep;
  };
}
