// The streaming operators that run the same way in a worker (per task) and on the coordinator: filter,
// project and limit over record batches, and the hash-aggregation builder. Expressions are compiled once
// per operator, not per batch.
import { Field as ArrowField, RecordBatch, Schema as ArrowSchema, Struct, makeData } from 'apache-arrow';
import { PaylakeError } from '../../errors/paylake-error.js';
import type { Expr } from '../expr/expr.js';
import { compileExpr } from '../physical/expr-eval/compile-expr.js';
import type { CompiledExpr } from '../physical/expr-eval/compile-expr.js';
import { compilePredicate, takeRows } from '../physical/expr-eval/selection.js';
import { HashAggregator } from '../physical/aggregate/hash-aggregator.js';
import type { Schema } from '../types/schema.js';

/** Transforms batches; `null` output means the batch produced no rows. */
export type BatchOperator = (batch: RecordBatch) => RecordBatch | null;

/** Applies an operator to every batch, dropping empty results. */
export function mapBatches(batches: readonly RecordBatch[], op: BatchOperator): RecordBatch[] {
  const out: RecordBatch[] = [];
  for (const b of batches) {
    const r = op(b);
    if (r !== null && r.numRows > 0) out.push(r);
  }
  return out;
}

/** Keeps the rows where `condition` is TRUE. */
export function filterOperator(condition: Expr, input: Schema): BatchOperator {
  const predicate = compilePredicate(condition, input);
  return (batch) => {
    const selection = predicate.select(batch);
    if (selection.length === 0) return null;
    return selection.length === batch.numRows ? batch : takeRows(batch, selection);
  };
}

/** Computes the named output expressions; the output schema's names and nullability are `output`'s. */
export function projectOperator(exprs: readonly Expr[], input: Schema, output: Schema): BatchOperator {
  const compiled = exprs.map((e) => compileExpr(e.kind === 'alias' ? e.operand : e, input));
  return (batch) => {
    const vectors = compiled.map((c) => c.evaluate(batch));
    const fields = vectors.map((v, i) => new ArrowField(output.fields[i]!.name, v.type, output.fields[i]!.nullable || v.nullCount > 0));
    const schema = new ArrowSchema(fields);
    return new RecordBatch(schema, makeData({ type: new Struct(fields), length: batch.numRows, nullCount: 0, children: vectors.map((v) => v.data[0]!) }));
  };
}

/** Passes the first `count` rows across all batches it sees, then nothing. */
export function limitOperator(count: number): BatchOperator & { readonly done: () => boolean } {
  let remaining = count;
  const op = (batch: RecordBatch): RecordBatch | null => {
    if (remaining <= 0) return null;
    const take = Math.min(remaining, batch.numRows);
    remaining -= take;
    return take === batch.numRows ? batch : batch.slice(0, take);
  };
  return Object.assign(op, { done: () => remaining <= 0 });
}

/** An aggregator for named keys and named aggregate calls, with the compiled expressions that feed it. */
export interface AggregationBuilder {
  readonly aggregator: HashAggregator;
  /** Evaluates the keys and arguments of one input batch and adds them. */
  add(batch: RecordBatch): void;
}

/** Builds the hash aggregator of a HashAggregateExec's keys and aggregates over `input`. */
export function aggregationBuilder(keys: readonly Expr[], aggregates: readonly Expr[], input: Schema, output: Schema): AggregationBuilder {
  const keyExprs = keys.map((k) => compileExpr(k.kind === 'alias' ? k.operand : k, input));
  const calls = aggregates.map((a) => {
    const call = a.kind === 'alias' ? a.operand : a;
    if (call.kind !== 'aggregate-call') throw new PaylakeError('INTERNAL', `aggregate output ${a.kind} is not an aggregate call; please report this`);
    return call;
  });
  const args: (CompiledExpr | null)[] = calls.map((c) => (c.arg === null ? null : compileExpr(c.arg, input)));
  const aggregator = new HashAggregator(
    keyExprs.map((k, i) => ({ name: output.fields[i]!.name, type: k.type })),
    calls.map((c, i) => ({ fn: c.fn, inputType: args[i]?.type ?? null, distinct: c.distinct, name: output.fields[keys.length + i]!.name })),
  );
  return {
    aggregator,
    add(batch) {
      aggregator.addBatch(
        keyExprs.map((k) => k.evaluate(batch)),
        args.map((a) => (a === null ? null : a.evaluate(batch))),
        batch.numRows,
      );
    },
  };
}
