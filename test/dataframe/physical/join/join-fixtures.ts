// Test helper for the hash join kernel: small tables from JS values, a join run over them with either
// side hashed, and the output read back as rows of JS values (int64 as bigint, decimals as strings).
import { Field, makeData, RecordBatch, Schema as ArrowSchema, Struct } from 'apache-arrow';
import { analyzeExpr } from '../../../../lib/dataframe/expr/analyze-expr.js';
import { parseExpression } from '../../../../lib/dataframe/expr/parser/parse-expression.js';
import { HashJoiner } from '../../../../lib/dataframe/physical/join/hash-joiner.js';
import type { HashJoinerOptions } from '../../../../lib/dataframe/physical/join/hash-joiner.js';
import type { JoinType } from '../../../../lib/dataframe/physical/join/join-type.js';
import { joinOutputSchema } from '../../../../lib/dataframe/plan/join-schema.js';
import { toArrowType } from '../../../../lib/dataframe/types/arrow-type.js';
import type { DataType } from '../../../../lib/dataframe/types/data-type.js';
import { schemaOf } from '../../../../lib/dataframe/types/schema.js';
import type { Schema } from '../../../../lib/dataframe/types/schema.js';
import { rowsOf, vectorOf } from '../aggregate/aggregate-fixtures.js';
import type { Cell } from '../aggregate/aggregate-fixtures.js';

export type { Cell };

/** A table: its schema and its rows cut into batches. */
export interface TestTable {
  readonly schema: Schema;
  readonly batches: readonly RecordBatch[];
}

/** A record batch of `schema` holding `rows` (decimals given as unscaled bigints). */
export function batchOf(schema: Schema, rows: readonly Cell[][]): RecordBatch {
  const children = schema.fields.map((f, k) => vectorOf(f.type, rows.map((r) => r[k]!)).data[0]!);
  const fields = schema.fields.map((f) => new Field(f.name, toArrowType(f.type), true));
  return new RecordBatch(new ArrowSchema(fields), makeData({ type: new Struct(fields), length: rows.length, nullCount: 0, children }));
}

/** A table of the named, typed columns, its rows cut into batches of `batchRows` (one batch by default). */
export function tableOf(columns: readonly (readonly [string, DataType])[], rows: readonly Cell[][], batchRows = Math.max(1, rows.length)): TestTable {
  const schema = schemaOf(columns.map(([name, type]) => ({ name, type, nullable: true })));
  const batches: RecordBatch[] = [];
  for (let s = 0; s < rows.length; s += batchRows) batches.push(batchOf(schema, rows.slice(s, s + batchRows)));
  return { schema, batches };
}

/** How to run a join in a test. */
export interface JoinCase {
  readonly type: JoinType;
  readonly buildSide: 'left' | 'right';
  readonly left: TestTable;
  readonly right: TestTable;
  /** Key expressions as text, over the left and right table. */
  readonly leftKeys: readonly string[];
  readonly rightKeys: readonly string[];
  /** Condition text over left ++ right, or none. */
  readonly condition?: string;
  readonly options?: HashJoinerOptions;
}

/** A join's output: rows in output order, each output batch's size, and the joiner (for estimatedBytes). */
export interface JoinResult {
  readonly rows: Cell[][];
  readonly batchSizes: number[];
  /** Rows emitted by `finish` (the tail of `rows`). */
  readonly finishRows: number;
  readonly joiner: HashJoiner;
}

/** Builds, probes and finishes a join as an operator would. */
export function runJoin(c: JoinCase): JoinResult {
  const joined = schemaOf([...c.left.schema.fields, ...c.right.schema.fields]);
  const joiner = new HashJoiner(
    {
      type: c.type,
      left: c.left.schema,
      right: c.right.schema,
      leftKeys: c.leftKeys.map((k) => analyzeExpr(parseExpression(k), c.left.schema).expr),
      rightKeys: c.rightKeys.map((k) => analyzeExpr(parseExpression(k), c.right.schema).expr),
      condition: c.condition === undefined ? null : analyzeExpr(parseExpression(c.condition), joined).expr,
      buildSide: c.buildSide,
      output: joinOutputSchema(c.type, c.left.schema, c.right.schema),
    },
    c.options,
  );
  const [build, probe] = c.buildSide === 'left' ? [c.left, c.right] : [c.right, c.left];
  for (const b of build.batches) joiner.addBuild(b);
  const out = probe.batches.flatMap((b) => joiner.probe(b));
  const tail = joiner.finish();
  const all = [...out, ...tail];
  return {
    rows: all.flatMap(rowsOf),
    batchSizes: all.map((b) => b.numRows),
    finishRows: tail.reduce((a, b) => a + b.numRows, 0),
    joiner,
  };
}

/** Rows in a canonical order (for comparing multisets). */
export function sorted(rows: readonly Cell[][]): Cell[][] {
  const key = (r: readonly Cell[]): string => JSON.stringify(r, (_k, v: unknown) => (typeof v === 'bigint' ? `${v}n` : v));
  return rows.map((r) => ({ r, k: key(r) })).sort((a, b) => (a.k < b.k ? -1 : a.k > b.k ? 1 : 0)).map((x) => x.r);
}
