// Merges the schemas of a dataset's files: added columns become nullable, a type disagreement is an error.
import { Field, Schema, util } from 'apache-arrow';
import { PaylakeError } from '../../errors/paylake-error.js';

/** One file's schema, with its location for error messages. */
export interface FileSchema {
  readonly uri: string;
  readonly schema: Schema;
}

/**
 * The union of all files' columns: first file's order, then new columns in order of appearance (as Spark's
 * mergeSchema). A column absent from some file is nullable. Throws SCHEMA_CONFLICT naming both files and the column.
 */
export function mergeFileSchemas(files: readonly FileSchema[]): Schema {
  const merged = new Map<string, { field: Field; uri: string; seen: number }>();
  files.forEach(({ uri, schema }) => {
    for (const f of schema.fields) {
      const prev = merged.get(f.name);
      if (prev === undefined) {
        merged.set(f.name, { field: f, uri, seen: 1 });
        continue;
      }
      if (!util.compareTypes(prev.field.type, f.type)) {
        throw new PaylakeError(
          'SCHEMA_CONFLICT',
          `column "${f.name}" is ${String(prev.field.type)} in ${prev.uri} but ${String(f.type)} in ${uri}; rewrite one of the files or read them separately`,
        );
      }
      prev.seen += 1;
      if (f.nullable && !prev.field.nullable) prev.field = prev.field.clone({ nullable: true });
    }
  });
  const fields = [...merged.values()].map(({ field, seen }) => (seen < files.length && !field.nullable ? field.clone({ nullable: true }) : field));
  return new Schema(fields);
}
