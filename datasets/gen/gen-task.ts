// One generator task = one (day, part): regenerates its units from their hashes and writes the transactions
// part file, the fraud-label part file, the gateway log file and the partial settlement lines. Pure function
// of (params, plan slice): the output bytes do not depend on which worker runs it, or when.
import { mkdir } from 'node:fs/promises';
import * as path from 'node:path';
import { RecordBatch, Schema, Struct, makeData, type Data } from 'apache-arrow';
import { ParquetFileWriter } from '../../lib/io/parquet/parquet-writer.js';
import { transactionsSchema } from '../schemas/transactions.schema.js';
import { FRAUD_SCENARIOS, fraudLabelsSchema } from '../schemas/fraud-labels.schema.js';
import { EVENT_STATUSES, EVENT_TYPES, CHANNELS } from '../schemas/transactions.schema.js';
import { ACQUIRERS, BRANDS, COUNTRIES, CURRENCIES, ERROR_CODES, FUNDINGS, MCCS } from './reference-data.js';
import { HashRng, fmix32 } from './hash-random.js';
import { ENTRY_MODES, EV, RESPONSE_CODES, SC, ST, UnitEvents, drawUnit } from './payment-unit.js';
import { World, type CardInfo } from './world.js';
import { Int32ColumnBuilder, Int64ColumnBuilder, Utf8ColumnBuilder } from './arrow-column-builders.js';
import { GatewayLogWriter } from './gateway-log-writer.js';
import { SettlementWriter } from './settlement-writer.js';
import type { GenParams } from './gen-params.js';
import type { PartPlan } from './gen-plan.js';

/** Rows per Arrow batch handed to the Parquet writer. */
const BATCH_ROWS = 65_536;

/** Everything a task needs; structured-clone friendly (crosses to a worker thread). */
export interface GenTaskInput {
  readonly params: GenParams;
  readonly part: PartPlan;
  readonly date: string;
  readonly dayNumber: number;
  /** Day numbers and start (µs) of every day, and their unit counts, for regenerating earlier units. */
  readonly dayNumbers: readonly number[];
  readonly dayStartsUs: readonly number[];
  readonly unitsPerDay: Int32Array;
  readonly scenarioShare: number;
  /** (source day index, unit) pairs whose event lands on this day; only for the part that writes post events. */
  readonly postRefs: Int32Array;
  /** Root of the staging output tree. */
  readonly outDir: string;
  /** Footer `created_by`. */
  readonly createdBy: string;
}

/** What a task wrote. */
export interface GenTaskResult {
  readonly dayIndex: number;
  readonly part: number;
  readonly rows: number;
  readonly labelRows: number;
  readonly logLines: number;
  readonly settlementLines: number;
  /** [key, [lines, gross, interchange, scheme, markup, net]] per (settlement date, acquirer, currency, merchant). */
  readonly settlementSums: [string, number[]][];
}

let cachedWorld: { key: string; world: World } | undefined;

function worldFor(params: GenParams): World {
  const key = `${params.seed}/${params.merchants}/${params.cards}`;
  if (cachedWorld?.key !== key) cachedWorld = { key, world: new World(params) };
  return cachedWorld.world;
}

/** The partition path of a dataset for a date. */
export function partitionDir(outDir: string, dataset: string, date: string): string {
  return path.join(outDir, dataset, `dt=${date}`);
}

/** Runs one task. */
export async function runGenTask(input: GenTaskInput): Promise<GenTaskResult> {
  const { params, part, date } = input;
  const world = worldFor(params);
  const partName = `part-${String(part.part).padStart(5, '0')}.parquet`;
  const txDir = partitionDir(input.outDir, 'transactions', date);
  const labelDir = partitionDir(input.outDir, path.join('labels', 'fraud'), date);
  const logDir = partitionDir(input.outDir, path.join('raw', 'gateway'), date);
  await Promise.all([mkdir(txDir, { recursive: true }), mkdir(labelDir, { recursive: true }), mkdir(logDir, { recursive: true })]);
  const writerOptions = {
    codec: params.codec,
    maxRowGroupRows: params.rowGroupRows,
    statistics: 'page' as const,
    createdBy: input.createdBy,
  };
  const txWriter = await ParquetFileWriter.open(path.join(txDir, partName), transactionsSchema, writerOptions);
  const labelWriter = await ParquetFileWriter.open(path.join(labelDir, partName), fraudLabelsSchema, writerOptions);
  const log = new GatewayLogWriter(path.join(logDir, `gateway-${String(part.part).padStart(2, '0')}.log`), world.seed, input.dayNumber, part.part);
  const settlement = new SettlementWriter(
    world.seed,
    path.join(input.outDir, '_bank_parts'),
    `${String(part.dayIndex).padStart(5, '0')}-${String(part.part).padStart(5, '0')}`,
  );
  const emitter = new EventEmitter(world, input, txWriter, labelWriter, log, settlement);
  try {
    const rng = new HashRng();
    const ev = new UnitEvents();
    const d = part.dayIndex;
    if (part.hasPost) {
      const refs = input.postRefs;
      let left = part.postRows;
      for (let k = 0; k < refs.length && left > 0; k += 2) {
        const src = refs[k]!;
        const unit = refs[k + 1]!;
        drawUnit(world, input.scenarioShare, rng, src, unit, input.unitsPerDay[src]!, input.dayStartsUs[src]!, true, ev);
        for (let i = 0; i < ev.count; i++) {
          if (ev.dayOffset[i] === d - src && left > 0) {
            emitter.emit(ev, i, src, unit);
            left--;
          }
        }
        await emitter.maybeFlush();
      }
    }
    const units = input.unitsPerDay[d]!;
    for (let unit = part.unitStart; unit < part.unitEnd; unit++) {
      drawUnit(world, input.scenarioShare, rng, d, unit, units, input.dayStartsUs[d]!, true, ev);
      let keep = unit === units - 1 && part.cutKeep >= 0 ? part.cutKeep : Number.MAX_SAFE_INTEGER;
      for (let i = 0; i < ev.count && keep > 0; i++) {
        if (ev.dayOffset[i] !== 0) continue;
        emitter.emit(ev, i, d, unit);
        keep--;
      }
      await emitter.maybeFlush();
    }
    await emitter.finish();
    await log.close();
    await settlement.flush();
    const tx = await txWriter.close();
    const labels = await labelWriter.close();
    if (tx.rows !== part.rows) {
      throw new Error(`task ${date}/${part.part} wrote ${tx.rows} rows, the plan says ${part.rows}`);
    }
    return {
      dayIndex: d,
      part: part.part,
      rows: tx.rows,
      labelRows: labels.rows,
      logLines: log.stats.eventLines + log.stats.duplicateLines + log.stats.noiseLines,
      settlementLines: settlement.lines,
      settlementSums: [...settlement.sums.entries()],
    };
  } catch (e) {
    await Promise.all([txWriter.abort(), labelWriter.abort()]);
    throw e;
  }
}

const HEX8 = (n: number): string => (n >>> 0).toString(16).padStart(8, '0');

/** Formats µs since the epoch within a known day as YYYY-MM-DDTHH:MM:SS.ffffffZ. */
function isoMicros(datePrefix: string, dayStartUs: number, us: number): string {
  let rest = us - dayStartUs;
  const h = Math.floor(rest / 3_600_000_000);
  rest -= h * 3_600_000_000;
  const m = Math.floor(rest / 60_000_000);
  rest -= m * 60_000_000;
  const s = Math.floor(rest / 1_000_000);
  const f = rest - s * 1_000_000;
  return `${datePrefix}${h < 10 ? '0' : ''}${h}:${m < 10 ? '0' : ''}${m}:${s < 10 ? '0' : ''}${s}.${String(f).padStart(6, '0')}Z`;
}

/** Turns unit events into rows of every output. */
class EventEmitter {
  private readonly txId = new Utf8ColumnBuilder(BATCH_ROWS);
  private readonly paymentId = new Utf8ColumnBuilder(BATCH_ROWS);
  private readonly parentId = new Utf8ColumnBuilder(BATCH_ROWS);
  private readonly eventType = new Utf8ColumnBuilder(BATCH_ROWS);
  private readonly status = new Utf8ColumnBuilder(BATCH_ROWS);
  private readonly response = new Utf8ColumnBuilder(BATCH_ROWS);
  private readonly eventTime = new Int64ColumnBuilder(BATCH_ROWS, true);
  private readonly merchantId = new Utf8ColumnBuilder(BATCH_ROWS);
  private readonly mcc = new Int32ColumnBuilder(BATCH_ROWS);
  private readonly terminalId = new Utf8ColumnBuilder(BATCH_ROWS);
  private readonly channel = new Utf8ColumnBuilder(BATCH_ROWS);
  private readonly entryMode = new Utf8ColumnBuilder(BATCH_ROWS);
  private readonly cardToken = new Utf8ColumnBuilder(BATCH_ROWS);
  private readonly cardBin = new Utf8ColumnBuilder(BATCH_ROWS);
  private readonly cardLast4 = new Utf8ColumnBuilder(BATCH_ROWS);
  private readonly cardBrand = new Utf8ColumnBuilder(BATCH_ROWS);
  private readonly cardFunding = new Utf8ColumnBuilder(BATCH_ROWS);
  private readonly issuerCountry = new Utf8ColumnBuilder(BATCH_ROWS);
  private readonly merchantCountry = new Utf8ColumnBuilder(BATCH_ROWS);
  private readonly ipCountry = new Utf8ColumnBuilder(BATCH_ROWS);
  private readonly deviceId = new Utf8ColumnBuilder(BATCH_ROWS);
  private readonly amount = new Int64ColumnBuilder(BATCH_ROWS);
  private readonly currency = new Utf8ColumnBuilder(BATCH_ROWS);
  private readonly acquirerId = new Utf8ColumnBuilder(BATCH_ROWS);
  private readonly latency = new Int32ColumnBuilder(BATCH_ROWS);
  private readonly errorCode = new Utf8ColumnBuilder(BATCH_ROWS);
  private rows = 0;
  private readonly labelTx = new Utf8ColumnBuilder(BATCH_ROWS);
  private readonly labelScenario = new Utf8ColumnBuilder(BATCH_ROWS);
  private readonly labelId = new Utf8ColumnBuilder(BATCH_ROWS);
  private labelRows = 0;
  private readonly card: CardInfo = { token: '', bin: '', last4: '', brand: 0, funding: 0, country: 0, devices: 1 };
  private cardKey = '';
  private readonly datePrefix: string;
  private readonly dayStartUs: number;
  private readonly dayHex: string[];

  constructor(
    private readonly world: World,
    private readonly input: GenTaskInput,
    private readonly txWriter: ParquetFileWriter,
    private readonly labelWriter: ParquetFileWriter,
    private readonly log: GatewayLogWriter,
    private readonly settlement: SettlementWriter,
  ) {
    this.datePrefix = `${input.date}T`;
    this.dayStartUs = input.dayStartsUs[input.part.dayIndex]!;
    this.dayHex = input.dayNumbers.map((n) => n.toString(16).padStart(5, '0'));
  }

  /** Buffers event i of a unit of day `src` into every output. */
  emit(ev: UnitEvents, i: number, src: number, unit: number): void {
    const w = this.world;
    const unitHex = HEX8(fmix32((unit ^ Math.imul(src + 1, 0x9e3779b1)) >>> 0));
    const stem = `${this.dayHex[src]!}-${unitHex}`;
    const txnId = `tx_${stem}-${i.toString(16).padStart(2, '0')}`;
    const paymentId = `pay_${stem}-${ev.payment[i]!.toString(16).padStart(2, '0')}`;
    const parent = ev.parent[i]!;
    const type = ev.type[i]!;
    const status = ev.status[i]!;
    const merchant = ev.merchant[i]!;
    const cardIdx = ev.card[i]!;
    const channel = ev.channel[i]!;
    const cardKey = cardIdx >= 0 ? `p${cardIdx}` : `t${src}/${unit}/${cardIdx}`;
    if (cardKey !== this.cardKey) {
      if (cardIdx >= 0) w.cardInfo(cardIdx, this.card);
      else w.testCardInfo(fmix32((Math.imul(src + 1, 0x85ebca6b) ^ unit) >>> 0), -1 - cardIdx, this.card);
      this.cardKey = cardKey;
    }
    const card = this.card;
    const mccIdx = w.merchantMcc[merchant]!;
    const merchantId = w.merchantIds[merchant]!;
    const time = ev.timeUs[i]!;
    const responseCode = RESPONSE_CODES[ev.response[i]!]!;
    const errorIdx = ev.error[i]!;
    const errorCode = errorIdx >= 0 ? ERROR_CODES[errorIdx]!.code : null;
    const currency = CURRENCIES[ev.currency[i]!]!.code;
    const brand = BRANDS[card.brand]!.brand;
    const amount = ev.amount[i]!;
    const acquirer = ACQUIRERS[w.merchantAcquirer[merchant]!]!;
    const device = ev.device[i]!;
    let deviceId: string | null = null;
    if (device >= 200) deviceId = w.deviceId(-1 - (fmix32(unit ^ Math.imul(src, 0x27d4eb2f)) & 0x3fffffff), device);
    else if (device >= 0) deviceId = w.deviceId(cardIdx >= 0 ? cardIdx : -cardIdx + 0x40000000, device % card.devices);

    this.txId.append(txnId);
    this.paymentId.append(paymentId);
    this.parentId.appendOrNull(parent >= 0 ? `tx_${stem}-${parent.toString(16).padStart(2, '0')}` : null);
    this.eventType.append(EVENT_TYPES[type]!);
    this.status.append(EVENT_STATUSES[status]!);
    this.response.append(responseCode);
    this.eventTime.append(time);
    this.merchantId.append(merchantId);
    this.mcc.append(MCCS[mccIdx]!.mcc);
    const terminal = ev.terminal[i]!;
    this.terminalId.appendOrNull(terminal >= 0 ? `t_${merchantId.slice(2)}_${String(terminal + 1).padStart(2, '0')}` : null);
    this.channel.append(CHANNELS[channel]!);
    this.entryMode.append(ENTRY_MODES[ev.entryMode[i]!]!);
    this.cardToken.append(card.token);
    this.cardBin.append(card.bin);
    this.cardLast4.append(card.last4);
    this.cardBrand.append(brand);
    this.cardFunding.append(FUNDINGS[card.funding]!);
    this.issuerCountry.append(COUNTRIES[card.country]!.code);
    const merchantCountry = w.merchantCountry[merchant]!;
    this.merchantCountry.append(COUNTRIES[merchantCountry]!.code);
    const ip = ev.ipCountry[i]!;
    this.ipCountry.appendOrNull(ip >= 0 ? COUNTRIES[ip]!.code : null);
    this.deviceId.appendOrNull(deviceId);
    this.amount.append(amount);
    this.currency.append(currency);
    this.acquirerId.append(acquirer);
    this.latency.append(ev.latency[i]!);
    this.errorCode.appendOrNull(errorCode);
    this.rows++;
    if (ev.scenario !== SC.NONE && ev.dayOffset[i] === 0) {
      this.labelTx.append(txnId);
      this.labelScenario.append(FRAUD_SCENARIOS[ev.scenario]!);
      this.labelId.append(`scn_${stem}`);
      this.labelRows++;
    }

    const iso = isoMicros(this.datePrefix, this.dayStartUs, time);
    const level = status === ST.APPROVED ? 'INFO' : status === ST.DECLINED ? 'WARN' : 'ERROR';
    this.log.event(
      iso,
      level,
      `gw-${w.merchantAcquirer[merchant]!}${merchant & 1},${txnId},${paymentId},${EVENT_TYPES[type]!},${EVENT_STATUSES[status]!},${responseCode},${merchantId},${amount},${currency},${CHANNELS[channel]!},${brand},${ev.latency[i]!},${errorCode ?? ''}`,
    );

    if (status === ST.APPROVED && type !== EV.AUTH && type !== EV.VOID) {
      this.settlement.add({
        type,
        srcDayNumber: this.input.dayNumbers[src]!,
        unit,
        seq: i,
        eventDayNumber: this.input.dayNumber,
        txnId,
        merchantId,
        merchantRegionEea: w.regionOf(merchantCountry) === 'EEA',
        merchantCountry,
        acquirer: w.merchantAcquirer[merchant]!,
        settlementCurrency: w.settlementCurrencyOf(merchant),
        brand: card.brand,
        funding: card.funding,
        issuerCountry: card.country,
        issuerEea: w.regionOf(card.country) === 'EEA',
        bin: card.bin,
        last4: card.last4,
        datetimeUtc: `${iso.slice(0, 19)}Z`,
        currency: ev.currency[i]!,
        amountMinor: amount,
      });
    }
  }

  /** Hands full batches to the writers and lets the log and settlement buffers drain; call between units. */
  async maybeFlush(): Promise<void> {
    if (this.rows >= BATCH_ROWS - 200) await this.flushRows();
    if (this.labelRows >= BATCH_ROWS - 200) await this.flushLabels();
    await this.log.maybeFlush();
    await this.settlement.maybeFlush();
  }

  /** Flushes the last partial batches. */
  async finish(): Promise<void> {
    await this.flushRows();
    await this.flushLabels();
  }

  private async flushRows(): Promise<void> {
    if (this.rows === 0) return;
    const children: Data[] = [
      this.txId.finish(),
      this.paymentId.finish(),
      this.parentId.finish(),
      this.eventType.finish(),
      this.status.finish(),
      this.response.finish(),
      this.eventTime.finish(),
      this.merchantId.finish(),
      this.mcc.finish(),
      this.terminalId.finish(),
      this.channel.finish(),
      this.entryMode.finish(),
      this.cardToken.finish(),
      this.cardBin.finish(),
      this.cardLast4.finish(),
      this.cardBrand.finish(),
      this.cardFunding.finish(),
      this.issuerCountry.finish(),
      this.merchantCountry.finish(),
      this.ipCountry.finish(),
      this.deviceId.finish(),
      this.amount.finish(),
      this.currency.finish(),
      this.acquirerId.finish(),
      this.latency.finish(),
      this.errorCode.finish(),
    ];
    await this.txWriter.write(batchOf(transactionsSchema, children, this.rows));
    this.rows = 0;
  }

  private async flushLabels(): Promise<void> {
    if (this.labelRows === 0) return;
    const children = [this.labelTx.finish(), this.labelScenario.finish(), this.labelId.finish()];
    await this.labelWriter.write(batchOf(fraudLabelsSchema, children, this.labelRows));
    this.labelRows = 0;
  }
}

function batchOf(schema: Schema, children: Data[], length: number): RecordBatch {
  return new RecordBatch(schema, makeData({ type: new Struct(schema.fields), length, children, nullCount: 0 }));
}
