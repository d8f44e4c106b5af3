// Assigns rows to exchange partitions by a hash of their key values. The hash is the group table's per-type
// hash (so equal keys of one type hash equally on both sides of a join, strings whether dictionary-encoded
// or not, -0.0 as 0.0) started from a different seed: partition p then holds rows whose group-table hashes
// are still spread over every slot, not only those ≡ p (mod P).
import type { RecordBatch } from 'apache-arrow';
import type { Expr } from '../../expr/expr.js';
import { createKeyStore, fmix32, rowSource } from '../../physical/aggregate/group-key-store.js';
import type { GroupKeyStore } from '../../physical/aggregate/group-key-store.js';
import { compileExpr } from '../../physical/expr-eval/compile-expr.js';
import type { CompiledExpr } from '../../physical/expr-eval/compile-expr.js';
import { BatchInput } from '../../physical/expr-eval/eval-node.js';
import type { Schema } from '../../types/schema.js';

/** Seed of the exchange hash (any constant other than the group table's). */
export const EXCHANGE_SEED = 0x1b873593;

/** Seed for splitting one exchange partition again when it spills (independent of the exchange's hash). */
export const SPILL_SEED = 0x68e31da4;

/** Maps each row of a batch to a partition in [0, partitions). */
export type RowPartitioner = (batch: RecordBatch) => Int32Array;

/**
 * A partitioner by the hash of `keys` (analysed against `schema`, the batches' schema or a prefix of it).
 * @example const partitionOf = hashPartitioner([ColumnNode.create('card_token')], schema, 64); partitionOf(batch)
 */
export function hashPartitioner(keys: readonly Expr[], schema: Schema, partitions: number, seed: number = EXCHANGE_SEED): RowPartitioner {
  const compiled: CompiledExpr[] = keys.map((k) => compileExpr(k, schema));
  const stores: GroupKeyStore[] = compiled.map((c) => createKeyStore(c.type));
  return (batch) => {
    const n = batch.numRows;
    const out = new Int32Array(n);
    if (partitions === 1) return out;
    const hashes = new Int32Array(n).fill(seed);
    const input = new BatchInput(batch, schema);
    compiled.forEach((c, k) => stores[k]!.hashRows(rowSource(c.evaluateColumn(input, null)), hashes, n));
    for (let i = 0; i < n; i++) out[i] = (fmix32(hashes[i]!) >>> 0) % partitions;
    return out;
  };
}
