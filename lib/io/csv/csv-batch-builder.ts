// Accumulates converted rows (one value or NULL per column) into Arrow record batches of a fixed schema,
// one CsvColumnBuilder per column. The CSV and JSON-lines readers share it.
import { RecordBatch, Struct, makeData } from 'apache-arrow';
import type { Schema } from 'apache-arrow';
import { CsvColumnBuilder } from './csv-column-builder.js';
import type { CsvColumnSpec } from './csv-column-type.js';
import type { CsvValue } from './csv-value-parser.js';

/**
 * Rows in, record batches out.
 * @example const b = new CsvBatchBuilder(schema, specs); b.append(['m1', 100n]); if (b.rows >= 65536) yield b.finish();
 */
export class CsvBatchBuilder {
  private readonly columns: CsvColumnBuilder[];
  private count = 0;

  /** `specs[i]` is the type of `schema.fields[i]`. */
  constructor(
    private readonly schema: Schema,
    specs: readonly CsvColumnSpec[],
  ) {
    this.columns = specs.map((spec) => new CsvColumnBuilder(spec));
  }

  /** Rows appended since the last `finish`. */
  get rows(): number {
    return this.count;
  }

  /** Appends one row: a value (of the type its column's parser returns) or NULL per column. */
  append(values: readonly (CsvValue | null)[]): void {
    values.forEach((v, c) => this.columns[c]!.append(v));
    this.count++;
  }

  /** The rows appended since the last `finish` as one batch; the builder starts empty again. */
  finish(): RecordBatch {
    const children = this.columns.map((b) => b.finish());
    const batch = new RecordBatch(this.schema, makeData({ type: new Struct(this.schema.fields), length: this.count, nullCount: 0, children }));
    this.count = 0;
    return batch;
  }
}
