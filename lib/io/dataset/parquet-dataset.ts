// A Parquet dataset: files found from paths, directories or globs, Hive partition columns, one merged schema,
// and the row-group reader the engine's scan uses (batches conforming to the merged schema).
import * as path from 'node:path';
import { DateDay, Field, Int32, Int64, RecordBatch, Schema, Struct, makeData, makeVector, vectorFromArray } from 'apache-arrow';
import type { DataType, Vector } from 'apache-arrow';
import { PaylakeError } from '../../errors/paylake-error.js';
import { fileSystemFor } from '../fs/resolve-file-system.js';
import { openParquet } from '../parquet/parquet-reader.js';
import type { ParquetReader } from '../parquet/parquet-reader.js';
import { inferPartitionType, parsePartitionSegments, partitionField, typedPartitionValue } from './hive-partitioning.js';
import type { PartitionValue } from './hive-partitioning.js';
import { listInputFiles } from './input-files.js';
import type { InputFile } from './input-files.js';
import { mergeFileSchemas } from './schema-merge.js';

/** One file of a dataset. */
export interface ParquetDatasetFile {
  readonly uri: string;
  readonly size: number;
  /** Typed values of the dataset's partition columns, in {@link ParquetDataset.partitionColumns} order. */
  readonly partitionValues: readonly PartitionValue[];
  /** The open file: footer (row groups, statistics) and its own schema. */
  readonly reader: ParquetReader;
}

/** The files of a dataset and the schema a scan of it produces. */
export interface ParquetDataset {
  readonly files: readonly ParquetDatasetFile[];
  /** Partition columns (from `key=value` directories), typed as Spark infers them. */
  readonly partitionColumns: readonly Field[];
  /** The files' merged schema, without partition columns. */
  readonly fileSchema: Schema;
  /** The full schema: merged file columns, then partition columns (as Spark orders them). */
  readonly schema: Schema;
}

/**
 * Finds the Parquet files of a dataset and derives its schema. Each path may be a file, a directory
 * (recursive; `_`/`.` names such as `_SUCCESS` skipped) or a glob. `key=value` directories below a
 * directory or a glob's fixed prefix become partition columns (`__HIVE_DEFAULT_PARTITION__` is NULL).
 * Throws NOT_FOUND (missing path, nothing matched), SCHEMA_CONFLICT (column types or partition keys disagree),
 * PARQUET_CORRUPT / PARQUET_UNSUPPORTED (a footer that cannot be read).
 * @example const ds = await discoverParquetDataset(['data/transactions/dt=2026-11-0*\/*.parquet'])
 */
export async function discoverParquetDataset(paths: readonly string[]): Promise<ParquetDataset> {
  if (paths.length === 0) throw new PaylakeError('USAGE', 'no input paths given; pass a Parquet file, directory or glob');
  const seen = new Set<string>();
  const found: InputFile[] = [];
  for (const p of paths) {
    for (const f of await listInputFiles(p)) {
      if (seen.has(f.status.uri)) continue;
      seen.add(f.status.uri);
      found.push(f);
    }
  }
  found.sort((a, b) => (a.status.uri < b.status.uri ? -1 : a.status.uri > b.status.uri ? 1 : 0));

  const segments = found.map((f) => parsePartitionSegments(path.relative(f.root, path.dirname(f.status.uri)).split(path.sep).join('/')));
  const keys = segments[0]!.map((s) => s.key);
  segments.forEach((segs, i) => {
    const k = segs.map((s) => s.key);
    if (k.join('/') !== keys.join('/')) {
      throw new PaylakeError(
        'SCHEMA_CONFLICT',
        `partition directories disagree: ${found[0]!.status.uri} has (${keys.join(', ')}) but ${found[i]!.status.uri} has (${k.join(', ')}); point at one dataset root`,
      );
    }
  });
  const types = keys.map((_, k) => inferPartitionType(segments.map((s) => s[k]!.raw)));
  const partitionColumns = keys.map((key, k) => partitionField(key, types[k]!));

  const readers: ParquetReader[] = [];
  for (const f of found) readers.push(await openParquet(fileSystemFor(f.status.uri), f.status.uri));
  const fileSchema = mergeFileSchemas(readers.map((r) => ({ uri: r.uri, schema: r.schema })));
  for (const pc of partitionColumns) {
    const clash = readers.find((r) => r.schema.fields.some((f) => f.name === pc.name));
    if (clash !== undefined) {
      throw new PaylakeError('SCHEMA_CONFLICT', `column "${pc.name}" is both a partition directory and a column inside ${clash.uri}; rename one`);
    }
  }
  const files = found.map((f, i) => ({
    uri: f.status.uri,
    size: f.status.size,
    partitionValues: segments[i]!.map((s, k) => typedPartitionValue(s.raw, types[k]!)),
    reader: readers[i]!,
  }));
  return { files, partitionColumns, fileSchema, schema: new Schema([...fileSchema.fields, ...partitionColumns]) };
}

/** A column of `length` copies of one partition value. */
export function constantVector(type: DataType, value: PartitionValue, length: number): Vector {
  if (value === null) return nullVector(type, length);
  if (type instanceof Int32) return makeVector(makeData({ type, length, nullCount: 0, data: new Int32Array(length).fill(Number(value)) }));
  if (type instanceof DateDay) return makeVector(makeData({ type, length, nullCount: 0, data: new Int32Array(length).fill(Number(value)) }));
  if (type instanceof Int64) return makeVector(makeData({ type, length, nullCount: 0, data: new BigInt64Array(length).fill(BigInt(value)) }));
  return vectorFromArray(new Array<string>(length).fill(String(value)), type);
}

function nullVector(type: DataType, length: number): Vector {
  return vectorFromArray(new Array<null>(length).fill(null), type);
}

/**
 * Reads one row group of one dataset file as batches of the dataset's schema, restricted to `columns`
 * (all when omitted) in that order: columns the file lacks are NULL, partition columns are constants.
 * @example for (const b of await readDatasetRowGroup(ds, ds.files[0]!, 0, ['amount_minor', 'dt'])) sum(b)
 */
export async function readDatasetRowGroup(
  dataset: ParquetDataset,
  file: ParquetDatasetFile,
  rowGroup: number,
  columns?: readonly string[],
  options: { batchSize?: number } = {},
): Promise<RecordBatch[]> {
  const names = columns ?? dataset.schema.fields.map((f) => f.name);
  const fields = names.map((n) => {
    const f = dataset.schema.fields.find((x) => x.name === n);
    if (f === undefined) throw new PaylakeError('NOT_FOUND', `no column "${n}" in the dataset; it has ${dataset.schema.fields.map((x) => x.name).join(', ')}`);
    return f;
  });
  const inFile = names.filter((n) => file.reader.schema.fields.some((f) => f.name === n));
  const batches = await file.reader.readRowGroup(rowGroup, { columns: inFile, ...(options.batchSize === undefined ? {} : { batchSize: options.batchSize }) });
  const schema = new Schema(fields);
  return batches.map((b) => {
    const children = fields.map((f) => {
      const k = dataset.partitionColumns.findIndex((p) => p.name === f.name);
      if (k >= 0) return constantVector(f.type, file.partitionValues[k]!, b.numRows).data[0]!;
      const col = b.getChild(f.name);
      return col === null ? nullVector(f.type, b.numRows).data[0]! : col.data[0]!;
    });
    return new RecordBatch(schema, makeData({ type: new Struct(schema.fields), length: b.numRows, nullCount: 0, children }));
  });
}
