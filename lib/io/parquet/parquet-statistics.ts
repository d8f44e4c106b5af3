// Decodes Parquet column-chunk statistics (raw little-endian bytes in the footer) into exact typed JS values.
// hyparquet's own conversion is lossy for our purposes (decimals become floats, timestamps become Dates), so
// the footer's raw statistics bytes are decoded here from the physical and logical type.
import type { ParquetLogicalType, ParquetPhysicalType } from './parquet-metadata.js';

/**
 * One statistics value, typed exactly:
 * - BOOLEAN → boolean; INT32 (incl. DATE days, TIME millis, small ints) → number; INT64 → bigint
 *   (TIMESTAMP in the unit of the column's logical type, unsigned as unsigned);
 * - FLOAT/DOUBLE/FLOAT16 → number; DECIMAL (any physical type) → unscaled bigint (scale in the logical type);
 * - STRING/ENUM/JSON byte arrays → string; other byte arrays → Uint8Array.
 */
export type ParquetStatValue = boolean | number | bigint | string | Uint8Array;

/** Min/max/null count of one column chunk; null where the footer does not say. */
export interface ParquetColumnStatistics {
  readonly min: ParquetStatValue | null;
  readonly max: ParquetStatValue | null;
  readonly nullCount: number | null;
  readonly distinctCount: number | null;
  /** False when the writer truncated the bound (long strings); the true value lies within it. */
  readonly minExact: boolean;
  readonly maxExact: boolean;
}

const utf8 = new TextDecoder('utf-8', { fatal: false });

/** Decodes an unscaled two's-complement big-endian integer (FIXED_LEN_BYTE_ARRAY / BYTE_ARRAY decimals). */
function bigEndianSigned(bytes: Uint8Array): bigint {
  let v = 0n;
  for (const b of bytes) v = (v << 8n) | BigInt(b);
  if (bytes.length > 0 && (bytes[0]! & 0x80) !== 0) v -= 1n << BigInt(bytes.length * 8);
  return v;
}

function float16(bytes: Uint8Array): number {
  const h = (bytes[0]! | (bytes[1]! << 8)) >>> 0;
  const sign = h & 0x8000 ? -1 : 1;
  const exp = (h >> 10) & 0x1f;
  const frac = h & 0x3ff;
  if (exp === 0) return sign * 2 ** -14 * (frac / 1024);
  if (exp === 0x1f) return frac ? Number.NaN : sign * Infinity;
  return sign * 2 ** (exp - 15) * (1 + frac / 1024);
}

/**
 * Decodes one raw statistics value; null when the bytes do not fit the type (a corrupt or foreign
 * statistic is treated as absent, never guessed) or the type has no defined order (INT96).
 */
export function decodeStatValue(
  raw: Uint8Array | undefined,
  physical: ParquetPhysicalType,
  logical: ParquetLogicalType | null,
): ParquetStatValue | null {
  if (raw === undefined) return null;
  const view = new DataView(raw.buffer, raw.byteOffset, raw.byteLength);
  const unsigned = logical?.type === 'INTEGER' && !logical.isSigned;
  switch (physical) {
    case 'BOOLEAN':
      return raw.length >= 1 ? raw[0] === 1 : null;
    case 'INT32':
      if (raw.length !== 4) return null;
      if (logical?.type === 'DECIMAL') return BigInt(view.getInt32(0, true));
      return unsigned ? view.getUint32(0, true) : view.getInt32(0, true);
    case 'INT64':
      if (raw.length !== 8) return null;
      return unsigned ? view.getBigUint64(0, true) : view.getBigInt64(0, true);
    case 'INT96':
      return null;
    case 'FLOAT':
      return raw.length === 4 ? view.getFloat32(0, true) : null;
    case 'DOUBLE':
      return raw.length === 8 ? view.getFloat64(0, true) : null;
    case 'BYTE_ARRAY':
    case 'FIXED_LEN_BYTE_ARRAY':
      if (logical?.type === 'DECIMAL') return raw.length > 0 ? bigEndianSigned(raw) : null;
      if (logical?.type === 'FLOAT16') return raw.length === 2 ? float16(raw) : null;
      if (logical?.type === 'STRING' || logical?.type === 'ENUM' || logical?.type === 'JSON') return utf8.decode(raw);
      return raw.slice();
  }
}
