// What every report renderer consumes: a schema plus record batches that may arrive over time.
import { Table, type RecordBatch, type Schema } from 'apache-arrow';

/** A schema and its batches; batches may be async so a renderer can stream a large result. */
export interface ReportInput {
  readonly schema: Schema;
  readonly batches: Iterable<RecordBatch> | AsyncIterable<RecordBatch>;
}

/** Accepts a Table or a ReportInput and returns a ReportInput. */
export function toReportInput(source: Table | ReportInput): ReportInput {
  return source instanceof Table ? { schema: source.schema, batches: source.batches } : source;
}
