// Reads the planned row groups of a Parquet dataset, applies the scan filters exactly and outputs the
// scan's columns. One task per row group; runs inside workers.
import type { Expr } from '../../expr/expr.js';
import type { Schema } from '../../types/schema.js';
import type { ScanPruningReport, ScanTask } from '../scan/scan-planner.js';
import type { PartitionValue } from '../../../io/dataset/hive-partitioning.js';

/** A task plus what a worker needs to read it without rediscovering the dataset. */
export interface ParquetScanTask extends ScanTask {
  /** Partition values of the task's file, in the order of `partitionColumns`. */
  readonly partitionValues: readonly PartitionValue[];
}

/** Physical scan of a Parquet dataset. */
export interface ParquetScanExec {
  readonly kind: 'parquet-scan';
  readonly paths: readonly string[];
  /** Columns the scan outputs (the logical scan's columns). */
  readonly columns: readonly string[];
  /** Columns read: the output columns plus those only the filters need. */
  readonly readColumns: readonly string[];
  /** Partition columns of the dataset, which come from the task, not the file. */
  readonly partitionColumns: readonly string[];
  /** Schema of `readColumns`, against which `filters` were analysed. */
  readonly readSchema: Schema;
  readonly filters: readonly Expr[];
  readonly tasks: readonly ParquetScanTask[];
  readonly pruning: ScanPruningReport;
  readonly schema: Schema;
}
