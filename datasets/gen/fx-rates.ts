// Daily FX rates of the synthetic world: a deterministic wobble around reference levels, published as
// decimal strings (reference/fx_rates.csv) and used as scaled integers by the settlement file.
import { CURRENCIES } from './reference-data.js';
import { STREAM, hash32, unitFloat } from './hash-random.js';
import { FX_SCALE, formatRate } from './settlement-money.js';

/** Units of a currency per US dollar on a day (the day's wobble is at most ±0.6 %). */
function unitsPerUsd(seed: number, currency: number, dayNumber: number): number {
  const base = CURRENCIES[currency]!.unitsPerUsd;
  if (CURRENCIES[currency]!.code === 'USD') return 1;
  return base * (1 + 0.012 * (unitFloat(hash32(seed, STREAM.fx, currency, dayNumber)) - 0.5));
}

/**
 * The rate converting `from` into `to` on a day, as an integer scaled by 10^FX_SCALE (identity = exactly 1).
 * `dayNumber` is days since 1970-01-01. Floats only shape the published reference rate, never an amount.
 */
export function fxRateScaled(seed: number, from: number, to: number, dayNumber: number): bigint {
  if (from === to) return 10n ** BigInt(FX_SCALE);
  const rate = unitsPerUsd(seed, to, dayNumber) / unitsPerUsd(seed, from, dayNumber);
  return BigInt(Math.round(rate * 10 ** FX_SCALE));
}

/** The same rate as its published decimal string. */
export function fxRateString(seed: number, from: number, to: number, dayNumber: number): string {
  return formatRate(fxRateScaled(seed, from, to, dayNumber));
}
