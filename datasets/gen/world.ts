// The generator's entities, recreated identically in every task from hash(seed, entity): merchants (with
// Zipf popularity), cards (grouped by issuing country, with heavy reuse), devices and synthetic test cards.
import {
  ACQUIRERS,
  BRANDS,
  COUNTRIES,
  CURRENCIES,
  FUNDINGS,
  MCCS,
  currencyIndex,
  type Region,
} from './reference-data.js';
import { HashRng, STREAM, cumulative, hash32, seed32, unitFloat } from './hash-random.js';
import type { GenParams } from './gen-params.js';

/** Zipf exponent of merchant popularity. */
export const MERCHANT_ZIPF_S = 1.1;

/** Most slots of the card and device caches (cards beyond share slots). */
const CARD_CACHE_SLOTS = 1 << 18;

/**
 * Layout of one card slot of {@link World.cardBytes}: ASCII `tok_` + 24 hex, the BIN length and BIN (6 or 8
 * digits), last 4, brand/funding/country indexes, device count, and the card index as the slot's tag (int32).
 */
export const CARD_BYTES = {
  slot: 64,
  token: 0,
  tokenLength: 28,
  binLength: 28,
  bin: 29,
  last4: 37,
  brand: 41,
  funding: 42,
  country: 43,
  devices: 44,
  tag: 48,
} as const;

/** Card activity skew: card k of a country block is drawn as floor(size * u^CARD_SKEW). */
const CARD_SKEW = 1.8;

/** Attributes of one card (a pool card or a synthetic card-testing card). */
export interface CardInfo {
  token: string;
  bin: string;
  last4: string;
  brand: number;
  funding: number;
  country: number;
  devices: number;
}

/** Everything a task needs to know about the world; built once per worker and reused. */
export class World {
  readonly seed: number;
  readonly merchantCount: number;
  readonly cardCount: number;
  // merchants, by merchant index
  readonly merchantCountry: Uint8Array;
  readonly merchantMcc: Uint8Array;
  readonly merchantCurrency: Uint8Array;
  readonly merchantAcquirer: Uint8Array;
  readonly merchantTerminals: Uint8Array;
  /** Cumulative POS/ECOM/MOBILE probabilities, three per merchant. */
  readonly merchantChannelCum: Float64Array;
  readonly merchantIds: string[];
  /** Merchant index at each popularity rank. */
  readonly merchantByRank: Int32Array;
  readonly zipfCum: Float64Array;
  /** Merchants that take card-not-present payments (card-testing and account-takeover targets). */
  readonly ecomMerchants: Int32Array;
  /** Merchants with terminals. */
  readonly posMerchants: Int32Array;
  // cards
  /** First card index of each country's block; the last entry is the card count. */
  readonly cardBlockStart: Int32Array;
  readonly countryCardCum: Float64Array;
  private readonly rng = new HashRng();
  private readonly brandCumByCountry: Float64Array[];
  /**
   * Direct-mapped cache of pool cards as bytes, one 64-byte slot per card (slot = card & cacheMask, layout
   * {@link CARD_BYTES}); the slot after the last holds the latest test card. A card is used many times, and
   * one cache line per lookup is much cheaper than recomputing (or chasing) its strings for every event.
   */
  readonly cardBytes: Uint8Array;
  /** Byte offset of the test card slot in {@link World.cardBytes}. */
  readonly testCardOffset: number;
  private readonly cardTags: Int32Array;
  private readonly cacheMask: number;
  private readonly scratchCard: CardInfo = { token: '', bin: '', last4: '', brand: 0, funding: 0, country: 0, devices: 1 };
  /** Direct-mapped cache of the first 4 device ids of pool cards. */
  private readonly deviceTags: Int32Array;
  private readonly cachedDevices: string[];

  constructor(params: Pick<GenParams, 'seed' | 'merchants' | 'cards'>) {
    this.seed = seed32(params.seed);
    const m = params.merchants;
    this.merchantCount = m;
    this.cardCount = params.cards;
    this.merchantCountry = new Uint8Array(m);
    this.merchantMcc = new Uint8Array(m);
    this.merchantCurrency = new Uint8Array(m);
    this.merchantAcquirer = new Uint8Array(m);
    this.merchantTerminals = new Uint8Array(m);
    this.merchantChannelCum = new Float64Array(m * 3);
    this.merchantIds = [];
    const countryCum = cumulative(COUNTRIES.map((c) => c.merchantWeight));
    const mccCum = cumulative(MCCS.map((c) => c.weight));
    const ecom: number[] = [];
    const pos: number[] = [];
    const usd = currencyIndex('USD');
    for (let i = 0; i < m; i++) {
      const r = this.rng.reseed(hash32(this.seed, STREAM.merchant, i));
      const country = r.pickCumulative(countryCum);
      const mcc = r.pickCumulative(mccCum);
      const info = MCCS[mcc]!;
      // Merchants of one category differ: jitter the channel mix.
      let pPos = info.channels[0] * (0.6 + 0.8 * r.float());
      let pEcom = info.channels[1] * (0.6 + 0.8 * r.float());
      let pMob = info.channels[2] * (0.6 + 0.8 * r.float());
      if (r.chance(0.15)) pPos = 0; // online-only merchants
      if (pPos + pEcom + pMob === 0) pEcom = 1;
      const t = pPos + pEcom + pMob;
      pPos /= t;
      pEcom /= t;
      pMob /= t;
      this.merchantChannelCum[i * 3] = pPos;
      this.merchantChannelCum[i * 3 + 1] = pPos + pEcom;
      this.merchantChannelCum[i * 3 + 2] = 1;
      this.merchantCountry[i] = country;
      this.merchantMcc[i] = mcc;
      const local = currencyIndex(COUNTRIES[country]!.currency);
      // A few card-not-present merchants abroad price in US dollars.
      this.merchantCurrency[i] = pEcom > 0.5 && local !== usd && r.chance(0.1) ? usd : local;
      this.merchantAcquirer[i] = r.int(ACQUIRERS.length);
      this.merchantTerminals[i] = pPos > 0 ? 1 + Math.floor(r.float() ** 2 * 24) : 0;
      this.merchantIds.push(`m_${String(i + 1).padStart(6, '0')}`);
      if (pEcom + pMob >= 0.3) ecom.push(i);
      if (pPos >= 0.3) pos.push(i);
    }
    this.ecomMerchants = Int32Array.from(ecom.length > 0 ? ecom : [0]);
    this.posMerchants = Int32Array.from(pos.length > 0 ? pos : [0]);
    // Zipf ranks over a fixed permutation, so popularity does not follow the id order.
    this.zipfCum = cumulative(Array.from({ length: m }, (_, r) => 1 / (r + 1) ** MERCHANT_ZIPF_S));
    this.merchantByRank = new Int32Array(m);
    const step = coprimeStep(m, this.seed);
    const offset = hash32(this.seed, STREAM.merchantOrder, 1) % m;
    for (let r = 0; r < m; r++) this.merchantByRank[r] = (r * step + offset) % m;
    // Card blocks by issuing country.
    const cardCum = cumulative(COUNTRIES.map((c) => c.cardWeight));
    this.countryCardCum = cardCum;
    const total = cardCum[cardCum.length - 1]!;
    this.cardBlockStart = new Int32Array(COUNTRIES.length + 1);
    for (let c = 0; c < COUNTRIES.length; c++) {
      this.cardBlockStart[c + 1] = Math.round((params.cards * cardCum[c]!) / total);
    }
    this.brandCumByCountry = COUNTRIES.map((c) =>
      cumulative(
        BRANDS.map((b) => {
          if (b.brand === 'JCB') return c.code === 'JP' ? 35 : 0.5;
          if (b.brand === 'DISCOVER') return c.code === 'US' ? 6 : 0.3;
          return b.weight;
        }),
      ),
    );
    let slots = 1024;
    while (slots < params.cards && slots < CARD_CACHE_SLOTS) slots *= 2;
    this.cacheMask = slots - 1;
    this.cardBytes = new Uint8Array((slots + 1) * CARD_BYTES.slot);
    this.testCardOffset = slots * CARD_BYTES.slot;
    this.cardTags = new Int32Array(this.cardBytes.buffer);
    for (let i = 0; i <= slots; i++) this.cardTags[(i * CARD_BYTES.slot + CARD_BYTES.tag) / 4] = -1;
    this.deviceTags = new Int32Array(slots * 4).fill(-1);
    // Filled by push, not `new Array(n)`: V8 keeps a large preallocated array in slow dictionary mode.
    this.cachedDevices = [];
    for (let i = 0; i < slots * 4; i++) this.cachedDevices.push('');
  }

  /** A merchant drawn by Zipf popularity. */
  pickMerchant(r: HashRng): number {
    return this.merchantByRank[r.pickCumulative(this.zipfCum)]!;
  }

  /** Channel index (0 POS, 1 ECOM, 2 MOBILE) drawn from the merchant's mix. */
  pickChannel(r: HashRng, merchant: number): number {
    const u = r.float();
    const o = merchant * 3;
    return u < this.merchantChannelCum[o]! ? 0 : u < this.merchantChannelCum[o + 1]! ? 1 : 2;
  }

  /** A pool card for a payment at a merchant: mostly a card of the merchant's country, heavily reused. */
  pickCard(r: HashRng, merchant: number, channel: number): number {
    const domestic = channel === 0 ? 0.86 : 0.7;
    let country = r.chance(domestic) ? this.merchantCountry[merchant]! : r.pickCumulative(this.countryCardCum);
    let lo = this.cardBlockStart[country]!;
    let size = this.cardBlockStart[country + 1]! - lo;
    if (size <= 0) {
      country = r.pickCumulative(this.countryCardCum);
      lo = this.cardBlockStart[country]!;
      size = this.cardBlockStart[country + 1]! - lo;
      if (size <= 0) return r.int(this.cardCount);
    }
    return lo + Math.floor(size * r.float() ** CARD_SKEW);
  }

  /** Issuing country of a pool card. */
  cardCountry(card: number): number {
    let lo = 0;
    let hi = COUNTRIES.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >>> 1;
      if (this.cardBlockStart[mid]! <= card) lo = mid;
      else hi = mid - 1;
    }
    return lo;
  }

  /** Byte offset in {@link World.cardBytes} of a pool card's slot, filled from hash(seed, card) on a miss. */
  cardSlot(card: number): number {
    const o = (card & this.cacheMask) * CARD_BYTES.slot;
    if (this.cardTags[(o + CARD_BYTES.tag) / 4] !== card) {
      this.writeCardSlot(o, this.computeCardInfo(card, this.scratchCard));
      this.cardTags[(o + CARD_BYTES.tag) / 4] = card;
    }
    return o;
  }

  /** Byte offset in {@link World.cardBytes} of the test card slot, filled with {@link World.testCardInfo}. */
  testCardSlot(burstKey: number, j: number): number {
    this.writeCardSlot(this.testCardOffset, this.testCardInfo(burstKey, j, this.scratchCard));
    return this.testCardOffset;
  }

  private writeCardSlot(o: number, c: CardInfo): void {
    const b = this.cardBytes;
    for (let i = 0; i < CARD_BYTES.tokenLength; i++) b[o + CARD_BYTES.token + i] = c.token.charCodeAt(i);
    b[o + CARD_BYTES.binLength] = c.bin.length;
    for (let i = 0; i < c.bin.length; i++) b[o + CARD_BYTES.bin + i] = c.bin.charCodeAt(i);
    for (let i = 0; i < 4; i++) b[o + CARD_BYTES.last4 + i] = c.last4.charCodeAt(i);
    b[o + CARD_BYTES.brand] = c.brand;
    b[o + CARD_BYTES.funding] = c.funding;
    b[o + CARD_BYTES.country] = c.country;
    b[o + CARD_BYTES.devices] = c.devices;
  }

  /** Fills `out` with a pool card's attributes, from hash(seed, card). */
  private computeCardInfo(card: number, out: CardInfo): CardInfo {
    const country = this.cardCountry(card);
    const brand = this.cardBrandOf(card, country);
    const r = this.rng.reseed(hash32(this.seed, STREAM.card, card));
    fillCard(r, brand, country, out);
    out.funding = this.cardFundingQuick(card);
    return out;
  }

  private cardBrandOf(card: number, country: number): number {
    const cum = this.brandCumByCountry[country]!;
    return pickFrom(cum, unitFloat(hash32(this.seed, STREAM.card, card, 1)));
  }

  /** Funding index of a pool card (AMEX is always credit), without drawing the whole card. */
  cardFundingQuick(card: number): number {
    const brand = this.cardBrandOf(card, this.cardCountry(card));
    if (BRANDS[brand]!.brand === 'AMEX') return 0;
    return pickFrom(FUNDING_CUM, unitFloat(hash32(this.seed, STREAM.card, card, 2)));
  }

  /** Fills `out` with a synthetic card used in a card-testing burst (not in the pool; one BIN per burst). */
  testCardInfo(burstKey: number, j: number, out: CardInfo): CardInfo {
    const r = this.rng.reseed(hash32(this.seed, STREAM.scenarioCard, burstKey, 0));
    const country = r.pickCumulative(this.countryCardCum);
    const brand = 0; // VISA
    const bin = makeBin(r, brand, 8);
    r.reseed(hash32(this.seed, STREAM.scenarioCard, burstKey, j + 1));
    fillCard(r, brand, country, out);
    out.bin = bin;
    out.funding = 2; // PREPAID
    out.devices = 1;
    return out;
  }

  /** The k-th device of a card, as a `dev_` id (cached for the first 4 devices of pool cards). */
  deviceId(card: number, k: number): string {
    if (card < 0 || k > 3) return this.computeDeviceId(card, k);
    const slot = (card & this.cacheMask) * 4 + k;
    let id = this.cachedDevices[slot]!;
    if (this.deviceTags[slot] !== card) {
      id = this.computeDeviceId(card, k);
      this.cachedDevices[slot] = id;
      this.deviceTags[slot] = card;
    }
    return id;
  }

  private computeDeviceId(card: number, k: number): string {
    const r = this.rng.reseed(hash32(this.seed, STREAM.device, card, k));
    return `dev_${guardedHex(r, 16)}`;
  }

  /** Region of a country for fees. */
  regionOf(country: number): Region {
    return COUNTRIES[country]!.region;
  }

  /** The settlement currency index of a merchant: EUR in the EEA, USD elsewhere. */
  settlementCurrencyOf(merchant: number): number {
    return this.regionOf(this.merchantCountry[merchant]!) === 'EEA' ? EUR : USD;
  }
}

const EUR = currencyIndex('EUR');
const USD = currencyIndex('USD');

function fillCard(r: HashRng, brand: number, country: number, out: CardInfo): void {
  const b = BRANDS[brand]!;
  out.brand = brand;
  out.country = country;
  out.funding = b.brand === 'AMEX' ? 0 : 1;
  const binLength = (b.brand === 'VISA' || b.brand === 'MASTERCARD') && r.chance(0.7) ? 8 : 6;
  out.bin = makeBin(r, brand, binLength);
  out.last4 = String(r.int(10_000)).padStart(4, '0');
  out.token = `tok_${guardedHex(r, 24)}`;
  out.devices = 1 + Math.floor(r.float() ** 2 * 3);
}

const FUNDING_CUM = cumulative(FUNDINGS.map((f) => (f === 'CREDIT' ? 45 : f === 'DEBIT' ? 48 : 7)));

function pickFrom(cum: Float64Array, u: number): number {
  const x = u * cum[cum.length - 1]!;
  let lo = 0;
  let hi = cum.length - 1;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (cum[mid]! > x) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}

/** A BIN of the given length that starts with one of the brand's prefixes. */
function makeBin(r: HashRng, brand: number, length: number): string {
  const ranges = BRANDS[brand]!.prefixes;
  const [lo, hi] = ranges[r.int(ranges.length)]!;
  const prefix = String(lo + r.int(hi - lo + 1));
  let s = prefix;
  while (s.length < length) s += String(r.int(10));
  return s;
}

const HEX = '0123456789abcdef';

/**
 * Random lowercase hex that never holds more than 8 digits in a row, so no identifier can look like a
 * card number to a PAN scanner (13–19 consecutive digits).
 */
export function guardedHex(r: HashRng, n: number): string {
  let s = '';
  let run = 0;
  for (let i = 0; i < n; i++) {
    let v = r.nextU32() & 15;
    if (v < 10 && run >= 8) v = 10 + (v % 6);
    run = v < 10 ? run + 1 : 0;
    s += HEX[v];
  }
  return s;
}

function gcd(a: number, b: number): number {
  while (b) [a, b] = [b, a % b];
  return a;
}

function coprimeStep(m: number, seed: number): number {
  let step = (hash32(seed, STREAM.merchantOrder, 0) % m) | 1;
  while (gcd(step, m) !== 1) step = (step + 1) % m || 1;
  return step;
}

/** Exponent and code of a currency index. */
export function currencyOf(i: number): { code: string; exponent: number; unitsPerUsd: number } {
  return CURRENCIES[i]!;
}
