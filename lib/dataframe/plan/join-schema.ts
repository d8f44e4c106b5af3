// The output columns of a join: the left input's, then the right input's, with the side that may be
// NULL-extended made nullable (right for LEFT, left for RIGHT, both for FULL); LEFT SEMI and LEFT ANTI
// output the left input's columns only.
import type { JoinType } from '../physical/join/join-type.js';
import type { Field, Schema } from '../types/schema.js';
import { schemaOf } from '../types/schema.js';

/** The schema a join of `type` outputs. */
export function joinOutputSchema(type: JoinType, left: Schema, right: Schema): Schema {
  if (type === 'left_semi' || type === 'left_anti') return left;
  const nullable = (f: Field): Field => ({ ...f, nullable: true });
  const l = type === 'right' || type === 'full' ? left.fields.map(nullable) : left.fields;
  const r = type === 'left' || type === 'full' ? right.fields.map(nullable) : right.fields;
  return schemaOf([...l, ...r]);
}
