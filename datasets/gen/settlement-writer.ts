// The acquirer's settlement lines for one (day, part) task: DETAIL lines for settled captures, refunds,
// chargebacks and reversals, FEE lines for chargeback fees, with the deterministic discrepancies that
// reconciliation must find. Lines go to partial files per (settlement date, acquirer); totals per merchant
// go back to the coordinator, which writes PAYOUT and TRAILER records.
import { appendFile, mkdir } from 'node:fs/promises';
import * as path from 'node:path';
import { PaylakeError } from '../../lib/errors/paylake-error.js';
import { ACQUIRERS, BRANDS, CHARGEBACK_FEE_MINOR, CURRENCIES, FEE_SCHEDULE, feeRuleIndex, type FeeRegion } from './reference-data.js';
import { HashRng, STREAM, hash32 } from './hash-random.js';
import { fxRateScaled } from './fx-rates.js';
import { convertHalfUp, feeHalfEven, formatRate } from './settlement-money.js';
import { EV } from './payment-unit.js';

/** Probabilities of the injected discrepancies, per settled event. */
export const SETTLEMENT_DISCREPANCIES = {
  missing: 0.0015,
  duplicate: 0.0005,
  amountMismatch: 0.0008,
  feeMismatch: 0.0015,
  late: 0.002,
} as const;

/** Settlement lag in business days: 1, 2 or 3 (T+1..T+3); `late` events take 5. */
const LAG_CUM = [0.55, 0.9, 1];

/** txn_type of a DETAIL line by event type. */
const TXN_TYPE: Partial<Record<number, string>> = {
  [EV.CAPTURE]: 'SETTLED',
  [EV.REFUND]: 'REFUNDED',
  [EV.CHARGEBACK]: 'CHARGEBACK',
  [EV.CHARGEBACK_REVERSAL]: 'CHARGEBACK_REVERSED',
};

/** Sums per (settlement date, acquirer, settlement currency, merchant): lines, gross, interchange, scheme, markup, net. */
export type SettlementSums = Map<string, number[]>;

/** The key of {@link SettlementSums}. */
export function sumsKey(settlementDate: string, acquirer: string, currency: string, merchantId: string): string {
  return `${settlementDate}|${acquirer}|${currency}|${merchantId}`;
}

/** What one settled event needs from the task. */
export interface SettledEvent {
  type: number;
  srcDayNumber: number;
  unit: number;
  seq: number;
  eventDayNumber: number;
  txnId: string;
  merchantId: string;
  merchantRegionEea: boolean;
  merchantCountry: number;
  acquirer: number;
  settlementCurrency: number;
  brand: number;
  funding: number;
  issuerCountry: number;
  issuerEea: boolean;
  bin: string;
  last4: string;
  datetimeUtc: string;
  currency: number;
  amountMinor: number;
}

/** Days since the epoch → YYYY-MM-DD. */
export function dateOfDayNumber(dayNumber: number): string {
  return new Date(dayNumber * 86_400_000).toISOString().slice(0, 10);
}

/** Adds business days (Monday–Friday) to a day number. */
export function addBusinessDays(dayNumber: number, n: number): number {
  let d = dayNumber;
  while (n > 0) {
    d++;
    const weekday = (d + 3) % 7; // 1970-01-01 was a Thursday; 0 = Monday
    if (weekday < 5) n--;
  }
  return d;
}

/** Writes the settlement lines of one task. */
export class SettlementWriter {
  private readonly rng = new HashRng();
  private readonly buffers = new Map<string, string[]>();
  private bufferedBytes = 0;
  private readonly rateCache = new Map<number, bigint>();
  readonly sums: SettlementSums = new Map();
  lines = 0;

  constructor(
    private readonly seed: number,
    private readonly partsDir: string,
    private readonly taskName: string,
  ) {}

  /** Buffers the line(s) of one settled event. */
  add(e: SettledEvent): void {
    const r = this.rng.reseed(hash32(this.seed, STREAM.settlement, e.srcDayNumber, e.unit, e.seq));
    const u = r.float();
    let t = SETTLEMENT_DISCREPANCIES.missing;
    if (u < t) return; // MISSING_IN_BANK
    const duplicate = u < (t += SETTLEMENT_DISCREPANCIES.duplicate);
    const amountMismatch = !duplicate && u < (t += SETTLEMENT_DISCREPANCIES.amountMismatch);
    const feeMismatch = !duplicate && !amountMismatch && u < (t += SETTLEMENT_DISCREPANCIES.feeMismatch);
    const late = u >= t && u < t + SETTLEMENT_DISCREPANCIES.late;
    const v = r.float();
    const lag = late ? 5 : v < LAG_CUM[0]! ? 1 : v < LAG_CUM[1]! ? 2 : 3;
    const settlementDate = this.dateString(addBusinessDays(e.eventDayNumber, lag));
    const acquirer = ACQUIRERS[e.acquirer]!;
    const batchId = `SB-${settlementDate.replaceAll('-', '')}-${acquirer}`;
    const txnCur = CURRENCIES[e.currency]!;
    const setCur = CURRENCIES[e.settlementCurrency]!;
    const rate = this.rate(e.currency, e.settlementCurrency, e.eventDayNumber);
    const sign = e.type === EV.REFUND || e.type === EV.CHARGEBACK ? -1 : 1;
    const gross = sign * e.amountMinor;
    let grossSettlement = convertHalfUp(gross, rate, txnCur.exponent, setCur.exponent);
    if (amountMismatch) grossSettlement += (r.chance(0.5) ? -1 : 1) * r.range(1, 99);
    const region: FeeRegion =
      e.issuerEea && e.merchantRegionEea ? 'INTRA_EEA' : e.issuerCountry === e.merchantCountry ? 'DOMESTIC' : 'INTER_REGIONAL';
    const rule = FEE_SCHEDULE[feeRuleIndex(e.brand, e.funding, region)]!;
    const base = Math.abs(grossSettlement);
    let interchange = 0;
    let scheme = 0;
    let markup = 0;
    if (e.type === EV.CAPTURE) {
      interchange = feeHalfEven(base, rule.interchangePpm);
      scheme = feeHalfEven(base, rule.schemeFeePpm);
      markup = feeHalfEven(base, rule.markupPpm) + rule.markupFixedMinor;
    } else if (e.type === EV.REFUND) {
      scheme = feeHalfEven(base, rule.schemeFeePpm);
      markup = rule.markupFixedMinor;
    }
    if (feeMismatch) {
      if (interchange > 0) interchange += r.range(1, 30);
      else markup += r.range(1, 30);
    }
    const net = grossSettlement - interchange - scheme - markup;
    const arn = `ARN-${e.acquirer + 1}${e.srcDayNumber.toString(16)}-${(e.unit >>> 0).toString(16).padStart(7, '0')}-${e.seq}`;
    const line = [
      'DETAIL',
      batchId,
      settlementDate,
      e.merchantId,
      e.txnId,
      arn,
      TXN_TYPE[e.type] ?? 'OTHER',
      BRANDS[e.brand]!.brand,
      e.bin,
      e.last4,
      e.datetimeUtc,
      txnCur.code,
      gross,
      formatRate(rate),
      setCur.code,
      grossSettlement,
      interchange,
      scheme,
      markup,
      net,
      net >= 0 ? 'CR' : 'DR',
    ].join(',');
    const key = sumsKey(settlementDate, acquirer, setCur.code, e.merchantId);
    const copies = duplicate ? 2 : 1;
    for (let c = 0; c < copies; c++) {
      this.push(settlementDate, acquirer, line);
      this.sum(key, grossSettlement, interchange, scheme, markup, net);
    }
    if (e.type === EV.CHARGEBACK) {
      const fee = [
        'FEE',
        batchId,
        settlementDate,
        e.merchantId,
        e.txnId,
        arn,
        'CHARGEBACK_FEE',
        '',
        '',
        '',
        e.datetimeUtc,
        setCur.code,
        '',
        '',
        setCur.code,
        0,
        0,
        0,
        CHARGEBACK_FEE_MINOR,
        -CHARGEBACK_FEE_MINOR,
        'DR',
      ].join(',');
      this.push(settlementDate, acquirer, fee);
      this.sum(key, 0, 0, 0, CHARGEBACK_FEE_MINOR, -CHARGEBACK_FEE_MINOR);
    }
  }

  /** Writes the buffers out when they have grown past 4 MiB. */
  async maybeFlush(): Promise<void> {
    if (this.bufferedBytes > 4 << 20) await this.flush();
  }

  /** Writes every buffered line to the partial files. */
  async flush(): Promise<void> {
    for (const [key, lines] of this.buffers) {
      if (lines.length === 0) continue;
      const file = path.join(this.partsDir, key, `${this.taskName}.csv`);
      await mkdir(path.dirname(file), { recursive: true });
      await appendFile(file, `${lines.join('\r\n')}\r\n`);
      this.buffers.set(key, []);
    }
    this.bufferedBytes = 0;
    for (const [key, s] of this.sums) {
      if (!s.every(Number.isSafeInteger)) throw new PaylakeError('OVERFLOW', `settlement totals for ${key} exceed 2^53 minor units`);
    }
  }

  private push(settlementDate: string, acquirer: string, line: string): void {
    const key = `${settlementDate}/${acquirer}`;
    let lines = this.buffers.get(key);
    if (!lines) this.buffers.set(key, (lines = []));
    lines.push(line);
    this.bufferedBytes += line.length + 2;
    this.lines++;
  }

  private sum(key: string, gross: number, ic: number, scheme: number, markup: number, net: number): void {
    let s = this.sums.get(key);
    if (!s) this.sums.set(key, (s = [0, 0, 0, 0, 0, 0]));
    s[0]! += 1;
    s[1]! += gross;
    s[2]! += ic;
    s[3]! += scheme;
    s[4]! += markup;
    s[5]! += net;
  }

  private readonly dates = new Map<number, string>();

  private dateString(dayNumber: number): string {
    let s = this.dates.get(dayNumber);
    if (s === undefined) this.dates.set(dayNumber, (s = dateOfDayNumber(dayNumber)));
    return s;
  }

  private rate(from: number, to: number, dayNumber: number): bigint {
    const k = (dayNumber * 64 + from) * 64 + to;
    let r = this.rateCache.get(k);
    if (r === undefined) this.rateCache.set(k, (r = fxRateScaled(this.seed, from, to, dayNumber)));
    return r;
  }
}
