// A reference to a column of the input by name, optionally qualified by a table name or alias.
// Names resolve case-insensitively, as in Spark with spark.sql.caseSensitive=false.

/** `col("amount_minor")`, `t.amount_minor` */
export interface ColumnNode {
  readonly kind: 'column';
  readonly name: string;
  /** The table or alias written before the name (`t` in `t.amount_minor`), else null. */
  readonly qualifier: string | null;
}

/** Companion of ColumnNode. */
export const ColumnNode = Object.freeze({
  create(name: string, qualifier: string | null = null): ColumnNode {
    return Object.freeze({ kind: 'column', name, qualifier });
  },
});
