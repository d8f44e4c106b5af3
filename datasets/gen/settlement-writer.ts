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
import { SettlementTotals } from './settlement-totals.js';
import { TextByteBuffer } from './text-byte-buffer.js';
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

/**
 * What one settled event needs from the task. The task reuses one object for every event; the txn id, the
 * event time (`YYYY-MM-DDTHH:MM:SS`, 19 bytes) and the card's BIN and last 4 are read as bytes at the given offsets.
 */
export interface SettledEvent {
  type: number;
  srcDayNumber: number;
  unit: number;
  seq: number;
  eventDayNumber: number;
  text: Uint8Array;
  txnIdStart: number;
  txnIdEnd: number;
  datetimeStart: number;
  merchant: number;
  merchantId: string;
  merchantRegionEea: boolean;
  merchantCountry: number;
  acquirer: number;
  settlementCurrency: number;
  brand: number;
  funding: number;
  issuerCountry: number;
  issuerEea: boolean;
  /** The card's BIN at `card[binStart, binEnd)` and last 4 at `card[last4Start, last4Start + 4)`. */
  card: Uint8Array;
  binStart: number;
  binEnd: number;
  last4Start: number;
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

/** The lines of one (settlement date, acquirer) batch written by this task so far. */
interface BatchLines {
  readonly file: string;
  readonly batchId: string;
  readonly date: string;
  readonly buf: TextByteBuffer;
  dirMade: boolean;
}

/** A rate of one (event day, from, to): scaled by 10^FX_SCALE, and as written in the file. */
interface RateEntry {
  readonly scaled: number;
  readonly text: string;
}

const COMMA = 44;
/** The amount columns of a FEE line, from gross_settlement_minor to the end. */
const FEE_AMOUNTS = `,0,0,0,${CHARGEBACK_FEE_MINOR},${-CHARGEBACK_FEE_MINOR},DR,,\r\n`;
/** Size of all buffered lines past which {@link SettlementWriter.needsFlush} says to write them out. */
const FLUSH_BYTES = 4 << 20;

/** Writes the settlement lines of one task. */
export class SettlementWriter {
  private readonly rng = new HashRng();
  private readonly batches = new Map<number, BatchLines>();
  private readonly rates = new Map<number, RateEntry>();
  private readonly dates = new Map<number, string>();
  private bufferedBytes = 0;
  /** Totals per (settlement day, acquirer, settlement currency, merchant) of the lines written. */
  readonly totals = new SettlementTotals();
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
    const settlementDay = addBusinessDays(e.eventDayNumber, lag);
    const batch = this.batch(settlementDay, e.acquirer);
    const txnCur = CURRENCIES[e.currency]!;
    const setCur = CURRENCIES[e.settlementCurrency]!;
    const rate = this.rate(e.currency, e.settlementCurrency, e.eventDayNumber);
    const sign = e.type === EV.REFUND || e.type === EV.CHARGEBACK ? -1 : 1;
    const gross = sign * e.amountMinor;
    let grossSettlement = convertHalfUp(gross, rate.scaled, txnCur.exponent, setCur.exponent);
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
    const b = batch.buf;
    const lineStart = b.length;
    this.lineStart(b, 'DETAIL', batch, e);
    b.text(TXN_TYPE[e.type] ?? 'OTHER');
    b.byte(COMMA);
    b.text(BRANDS[e.brand]!.brand);
    b.byte(COMMA);
    b.copy(e.card, e.binStart, e.binEnd);
    b.byte(COMMA);
    b.copy(e.card, e.last4Start, e.last4Start + 4);
    b.byte(COMMA);
    this.datetime(b, e);
    b.text(txnCur.code);
    b.byte(COMMA);
    b.int(gross);
    b.byte(COMMA);
    b.text(rate.text);
    b.byte(COMMA);
    b.text(setCur.code);
    b.byte(COMMA);
    b.int(grossSettlement);
    b.byte(COMMA);
    b.int(interchange);
    b.byte(COMMA);
    b.int(scheme);
    b.byte(COMMA);
    b.int(markup);
    b.byte(COMMA);
    b.int(net);
    // direction, then record_count and payout_minor (TRAILER only)
    b.text(net >= 0 ? ',CR,,\r\n' : ',DR,,\r\n');
    const slot = this.totals.add(settlementDay, e.acquirer, e.settlementCurrency, e.merchant, 1, grossSettlement, interchange, scheme, markup, net);
    this.lines++;
    if (duplicate) {
      b.copy(b.bytes, lineStart, b.length);
      this.totals.addToSlot(slot, 1, grossSettlement, interchange, scheme, markup, net);
      this.lines++;
    }
    if (e.type === EV.CHARGEBACK) {
      this.lineStart(b, 'FEE', batch, e);
      b.text('CHARGEBACK_FEE,,,,');
      this.datetime(b, e);
      b.text(setCur.code);
      b.text(',,,');
      b.text(setCur.code);
      b.text(FEE_AMOUNTS);
      this.totals.addToSlot(slot, 1, 0, 0, 0, CHARGEBACK_FEE_MINOR, -CHARGEBACK_FEE_MINOR);
      this.lines++;
    }
    this.bufferedBytes += b.length - lineStart;
  }

  /** True when the buffered lines have grown past 4 MiB and should be written out (between units). */
  needsFlush(): boolean {
    return this.bufferedBytes > FLUSH_BYTES;
  }

  /** Writes every buffered line to the partial files. */
  async flush(): Promise<void> {
    for (const batch of this.batches.values()) {
      if (batch.buf.length === 0) continue;
      if (!batch.dirMade) {
        await mkdir(path.dirname(batch.file), { recursive: true });
        batch.dirMade = true;
      }
      await appendFile(batch.file, batch.buf.bytes.subarray(0, batch.buf.length));
      batch.buf.clear();
    }
    this.bufferedBytes = 0;
    this.totals.checkExact();
  }

  /** record_type, settlement_batch_id, settlement_date, merchant_id, psp_reference, acquirer_reference_number and their commas. */
  private lineStart(b: TextByteBuffer, recordType: string, batch: BatchLines, e: SettledEvent): void {
    b.text(recordType);
    b.byte(COMMA);
    b.text(batch.batchId);
    b.byte(COMMA);
    b.text(batch.date);
    b.byte(COMMA);
    b.text(e.merchantId);
    b.byte(COMMA);
    b.copy(e.text, e.txnIdStart, e.txnIdEnd);
    // ARN-<acquirer + 1><source day hex>-<unit hex, 7>-<seq>
    b.text(',ARN-');
    b.int(e.acquirer + 1);
    b.hex(e.srcDayNumber, 1);
    b.byte(45);
    b.hex(e.unit, 7);
    b.byte(45);
    b.int(e.seq);
    b.byte(COMMA);
  }

  /** txn_datetime_utc (to the second, Z) and its comma. */
  private datetime(b: TextByteBuffer, e: SettledEvent): void {
    b.copy(e.text, e.datetimeStart, e.datetimeStart + 19);
    b.text('Z,');
  }

  private batch(settlementDay: number, acquirer: number): BatchLines {
    const key = settlementDay * 4 + acquirer;
    let batch = this.batches.get(key);
    if (!batch) {
      const date = this.dateString(settlementDay);
      const acq = ACQUIRERS[acquirer]!;
      batch = {
        file: path.join(this.partsDir, date, acq, `${this.taskName}.csv`),
        batchId: `SB-${date.replaceAll('-', '')}-${acq}`,
        date,
        buf: new TextByteBuffer(1 << 16),
        dirMade: false,
      };
      this.batches.set(key, batch);
    }
    return batch;
  }

  private dateString(dayNumber: number): string {
    let s = this.dates.get(dayNumber);
    if (s === undefined) this.dates.set(dayNumber, (s = dateOfDayNumber(dayNumber)));
    return s;
  }

  private rate(from: number, to: number, dayNumber: number): RateEntry {
    const k = (dayNumber * 64 + from) * 64 + to;
    let r = this.rates.get(k);
    if (r === undefined) {
      const scaled = fxRateScaled(this.seed, from, to, dayNumber);
      if (scaled > BigInt(Number.MAX_SAFE_INTEGER)) throw new PaylakeError('INTERNAL', `FX rate ${scaled} does not fit a safe integer`);
      this.rates.set(k, (r = { scaled: Number(scaled), text: formatRate(scaled) }));
    }
    return r;
  }
}
