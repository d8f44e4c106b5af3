// round(x, scale, mode) on integers, decimals (exact, BigInt) and doubles (through the double's decimal
// text, as Spark's BigDecimal path), with the seven java.math.RoundingMode modes paylake exposes.
import { PaylakeError } from '../../../errors/paylake-error.js';
import { pow10Big } from './wide-integers.js';

/** The rounding modes. */
export type RoundingMode = 'HALF_UP' | 'HALF_EVEN' | 'HALF_DOWN' | 'UP' | 'DOWN' | 'CEILING' | 'FLOOR';

/** `v` with its last `drop` digits rounded away (result is v / 10^drop rounded by `mode`). */
export function roundDigits(v: bigint, drop: number, mode: RoundingMode): bigint {
  if (drop <= 0) return v;
  const d = pow10Big(drop);
  const q = v / d; // truncated toward zero
  const r = v - q * d;
  if (r === 0n) return q;
  const away = v < 0n ? q - 1n : q + 1n;
  const twice = (r < 0n ? -r : r) * 2n;
  switch (mode) {
    case 'UP':
      return away;
    case 'DOWN':
      return q;
    case 'CEILING':
      return v > 0n ? away : q;
    case 'FLOOR':
      return v < 0n ? away : q;
    case 'HALF_UP':
      return twice >= d ? away : q;
    case 'HALF_DOWN':
      return twice > d ? away : q;
    case 'HALF_EVEN':
      return twice > d || (twice === d && (q & 1n) !== 0n) ? away : q;
  }
}

/** Parses a rounding mode argument. */
export function roundingMode(text: string | null): RoundingMode {
  const m = (text ?? 'HALF_UP').toUpperCase();
  if (['HALF_UP', 'HALF_EVEN', 'HALF_DOWN', 'UP', 'DOWN', 'CEILING', 'FLOOR'].includes(m)) return m as RoundingMode;
  throw new PaylakeError('TYPE_ERROR', `unknown rounding mode '${text}'`);
}
