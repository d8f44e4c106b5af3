// Reads the dictionary page of one Parquet column chunk with ranged reads, for row-group skipping: when every
// data page of the chunk is dictionary-encoded, the dictionary holds every distinct non-NULL value of the chunk.
import { parquetHeader } from 'hyparquet/src/column.js';
import { decompressPage } from 'hyparquet/src/datapage.js';
import { readPlain } from 'hyparquet/src/plain.js';
import type { CompressionCodec, Compressors, PageHeader } from 'hyparquet/src/types.js';
import { decompressBrotli, decompressGzip, decompressLz4, decompressLz4Raw, decompressZstd } from 'hyparquet-compressors';
import { PaylakeError, messageOf } from '../../errors/paylake-error.js';
import type { FileSystem } from '../fs/file-system.js';
import type { ParquetColumnChunkMetadata } from './parquet-metadata.js';

/** The distinct values of a dictionary, in the engine's representations (int64 as bigint). */
export type ParquetDictionary =
  | { readonly type: 'string'; readonly values: ReadonlySet<string> }
  | { readonly type: 'int32'; readonly values: ReadonlySet<number> }
  | { readonly type: 'int64'; readonly values: ReadonlySet<bigint> };

/** Dictionary pages larger than this (compressed or not) are not read; such a chunk is not pruned. */
export const MAX_DICTIONARY_PAGE_BYTES = 1 << 20;

/** Bytes read first at the chunk's start: enough for any dictionary page header (they carry no statistics). */
const HEADER_PROBE_BYTES = 4096;

/** SNAPPY and UNCOMPRESSED are built into hyparquet; the rest come from hyparquet-compressors (pure JS). */
const COMPRESSORS: Compressors = {
  GZIP: decompressGzip,
  ZSTD: (input) => decompressZstd(input),
  BROTLI: decompressBrotli,
  LZ4: decompressLz4,
  LZ4_RAW: decompressLz4Raw,
};
const SUPPORTED_CODECS = new Set(['UNCOMPRESSED', 'SNAPPY', ...Object.keys(COMPRESSORS)]);

/** Data-page encodings that look values up in the dictionary. */
const DICTIONARY_ENCODINGS = new Set(['PLAIN_DICTIONARY', 'RLE_DICTIONARY']);
/** Encodings a chunk's `encodings` list names for repetition/definition levels (never data, for our types). */
const LEVEL_ENCODINGS = new Set(['RLE', 'BIT_PACKED']);

/**
 * Whether every data page of the chunk is dictionary-encoded, judged from the footer alone. With
 * `encoding_stats`, every data page must use a dictionary encoding. Without it, the `encodings` list must
 * hold only dictionary and level encodings: a PLAIN entry is refused even though Parquet 2 writers use PLAIN
 * for the dictionary page itself, because it cannot be told apart from data pages that fell back to PLAIN.
 */
export function isFullyDictionaryEncoded(chunk: ParquetColumnChunkMetadata): boolean {
  if (chunk.encodingStats !== null) {
    const dataPages = chunk.encodingStats.filter((e) => e.pageType === 'DATA_PAGE' || e.pageType === 'DATA_PAGE_V2');
    const known = chunk.encodingStats.every((e) => e.pageType === 'DICTIONARY_PAGE' || dataPages.includes(e));
    return known && dataPages.some((e) => e.count > 0) && dataPages.every((e) => e.count === 0 || DICTIONARY_ENCODINGS.has(e.encoding));
  }
  return (
    chunk.encodings.some((e) => DICTIONARY_ENCODINGS.has(e)) &&
    chunk.encodings.every((e) => DICTIONARY_ENCODINGS.has(e) || LEVEL_ENCODINGS.has(e))
  );
}

/** The engine type whose values the chunk's dictionary holds, or null for types dictionary pruning does not handle. */
function dictionaryTypeOf(chunk: ParquetColumnChunkMetadata): ParquetDictionary['type'] | null {
  const lt = chunk.logicalType;
  const signedInteger = lt === null || (lt.type === 'INTEGER' && lt.isSigned);
  if (chunk.physicalType === 'BYTE_ARRAY' && lt?.type === 'STRING') return 'string';
  if (chunk.physicalType === 'INT32' && signedInteger) return 'int32';
  if (chunk.physicalType === 'INT64' && signedInteger) return 'int64';
  return null;
}

/**
 * The distinct values of one column chunk's dictionary page, read with at most two ranged reads.
 * Null when they do not prove which values the chunk holds or cannot be had cheaply: the chunk is not
 * entirely dictionary-encoded ({@link isFullyDictionaryEncoded}), has no dictionary page, is not a
 * string/int32/int64 column, uses a codec paylake cannot decompress, or its dictionary page exceeds
 * {@link MAX_DICTIONARY_PAGE_BYTES}. NULLs are never in a dictionary.
 * Throws PaylakeError PARQUET_CORRUPT when the page cannot be decoded.
 * @example const d = await readColumnDictionary(fs, uri, md.rowGroups[0]!.columns[2]!, 0); d?.values.has('CHARGEBACK')
 */
export async function readColumnDictionary(
  fs: FileSystem,
  uri: string,
  chunk: ParquetColumnChunkMetadata,
  rowGroup: number,
): Promise<ParquetDictionary | null> {
  const type = dictionaryTypeOf(chunk);
  if (type === null || !SUPPORTED_CODECS.has(chunk.codec) || !isFullyDictionaryEncoded(chunk)) return null;
  // Some writers omit dictionary_page_offset (or write 0); the dictionary page is then the chunk's first page.
  const start = chunk.dictionaryPageOffset !== null && chunk.dictionaryPageOffset >= 4 ? chunk.dictionaryPageOffset : chunk.dataPageOffset;
  const chunkBytes = chunk.compressedSize;
  const where = `${uri}: row group ${rowGroup} column ${chunk.path}`;
  const corrupt = (why: string, cause?: unknown): PaylakeError =>
    new PaylakeError('PARQUET_CORRUPT', `${where}: cannot read the dictionary page (${why}); the file is corrupt`, { cause });

  const probe = await fs.readRange(uri, start, Math.min(chunkBytes, HEADER_PROBE_BYTES));
  const reader = { view: new DataView(probe.buffer, probe.byteOffset, probe.byteLength), offset: 0 };
  let header: PageHeader;
  try {
    header = parquetHeader(reader);
  } catch (e) {
    // A header longer than the probe is no dictionary page header; only a whole chunk that fails is corrupt.
    if (chunkBytes > probe.byteLength) return null;
    throw corrupt(messageOf(e), e);
  }
  const dph = header.dictionary_page_header;
  if (header.type !== 'DICTIONARY_PAGE' || dph === undefined) return null;
  if (dph.encoding !== 'PLAIN' && dph.encoding !== 'PLAIN_DICTIONARY') return null;
  const compressedSize = header.compressed_page_size;
  const uncompressedSize = header.uncompressed_page_size;
  if (compressedSize > MAX_DICTIONARY_PAGE_BYTES || uncompressedSize > MAX_DICTIONARY_PAGE_BYTES) return null;
  if (compressedSize < 0 || uncompressedSize < 0 || dph.num_values < 0 || reader.offset + compressedSize > chunkBytes) {
    throw corrupt(`page sizes ${compressedSize}/${uncompressedSize} bytes, ${dph.num_values} values, in a ${chunkBytes}-byte chunk`);
  }
  const body =
    reader.offset + compressedSize <= probe.byteLength
      ? probe.subarray(reader.offset, reader.offset + compressedSize)
      : await fs.readRange(uri, start + reader.offset, compressedSize);
  if (body.byteLength !== compressedSize) throw corrupt(`the file ends inside the page`);
  try {
    const page = decompressPage(body, uncompressedSize, chunk.codec as CompressionCodec, COMPRESSORS);
    const pageReader = { view: new DataView(page.buffer, page.byteOffset, page.byteLength), offset: 0 };
    const values = readPlain(pageReader, chunk.physicalType, dph.num_values, undefined);
    // readPlain checks lengths against the underlying buffer, not the page; a short page must not read past it.
    if (pageReader.offset > page.byteLength) throw new Error(`${dph.num_values} values overrun the ${page.byteLength}-byte page`);
    switch (type) {
      case 'string': {
        // Invalid UTF-8 decodes lossily elsewhere; distinct bytes could then meet as one string, so do not prune.
        const decoder = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });
        const strings = new Set<string>();
        for (const v of values as Uint8Array[]) {
          try {
            strings.add(decoder.decode(v));
          } catch {
            return null;
          }
        }
        return { type, values: strings };
      }
      case 'int32':
        return { type, values: new Set(values as Int32Array) };
      case 'int64':
        return { type, values: new Set(values as BigInt64Array) };
    }
  } catch (e) {
    throw corrupt(messageOf(e), e);
  }
}
