// One "unit" of the event log: an ordinary payment (auth → capture → maybe refund or chargeback), or one
// injected fraud scenario. Every unit is a pure function of (seed, day, unit index): the planner draws only
// its skeleton (event types, statuses, landing days), tasks draw the same skeleton and then the details.
import { DECLINE_CODES, ERROR_CODES, HOURLY_WEIGHTS, MCCS } from './reference-data.js';
import { HashRng, STREAM, cumulative, hash32 } from './hash-random.js';
import { currencyOf, type World } from './world.js';

/** Event type codes, indexes into EVENT_TYPES. */
export const EV = { AUTH: 0, CAPTURE: 1, VOID: 2, REFUND: 3, CHARGEBACK: 4, CHARGEBACK_REVERSAL: 5 } as const;
/** Status codes, indexes into EVENT_STATUSES. */
export const ST = { APPROVED: 0, DECLINED: 1, ERROR: 2 } as const;
/** Scenario codes, indexes into FRAUD_SCENARIOS; -1 = not fraud. */
export const SC = { NONE: -1, CARD_TESTING: 0, COMPROMISED_TERMINAL: 1, ACCOUNT_TAKEOVER: 2, IMPOSSIBLE_TRAVEL: 3 } as const;

/** Response codes as written (index 0 = approved). */
export const RESPONSE_CODES = ['00', ...DECLINE_CODES.map((d) => d.code), '91', '96'] as const;
/** Entry modes (ISO 8583 field 22). */
export const ENTRY_MODES = ['01', '02', '05', '07', '81', '10'] as const;

const MAX_EVENTS = 160;
const DAY_US = 86_400_000_000;

/** Probabilities of the payment lifecycle (the shapes the tests check). */
export const LIFECYCLE = {
  authError: 0.015,
  authRetryAfterError: 0.6,
  declineBase: 0.062,
  declineHighRisk: 0.05,
  declineCrossBorder: 0.035,
  declinePrepaid: 0.03,
  void: 0.03,
  uncaptured: 0.02,
  captureError: 0.006,
  refund: 0.03,
  refundMeanExtraDays: 2,
  chargeback: 0.006,
  chargebackMeanExtraDays: 4,
  reversalOfChargeback: 0.35,
} as const;

/** Mean log rows of an ordinary unit and of a scenario unit, to turn the fraud row share into a unit share. */
const MEAN_ROWS_NORMAL = 2.05;
const SCENARIO_WEIGHTS = [0.3, 0.2, 0.3, 0.2];
const MEAN_ROWS_SCENARIO = 0.3 * 26 + 0.2 * 21 + 0.3 * 8.5 + 0.2 * 5;

/** Share of units that are fraud scenarios for a target share of rows. */
export function scenarioUnitShare(fraudRate: number): number {
  const f = Math.min(fraudRate, 0.2);
  return (f * MEAN_ROWS_NORMAL) / (MEAN_ROWS_SCENARIO * (1 - f) + f * MEAN_ROWS_NORMAL);
}

const DECLINE_CUM = cumulative(DECLINE_CODES.map((d) => d.weight));
const ERROR_CUM = cumulative(ERROR_CODES.map((e) => e.weight));
const SCENARIO_CUM = cumulative(SCENARIO_WEIGHTS);
const TESTING_CODES = [RESPONSE_CODES.indexOf('14'), RESPONSE_CODES.indexOf('54'), RESPONSE_CODES.indexOf('05')];
const TESTING_CUM = cumulative([45, 30, 25]);
const CODE_61 = RESPONSE_CODES.indexOf('61');

/** Inverse CDF of the diurnal profile at 4096 quantiles, as a fraction of the day. */
const DIURNAL_INV = (() => {
  const cum = cumulative(HOURLY_WEIGHTS);
  const total = cum[cum.length - 1]!;
  const n = 4096;
  const out = new Float64Array(n + 1);
  let h = 0;
  for (let i = 0; i <= n; i++) {
    const q = (i / n) * total;
    while (h < 23 && cum[h]! < q) h++;
    const before = h === 0 ? 0 : cum[h - 1]!;
    out[i] = (h + (q - before) / HOURLY_WEIGHTS[h]!) / 24;
  }
  return out;
})();

/** The fraction of a day at quantile q in [0, 1) of the diurnal profile (linear between table points). */
export function diurnalFraction(q: number): number {
  const x = q * 4096;
  const i = Math.min(4095, Math.floor(x));
  const a = DIURNAL_INV[i]!;
  return a + (DIURNAL_INV[i + 1]! - a) * (x - i);
}

/**
 * The events of one unit as parallel arrays (struct of arrays, reused across units). Times are µs since
 * the epoch as doubles (exact below 2^53); amounts are minor units.
 */
export class UnitEvents {
  count = 0;
  scenario: number = SC.NONE;
  readonly type = new Uint8Array(MAX_EVENTS);
  readonly status = new Uint8Array(MAX_EVENTS);
  /** Days after the unit's day on which the event happens (0 = primary event). */
  readonly dayOffset = new Int16Array(MAX_EVENTS);
  /** Index of the parent event in this unit, or -1. */
  readonly parent = new Int16Array(MAX_EVENTS);
  /** Which payment of the unit the event belongs to. */
  readonly payment = new Uint8Array(MAX_EVENTS);
  readonly timeUs = new Float64Array(MAX_EVENTS);
  readonly response = new Uint8Array(MAX_EVENTS);
  /** Index into ERROR_CODES, or -1. */
  readonly error = new Int8Array(MAX_EVENTS);
  readonly amount = new Float64Array(MAX_EVENTS);
  readonly latency = new Int32Array(MAX_EVENTS);
  readonly merchant = new Int32Array(MAX_EVENTS);
  /** Pool card index, or -1 - j for the j-th synthetic test card of a card-testing burst. */
  readonly card = new Int32Array(MAX_EVENTS);
  readonly channel = new Uint8Array(MAX_EVENTS);
  readonly entryMode = new Uint8Array(MAX_EVENTS);
  /** Terminal number at the merchant, or -1. */
  readonly terminal = new Int16Array(MAX_EVENTS);
  /** Device number of the card, -1 for none; 200+ = a fraudster's device. */
  readonly device = new Int16Array(MAX_EVENTS);
  /** Country index of the IP address, or -1. */
  readonly ipCountry = new Int16Array(MAX_EVENTS);
  readonly currency = new Uint8Array(MAX_EVENTS);

  /** Count of primary events (day offset 0). */
  primaryCount(): number {
    let n = 0;
    for (let i = 0; i < this.count; i++) if (this.dayOffset[i] === 0) n++;
    return n;
  }

  add(type: number, status: number, dayOffset: number, parent: number, payment: number): number {
    const i = this.count++;
    this.type[i] = type;
    this.status[i] = status;
    this.dayOffset[i] = dayOffset;
    this.parent[i] = parent;
    this.payment[i] = payment;
    return i;
  }
}

/** Per-payment attributes drawn with the skeleton (they drive decline odds). */
interface PaymentPick {
  merchant: number;
  card: number;
  channel: number;
  terminal: number;
}

/**
 * Draws the unit (day, index) into `out`. With `full` false only the skeleton is drawn (types, statuses,
 * day offsets, merchant and card), which is all the planner needs; with `full` true every field is set.
 * `unitsInDay` places the unit in time (unit i starts near quantile i/unitsInDay of the diurnal profile).
 */
export function drawUnit(
  world: World,
  scenarioShare: number,
  rng: HashRng,
  dayIndex: number,
  unit: number,
  unitsInDay: number,
  dayStartUs: number,
  full: boolean,
  out: UnitEvents,
): void {
  out.count = 0;
  out.scenario = SC.NONE;
  rng.reseed(hash32(world.seed, STREAM.unit, dayIndex, unit));
  if (rng.float() < scenarioShare) {
    out.scenario = rng.pickCumulative(SCENARIO_CUM);
    drawScenarioSkeleton(world, rng, out);
  } else {
    drawPaymentSkeleton(world, rng, out, 0, null);
  }
  if (!full) return;
  const q = Math.min(0.999999, (unit + rng.float()) / Math.max(1, unitsInDay));
  const startUs = dayStartUs + Math.floor(diurnalFraction(q) * DAY_US);
  drawDetails(world, rng, out, startUs, dayStartUs);
}

/** The ordinary payment lifecycle; `pick` fixes merchant/card/channel for scenario payments. */
function drawPaymentSkeleton(world: World, r: HashRng, out: UnitEvents, payment: number, pick: PaymentPick | null): void {
  const merchant = pick ? pick.merchant : world.pickMerchant(r);
  const channel = pick ? pick.channel : world.pickChannel(r, merchant);
  const card = pick ? pick.card : world.pickCard(r, merchant, channel);
  const terminal = pick ? pick.terminal : channel === 0 ? r.int(Math.max(1, world.merchantTerminals[merchant]!)) : -1;
  const first = out.count;
  const mcc = MCCS[world.merchantMcc[merchant]!]!;
  const crossBorder = card >= 0 && world.cardCountry(card) !== world.merchantCountry[merchant];
  let pDecline: number = LIFECYCLE.declineBase;
  if (mcc.highRisk) pDecline += LIFECYCLE.declineHighRisk;
  if (crossBorder) pDecline += LIFECYCLE.declineCrossBorder;
  if (card >= 0 && world.cardFundingQuick(card) === 2) pDecline += LIFECYCLE.declinePrepaid;
  if (pick) pDecline = out.scenario === SC.ACCOUNT_TAKEOVER ? 0.22 : out.scenario === SC.COMPROMISED_TERMINAL ? 0.15 : 0.08;

  let auth = out.add(EV.AUTH, ST.APPROVED, 0, -1, payment);
  if (r.chance(LIFECYCLE.authError)) {
    out.status[auth] = ST.ERROR;
    if (!r.chance(LIFECYCLE.authRetryAfterError)) return finishPick(out, first, merchant, card, channel, terminal);
    auth = out.add(EV.AUTH, ST.APPROVED, 0, -1, payment);
  }
  if (r.chance(pDecline)) {
    out.status[auth] = ST.DECLINED;
    return finishPick(out, first, merchant, card, channel, terminal);
  }
  const u = r.float();
  if (!pick && u < LIFECYCLE.void) {
    out.add(EV.VOID, ST.APPROVED, 0, auth, payment);
    return finishPick(out, first, merchant, card, channel, terminal);
  }
  if (!pick && u < LIFECYCLE.void + LIFECYCLE.uncaptured) return finishPick(out, first, merchant, card, channel, terminal);
  let capture = out.add(EV.CAPTURE, ST.APPROVED, 0, auth, payment);
  if (r.chance(LIFECYCLE.captureError)) {
    out.status[capture] = ST.ERROR;
    capture = out.add(EV.CAPTURE, ST.APPROVED, 0, auth, payment);
  }
  const pRefund = pick ? 0.01 : LIFECYCLE.refund;
  const pChargeback =
    out.scenario === SC.ACCOUNT_TAKEOVER ? 0.5 : out.scenario === SC.COMPROMISED_TERMINAL ? 0.35 : out.scenario !== SC.NONE ? 0.3 : LIFECYCLE.chargeback;
  const v = r.float();
  if (v < pRefund) {
    out.add(EV.REFUND, ST.APPROVED, 1 + Math.floor(r.exponential(LIFECYCLE.refundMeanExtraDays)), capture, payment);
  } else if (v < pRefund + pChargeback) {
    const cbDay = 2 + Math.floor(r.exponential(LIFECYCLE.chargebackMeanExtraDays));
    const cb = out.add(EV.CHARGEBACK, ST.APPROVED, Math.min(cbDay, 120), capture, payment);
    if (r.chance(LIFECYCLE.reversalOfChargeback)) {
      out.add(EV.CHARGEBACK_REVERSAL, ST.APPROVED, Math.min(cbDay + 3 + Math.floor(r.exponential(5)), 200), cb, payment);
    }
  }
  return finishPick(out, first, merchant, card, channel, terminal);
}

function finishPick(out: UnitEvents, first: number, merchant: number, card: number, channel: number, terminal: number): void {
  for (let i = first; i < out.count; i++) {
    out.merchant[i] = merchant;
    out.card[i] = card;
    out.channel[i] = channel;
    out.terminal[i] = terminal;
  }
}

function drawScenarioSkeleton(world: World, r: HashRng, out: UnitEvents): void {
  switch (out.scenario) {
    case SC.CARD_TESTING: {
      const merchant = world.ecomMerchants[r.int(world.ecomMerchants.length)]!;
      const k = r.range(12, 40);
      for (let j = 0; j < k; j++) {
        const i = out.add(EV.AUTH, r.chance(0.78) ? ST.DECLINED : ST.APPROVED, 0, -1, j);
        out.merchant[i] = merchant;
        out.card[i] = -1 - j;
        out.channel[i] = 1;
        out.terminal[i] = -1;
      }
      return;
    }
    case SC.COMPROMISED_TERMINAL: {
      const merchant = world.posMerchants[r.int(world.posMerchants.length)]!;
      const terminal = r.int(Math.max(1, world.merchantTerminals[merchant]!));
      const n = r.range(6, 16);
      for (let j = 0; j < n; j++) {
        drawPaymentSkeleton(world, r, out, j, { merchant, card: world.pickCard(r, merchant, 0), channel: 0, terminal });
      }
      return;
    }
    case SC.ACCOUNT_TAKEOVER: {
      const card = world.pickCard(r, world.pickMerchant(r), 1);
      const n = r.range(3, 6);
      for (let j = 0; j < n; j++) {
        const merchant = world.ecomMerchants[r.int(world.ecomMerchants.length)]!;
        drawPaymentSkeleton(world, r, out, j, { merchant, card, channel: 1, terminal: -1 });
      }
      return;
    }
    default: {
      // impossible travel: card-present payments in different countries within an hour or two
      const n = r.range(2, 3);
      const card = world.pickCard(r, world.pickMerchant(r), 0);
      let lastCountry = -1;
      for (let j = 0; j < n; j++) {
        let merchant = world.posMerchants[r.int(world.posMerchants.length)]!;
        for (let tries = 0; tries < 8 && world.merchantCountry[merchant] === lastCountry; tries++) {
          merchant = world.posMerchants[r.int(world.posMerchants.length)]!;
        }
        lastCountry = world.merchantCountry[merchant]!;
        const terminal = r.int(Math.max(1, world.merchantTerminals[merchant]!));
        drawPaymentSkeleton(world, r, out, j, { merchant, card, channel: 0, terminal });
      }
    }
  }
}

/** Amount of a payment in minor units of `currency`: log-normal per MCC with a Pareto tail. */
function drawAmount(r: HashRng, mccIdx: number, currency: number, factor: number): number {
  const mcc = MCCS[mccIdx]!;
  let usd = mcc.medianUsd * Math.exp(mcc.sigma * r.normal()) * factor;
  if (r.chance(0.004)) usd *= Math.min(200, (1 - r.float()) ** (-1 / 1.3));
  const c = currencyOf(currency);
  let minor = usd * c.unitsPerUsd * 10 ** c.exponent;
  const step = c.exponent === 0 && c.unitsPerUsd > 1000 ? 100 : c.exponent === 0 && c.unitsPerUsd > 100 ? 10 : 1;
  minor = Math.round(minor / step) * step;
  return Math.min(1e12, Math.max(step, minor));
}

function latencyOf(r: HashRng, type: number, status: number, error: number): number {
  if (status === ST.ERROR) {
    const code = ERROR_CODES[error]!.code;
    return code.endsWith('TIMEOUT') ? r.range(10_000, 30_000) : r.range(15, 400);
  }
  const median = type === EV.AUTH ? 180 : type === EV.CHARGEBACK || type === EV.CHARGEBACK_REVERSAL ? 25 : 70;
  return Math.max(3, Math.min(60_000, Math.round(median * Math.exp(0.45 * r.normal()))));
}

/** Fills the details of every event: amounts, times, codes, entry modes, devices, IP countries, latencies. */
function drawDetails(world: World, r: HashRng, out: UnitEvents, startUs: number, dayStartUs: number): void {
  const dayEnd = dayStartUs + DAY_US;
  const scenario = out.scenario;
  // Relative offsets of primary events; shifted later so the whole unit stays inside its day.
  let offset = 0;
  let maxOffset = 0;
  let paymentStart = 0;
  let lastPayment = -1;
  let paymentAmount = 0;
  let authTime = 0;
  const fraudDevice = 200 + r.int(50);
  let payEntry = 0;
  let payDevice = -1;
  let payIp = -1;
  const foreignIp = r.int(28);
  for (let i = 0; i < out.count; i++) {
    const type = out.type[i]!;
    const status = out.status[i]!;
    const merchant = out.merchant[i]!;
    const card = out.card[i]!;
    const channel = out.channel[i]!;
    if (out.payment[i] !== lastPayment) {
      lastPayment = out.payment[i]!;
      // Time between the payments of a scenario: seconds for card testing, minutes otherwise.
      if (i > 0) {
        paymentStart +=
          scenario === SC.CARD_TESTING
            ? r.range(2_000_000, 25_000_000)
            : scenario === SC.IMPOSSIBLE_TRAVEL
              ? r.range(20 * 60_000_000, 95 * 60_000_000)
              : scenario === SC.ACCOUNT_TAKEOVER
                ? r.range(60_000_000, 12 * 60_000_000)
                : r.range(4 * 60_000_000, 40 * 60_000_000);
      }
      offset = paymentStart;
      const factor = scenario === SC.ACCOUNT_TAKEOVER ? 6 + 6 * r.float() : scenario === SC.COMPROMISED_TERMINAL ? 2.5 : 1;
      if (scenario === SC.CARD_TESTING) {
        // Tiny authorisations (about one dollar) or zero-amount card checks.
        const c = currencyOf(world.merchantCurrency[merchant]!);
        paymentAmount = r.chance(0.3) ? 0 : Math.max(1, Math.round((r.range(100, 250) / 100) * c.unitsPerUsd * 10 ** c.exponent));
      } else {
        paymentAmount = drawAmount(r, world.merchantMcc[merchant]!, world.merchantCurrency[merchant]!, factor);
      }
      // Entry mode, device and IP country hold for every event of the payment.
      if (channel === 0) {
        const u = r.float();
        payEntry = scenario === SC.COMPROMISED_TERMINAL ? (u < 0.8 ? 1 : 0) : u < 0.46 ? 2 : u < 0.92 ? 3 : u < 0.97 ? 1 : 0;
        payDevice = -1;
        payIp = -1;
      } else {
        payEntry = r.chance(0.7) ? 4 : 5;
        const home = card >= 0 ? world.cardCountry(card) : foreignIp;
        if (scenario === SC.CARD_TESTING || scenario === SC.ACCOUNT_TAKEOVER) {
          payDevice = fraudDevice;
          payIp = foreignIp === home ? (foreignIp + 7) % 28 : foreignIp;
        } else {
          payDevice = r.int(3);
          payIp = r.chance(0.93) ? home : r.int(28);
        }
      }
    }
    out.currency[i] = world.merchantCurrency[merchant]!;
    out.amount[i] = paymentAmount;
    out.error[i] = -1;
    out.entryMode[i] = payEntry;
    out.device[i] = payDevice;
    out.ipCountry[i] = payIp;
    // status details
    if (status === ST.APPROVED) out.response[i] = 0;
    else if (status === ST.DECLINED) {
      out.response[i] =
        scenario === SC.CARD_TESTING
          ? TESTING_CODES[r.pickCumulative(TESTING_CUM)]!
          : scenario === SC.ACCOUNT_TAKEOVER && r.chance(0.5)
            ? CODE_61
            : 1 + r.pickCumulative(DECLINE_CUM);
    } else {
      const e = r.pickCumulative(ERROR_CUM);
      out.error[i] = e;
      out.response[i] = RESPONSE_CODES.indexOf(ERROR_CODES[e]!.response as (typeof RESPONSE_CODES)[number]);
    }
    out.latency[i] = latencyOf(r, type, status, out.error[i]!);
    // times and amounts by event type
    const day = out.dayOffset[i]!;
    if (day > 0) {
      out.timeUs[i] = dayStartUs + day * DAY_US + Math.floor(diurnalFraction(r.float()) * (DAY_US - 1));
      if (type === EV.REFUND && r.chance(0.3)) out.amount[i] = Math.max(1, Math.round(paymentAmount * (0.1 + 0.8 * r.float())));
      continue;
    }
    if (type === EV.AUTH) {
      if (i > 0 && out.payment[i - 1] === out.payment[i]) offset += r.range(800_000, 6_000_000); // retry after error
      authTime = offset;
    } else if (type === EV.CAPTURE) {
      if (out.type[i - 1] === EV.CAPTURE) offset += r.range(2_000_000, 120_000_000);
      else offset = authTime + (channel === 0 && r.chance(0.7) ? r.range(300_000, 3_000_000) : Math.floor(r.exponential(3_600_000_000)));
    } else {
      offset = authTime + Math.floor(r.exponential(7_200_000_000));
    }
    out.timeUs[i] = offset;
    if (offset > maxOffset) maxOffset = offset;
  }
  // Shift the primary events so the unit starts near startUs and ends inside the day.
  let base = startUs;
  const room = dayEnd - 1_000_000 - base;
  let scale = 1;
  if (maxOffset > room) {
    // Scenario sequences keep their rhythm and move earlier; a lone payment's auth→capture gap shrinks.
    if (out.payment[out.count - 1]! > 0 && maxOffset <= DAY_US / 2) base = Math.max(dayStartUs, dayEnd - 1_000_000 - maxOffset);
    else scale = Math.max(0, room) / maxOffset;
  }
  for (let i = 0; i < out.count; i++) {
    if (out.dayOffset[i] === 0) out.timeUs[i] = base + Math.floor(out.timeUs[i]! * scale);
  }
  // Equal times inside one payment would make parent order ambiguous: enforce strictly increasing.
  for (let i = 1; i < out.count; i++) {
    if (out.dayOffset[i] === 0 && out.payment[i] === out.payment[i - 1] && out.timeUs[i]! <= out.timeUs[i - 1]!) {
      out.timeUs[i] = out.timeUs[i - 1]! + 1;
    }
  }
}
