// Parses memory sizes as users write them (`2GB`, `512MB`, `1.5g`, `1073741824`), in binary units as
// Spark's spark.executor.memory does.
import { PaylakeError } from '../errors/paylake-error.js';

const UNITS: Record<string, number> = { '': 1, b: 1, k: 1024, kb: 1024, m: 1024 ** 2, mb: 1024 ** 2, g: 1024 ** 3, gb: 1024 ** 3, t: 1024 ** 4, tb: 1024 ** 4 };

/**
 * Bytes of a size given as a number or text.
 * @example parseByteSize('2GB') // 2147483648
 */
export function parseByteSize(size: number | string): number {
  if (typeof size === 'number') {
    if (Number.isSafeInteger(size) && size > 0) return size;
    throw new PaylakeError('USAGE', `a memory size must be a positive whole number of bytes, got ${size}`);
  }
  const m = /^\s*(\d+(?:\.\d+)?)\s*([a-zA-Z]*)\s*$/.exec(size);
  const unit = UNITS[m?.[2]?.toLowerCase() ?? 'x'];
  if (!m || unit === undefined || Number(m[1]) <= 0) {
    throw new PaylakeError('USAGE', `cannot read the memory size "${size}"; write it like 2GB, 512MB or 1073741824`);
  }
  return Math.floor(Number(m[1]) * unit);
}
