// The compiled form of one expression node and the per-batch input it reads, shared by compile-expr.ts
// and the kernels' wiring. A node evaluates over a selection of input rows and returns a dense column.
import type { RecordBatch } from 'apache-arrow';
import type { DataType } from '../../types/data-type.js';
import type { Schema } from '../../types/schema.js';
import { columnFromVector } from './arrow-column.js';
import type { Column } from './column.js';
import { takeColumn } from './take-column.js';

/** What a compiled node reads: input columns by index, restricted to a selection of rows. */
export interface EvalInput {
  /** Number of rows of the input. */
  readonly numRows: number;
  /** Column `index` restricted to `sel` (all rows when null). */
  column(index: number, sel: Uint32Array | null): Column;
}

/**
 * One input batch as evaluator columns, converted lazily on first use and cached per selection so a
 * column referenced twice under one selection is gathered once.
 */
export class BatchInput implements EvalInput {
  private readonly base = new Map<number, Column>();
  private readonly taken = new Map<Uint32Array, Map<number, Column>>();

  constructor(
    readonly batch: RecordBatch,
    private readonly schema: Schema,
  ) {}

  /** Number of rows in the batch. */
  get numRows(): number {
    return this.batch.numRows;
  }

  /** Column `index` restricted to `sel` (all rows when null). */
  column(index: number, sel: Uint32Array | null): Column {
    let c = this.base.get(index);
    if (c === undefined) {
      const field = this.schema.fields[index]!;
      const vector = this.batch.getChildAt(index);
      if (vector === null) throw new Error(`record batch has no column ${index} (${field.name})`);
      c = columnFromVector(vector, field.type, field.name);
      this.base.set(index, c);
    }
    if (sel === null) return c;
    let bySel = this.taken.get(sel);
    if (bySel === undefined) {
      bySel = new Map();
      this.taken.set(sel, bySel);
    }
    let t = bySel.get(index);
    if (t === undefined) {
      t = takeColumn(c, sel);
      bySel.set(index, t);
    }
    return t;
  }
}

/** A compiled expression node. */
export interface EvalNode {
  /** The node's result type. */
  readonly type: DataType;
  /**
   * True when the node is a literal: `evaluate` then returns a ONE-row column regardless of the
   * selection, and binary kernels read it with stride 0 instead of broadcasting it.
   */
  readonly constant: boolean;
  /** Input column indexes the node reads (for the dictionary fast path). */
  readonly columns: ReadonlySet<number>;
  /** The values for the rows `sel` of the input (all rows when null), as a dense column. */
  evaluate(input: EvalInput, sel: Uint32Array | null): Column;
}

/** The number of rows a node produces for a selection. */
export function rowsOf(input: EvalInput, sel: Uint32Array | null): number {
  return sel === null ? input.numRows : sel.length;
}

/** An input where one column index is replaced by `column` (the dictionary fast path evaluates on it). */
export class SingleColumnInput implements EvalInput {
  constructor(
    private readonly index: number,
    private readonly value: Column,
  ) {}

  get numRows(): number {
    return this.value.length;
  }

  column(index: number, sel: Uint32Array | null): Column {
    if (index !== this.index) throw new Error(`SingleColumnInput has no column ${index}`);
    return sel === null ? this.value : takeColumn(this.value, sel);
  }
}
