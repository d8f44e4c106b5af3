// Turns a scan of a Parquet dataset into tasks of one row group each, after pruning: whole files whose
// partition values fail the partition filters are dropped before any is opened for data, then row groups
// whose statistics prove no row can pass the scan filters, then row groups whose column dictionaries lack
// every literal of an equality filter. Reports what was skipped, for explain.
import type { ParquetDataset, ParquetDatasetFile } from '../../../io/dataset/parquet-dataset.js';
import { fileSystemFor } from '../../../io/fs/resolve-file-system.js';
import { readColumnDictionary } from '../../../io/parquet/parquet-dictionary.js';
import type { ParquetDictionary } from '../../../io/parquet/parquet-dictionary.js';
import type { ParquetRowGroupMetadata } from '../../../io/parquet/parquet-metadata.js';
import type { Expr } from '../../expr/expr.js';
import { splitConjunction } from '../../expr/transform-expr.js';
import type { DataType } from '../../types/data-type.js';
import { fromArrowType } from '../../types/arrow-type.js';
import { dictionaryExcludes, equalityFilters } from './dictionary-pruning.js';
import type { EqualityFilter } from './dictionary-pruning.js';
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
  /** Row groups kept by statistics but skipped because a column's dictionary lacks an equality filter's literals. */
  readonly rowGroupsPrunedByDictionary: number;
  readonly bytes: number;
  readonly bytesSkipped: number;
}

/** The tasks of a scan and what pruning removed. */
export interface ScanPlan {
  readonly tasks: readonly ScanTask[];
  readonly report: ScanPruningReport;
}

/** Row groups whose dictionaries are read concurrently. */
const DICTIONARY_READS_AT_ONCE = 16;

/**
 * Plans the tasks of a scan. Reads the dictionary pages of row groups that statistics keep, for columns
 * under an equality filter (a few ranged reads each); the footers are already open.
 * @param keepFile whether a file's partition values pass the partition filters (evaluated by the caller)
 */
export async function planScanTasks(
  dataset: ParquetDataset,
  filters: readonly Expr[],
  keepFile: (file: ParquetDatasetFile) => boolean,
): Promise<ScanPlan> {
  const conjuncts = filters.flatMap(splitConjunction);
  const types = new Map<string, DataType>();
  for (const f of dataset.fileSchema.fields) {
    try {
      types.set(f.name, fromArrowType(f.type, f.name));
    } catch {
      // Columns the engine cannot compute on (nested) are never in filters; no statistics needed.
    }
  }
  const equalities = equalityFilters(conjuncts, types);
  const tasks: ScanTask[] = [];
  let filesPruned = 0;
  let rowGroups = 0;
  let rowGroupsPruned = 0;
  let rowGroupsPrunedByDictionary = 0;
  let bytes = 0;
  let bytesSkipped = 0;
  for (const [fileIndex, file] of dataset.files.entries()) {
    const meta = file.reader.metadata;
    const fileBytes = meta.rowGroups.reduce((s, rg) => s + rg.compressedSize, 0);
    rowGroups += meta.rowGroups.length;
    bytes += fileBytes;
    if (!keepFile(file)) {
      filesPruned++;
      bytesSkipped += fileBytes;
      continue;
    }
    const keptByStatistics = meta.rowGroups.map((rg) => {
      const stats = parquetStatsLookup(rg, types);
      return rg.numRows > 0 && !conjuncts.some((c) => cannotMatch(c, stats));
    });
    // A few row groups at a time: each read opens the file, and a file may have thousands of row groups.
    const refuted: boolean[] = [];
    for (let first = 0; first < meta.rowGroups.length; first += DICTIONARY_READS_AT_ONCE) {
      const batch = meta.rowGroups.slice(first, first + DICTIONARY_READS_AT_ONCE).map((rg, i) => {
        const rowGroup = first + i;
        return keptByStatistics[rowGroup] ? refutedByDictionary(file.uri, rg, rowGroup, equalities) : false;
      });
      refuted.push(...(await Promise.all(batch)));
    }
    meta.rowGroups.forEach((rg, rowGroup) => {
      if (!keptByStatistics[rowGroup] || refuted[rowGroup]) {
        if (keptByStatistics[rowGroup]) rowGroupsPrunedByDictionary++;
        else rowGroupsPruned++;
        bytesSkipped += rg.compressedSize;
        return;
      }
      tasks.push({ fileIndex, uri: file.uri, rowGroup, rows: rg.numRows, compressedBytes: rg.compressedSize });
    });
  }
  return {
    tasks,
    report: {
      files: dataset.files.length,
      filesPrunedByPartition: filesPruned,
      rowGroups,
      rowGroupsPrunedByStatistics: rowGroupsPruned,
      rowGroupsPrunedByDictionary,
      bytes,
      bytesSkipped,
    },
  };
}

/** Whether some equality filter's literals are all absent from its column's dictionary in this row group. */
async function refutedByDictionary(uri: string, rg: ParquetRowGroupMetadata, rowGroup: number, equalities: readonly EqualityFilter[]): Promise<boolean> {
  if (equalities.length === 0) return false;
  // Several filters on one column (`a = 1 AND a IN (1, 2)`) read its dictionary once.
  const dictionaries = new Map<string, Promise<ParquetDictionary | null>>();
  for (const eq of equalities) {
    // A top-level column named `a.b` and a struct leaf `a.b` share a path; such a column is not pruned.
    const [chunk, ...clash] = rg.columns.filter((c) => c.path === eq.column);
    if (chunk === undefined || clash.length > 0) continue;
    let dictionary = dictionaries.get(eq.column);
    if (dictionary === undefined) {
      dictionary = readColumnDictionary(fileSystemFor(uri), uri, chunk, rowGroup);
      dictionaries.set(eq.column, dictionary);
    }
    const d = await dictionary;
    if (d !== null && dictionaryExcludes(eq, d)) return true;
  }
  return false;
}
