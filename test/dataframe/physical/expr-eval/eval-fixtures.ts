// Test helper: record batches from plain JS values per logical type, expression evaluation from text,
// and results read back as JS values (int64/decimal unscaled/timestamp as bigint, dates as day numbers).
import { makeData, RecordBatch, Struct, Field as ArrowField, Schema as ArrowSchema } from 'apache-arrow';
import type { Vector } from 'apache-arrow';
import { analyzeExpr } from '../../../../lib/dataframe/expr/analyze-expr.js';
import { parseExpression } from '../../../../lib/dataframe/expr/parser/parse-expression.js';
import { columnFromVector, columnToData } from '../../../../lib/dataframe/physical/expr-eval/arrow-column.js';
import { makeColumn, newBitmap, setBit, getBit } from '../../../../lib/dataframe/physical/expr-eval/column.js';
import type { Column } from '../../../../lib/dataframe/physical/expr-eval/column.js';
import { compileExpr } from '../../../../lib/dataframe/physical/expr-eval/compile-expr.js';
import { compilePredicate } from '../../../../lib/dataframe/physical/expr-eval/selection.js';
import { flattenDictionary } from '../../../../lib/dataframe/physical/expr-eval/take-column.js';
import { decimalAsBigInt, writeDecimalBigInt } from '../../../../lib/dataframe/physical/expr-eval/wide-integers.js';
import { toArrowType } from '../../../../lib/dataframe/types/arrow-type.js';
import type { DataType } from '../../../../lib/dataframe/types/data-type.js';
import { schemaOf } from '../../../../lib/dataframe/types/schema.js';
import type { Schema } from '../../../../lib/dataframe/types/schema.js';

/** A JS value of a cell. */
export type Cell = null | boolean | number | bigint | string;

/** A column of `type` from JS values. */
export function columnOf(type: DataType, values: readonly Cell[]): Column {
  const n = values.length;
  const validity = newBitmap(n);
  values.forEach((v, i) => v !== null && setBit(validity, i));
  switch (type.kind) {
    case 'null':
      return makeColumn(type, n, new Uint8Array(0), newBitmap(n));
    case 'boolean': {
      const bits = newBitmap(n);
      values.forEach((v, i) => v === true && setBit(bits, i));
      return makeColumn(type, n, bits, validity);
    }
    case 'int32':
    case 'date':
      return makeColumn(type, n, Int32Array.from(values, (v) => (v === null ? 0 : Number(v))), validity);
    case 'int64':
    case 'timestamp':
      return makeColumn(type, n, BigInt64Array.from(values, (v) => (v === null ? 0n : BigInt(v as bigint))), validity);
    case 'float64':
      return makeColumn(type, n, Float64Array.from(values, (v) => (v === null ? 0 : Number(v))), validity);
    case 'decimal': {
      const w = new Uint32Array(4 * n);
      values.forEach((v, i) => writeDecimalBigInt(w, i, v === null ? 0n : BigInt(v as bigint)));
      return makeColumn(type, n, w, validity);
    }
    case 'string':
    case 'binary': {
      const enc = new TextEncoder();
      const parts = values.map((v) => enc.encode(v === null ? '' : String(v)));
      const offsets = new Int32Array(n + 1);
      parts.forEach((p, i) => (offsets[i + 1] = offsets[i]! + p.length));
      const bytes = new Uint8Array(offsets[n]!);
      parts.forEach((p, i) => bytes.set(p, offsets[i]!));
      return makeColumn(type, n, bytes, validity, offsets);
    }
  }
}

/** JS values of a column. */
export function cellsOf(c: Column): Cell[] {
  const col = c.dictionary ? flattenDictionary(c) : c;
  const dec = new TextDecoder();
  const out: Cell[] = [];
  for (let i = 0; i < col.length; i++) {
    if (col.validity !== null && !getBit(col.validity, i)) {
      out.push(null);
      continue;
    }
    switch (col.type.kind) {
      case 'null': out.push(null); break;
      case 'boolean': out.push(getBit(col.values as Uint8Array, i) === 1); break;
      case 'int32':
      case 'date':
      case 'float64': out.push((col.values as Int32Array | Float64Array)[i]!); break;
      case 'int64':
      case 'timestamp': out.push((col.values as BigInt64Array)[i]!); break;
      case 'decimal': out.push(decimalAsBigInt(col.values as Uint32Array, i)); break;
      case 'string':
      case 'binary': out.push(dec.decode((col.values as Uint8Array).subarray(col.offsets![i]!, col.offsets![i + 1]!))); break;
    }
  }
  return out;
}

/** A record batch with one column per entry of `cols` ({ name: [type, values] }) and its engine schema. */
export function batchOf(cols: Record<string, readonly [DataType, readonly Cell[]]>): { batch: RecordBatch; schema: Schema } {
  const entries = Object.entries(cols);
  const schema = schemaOf(entries.map(([name, [type]]) => ({ name, type, nullable: true })));
  const children = entries.map(([, [type, values]]) => columnToData(columnOf(type, values)));
  const arrowSchema = new ArrowSchema(entries.map(([name, [type]]) => new ArrowField(name, toArrowType(type), true)));
  const length = entries[0]?.[1][1].length ?? 0;
  const struct = makeData({ type: new Struct(arrowSchema.fields), length, nullCount: 0, children });
  return { batch: new RecordBatch(arrowSchema, struct), schema };
}

/** Analyses, compiles and evaluates `text`; returns the result cells and the result type. */
export function evalText(text: string, fx: { batch: RecordBatch; schema: Schema }, selection?: Uint32Array): Cell[] {
  const analyzed = analyzeExpr(parseExpression(text), fx.schema);
  const compiled = compileExpr(analyzed.expr, fx.schema);
  const vector: Vector = compiled.evaluate(fx.batch, selection);
  return cellsOf(columnFromVector(vector, compiled.type, 'result'));
}

/** The type `text` evaluates to. */
export function typeOfText(text: string, fx: { schema: Schema }): DataType {
  return compileExpr(analyzeExpr(parseExpression(text), fx.schema).expr, fx.schema).type;
}

/** The rows a filter keeps. */
export function selectText(text: string, fx: { batch: RecordBatch; schema: Schema }, selection?: Uint32Array): number[] {
  const analyzed = analyzeExpr(parseExpression(text), fx.schema);
  return [...compilePredicate(analyzed.expr, fx.schema).select(fx.batch, selection)];
}
