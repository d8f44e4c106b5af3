// Reads a Parquet footer (row groups, column chunks, exact statistics) with two ranged reads, never the whole file.
// Uses hyparquet's Thrift footer parser because parquet-wasm 0.8.0 exposes no statistics or logical types.
import { parquetMetadata } from 'hyparquet';
import type { FileMetaData, SchemaElement } from 'hyparquet';
import { deserializeTCompactProtocol } from 'hyparquet/src/thrift.js';
import { PaylakeError, messageOf } from '../../errors/paylake-error.js';
import type { FileSystem } from '../fs/file-system.js';
import { decodeStatValue } from './parquet-statistics.js';
import type { ParquetColumnStatistics } from './parquet-statistics.js';

/** Parquet physical (storage) types. */
export type ParquetPhysicalType =
  | 'BOOLEAN'
  | 'INT32'
  | 'INT64'
  | 'INT96'
  | 'FLOAT'
  | 'DOUBLE'
  | 'BYTE_ARRAY'
  | 'FIXED_LEN_BYTE_ARRAY';

/** A column's logical type, from the footer's logical type or, for old writers, its converted type. */
export type ParquetLogicalType =
  | { readonly type: 'STRING' | 'ENUM' | 'JSON' | 'BSON' | 'UUID' | 'DATE' | 'FLOAT16' | 'MAP' | 'LIST' | 'NULL' }
  | { readonly type: 'DECIMAL'; readonly precision: number; readonly scale: number }
  | { readonly type: 'TIMESTAMP' | 'TIME'; readonly unit: 'MILLIS' | 'MICROS' | 'NANOS'; readonly isAdjustedToUTC: boolean }
  | { readonly type: 'INTEGER'; readonly bitWidth: number; readonly isSigned: boolean }
  | { readonly type: 'OTHER'; readonly name: string };

/** One column chunk of one row group. */
export interface ParquetColumnChunkMetadata {
  /** Dotted path in the Parquet schema, e.g. `a.list.element`. */
  readonly path: string;
  readonly physicalType: ParquetPhysicalType;
  readonly logicalType: ParquetLogicalType | null;
  readonly codec: string;
  readonly encodings: readonly string[];
  readonly statistics: ParquetColumnStatistics | null;
  readonly numValues: number;
  readonly compressedSize: number;
  readonly uncompressedSize: number;
  /** File offset of the chunk's dictionary page, or null when the footer names none (some writers omit it). */
  readonly dictionaryPageOffset: number | null;
  /** File offset of the chunk's first data page. */
  readonly dataPageOffset: number;
  /** How many pages of each type used each encoding, or null when the writer did not record it. */
  readonly encodingStats: readonly ParquetPageEncodingStats[] | null;
}

/** One entry of a column chunk's `encoding_stats`: `count` pages of `pageType` were written with `encoding`. */
export interface ParquetPageEncodingStats {
  readonly pageType: string;
  readonly encoding: string;
  readonly count: number;
}

/** One row group. */
export interface ParquetRowGroupMetadata {
  readonly numRows: number;
  readonly totalByteSize: number;
  readonly compressedSize: number;
  readonly columns: readonly ParquetColumnChunkMetadata[];
}

/** A Parquet footer, as paylake uses it for planning (pruning, splitting) and reading. */
export interface ParquetFileMetadata {
  readonly uri: string;
  readonly fileSize: number;
  /** Sum of the row groups' row counts (the file-level count is wrong in some writers' files). */
  readonly numRows: number;
  /** The file-level row count as written in the footer. */
  readonly footerNumRows: number;
  readonly rowGroups: readonly ParquetRowGroupMetadata[];
  /** Leaf columns in file order (dotted path, types), independent of row groups. */
  readonly leafColumns: readonly { path: string; physicalType: ParquetPhysicalType; logicalType: ParquetLogicalType | null }[];
  readonly createdBy: string | null;
  readonly keyValueMetadata: ReadonlyMap<string, string | null>;
}

const PAR1 = 0x31524150; // "PAR1" little-endian
const PARE = 0x45524150; // "PARE": encrypted footer

function logicalTypeOf(e: SchemaElement): ParquetLogicalType | null {
  const lt = e.logical_type as { type: string; [k: string]: unknown } | undefined;
  if (lt !== undefined) {
    switch (lt.type) {
      case 'DECIMAL':
        return { type: 'DECIMAL', precision: Number(lt['precision']), scale: Number(lt['scale'] ?? 0) };
      case 'TIMESTAMP':
      case 'TIME':
        return { type: lt.type, unit: lt['unit'] as 'MILLIS' | 'MICROS' | 'NANOS', isAdjustedToUTC: Boolean(lt['isAdjustedToUTC']) };
      case 'INTEGER':
        return { type: 'INTEGER', bitWidth: Number(lt['bitWidth']), isSigned: Boolean(lt['isSigned']) };
      case 'STRING':
      case 'ENUM':
      case 'JSON':
      case 'BSON':
      case 'UUID':
      case 'DATE':
      case 'FLOAT16':
      case 'MAP':
      case 'LIST':
      case 'NULL':
        return { type: lt.type };
      default:
        return { type: 'OTHER', name: String(lt.type) };
    }
  }
  const ct = e.converted_type;
  switch (ct) {
    case undefined:
      return null;
    case 'UTF8':
      return { type: 'STRING' };
    case 'ENUM':
    case 'JSON':
    case 'BSON':
    case 'DATE':
    case 'LIST':
      return { type: ct };
    case 'MAP':
    case 'MAP_KEY_VALUE':
      return { type: 'MAP' };
    case 'DECIMAL':
      return { type: 'DECIMAL', precision: e.precision ?? 0, scale: e.scale ?? 0 };
    case 'TIMESTAMP_MILLIS':
      return { type: 'TIMESTAMP', unit: 'MILLIS', isAdjustedToUTC: true };
    case 'TIMESTAMP_MICROS':
      return { type: 'TIMESTAMP', unit: 'MICROS', isAdjustedToUTC: true };
    case 'TIME_MILLIS':
      return { type: 'TIME', unit: 'MILLIS', isAdjustedToUTC: true };
    case 'TIME_MICROS':
      return { type: 'TIME', unit: 'MICROS', isAdjustedToUTC: true };
    case 'INT_8':
    case 'INT_16':
    case 'INT_32':
    case 'INT_64':
      return { type: 'INTEGER', bitWidth: Number(ct.slice(4)), isSigned: true };
    case 'UINT_8':
    case 'UINT_16':
    case 'UINT_32':
    case 'UINT_64':
      return { type: 'INTEGER', bitWidth: Number(ct.slice(5)), isSigned: false };
    default:
      return { type: 'OTHER', name: String(ct) };
  }
}

/** Leaf schema elements with their dotted paths, in column order. */
function leafElements(schema: readonly SchemaElement[], uri: string): { path: string; element: SchemaElement }[] {
  const out: { path: string; element: SchemaElement }[] = [];
  let i = 1; // schema[0] is the root
  const walk = (prefix: string, count: number, depth: number): void => {
    if (depth > 100) throw new PaylakeError('PARQUET_CORRUPT', `${uri}: Parquet schema nests deeper than 100 levels; the footer is corrupt`);
    for (let c = 0; c < count; c++) {
      const e = schema[i++];
      if (e === undefined) throw new PaylakeError('PARQUET_CORRUPT', `${uri}: Parquet schema ends early; the footer is corrupt`);
      const p = prefix === '' ? e.name : `${prefix}.${e.name}`;
      if (e.num_children !== undefined && e.num_children > 0) walk(p, e.num_children, depth + 1);
      else out.push({ path: p, element: e });
    }
  };
  walk('', schema[0]?.num_children ?? 0, 0);
  return out;
}

/** Raw statistics bytes of column `c` of row group `rg`, from the undecoded Thrift structure. */
interface RawStats {
  field_1?: Uint8Array; // max (deprecated, signed order)
  field_2?: Uint8Array; // min (deprecated)
  field_3?: bigint; // null_count
  field_4?: bigint; // distinct_count
  field_5?: Uint8Array; // max_value
  field_6?: Uint8Array; // min_value
  field_7?: boolean; // is_max_value_exact
  field_8?: boolean; // is_min_value_exact
}

/** The deprecated min/max fields are only trustworthy where signed byte order equals the type's order. */
function deprecatedStatsUsable(physical: string, logical: ParquetLogicalType | null): boolean {
  if (physical === 'BYTE_ARRAY' || physical === 'FIXED_LEN_BYTE_ARRAY') return false;
  return !(logical?.type === 'INTEGER' && !logical.isSigned);
}

/**
 * Parses a footer from `tail`, the file's last bytes (they must hold the whole footer, its length and magic).
 * Exposed for tests; readers use {@link readParquetMetadata}.
 */
export function parseParquetFooter(uri: string, fileSize: number, tail: Uint8Array): ParquetFileMetadata {
  let meta: FileMetaData;
  let raw: { [key: `field_${number}`]: any };
  try {
    meta = parquetMetadata(tail, { geoparquet: false });
    const view = new DataView(tail.buffer, tail.byteOffset, tail.byteLength);
    raw = deserializeTCompactProtocol({ view, offset: tail.byteLength - 8 - view.getUint32(tail.byteLength - 8, true) });
  } catch (e) {
    throw new PaylakeError('PARQUET_CORRUPT', `${uri}: cannot parse the Parquet footer (${messageOf(e)}); the file is corrupt or truncated`, { cause: e });
  }
  if (raw['field_8'] !== undefined || meta.row_groups.some((rg) => rg.columns.some((c) => c.crypto_metadata !== undefined))) {
    throw new PaylakeError(
      'PARQUET_UNSUPPORTED',
      `${uri}: the file uses Parquet modular encryption (encrypted columns), which paylake cannot read; decrypt it first`,
    );
  }
  const leaves = leafElements(meta.schema, uri);
  const rawRowGroups = (raw['field_4'] ?? []) as { field_1: { field_3?: { field_12?: RawStats } }[] }[];
  const rowGroups: ParquetRowGroupMetadata[] = meta.row_groups.map((rg, r) => {
    if (rg.columns.length !== leaves.length) {
      throw new PaylakeError('PARQUET_CORRUPT', `${uri}: row group ${r} has ${rg.columns.length} column chunks but the schema has ${leaves.length} columns; the footer is corrupt`);
    }
    return {
      numRows: Number(rg.num_rows),
      totalByteSize: Number(rg.total_byte_size),
      compressedSize: Number(rg.total_compressed_size ?? rg.columns.reduce((s, c) => s + (c.meta_data?.total_compressed_size ?? 0n), 0n)),
      columns: rg.columns.map((chunk, c) => {
        const leaf = leaves[c]!;
        const md = chunk.meta_data;
        if (md === undefined) throw new PaylakeError('PARQUET_CORRUPT', `${uri}: row group ${r} column ${leaf.path} has no metadata; the footer is corrupt`);
        const physicalType = md.type as ParquetPhysicalType;
        const logicalType = logicalTypeOf(leaf.element);
        const rs = rawRowGroups[r]?.field_1[c]?.field_3?.field_12;
        const useOld = deprecatedStatsUsable(physicalType, logicalType);
        const statistics: ParquetColumnStatistics | null =
          rs === undefined
            ? null
            : {
                min: decodeStatValue(rs.field_6 ?? (useOld ? rs.field_2 : undefined), physicalType, logicalType),
                max: decodeStatValue(rs.field_5 ?? (useOld ? rs.field_1 : undefined), physicalType, logicalType),
                nullCount: rs.field_3 === undefined ? null : Number(rs.field_3),
                distinctCount: rs.field_4 === undefined ? null : Number(rs.field_4),
                minExact: rs.field_8 ?? rs.field_6 !== undefined,
                maxExact: rs.field_7 ?? rs.field_5 !== undefined,
              };
        return {
          path: md.path_in_schema.join('.'),
          physicalType,
          logicalType,
          codec: md.codec,
          encodings: md.encodings ?? [],
          statistics,
          numValues: Number(md.num_values),
          compressedSize: Number(md.total_compressed_size),
          uncompressedSize: Number(md.total_uncompressed_size),
          dictionaryPageOffset: md.dictionary_page_offset === undefined ? null : Number(md.dictionary_page_offset),
          dataPageOffset: Number(md.data_page_offset),
          encodingStats: md.encoding_stats?.map((e) => ({ pageType: e.page_type, encoding: e.encoding, count: Number(e.count) })) ?? null,
        };
      }),
    };
  });
  return {
    uri,
    fileSize,
    numRows: rowGroups.reduce((s, rg) => s + rg.numRows, 0),
    footerNumRows: Number(meta.num_rows),
    rowGroups,
    leafColumns: leaves.map((l) => ({
      path: l.path,
      physicalType: l.element.type as ParquetPhysicalType,
      logicalType: logicalTypeOf(l.element),
    })),
    createdBy: meta.created_by ?? null,
    keyValueMetadata: new Map((meta.key_value_metadata ?? []).map((kv) => [kv.key, kv.value ?? null])),
  };
}

/**
 * Reads the footer of one Parquet file with two ranged reads (the 8-byte tail, then the footer).
 * Throws PaylakeError PARQUET_CORRUPT (not Parquet, truncated, bad footer) or PARQUET_UNSUPPORTED (encrypted).
 * @example const md = await readParquetMetadata(fileSystemFor(p), p); md.rowGroups[0]?.columns[0]?.statistics?.max
 */
export async function readParquetMetadata(fs: FileSystem, uri: string): Promise<ParquetFileMetadata> {
  const { size } = await fs.stat(uri);
  if (size < 12) throw new PaylakeError('PARQUET_CORRUPT', `${uri}: ${size} bytes is too short to be a Parquet file`);
  const end = await fs.readRange(uri, size - 8, 8);
  const view = new DataView(end.buffer, end.byteOffset, end.byteLength);
  const magic = view.getUint32(4, true);
  if (magic === PARE) {
    throw new PaylakeError('PARQUET_UNSUPPORTED', `${uri}: the file uses Parquet modular encryption (encrypted footer), which paylake cannot read; decrypt it first`);
  }
  if (magic !== PAR1) throw new PaylakeError('PARQUET_CORRUPT', `${uri}: not a Parquet file (no PAR1 magic at the end); the file is truncated or of another format`);
  const footerLength = view.getUint32(0, true);
  if (footerLength + 12 > size) {
    throw new PaylakeError('PARQUET_CORRUPT', `${uri}: footer length ${footerLength} exceeds the file size ${size}; the file is corrupt or truncated`);
  }
  const tail = await fs.readRange(uri, size - 8 - footerLength, footerLength + 8);
  return parseParquetFooter(uri, size, tail);
}
