// Exact money arithmetic for the settlement file: fees in parts per million rounded half-even, FX through
// decimal-string rates held as scaled integers and rounded half-up (away from zero). No floats touch money.
import { PaylakeError } from '../../lib/errors/paylake-error.js';

/** Decimal places of the fx_rate strings (the rate is an integer scaled by 10^FX_SCALE). */
export const FX_SCALE = 10;
const FX_DENOM = 10n ** BigInt(FX_SCALE);

/**
 * round_half_even(amount × ppm / 1,000,000) for a non-negative integer amount (banker's rounding, the
 * named rounding of fees). Exact in doubles while amount × ppm < 2^53, BigInt beyond.
 */
export function feeHalfEven(amount: number, ppm: number): number {
  if (amount < 0) throw new PaylakeError('INTERNAL', `fee base must be non-negative, got ${amount}`);
  const p = amount * ppm;
  if (Number.isSafeInteger(p)) {
    const q = Math.floor(p / 1_000_000);
    const r = p - q * 1_000_000;
    if (r > 500_000 || (r === 500_000 && q % 2 === 1)) return q + 1;
    return q;
  }
  const big = BigInt(amount) * BigInt(ppm);
  let q = big / 1_000_000n;
  const r = big - q * 1_000_000n;
  if (r > 500_000n || (r === 500_000n && q % 2n === 1n)) q += 1n;
  return Number(q);
}

/** Parses a decimal rate string like "1.0842000000" into an integer scaled by 10^FX_SCALE. */
export function parseRate(rate: string): bigint {
  const m = /^(\d+)(?:\.(\d{1,10}))?$/.exec(rate);
  if (!m) throw new PaylakeError('TYPE_ERROR', `not a decimal rate with at most ${FX_SCALE} places: ${JSON.stringify(rate)}`);
  return BigInt(m[1]!) * FX_DENOM + BigInt((m[2] ?? '').padEnd(FX_SCALE, '0'));
}

/** Formats a scaled rate as a decimal string with exactly FX_SCALE places. */
export function formatRate(scaled: bigint): string {
  const s = scaled.toString().padStart(FX_SCALE + 1, '0');
  return `${s.slice(0, -FX_SCALE)}.${s.slice(-FX_SCALE)}`;
}

/**
 * Converts a signed amount in minor units of one currency into minor units of another:
 * round_half_up(amount × rate × 10^(toExp − fromExp)), half-up meaning ties away from zero. `rateScaled`
 * is the rate × 10^FX_SCALE, as a bigint or as a safe integer number. Exact either way: while the scaled
 * product stays below 2^52 it is computed in doubles (every intermediate an exact integer), beyond in BigInt.
 */
export function convertHalfUp(amountMinor: number, rateScaled: bigint | number, fromExponent: number, toExponent: number): number {
  const negative = amountMinor < 0;
  const a = Math.abs(amountMinor);
  const shift = toExponent - fromExponent;
  if (typeof rateScaled === 'number' && Number.isSafeInteger(rateScaled) && rateScaled >= 0 && shift >= -3 && shift <= 3) {
    // A double product below 2^52 means the exact product is below 2^52 too (rounding is monotonic), so it is exact.
    const num = a * rateScaled * (shift > 0 ? POW10[shift]! : 1);
    if (num < 2 ** 52) {
      const den = shift < 0 ? FX_DENOM_NUMBER * POW10[-shift]! : FX_DENOM_NUMBER;
      let q = Math.floor(num / den);
      let r = num - q * den; // q × den ≤ num + den < 2^53: exact
      if (r < 0) {
        q -= 1;
        r += den;
      } else if (r >= den) {
        q += 1;
        r -= den;
      }
      if (r * 2 >= den) q += 1;
      return negative ? -q : q;
    }
  }
  let num = BigInt(a) * BigInt(rateScaled);
  let den = FX_DENOM;
  if (shift > 0) num *= 10n ** BigInt(shift);
  else if (shift < 0) den *= 10n ** BigInt(-shift);
  let q = num / den;
  if ((num - q * den) * 2n >= den) q += 1n;
  const out = Number(q);
  if (!Number.isSafeInteger(out)) throw new PaylakeError('OVERFLOW', `converted amount ${q} exceeds 2^53`);
  return negative ? -out : out;
}

const FX_DENOM_NUMBER = 10 ** FX_SCALE;
const POW10 = [1, 10, 100, 1000];
