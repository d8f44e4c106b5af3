// Reads the first rows of a dataset for `paylake head`: Parquet row groups in file order (every column,
// nested ones included) or CSV records, stopping as soon as enough rows are in hand.
import { Schema } from 'apache-arrow';
import type { RecordBatch } from 'apache-arrow';
import { openCsv } from '../csv/csv-reader.js';
import { isCsvInput } from './dataset-summary.js';
import { discoverParquetDataset, readDatasetRowGroup } from './parquet-dataset.js';

/** The first rows of a dataset and how many rows it has in all (null when unknown without a full read). */
export interface DatasetHead {
  readonly schema: Schema;
  readonly batches: readonly RecordBatch[];
  readonly totalRows: number | null;
}

/**
 * The first `n` rows (fewer if the dataset is smaller).
 * @example const { batches } = await readHead(['data/transactions'], 20)
 */
export async function readHead(paths: readonly string[], n: number): Promise<DatasetHead> {
  if (isCsvInput(paths)) return readCsvHead(paths, n);
  const ds = await discoverParquetDataset(paths);
  const totalRows = ds.files.reduce((s, f) => s + f.reader.metadata.numRows, 0);
  const batches: RecordBatch[] = [];
  let have = 0;
  outer: for (const file of ds.files) {
    for (let rg = 0; rg < file.reader.metadata.rowGroups.length; rg++) {
      if (have >= n) break outer;
      // Ask for no more rows than needed: the decoder batches at this size, so the first batch suffices.
      for (const b of await readDatasetRowGroup(ds, file, rg, undefined, { batchSize: Math.max(1, Math.min(n, 65_536)) })) {
        if (have >= n) break;
        const take = Math.min(b.numRows, n - have);
        batches.push(take === b.numRows ? b : b.slice(0, take));
        have += take;
      }
    }
  }
  return { schema: ds.schema, batches, totalRows };
}

async function readCsvHead(paths: readonly string[], n: number): Promise<DatasetHead> {
  const reader = await openCsv(paths[0]!);
  const batches: RecordBatch[] = [];
  let have = 0;
  for await (const b of reader.batches()) {
    const take = Math.min(b.numRows, n - have);
    batches.push(take === b.numRows ? b : b.slice(0, take));
    have += take;
    if (have >= n) break;
  }
  return { schema: reader.schema, batches, totalRows: null };
}
