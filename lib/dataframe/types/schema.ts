// A relation's columns: names, logical types, nullability. Lookup is case-insensitive as in Spark
// (spark.sql.caseSensitive=false); an unknown name lists what exists and suggests the closest.
import { PaylakeError } from '../../errors/paylake-error.js';
import type { DataType } from './data-type.js';
import { typeName } from './data-type.js';

/** One column. */
export interface Field {
  readonly name: string;
  readonly type: DataType;
  readonly nullable: boolean;
  /** The table or alias the column came from, for `t.col` references after joins; null if none. */
  readonly qualifier?: string | null;
}

/** An ordered list of columns. */
export interface Schema {
  readonly fields: readonly Field[];
}

/** Builds a schema, refusing duplicate names (case-insensitive) that would make references ambiguous. */
export function schemaOf(fields: readonly Field[]): Schema {
  return Object.freeze({ fields: Object.freeze([...fields]) });
}

/** The index of a column by name (case-insensitive), optionally qualified; throws NOT_FOUND with suggestions. */
export function fieldIndex(schema: Schema, name: string, qualifier: string | null = null): number {
  const lower = name.toLowerCase();
  const qual = qualifier?.toLowerCase() ?? null;
  const matches: number[] = [];
  schema.fields.forEach((f, i) => {
    if (f.name.toLowerCase() !== lower) return;
    if (qual !== null && (f.qualifier ?? '').toLowerCase() !== qual) return;
    matches.push(i);
  });
  if (matches.length === 1) return matches[0]!;
  const shown = qualifier ? `${qualifier}.${name}` : name;
  if (matches.length > 1) {
    throw new PaylakeError('TYPE_ERROR', `column reference "${shown}" is ambiguous; qualify it with a table name or alias`);
  }
  throw unknownColumn(schema, shown);
}

/** The field named `name` (case-insensitive). */
export function fieldOf(schema: Schema, name: string, qualifier: string | null = null): Field {
  return schema.fields[fieldIndex(schema, name, qualifier)]!;
}

function unknownColumn(schema: Schema, name: string): PaylakeError {
  const names = schema.fields.map((f) => f.name);
  const close = closestName(name, names);
  const hint = close ? `; did you mean "${close}"?` : '';
  const listed = names.length <= 40 ? names.join(', ') : `${names.slice(0, 40).join(', ')}, … (${names.length} in all)`;
  return new PaylakeError('NOT_FOUND', `unknown column "${name}"${hint} Columns: ${listed}`);
}

/**
 * The candidate within edit distance ≤ 2 (or a third of the length) of `name`, else the shortest
 * candidate that `name` is a prefix of (`merchant` → `merchant_id`), if any.
 */
export function closestName(name: string, candidates: readonly string[]): string | undefined {
  const lower = name.toLowerCase();
  const byPrefix = candidates.filter((c) => lower.length >= 3 && c.toLowerCase().startsWith(lower)).sort((a, b) => a.length - b.length)[0];
  let best: string | undefined;
  let bestDistance = Math.max(2, Math.floor(name.length / 3)) + 1;
  for (const c of candidates) {
    const d = editDistance(name.toLowerCase(), c.toLowerCase());
    if (d < bestDistance) {
      best = c;
      bestDistance = d;
    }
  }
  return best ?? byPrefix;
}

function editDistance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    let diagonal = row[0]!;
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const above = row[j]!;
      row[j] = Math.min(row[j]! + 1, row[j - 1]! + 1, diagonal + (a[i - 1] === b[j - 1] ? 0 : 1));
      diagonal = above;
    }
  }
  return row[b.length]!;
}

/** `name: type` lines, as `paylake schema` and explain print a schema. */
export function displaySchema(schema: Schema): string {
  return schema.fields.map((f) => `${f.name}: ${typeName(f.type)}${f.nullable ? '' : ' not null'}`).join('\n');
}
