// Reads the planned units of a file-based source — Parquet row groups, or whole CSV / JSON-lines files —
// applies the scan filters exactly and outputs the scan's columns. One task per unit; runs inside workers.
import type { PartitionValue } from '../../../io/dataset/hive-partitioning.js';
import type { Expr } from '../../expr/expr.js';
import type { TextSourceOptions } from '../../plan/nodes/scan-node.js';
import type { Schema } from '../../types/schema.js';
import type { ScanPruningReport, ScanTask } from '../scan/scan-planner.js';

/** A task plus what a worker needs to read it without rediscovering the dataset. */
export interface FileScanTask extends ScanTask {
  /** Partition values of the task's file, in the order of `partitionColumns`. */
  readonly partitionValues: readonly PartitionValue[];
}

/** Physical scan of files. */
export interface FileScanExec {
  readonly kind: 'file-scan';
  readonly format: 'parquet' | 'csv' | 'jsonl';
  readonly paths: readonly string[];
  /** Column types and rejects routing of a CSV or JSON-lines source; null for Parquet. */
  readonly text: TextSourceOptions | null;
  /** Columns the scan outputs (the logical scan's columns). */
  readonly columns: readonly string[];
  /** Columns read: the output columns plus those only the filters need. */
  readonly readColumns: readonly string[];
  /** Partition columns of the dataset, which come from the task, not the file. */
  readonly partitionColumns: readonly string[];
  /** Schema of `readColumns`, against which `filters` were analysed. */
  readonly readSchema: Schema;
  readonly filters: readonly Expr[];
  readonly tasks: readonly FileScanTask[];
  readonly pruning: ScanPruningReport;
  readonly schema: Schema;
}
