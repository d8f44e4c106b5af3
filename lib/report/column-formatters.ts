// The per-column formatters of a schema, built once per report so unsupported types fail before output.
import type { Schema } from 'apache-arrow';
import { PaylakeError } from '../errors/paylake-error.js';
import { formatterFor, type ValueFormatter } from './value-formatter.js';

/** One output column: its name and formatter. */
export interface ReportColumn {
  readonly name: string;
  readonly formatter: ValueFormatter;
}

/**
 * The report columns of `schema`, in order. With `uniqueNames` (JSON object output), two columns
 * with the same name fail with PaylakeError('USAGE') instead of one silently overwriting the other.
 */
export function reportColumns(schema: Schema, uniqueNames = false): ReportColumn[] {
  const seen = new Set<string>();
  return schema.fields.map((field) => {
    if (uniqueNames) {
      if (seen.has(field.name)) {
        throw new PaylakeError('USAGE', `column "${field.name}" appears twice; JSON output needs unique column names, rename one (e.g. with an alias)`);
      }
      seen.add(field.name);
    }
    return { name: field.name, formatter: formatterFor(field.type, field.name) };
  });
}
