// Writes the reference datasets (merchants, fee schedule, FX rates, currencies) as CSV under reference/.
import { writeFile, mkdir } from 'node:fs/promises';
import * as path from 'node:path';
import { ACQUIRERS, COUNTRIES, CURRENCIES, FEE_SCHEDULE, MCCS, SETTLEMENT_CURRENCIES, currencyIndex } from './reference-data.js';
import { fxRateString } from './fx-rates.js';
import type { World } from './world.js';

/** Formats parts-per-million as a decimal fraction with six places (2000 → "0.002000"). */
function ppmAsRate(ppm: number): string {
  return `${Math.floor(ppm / 1_000_000)}.${String(ppm % 1_000_000).padStart(6, '0')}`;
}

/** RFC 4180 field: quoted when it holds a comma, quote or line break. */
function csvField(v: string | number): string {
  const s = String(v);
  return /[",\r\n]/.test(s) ? `"${s.replaceAll('"', '""')}"` : s;
}

function csv(header: readonly string[], rows: (string | number)[][]): string {
  return [header, ...rows].map((r) => r.map(csvField).join(',')).join('\r\n') + '\r\n';
}

/** Writes reference/*.csv; returns the row count of each file. */
export async function writeReferenceFiles(dir: string, world: World, dayNumbers: readonly number[]): Promise<Record<string, number>> {
  await mkdir(dir, { recursive: true });
  const ranks = new Int32Array(world.merchantCount);
  for (let r = 0; r < world.merchantCount; r++) ranks[world.merchantByRank[r]!] = r + 1;
  const merchants: (string | number)[][] = [];
  for (let m = 0; m < world.merchantCount; m++) {
    const mcc = MCCS[world.merchantMcc[m]!]!;
    const o = m * 3;
    const pos = world.merchantChannelCum[o]!;
    const ecom = world.merchantChannelCum[o + 1]! - pos;
    merchants.push([
      world.merchantIds[m]!,
      `${mcc.name.split(',')[0]!} #${m + 1}`,
      mcc.mcc,
      mcc.name,
      COUNTRIES[world.merchantCountry[m]!]!.code,
      CURRENCIES[world.merchantCurrency[m]!]!.code,
      CURRENCIES[world.settlementCurrencyOf(m)]!.code,
      ACQUIRERS[world.merchantAcquirer[m]!]!,
      world.merchantTerminals[m]!,
      pos.toFixed(3),
      ecom.toFixed(3),
      (1 - pos - ecom).toFixed(3),
      mcc.highRisk ? 'true' : 'false',
      ranks[m]!,
    ]);
  }
  const fees = FEE_SCHEDULE.map((f) => [
    f.brand,
    f.funding,
    f.region,
    ppmAsRate(f.interchangePpm),
    ppmAsRate(f.schemeFeePpm),
    ppmAsRate(f.markupPpm),
    f.markupFixedMinor,
    'HALF_EVEN',
  ]);
  const fx: (string | number)[][] = [];
  for (const day of dayNumbers) {
    const date = new Date(day * 86_400_000).toISOString().slice(0, 10);
    for (let c = 0; c < CURRENCIES.length; c++) {
      for (const to of SETTLEMENT_CURRENCIES) {
        fx.push([date, CURRENCIES[c]!.code, to, fxRateString(world.seed, c, currencyIndex(to), day)]);
      }
    }
  }
  const currencies = CURRENCIES.map((c) => [c.code, c.numeric, c.exponent]);
  await Promise.all([
    writeFile(
      path.join(dir, 'merchants.csv'),
      csv(
        ['merchant_id', 'merchant_name', 'mcc', 'mcc_description', 'country', 'currency', 'settlement_currency', 'acquirer_id', 'terminal_count', 'share_pos', 'share_ecom', 'share_mobile', 'high_risk', 'popularity_rank'],
        merchants,
      ),
    ),
    writeFile(
      path.join(dir, 'fee_schedule.csv'),
      csv(['card_brand', 'card_funding', 'region', 'interchange_rate', 'scheme_fee_rate', 'markup_rate', 'markup_fixed_minor', 'rounding'], fees),
    ),
    writeFile(path.join(dir, 'fx_rates.csv'), csv(['rate_date', 'from_currency', 'to_currency', 'rate'], fx)),
    writeFile(path.join(dir, 'currencies.csv'), csv(['currency', 'numeric_code', 'exponent'], currencies)),
  ]);
  return { merchants: merchants.length, fee_schedule: fees.length, fx_rates: fx.length, currencies: currencies.length };
}
