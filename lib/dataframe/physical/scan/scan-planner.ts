// Turns a scan of a Parquet dataset into tasks of one row group each, after pruning: whole files whose
// partition values fail the partition filters are dropped before any is opened for data, then row groups
// whose statistics prove no row can pass the scan filters. Reports what was skipped, for explain.
import type { ParquetDataset, ParquetDatasetFile } from '../../../io/dataset/parquet-dataset.js';
import type { Expr } from '../../expr/expr.js';
import { splitConjunction } from '../../expr/transform-expr.js';
import type { DataType } from '../../types/data-type.js';
import { fromArrowType } from '../../types/arrow-type.js';
import { parquetStatsLookup } from './parquet-column-stats.js';
import { cannotMatch } from './statistics-pruning.js';

/** One unit of scan work: one row group of one file. */
export interface ScanTask {
  /** Index of the file in the dataset's (sorted) file list. */
  readonly fileIndex: number;
  readonly uri: string;
  readonly rowGroup: number;
  readonly rows: number;
  readonly compressedBytes: number;
}

/** What pruning removed, as explain prints it. */
export interface ScanPruningReport {
  readonly files: number;
  readonly filesPrunedByPartition: number;
  readonly rowGroups: number;
  readonly rowGroupsPrunedByStatistics: number;
  readonly bytes: number;
  readonly bytesSkipped: number;
}

/** The tasks of a scan and what pruning removed. */
export interface ScanPlan {
  readonly tasks: readonly ScanTask[];
  readonly report: ScanPruningReport;
}

/**
 * Plans the tasks of a scan.
 * @param keepFile whether a file's partition values pass the partition filters (evaluated by the caller)
 */
export function planScanTasks(
  dataset: ParquetDataset,
  filters: readonly Expr[],
  keepFile: (file: ParquetDatasetFile) => boolean,
): ScanPlan {
  const conjuncts = filters.flatMap(splitConjunction);
  const types = new Map<string, DataType>();
  for (const f of dataset.fileSchema.fields) {
    try {
      types.set(f.name, fromArrowType(f.type, f.name));
    } catch {
      // Columns the engine cannot compute on (nested) are never in filters; no statistics needed.
    }
  }
  const tasks: ScanTask[] = [];
  let filesPruned = 0;
  let rowGroups = 0;
  let rowGroupsPruned = 0;
  let bytes = 0;
  let bytesSkipped = 0;
  dataset.files.forEach((file, fileIndex) => {
    const meta = file.reader.metadata;
    const fileBytes = meta.rowGroups.reduce((s, rg) => s + rg.compressedSize, 0);
    rowGroups += meta.rowGroups.length;
    bytes += fileBytes;
    if (!keepFile(file)) {
      filesPruned++;
      bytesSkipped += fileBytes;
      return;
    }
    meta.rowGroups.forEach((rg, rowGroup) => {
      const stats = parquetStatsLookup(rg, types);
      if (rg.numRows === 0 || conjuncts.some((c) => cannotMatch(c, stats))) {
        rowGroupsPruned++;
        bytesSkipped += rg.compressedSize;
        return;
      }
      tasks.push({ fileIndex, uri: file.uri, rowGroup, rows: rg.numRows, compressedBytes: rg.compressedSize });
    });
  });
  return {
    tasks,
    report: {
      files: dataset.files.length,
      filesPrunedByPartition: filesPruned,
      rowGroups,
      rowGroupsPrunedByStatistics: rowGroupsPruned,
      bytes,
      bytesSkipped,
    },
  };
}
