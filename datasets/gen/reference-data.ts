// The generator's world as data: currencies (ISO 4217 exponents), countries, MCCs with amount shapes,
// card brands, response and error codes, acquirers, the interchange++ fee schedule and daily FX rates.

/** One ISO 4217 currency: exponent and an approximate number of units per US dollar (for amounts and FX). */
export interface CurrencyInfo {
  readonly code: string;
  readonly numeric: string;
  readonly exponent: number;
  readonly unitsPerUsd: number;
}

/** Every currency the generator uses; the table is written as reference/currencies.csv. */
export const CURRENCIES: readonly CurrencyInfo[] = [
  { code: 'USD', numeric: '840', exponent: 2, unitsPerUsd: 1 },
  { code: 'EUR', numeric: '978', exponent: 2, unitsPerUsd: 0.92 },
  { code: 'GBP', numeric: '826', exponent: 2, unitsPerUsd: 0.79 },
  { code: 'CHF', numeric: '756', exponent: 2, unitsPerUsd: 0.88 },
  { code: 'SEK', numeric: '752', exponent: 2, unitsPerUsd: 10.4 },
  { code: 'PLN', numeric: '985', exponent: 2, unitsPerUsd: 3.95 },
  { code: 'CAD', numeric: '124', exponent: 2, unitsPerUsd: 1.37 },
  { code: 'AUD', numeric: '036', exponent: 2, unitsPerUsd: 1.52 },
  { code: 'BRL', numeric: '986', exponent: 2, unitsPerUsd: 5.4 },
  { code: 'MXN', numeric: '484', exponent: 2, unitsPerUsd: 18.2 },
  { code: 'INR', numeric: '356', exponent: 2, unitsPerUsd: 84.1 },
  { code: 'SGD', numeric: '702', exponent: 2, unitsPerUsd: 1.34 },
  { code: 'AED', numeric: '784', exponent: 2, unitsPerUsd: 3.6725 },
  { code: 'JPY', numeric: '392', exponent: 0, unitsPerUsd: 151.3 },
  { code: 'KRW', numeric: '410', exponent: 0, unitsPerUsd: 1378 },
  { code: 'CLP', numeric: '152', exponent: 0, unitsPerUsd: 945 },
  { code: 'VND', numeric: '704', exponent: 0, unitsPerUsd: 25400 },
  { code: 'ISK', numeric: '352', exponent: 0, unitsPerUsd: 138 },
  { code: 'BHD', numeric: '048', exponent: 3, unitsPerUsd: 0.376 },
  { code: 'KWD', numeric: '414', exponent: 3, unitsPerUsd: 0.307 },
  { code: 'JOD', numeric: '400', exponent: 3, unitsPerUsd: 0.709 },
  { code: 'OMR', numeric: '512', exponent: 3, unitsPerUsd: 0.385 },
  { code: 'TND', numeric: '788', exponent: 3, unitsPerUsd: 3.1 },
];

/** Index of a currency code in {@link CURRENCIES}. */
export function currencyIndex(code: string): number {
  const i = CURRENCIES.findIndex((c) => c.code === code);
  if (i < 0) throw new Error(`unknown currency ${code}`);
  return i;
}

/** Fee regions of the interchange table. */
export type Region = 'EEA' | 'US' | 'OTHER';

/** A country: its currency, region and weights for where merchants and cards are. */
export interface CountryInfo {
  readonly code: string;
  readonly currency: string;
  readonly region: Region;
  readonly merchantWeight: number;
  readonly cardWeight: number;
}

/** Countries of merchants and issuers (ISO 3166-1 alpha-2). */
export const COUNTRIES: readonly CountryInfo[] = [
  { code: 'US', currency: 'USD', region: 'US', merchantWeight: 30, cardWeight: 32 },
  { code: 'GB', currency: 'GBP', region: 'OTHER', merchantWeight: 10, cardWeight: 10 },
  { code: 'DE', currency: 'EUR', region: 'EEA', merchantWeight: 10, cardWeight: 10 },
  { code: 'FR', currency: 'EUR', region: 'EEA', merchantWeight: 8, cardWeight: 8 },
  { code: 'ES', currency: 'EUR', region: 'EEA', merchantWeight: 5, cardWeight: 5 },
  { code: 'IT', currency: 'EUR', region: 'EEA', merchantWeight: 5, cardWeight: 5 },
  { code: 'NL', currency: 'EUR', region: 'EEA', merchantWeight: 4, cardWeight: 4 },
  { code: 'IE', currency: 'EUR', region: 'EEA', merchantWeight: 2, cardWeight: 1.5 },
  { code: 'SE', currency: 'SEK', region: 'EEA', merchantWeight: 2, cardWeight: 2 },
  { code: 'PL', currency: 'PLN', region: 'EEA', merchantWeight: 2, cardWeight: 2.5 },
  { code: 'CH', currency: 'CHF', region: 'OTHER', merchantWeight: 1.5, cardWeight: 1.5 },
  { code: 'CA', currency: 'CAD', region: 'OTHER', merchantWeight: 3, cardWeight: 3 },
  { code: 'AU', currency: 'AUD', region: 'OTHER', merchantWeight: 2, cardWeight: 2 },
  { code: 'BR', currency: 'BRL', region: 'OTHER', merchantWeight: 3, cardWeight: 3 },
  { code: 'MX', currency: 'MXN', region: 'OTHER', merchantWeight: 2, cardWeight: 2 },
  { code: 'IN', currency: 'INR', region: 'OTHER', merchantWeight: 2, cardWeight: 2 },
  { code: 'SG', currency: 'SGD', region: 'OTHER', merchantWeight: 1, cardWeight: 1 },
  { code: 'AE', currency: 'AED', region: 'OTHER', merchantWeight: 1, cardWeight: 1 },
  { code: 'JP', currency: 'JPY', region: 'OTHER', merchantWeight: 4, cardWeight: 4 },
  { code: 'KR', currency: 'KRW', region: 'OTHER', merchantWeight: 1.5, cardWeight: 1.5 },
  { code: 'CL', currency: 'CLP', region: 'OTHER', merchantWeight: 0.8, cardWeight: 0.8 },
  { code: 'VN', currency: 'VND', region: 'OTHER', merchantWeight: 0.6, cardWeight: 0.6 },
  { code: 'IS', currency: 'ISK', region: 'OTHER', merchantWeight: 0.3, cardWeight: 0.3 },
  { code: 'BH', currency: 'BHD', region: 'OTHER', merchantWeight: 0.5, cardWeight: 0.4 },
  { code: 'KW', currency: 'KWD', region: 'OTHER', merchantWeight: 0.5, cardWeight: 0.4 },
  { code: 'JO', currency: 'JOD', region: 'OTHER', merchantWeight: 0.3, cardWeight: 0.3 },
  { code: 'OM', currency: 'OMR', region: 'OTHER', merchantWeight: 0.3, cardWeight: 0.3 },
  { code: 'TN', currency: 'TND', region: 'OTHER', merchantWeight: 0.3, cardWeight: 0.3 },
];

/** A merchant category: its amount distribution (log-normal around a median in USD) and channel mix. */
export interface MccInfo {
  readonly mcc: number;
  readonly name: string;
  readonly weight: number;
  readonly medianUsd: number;
  readonly sigma: number;
  /** Probabilities of POS, ECOM, MOBILE. */
  readonly channels: readonly [number, number, number];
  readonly highRisk: boolean;
}

/** Merchant categories (ISO 18245). */
export const MCCS: readonly MccInfo[] = [
  { mcc: 5411, name: 'Grocery stores, supermarkets', weight: 18, medianUsd: 38, sigma: 0.8, channels: [0.85, 0.1, 0.05], highRisk: false },
  { mcc: 5812, name: 'Eating places, restaurants', weight: 14, medianUsd: 42, sigma: 0.7, channels: [0.9, 0.03, 0.07], highRisk: false },
  { mcc: 5814, name: 'Fast food restaurants', weight: 12, medianUsd: 11, sigma: 0.5, channels: [0.8, 0.05, 0.15], highRisk: false },
  { mcc: 5541, name: 'Service stations', weight: 8, medianUsd: 48, sigma: 0.45, channels: [0.97, 0.0, 0.03], highRisk: false },
  { mcc: 5311, name: 'Department stores', weight: 5, medianUsd: 65, sigma: 0.95, channels: [0.6, 0.3, 0.1], highRisk: false },
  { mcc: 5691, name: "Men's and women's clothing", weight: 6, medianUsd: 58, sigma: 0.8, channels: [0.45, 0.4, 0.15], highRisk: false },
  { mcc: 5732, name: 'Electronics stores', weight: 4, medianUsd: 140, sigma: 1.15, channels: [0.4, 0.5, 0.1], highRisk: false },
  { mcc: 5912, name: 'Drug stores, pharmacies', weight: 6, medianUsd: 24, sigma: 0.7, channels: [0.85, 0.1, 0.05], highRisk: false },
  { mcc: 5999, name: 'Miscellaneous retail', weight: 8, medianUsd: 32, sigma: 1.0, channels: [0.5, 0.35, 0.15], highRisk: false },
  { mcc: 4121, name: 'Taxicabs, limousines', weight: 5, medianUsd: 19, sigma: 0.6, channels: [0.3, 0.1, 0.6], highRisk: false },
  { mcc: 4511, name: 'Airlines', weight: 2, medianUsd: 380, sigma: 0.9, channels: [0.05, 0.8, 0.15], highRisk: false },
  { mcc: 7011, name: 'Hotels, motels, resorts', weight: 3, medianUsd: 240, sigma: 0.8, channels: [0.5, 0.45, 0.05], highRisk: false },
  { mcc: 4814, name: 'Telecommunication services', weight: 3, medianUsd: 45, sigma: 0.5, channels: [0.1, 0.7, 0.2], highRisk: false },
  { mcc: 5967, name: 'Direct marketing, inbound telemarketing', weight: 2, medianUsd: 29, sigma: 0.9, channels: [0.0, 0.85, 0.15], highRisk: true },
  { mcc: 7995, name: 'Betting, casino gambling', weight: 2, medianUsd: 45, sigma: 1.3, channels: [0.05, 0.6, 0.35], highRisk: true },
];

/** Card brands with BIN prefixes, default BIN length and PAN length (the PAN itself is never produced). */
export interface BrandInfo {
  readonly brand: string;
  /** Inclusive prefix ranges of the first digits, e.g. [2221, 2720]. */
  readonly prefixes: readonly (readonly [number, number])[];
  readonly weight: number;
}

/** Card brands. */
export const BRANDS: readonly BrandInfo[] = [
  { brand: 'VISA', prefixes: [[4, 4]], weight: 52 },
  { brand: 'MASTERCARD', prefixes: [[51, 55], [2221, 2720]], weight: 34 },
  { brand: 'AMEX', prefixes: [[34, 34], [37, 37]], weight: 8 },
  { brand: 'DISCOVER', prefixes: [[6011, 6011], [65, 65]], weight: 3 },
  { brand: 'JCB', prefixes: [[3528, 3589]], weight: 3 },
];

/** Funding types. */
export const FUNDINGS = ['CREDIT', 'DEBIT', 'PREPAID'] as const;

/** Decline response codes (ISO 8583 field 39) with relative frequencies among declines. */
export const DECLINE_CODES: readonly { readonly code: string; readonly weight: number }[] = [
  { code: '05', weight: 38 },
  { code: '51', weight: 30 },
  { code: '61', weight: 9 },
  { code: '54', weight: 7 },
  { code: '14', weight: 5 },
  { code: '41', weight: 2 },
  { code: '43', weight: 2 },
  { code: '57', weight: 4 },
  { code: '65', weight: 3 },
];

/** Error codes of technical failures, with the response code reported alongside. */
export const ERROR_CODES: readonly { readonly code: string; readonly response: string; readonly weight: number }[] = [
  { code: 'ISSUER_TIMEOUT', response: '91', weight: 45 },
  { code: 'NETWORK_UNREACHABLE', response: '91', weight: 15 },
  { code: 'GATEWAY_TIMEOUT', response: '96', weight: 20 },
  { code: 'INVALID_RESPONSE', response: '96', weight: 10 },
  { code: 'HSM_FAILURE', response: '96', weight: 5 },
  { code: 'RATE_LIMITED', response: '96', weight: 5 },
];

/** The acquirers merchants are boarded with. */
export const ACQUIRERS = ['ACQ01', 'ACQ02', 'ACQ03'] as const;

/** Interchange regions of the fee schedule. */
export const FEE_REGIONS = ['INTRA_EEA', 'DOMESTIC', 'INTER_REGIONAL'] as const;
/** One fee region. */
export type FeeRegion = (typeof FEE_REGIONS)[number];

/** One interchange++ rule: rates in millionths of the amount (2000 = 0.20 %), fixed part in settlement minor units. */
export interface FeeRule {
  readonly brand: string;
  readonly funding: string;
  readonly region: FeeRegion;
  readonly interchangePpm: number;
  readonly schemeFeePpm: number;
  readonly markupPpm: number;
  readonly markupFixedMinor: number;
}

const IC_PPM: Record<FeeRegion, Record<(typeof FUNDINGS)[number], number>> = {
  INTRA_EEA: { CREDIT: 3000, DEBIT: 2000, PREPAID: 2000 },
  DOMESTIC: { CREDIT: 18000, DEBIT: 5500, PREPAID: 11500 },
  INTER_REGIONAL: { CREDIT: 15000, DEBIT: 11500, PREPAID: 15000 },
};

/** The fee schedule (written as reference/fee_schedule.csv): every brand × funding × region. */
export const FEE_SCHEDULE: readonly FeeRule[] = BRANDS.flatMap((b) =>
  FUNDINGS.flatMap((funding) =>
    FEE_REGIONS.map((region): FeeRule => {
      const blended = b.brand === 'AMEX';
      return {
        brand: b.brand,
        funding,
        region,
        interchangePpm: blended ? 0 : IC_PPM[region][funding] + (b.brand === 'MASTERCARD' ? 100 : 0),
        schemeFeePpm: blended ? 0 : region === 'INTRA_EEA' ? 1100 : 1300,
        markupPpm: blended ? 24000 : 2000,
        markupFixedMinor: 10,
      };
    }),
  ),
);

/** The fee rule for a brand, funding and region. */
export function feeRuleIndex(brandIdx: number, fundingIdx: number, region: FeeRegion): number {
  return (brandIdx * FUNDINGS.length + fundingIdx) * FEE_REGIONS.length + FEE_REGIONS.indexOf(region);
}

/** Chargeback fee, in minor units of the (two-decimal) settlement currency. */
export const CHARGEBACK_FEE_MINOR = 1500;

/** Settlement currencies: EUR for merchants in the EEA, USD for everyone else. */
export const SETTLEMENT_CURRENCIES = ['EUR', 'USD'] as const;

/** Diurnal traffic profile: relative volume per UTC hour (night trough, midday and evening peaks). */
export const HOURLY_WEIGHTS: readonly number[] = [
  0.22, 0.16, 0.12, 0.1, 0.1, 0.16, 0.32, 0.58, 0.85, 1.0, 1.12, 1.28, 1.45, 1.35, 1.18, 1.12, 1.18, 1.32, 1.52,
  1.58, 1.38, 1.02, 0.68, 0.42,
];

/** Relative daily volume by ISO weekday (index 0 = Monday): a Friday peak and a weekend dip. */
export const WEEKDAY_WEIGHTS: readonly number[] = [1.0, 1.0, 1.02, 1.04, 1.12, 0.92, 0.8];
