// The generator's plan: one cheap sequential pass over payment skeletons that fixes, before any task runs,
// how many rows each day has, which units each (day, part) task writes, and which earlier payments have
// refunds or chargebacks landing on each day. Tasks then need nothing from each other.
import { WEEKDAY_WEIGHTS } from './reference-data.js';
import { HashRng } from './hash-random.js';
import { UnitEvents, drawUnit, scenarioUnitShare } from './payment-unit.js';
import { parseIsoDate, type GenParams } from './gen-params.js';
import { World } from './world.js';

const DAY_MS = 86_400_000;

/** One task: a contiguous range of a day's units (plus, for part 0, the day's post events). */
export interface PartPlan {
  readonly dayIndex: number;
  readonly part: number;
  readonly unitStart: number;
  readonly unitEnd: number;
  /** Primary events kept of the day's last unit when it is cut to hit the row total exactly; -1 = none cut. */
  readonly cutKeep: number;
  /** Rows this part writes to the transactions dataset. */
  readonly rows: number;
  /** Whether this part writes the day's post events (refunds, chargebacks, reversals of earlier days). */
  readonly hasPost: boolean;
  /** How many post events it writes (all of them, unless a tiny row total caps them). */
  readonly postRows: number;
}

/** One day of the plan. */
export interface DayPlan {
  readonly dayIndex: number;
  /** YYYY-MM-DD. */
  readonly date: string;
  /** Days since 1970-01-01. */
  readonly dayNumber: number;
  readonly dayStartUs: number;
  readonly quota: number;
  readonly units: number;
  /** (source day index, unit index) pairs of earlier units with an event landing on this day. */
  readonly postRefs: Int32Array;
  readonly parts: readonly PartPlan[];
}

/** The whole plan. */
export interface GenPlan {
  readonly days: readonly DayPlan[];
  readonly unitsPerDay: Int32Array;
  readonly scenarioShare: number;
}

/** Splits `total` over weights exactly (largest remainder, ties to the earlier index). */
export function splitExactly(total: number, weights: readonly number[]): number[] {
  const sum = weights.reduce((a, b) => a + b, 0);
  const raw = weights.map((w) => (total * w) / sum);
  const out = raw.map(Math.floor);
  let left = total - out.reduce((a, b) => a + b, 0);
  const order = raw.map((r, i) => ({ i, frac: r - Math.floor(r) })).sort((a, b) => b.frac - a.frac || a.i - b.i);
  for (let k = 0; left > 0; k = (k + 1) % order.length, left--) out[order[k]!.i]! += 1;
  return out;
}

class IntList {
  data = new Int32Array(64);
  length = 0;
  /** Events behind the pairs (a unit can have several events landing on one day). */
  events = 0;
  push2(a: number, b: number): void {
    if (this.length + 2 > this.data.length) {
      const next = new Int32Array(this.data.length * 2);
      next.set(this.data);
      this.data = next;
    }
    this.data[this.length++] = a;
    this.data[this.length++] = b;
  }
}

/** Builds the plan. Cost: one skeleton draw per unit (about 2 rows each). */
export function planGeneration(params: GenParams, world: World = new World(params)): GenPlan {
  const startMs = parseIsoDate(params.start);
  const weights: number[] = [];
  for (let d = 0; d < params.days; d++) weights.push(WEEKDAY_WEIGHTS[(new Date(startMs + d * DAY_MS).getUTCDay() + 6) % 7]!);
  const quotas = splitExactly(params.rows, weights);
  const scenarioShare = scenarioUnitShare(params.fraudRate);
  const post = Array.from({ length: params.days }, () => new IntList());
  const unitsPerDay = new Int32Array(params.days);
  const rng = new HashRng();
  const ev = new UnitEvents();
  const days: DayPlan[] = [];
  for (let d = 0; d < params.days; d++) {
    const quota = quotas[d]!;
    const dayStartMs = startMs + d * DAY_MS;
    // Post events beyond the quota (only with absurdly small totals) are dropped.
    const postCount = Math.min(post[d]!.events, quota);
    const postRefs = post[d]!.data.slice(0, post[d]!.length);
    post[d] = new IntList(); // free
    const nParts = Math.max(1, Math.ceil(quota / params.partRows));
    const parts: PartPlan[] = [];
    let acc = postCount;
    let partStart = 0;
    let partRowsStart = 0;
    let remaining = quota - postCount;
    let u = 0;
    let cutKeep = -1;
    while (remaining > 0) {
      drawUnit(world, scenarioShare, rng, d, u, 0, 0, false, ev);
      const primary = ev.primaryCount();
      if (primary > remaining) {
        cutKeep = remaining;
        acc += remaining;
        remaining = 0;
      } else {
        remaining -= primary;
        acc += primary;
        for (let i = 0; i < ev.count; i++) {
          const off = ev.dayOffset[i]!;
          if (off > 0 && d + off < params.days) {
            const list = post[d + off]!;
            list.events++;
            const n = list.length;
            if (n === 0 || list.data[n - 2] !== d || list.data[n - 1] !== u) list.push2(d, u);
          }
        }
      }
      u++;
      const boundary = Math.ceil((quota * (parts.length + 1)) / nParts);
      if (acc >= boundary && parts.length < nParts - 1 && remaining > 0) {
        parts.push({ dayIndex: d, part: parts.length, unitStart: partStart, unitEnd: u, cutKeep: -1, rows: acc - partRowsStart, hasPost: parts.length === 0, postRows: parts.length === 0 ? postCount : 0 });
        partStart = u;
        partRowsStart = acc;
      }
    }
    parts.push({ dayIndex: d, part: parts.length, unitStart: partStart, unitEnd: u, cutKeep, rows: acc - partRowsStart, hasPost: parts.length === 0, postRows: parts.length === 0 ? postCount : 0 });
    unitsPerDay[d] = u;
    days.push({
      dayIndex: d,
      date: new Date(dayStartMs).toISOString().slice(0, 10),
      dayNumber: Math.round(dayStartMs / DAY_MS),
      dayStartUs: dayStartMs * 1000,
      quota,
      units: u,
      postRefs,
      parts,
    });
  }
  return { days, unitsPerDay, scenarioShare };
}
