// Hive-style partition directories (`dt=2026-11-21/merchant=42/`) as typed columns, inferred as Spark 3.5 does.
import { parseIsoDate } from '../../calendar/civil-time.js';
import { DateDay, Field, Int32, Int64, Utf8 } from 'apache-arrow';
import type { DataType } from 'apache-arrow';

/** The directory name Hive and Spark write for a NULL partition value. */
export const HIVE_NULL = '__HIVE_DEFAULT_PARTITION__';

/** A typed partition value: int → number, bigint when beyond int32, DATE → days since the epoch, else string. */
export type PartitionValue = number | bigint | string | null;

/** The `key=value` segments of a directory path relative to the dataset root, in order; values unescaped. */
export function parsePartitionSegments(relativeDir: string): { key: string; raw: string | null }[] {
  const out: { key: string; raw: string | null }[] = [];
  for (const seg of relativeDir.split('/')) {
    const eq = seg.indexOf('=');
    if (eq <= 0) continue;
    const key = unescapePathName(seg.slice(0, eq));
    const value = seg.slice(eq + 1);
    out.push({ key, raw: value === HIVE_NULL ? null : unescapePathName(value) });
  }
  return out;
}

/** Spark's ExternalCatalogUtils.unescapePathName: `%XX` hex escapes, anything malformed left as is. */
function unescapePathName(s: string): string {
  return s.replace(/%([0-9a-fA-F]{2})/g, (_, h: string) => String.fromCharCode(parseInt(h, 16)));
}

const INT = /^[+-]?\d+$/;
const INT32_MIN = -(2n ** 31n);
const INT32_MAX = 2n ** 31n - 1n;
const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;

/** Days since 1970-01-01 of a valid `YYYY-MM-DD`, or null when the date does not exist (2026-02-30). */
export function parseDateDays(s: string): number | null {
  return parseIsoDate(s);
}

/**
 * The type of a partition column from all its raw values (NULLs ignored), as Spark infers it:
 * all integers → int (bigint when a value is beyond int32), all valid dates → DATE, else string.
 */
export function inferPartitionType(raws: readonly (string | null)[]): DataType {
  const values = raws.filter((r): r is string => r !== null);
  if (values.length === 0) return new Utf8();
  if (values.every((v) => INT.test(v))) {
    const ns = values.map((v) => BigInt(v));
    if (ns.every((n) => n >= INT32_MIN && n <= INT32_MAX)) return new Int32();
    if (ns.every((n) => n >= INT64_MIN && n <= INT64_MAX)) return new Int64();
  }
  if (values.every((v) => parseDateDays(v) !== null)) return new DateDay();
  return new Utf8();
}

/** One raw value converted to the inferred type. */
export function typedPartitionValue(raw: string | null, type: DataType): PartitionValue {
  if (raw === null) return null;
  if (type instanceof Int32) return Number(raw);
  if (type instanceof Int64) return BigInt(raw);
  if (type instanceof DateDay) return parseDateDays(raw);
  return raw;
}

/** The Arrow field of a partition column (always nullable, as in Spark). */
export function partitionField(key: string, type: DataType): Field {
  return new Field(key, type, true);
}
