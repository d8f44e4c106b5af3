// Test helper: DuckDB as the independent oracle for Parquet files, returning canonical values per column
// (the same forms as arrow-normalize.ts produces from our reader).
import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';
import type { Canonical } from './arrow-normalize.js';

let conn: Promise<DuckDBConnection> | null = null;

/** A shared in-memory DuckDB connection. */
export function duckdb(): Promise<DuckDBConnection> {
  conn ??= DuckDBInstance.create(':memory:').then((db) => db.connect());
  return conn;
}

function sqlString(s: string): string {
  return `'${s.replaceAll("'", "''")}'`;
}

function ident(s: string): string {
  return `"${s.replaceAll('"', '""')}"`;
}

/** The SQL that turns a column of DuckDB type `type` into the canonical form. */
function canonicalExpr(name: string, type: string): string {
  const c = ident(name);
  if (/^(TIMESTAMP|TIMESTAMP_S|TIMESTAMP_MS|TIMESTAMP_NS|TIMESTAMP WITH TIME ZONE)$/.test(type)) return `epoch_ns(${c})::VARCHAR`;
  if (type === 'DATE') return `(${c} - DATE '1970-01-01')::VARCHAR`;
  if (type === 'TIME') return `(epoch_us(TIMESTAMP '1970-01-01' + ${c}) * 1000)::VARCHAR`;
  if (type.startsWith('GEOMETRY')) return `lower(hex(ST_AsWKB(${c})))`;
  if (type === 'BLOB') return `lower(hex(${c}))`;
  if (type === 'UUID') return `replace(${c}::VARCHAR, '-', '')`;
  if (type === 'FLOAT' || type === 'DOUBLE') return `${c}::DOUBLE`;
  if (/[[\]]|^(STRUCT|MAP|UNION)/.test(type) && !type.startsWith('GEOMETRY')) return `to_json(${c})::VARCHAR`;
  return `${c}::VARCHAR`;
}

/** DuckDB's reading of a file: columns with their DuckDB types and canonical values, or why it could not read it. */
export type OracleResult =
  | { readonly ok: true; readonly numRows: number; readonly columns: ReadonlyMap<string, { type: string; values: Canonical[] }> }
  | { readonly ok: false; readonly error: string };

/** Reads every column of a Parquet file with DuckDB. */
export async function readWithDuckDB(path: string): Promise<OracleResult> {
  const c = await duckdb();
  const src = `read_parquet(${sqlString(path)})`;
  try {
    const desc = (await c.runAndReadAll(`DESCRIBE SELECT * FROM ${src}`)).getRowObjectsJson() as { column_name: string; column_type: string }[];
    const exprs = desc.map((d) => `${canonicalExpr(d.column_name, d.column_type)} AS ${ident(d.column_name)}`);
    const reader = await c.runAndReadAll(`SELECT ${exprs.length > 0 ? exprs.join(', ') : 'NULL'} FROM ${src}`);
    const cols = new Map<string, { type: string; values: Canonical[] }>();
    const rows = reader.getRows();
    desc.forEach((d, k) => {
      const values = rows.map((r) => {
        const v = r[k];
        if (v === null || v === undefined) return null;
        if (typeof v === 'number' || typeof v === 'string') return v;
        return String(v);
      });
      if (!d.column_type.startsWith('GEOMETRY') && (d.column_type.includes('[') || /^(STRUCT|MAP)/.test(d.column_type))) {
        // Re-serialise DuckDB's JSON so key order and spacing match JSON.stringify.
        cols.set(d.column_name, { type: d.column_type, values: values.map((v) => (v === null ? null : JSON.stringify(JSON.parse(String(v))))) });
      } else cols.set(d.column_name, { type: d.column_type, values });
    });
    return { ok: true, numRows: rows.length, columns: cols };
  } catch (e) {
    return { ok: false, error: e instanceof Error ? e.message : String(e) };
  }
}
