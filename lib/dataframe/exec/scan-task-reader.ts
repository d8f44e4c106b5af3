// Reads one scan task (one row group of one file) as batches of the scan's read schema, inside a worker:
// file columns from the row group, partition columns as constants from the task, columns that an older
// file lacks (schema evolution by added nullable columns) as NULL, every column in its engine Arrow type.
// Open files are cached per worker; decoding runs in the worker's own thread (parquet-in-thread-decoder.ts).
import { Field as ArrowField, RecordBatch, Schema as ArrowSchema, Struct, makeData, vectorFromArray } from 'apache-arrow';
import type { Data, DataType as ArrowDataType } from 'apache-arrow';
import { constantVector } from '../../io/dataset/parquet-dataset.js';
import type { PartitionValue } from '../../io/dataset/hive-partitioning.js';
import { isPaylakeError } from '../../errors/paylake-error.js';
import type { PaylakeError } from '../../errors/paylake-error.js';
import { fileSystemFor } from '../../io/fs/resolve-file-system.js';
import { inThreadDecoder } from '../../io/parquet/parquet-in-thread-decoder.js';
import { openParquet } from '../../io/parquet/parquet-reader.js';
import type { ParquetReader } from '../../io/parquet/parquet-reader.js';
import { toArrowType } from '../types/arrow-type.js';
import type { DataType } from '../types/data-type.js';
import { columnFromData, columnToData } from '../physical/expr-eval/arrow-column.js';
import type { Schema } from '../types/schema.js';

/** What a worker needs to read a scan task. */
export interface ScanTaskSpec {
  readonly uri: string;
  readonly rowGroup: number;
  /** Columns to produce, with engine types (the scan's read schema). */
  readonly readSchema: Schema;
  /** Names of the dataset's partition columns, in the order of `partitionValues`. */
  readonly partitionColumns: readonly string[];
  readonly partitionValues: readonly PartitionValue[];
}

const readers = new Map<string, Promise<ParquetReader>>();
const MAX_OPEN_READERS = 64;

function readerFor(uri: string): Promise<ParquetReader> {
  let r = readers.get(uri);
  if (r === undefined) {
    if (readers.size >= MAX_OPEN_READERS) readers.delete(readers.keys().next().value as string);
    r = openParquet(fileSystemFor(uri), uri, { decoder: inThreadDecoder });
    r.catch(() => readers.delete(uri));
    readers.set(uri, r);
  }
  return r;
}

/**
 * A column in the engine's Arrow type: narrow integers, dictionaries, other timestamp units and large
 * strings from the file are widened here, once, so every operator above sees one type per column.
 */
function engineData(data: Data, type: DataType, name: string, arrowType: ArrowDataType): Data {
  if (String(data.type) === String(arrowType)) return data;
  return columnToData(columnFromData(data, type, name));
}

/**
 * The task's rows as batches whose columns are exactly `readSchema` (engine Arrow types), in order.
 * @example for (const b of await readScanTask(spec)) process(b)
 */
export async function readScanTask(spec: ScanTaskSpec): Promise<RecordBatch[]> {
  const reader = await readerFor(spec.uri);
  const inFile = new Set(reader.schema.fields.map((f) => f.name));
  const partitionIndex = new Map(spec.partitionColumns.map((n, i) => [n, i]));
  const batches = await reader.readRowGroup(spec.rowGroup, { columns: fileColumnsOf(reader, spec) });
  const arrowFields: ArrowField[] = [];
  const out: RecordBatch[] = [];
  for (const b of batches) {
    const children = spec.readSchema.fields.map((f) => {
      const p = partitionIndex.get(f.name);
      const arrowType = toArrowType(f.type);
      if (p !== undefined) return constantVector(arrowType, spec.partitionValues[p] ?? null, b.numRows).data[0]!;
      const col = inFile.has(f.name) ? b.getChild(f.name) : null;
      if (col === null) return vectorFromArray(new Array<null>(b.numRows).fill(null), arrowType).data[0]!;
      return engineData(col.data[0]!, f.type, f.name, arrowType);
    });
    if (arrowFields.length === 0) {
      children.forEach((d, i) => arrowFields.push(new ArrowField(spec.readSchema.fields[i]!.name, d.type, spec.readSchema.fields[i]!.nullable)));
    }
    const schema = new ArrowSchema(arrowFields);
    out.push(new RecordBatch(schema, makeData({ type: new Struct(schema.fields), length: b.numRows, nullCount: 0, children })));
  }
  return out;
}

/** The columns of the task's read schema that the file holds (partition columns come from the path). */
function fileColumnsOf(reader: ParquetReader, spec: ScanTaskSpec): string[] {
  const inFile = new Set(reader.schema.fields.map((f) => f.name));
  return spec.readSchema.fields.map((f) => f.name).filter((n) => inFile.has(n) && !spec.partitionColumns.includes(n));
}

/**
 * Why a scan task keeps killing its worker, when the cause is in the file: decodes the task's row group
 * again in the caller's disposable decode thread, where a wasm panic becomes PARQUET_CORRUPT naming the
 * file and row group instead of killing the caller. Undefined when it decodes there (the death had another
 * cause, such as memory). For the coordinator, after the scheduler's last attempt.
 */
export async function scanTaskDecodeError(spec: ScanTaskSpec): Promise<PaylakeError | undefined> {
  try {
    const reader = await openParquet(fileSystemFor(spec.uri), spec.uri);
    await reader.readRowGroup(spec.rowGroup, { columns: fileColumnsOf(reader, spec) });
    return undefined;
  } catch (e) {
    return isPaylakeError(e) ? e : undefined;
  }
}
