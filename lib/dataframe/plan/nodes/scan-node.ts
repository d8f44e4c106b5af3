// Reads a data source: a Parquet dataset (files, Hive partitions), CSV or JSON lines. The optimizer
// narrows `columns` and moves predicates into `filters` (row-group pruning) and `partitionFilters`
// (dt= directory pruning); the scan still applies `filters` exactly, statistics only skip work.
import type { CsvColumnType } from '../../../io/csv/csv-column-type.js';
import type { Expr } from '../../expr/expr.js';
import type { Schema } from '../../types/schema.js';

/** How a CSV or JSON-lines source is parsed and where its malformed records go. */
export interface TextSourceOptions {
  /** Column name → type, fixed when the source is read (declared, or inferred from the first file). */
  readonly columnTypes: Readonly<Record<string, CsvColumnType>>;
  /** File that receives every malformed record (file, line, reason, raw); without it, malformed records fail the run. */
  readonly rejects: string | null;
}

/** Where a scan reads from. Discovery (listing, schema merge) has already happened when this exists. */
export interface ScanSource {
  readonly format: 'parquet' | 'csv' | 'jsonl';
  /** Parsing options of a CSV or JSON-lines source; null for Parquet. */
  readonly text: TextSourceOptions | null;
  /** The paths, directories or globs as the user gave them (for display and re-discovery on workers). */
  readonly paths: readonly string[];
  /** Every column of the source, partition columns last. */
  readonly schema: Schema;
  /** Names of the columns that come from `key=value` directories. */
  readonly partitionColumns: readonly string[];
}

/** `read.parquet("data/transactions")` */
export interface ScanNode {
  readonly kind: 'scan';
  readonly source: ScanSource;
  /** Columns read, in output order (all of the source's unless pruned). */
  readonly columns: readonly string[];
  /** Predicates on file columns that also drive row-group skipping. */
  readonly filters: readonly Expr[];
  /** Predicates on partition columns only, evaluated once per directory before any file is opened. */
  readonly partitionFilters: readonly Expr[];
  readonly schema: Schema;
}

/** Companion of ScanNode. */
export const ScanNode = Object.freeze({
  create(source: ScanSource, columns?: readonly string[], filters: readonly Expr[] = [], partitionFilters: readonly Expr[] = []): ScanNode {
    const names = columns ?? source.schema.fields.map((f) => f.name);
    const fields = names.map((n) => {
      const f = source.schema.fields.find((x) => x.name === n);
      if (!f) throw new Error(`scan column ${n} is not in the source schema`);
      return f;
    });
    return Object.freeze({
      kind: 'scan',
      source,
      columns: Object.freeze([...names]),
      filters: Object.freeze([...filters]),
      partitionFilters: Object.freeze([...partitionFilters]),
      schema: Object.freeze({ fields: Object.freeze(fields) }),
    });
  },
});
