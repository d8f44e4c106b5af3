// What `paylake schema` reports about a path: format, files, row groups, rows, bytes, codecs, partition
// columns and every column with its Spark type. Parquet facts come from footers only (no data is decoded).
import { sparkTypeName } from '../../dataframe/types/spark-type-name.js';
import { openCsv } from '../csv/csv-reader.js';
import { fileSystemFor } from '../fs/resolve-file-system.js';
import { discoverParquetDataset } from './parquet-dataset.js';

/** One column of a summary. */
export interface ColumnSummary {
  readonly name: string;
  /** Spark SQL type name, e.g. `bigint`, `decimal(18,2)`, `array<string>`. */
  readonly type: string;
  readonly nullable: boolean;
  /** True for columns that come from `key=value` directories. */
  readonly partition: boolean;
}

/** The facts `paylake schema` prints. */
export interface DatasetSummary {
  readonly paths: readonly string[];
  readonly format: 'parquet' | 'csv';
  readonly files: number;
  readonly bytes: number;
  /** Rows from Parquet footers; null for CSV, whose rows are not counted without reading it. */
  readonly rows: number | null;
  readonly rowGroups: number | null;
  /** Distinct compression codecs of the column chunks, sorted. */
  readonly codecs: readonly string[];
  /** Distinct `created_by` values of Parquet footers, sorted. */
  readonly createdBy: readonly string[];
  readonly columns: readonly ColumnSummary[];
}

/** True when every path names a CSV file (by extension, `.csv` or `.csv.gz`). */
export function isCsvInput(paths: readonly string[]): boolean {
  return paths.length > 0 && paths.every((p) => /\.csv(\.gz)?$/i.test(p));
}

/** True when every path names a JSON-lines file (by extension, `.jsonl`, `.ndjson` or `.json`, optionally `.gz`). */
export function isJsonLinesInput(paths: readonly string[]): boolean {
  return paths.length > 0 && paths.every((p) => /\.(jsonl|ndjson|json)(\.gz)?$/i.test(p));
}

/**
 * Summarises a Parquet dataset (file, directory or glob) or CSV files.
 * @example const s = await summarizeDataset(['data/transactions']); s.rows
 */
export async function summarizeDataset(paths: readonly string[]): Promise<DatasetSummary> {
  if (isCsvInput(paths)) return summarizeCsv(paths);
  const ds = await discoverParquetDataset(paths);
  const partitionNames = new Set(ds.partitionColumns.map((f) => f.name));
  const codecs = new Set<string>();
  const createdBy = new Set<string>();
  let rows = 0;
  let rowGroups = 0;
  for (const f of ds.files) {
    const m = f.reader.metadata;
    rows += m.numRows;
    rowGroups += m.rowGroups.length;
    if (m.createdBy) createdBy.add(m.createdBy);
    for (const rg of m.rowGroups) for (const c of rg.columns) codecs.add(c.codec);
  }
  return {
    paths,
    format: 'parquet',
    files: ds.files.length,
    bytes: ds.files.reduce((s, f) => s + f.size, 0),
    rows,
    rowGroups,
    codecs: [...codecs].sort(),
    createdBy: [...createdBy].sort(),
    columns: ds.schema.fields.map((f) => ({ name: f.name, type: sparkTypeName(f.type), nullable: f.nullable, partition: partitionNames.has(f.name) })),
  };
}

async function summarizeCsv(paths: readonly string[]): Promise<DatasetSummary> {
  const readers = await Promise.all(paths.map((p) => openCsv(p)));
  const first = readers[0]!;
  let bytes = 0;
  for (const p of paths) bytes += (await fileSystemFor(p).stat(p)).size;
  return {
    paths,
    format: 'csv',
    files: paths.length,
    bytes,
    rows: null,
    rowGroups: null,
    codecs: [],
    createdBy: [],
    columns: first.schema.fields.map((f) => ({ name: f.name, type: sparkTypeName(f.type), nullable: f.nullable, partition: false })),
  };
}
