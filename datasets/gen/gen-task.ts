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
import { CARD_BYTES, World } from './world.js';
import { Int32ColumnBuilder, Int64ColumnBuilder, Utf8ColumnBuilder } from './arrow-column-builders.js';
import { GatewayLogWriter } from './gateway-log-writer.js';
import { SettlementWriter, type SettledEvent } from './settlement-writer.js';
import type { SettlementTotalsData } from './settlement-totals.js';
import { TextByteBuffer } from './text-byte-buffer.js';
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
  /** Totals of the settlement lines per (settlement day, acquirer, settlement currency, merchant). */
  readonly settlementTotals: SettlementTotalsData;
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
        if (emitter.needsFlush()) await emitter.flush();
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
      if (emitter.needsFlush()) await emitter.flush();
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
      settlementTotals: settlement.totals.data(),
    };
  } catch (e) {
    await Promise.all([txWriter.abort(), labelWriter.abort()]);
    throw e;
  }
}

const DASH = 45;
const COMMA = 44;
const COLON = 58;

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
  /** Which test card the world's test card slot holds: (card, source day, unit). */
  private testCard = 0;
  private testCardSrc = -1;
  private testCardUnit = -1;
  /** This event's ids and timestamp: txn id, payment id, parent id (may be empty), ISO timestamp. */
  private readonly ids = new TextByteBuffer(256);
  /** Scratch for a terminal or scenario id. */
  private readonly terminal = new TextByteBuffer(64);
  /** The settled event handed to the settlement writer, reused. */
  private readonly settled: SettledEvent = {
    type: 0,
    srcDayNumber: 0,
    unit: 0,
    seq: 0,
    eventDayNumber: 0,
    text: new Uint8Array(0),
    txnIdStart: 0,
    txnIdEnd: 0,
    datetimeStart: 0,
    merchant: 0,
    merchantId: '',
    merchantRegionEea: false,
    merchantCountry: 0,
    acquirer: 0,
    settlementCurrency: 0,
    brand: 0,
    funding: 0,
    issuerCountry: 0,
    issuerEea: false,
    card: new Uint8Array(0),
    binStart: 0,
    binEnd: 0,
    last4Start: 0,
    currency: 0,
    amountMinor: 0,
  };
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
    // The ids and the timestamp are written once into `ids`, then copied into each output.
    const ids = this.ids;
    ids.clear();
    const unitHash = fmix32((unit ^ Math.imul(src + 1, 0x9e3779b1)) >>> 0);
    const dayHex = this.dayHex[src]!;
    ids.text('tx_');
    this.stem(dayHex, unitHash);
    ids.hex(i, 2);
    const txEnd = ids.length;
    ids.text('pay_');
    this.stem(dayHex, unitHash);
    ids.hex(ev.payment[i]!, 2);
    const payEnd = ids.length;
    const parent = ev.parent[i]!;
    if (parent >= 0) {
      ids.text('tx_');
      this.stem(dayHex, unitHash);
      ids.hex(parent, 2);
    }
    const parentEnd = ids.length;
    const time = ev.timeUs[i]!;
    this.isoMicros(time);
    const isoEnd = ids.length;

    const type = ev.type[i]!;
    const status = ev.status[i]!;
    const merchant = ev.merchant[i]!;
    const cardIdx = ev.card[i]!;
    const channel = ev.channel[i]!;
    let co: number; // the card's slot in w.cardBytes
    if (cardIdx >= 0) co = w.cardSlot(cardIdx);
    else {
      co = w.testCardOffset;
      if (cardIdx !== this.testCard || src !== this.testCardSrc || unit !== this.testCardUnit) {
        w.testCardSlot(fmix32((Math.imul(src + 1, 0x85ebca6b) ^ unit) >>> 0), -1 - cardIdx);
        this.testCard = cardIdx;
        this.testCardSrc = src;
        this.testCardUnit = unit;
      }
    }
    const cb = w.cardBytes;
    const cardBrand = cb[co + CARD_BYTES.brand]!;
    const cardCountry = cb[co + CARD_BYTES.country]!;
    const binStart = co + CARD_BYTES.bin;
    const binEnd = binStart + cb[co + CARD_BYTES.binLength]!;
    const mccIdx = w.merchantMcc[merchant]!;
    const merchantId = w.merchantIds[merchant]!;
    const responseCode = RESPONSE_CODES[ev.response[i]!]!;
    const errorIdx = ev.error[i]!;
    const errorCode = errorIdx >= 0 ? ERROR_CODES[errorIdx]!.code : null;
    const currency = CURRENCIES[ev.currency[i]!]!.code;
    const brand = BRANDS[cardBrand]!.brand;
    const amount = ev.amount[i]!;
    const acquirerIdx = w.merchantAcquirer[merchant]!;
    const device = ev.device[i]!;
    let deviceId: string | null = null;
    if (device >= 200) deviceId = w.deviceId(-1 - (fmix32(unit ^ Math.imul(src, 0x27d4eb2f)) & 0x3fffffff), device);
    else if (device >= 0) deviceId = w.deviceId(cardIdx >= 0 ? cardIdx : -cardIdx + 0x40000000, device % cb[co + CARD_BYTES.devices]!);
    const eventType = EVENT_TYPES[type]!;
    const eventStatus = EVENT_STATUSES[status]!;
    const channelName = CHANNELS[channel]!;
    const latency = ev.latency[i]!;
    const idBytes = ids.bytes;

    this.txId.appendBytes(idBytes, 0, txEnd);
    this.paymentId.appendBytes(idBytes, txEnd, payEnd);
    if (parent >= 0) this.parentId.appendBytes(idBytes, payEnd, parentEnd);
    else this.parentId.appendNull();
    this.eventType.append(eventType);
    this.status.append(eventStatus);
    this.response.append(responseCode);
    this.eventTime.append(time);
    this.merchantId.append(merchantId);
    this.mcc.append(MCCS[mccIdx]!.mcc);
    const terminal = ev.terminal[i]!;
    if (terminal >= 0) {
      // t_<merchant number>_<terminal, 2 digits>
      const t = this.terminal;
      t.clear();
      t.text('t_');
      t.text(merchantId);
      t.bytes.copyWithin(2, 4, t.length); // drop the "m_" of the merchant id
      t.length -= 2;
      t.byte(95);
      t.digits(terminal + 1, 2);
      this.terminalId.appendBytes(t.bytes, 0, t.length);
    } else this.terminalId.appendNull();
    this.channel.append(channelName);
    this.entryMode.append(ENTRY_MODES[ev.entryMode[i]!]!);
    this.cardToken.appendBytes(cb, co + CARD_BYTES.token, co + CARD_BYTES.token + CARD_BYTES.tokenLength);
    this.cardBin.appendBytes(cb, binStart, binEnd);
    this.cardLast4.appendBytes(cb, co + CARD_BYTES.last4, co + CARD_BYTES.last4 + 4);
    this.cardBrand.append(brand);
    this.cardFunding.append(FUNDINGS[cb[co + CARD_BYTES.funding]!]!);
    this.issuerCountry.append(COUNTRIES[cardCountry]!.code);
    const merchantCountry = w.merchantCountry[merchant]!;
    this.merchantCountry.append(COUNTRIES[merchantCountry]!.code);
    const ip = ev.ipCountry[i]!;
    if (ip >= 0) this.ipCountry.append(COUNTRIES[ip]!.code);
    else this.ipCountry.appendNull();
    this.deviceId.appendOrNull(deviceId);
    this.amount.append(amount);
    this.currency.append(currency);
    this.acquirerId.append(ACQUIRERS[acquirerIdx]!);
    this.latency.append(latency);
    this.errorCode.appendOrNull(errorCode);
    this.rows++;
    if (ev.scenario !== SC.NONE && ev.dayOffset[i] === 0) {
      this.labelTx.appendBytes(idBytes, 0, txEnd);
      this.labelScenario.append(FRAUD_SCENARIOS[ev.scenario]!);
      // scn_<stem>: the stem is the tx id without "tx_" and the event number
      const l = this.terminal;
      l.clear();
      l.text('scn_');
      l.copy(idBytes, 3, txEnd - 3);
      this.labelId.appendBytes(l.bytes, 0, l.length);
      this.labelRows++;
    }

    // timestamp,level,node,txn_id,payment_id,event_type,status,response_code,merchant_id,amount_minor,
    // currency,channel,card_brand,latency_ms,error_code
    const line = this.log.line;
    line.clear();
    line.copy(idBytes, parentEnd, isoEnd);
    line.text(status === ST.APPROVED ? ',INFO,gw-' : status === ST.DECLINED ? ',WARN,gw-' : ',ERROR,gw-');
    line.int(acquirerIdx);
    line.int(merchant & 1);
    line.byte(COMMA);
    line.copy(idBytes, 0, txEnd);
    line.byte(COMMA);
    line.copy(idBytes, txEnd, payEnd);
    line.byte(COMMA);
    line.text(eventType);
    line.byte(COMMA);
    line.text(eventStatus);
    line.byte(COMMA);
    line.text(responseCode);
    line.byte(COMMA);
    line.text(merchantId);
    line.byte(COMMA);
    line.int(amount);
    line.byte(COMMA);
    line.text(currency);
    line.byte(COMMA);
    line.text(channelName);
    line.byte(COMMA);
    line.text(brand);
    line.byte(COMMA);
    line.int(latency);
    line.byte(COMMA);
    if (errorCode !== null) line.text(errorCode);
    this.log.commitEvent();

    if (status === ST.APPROVED && type !== EV.AUTH && type !== EV.VOID) {
      const e = this.settled;
      e.type = type;
      e.srcDayNumber = this.input.dayNumbers[src]!;
      e.unit = unit;
      e.seq = i;
      e.eventDayNumber = this.input.dayNumber;
      e.text = idBytes;
      e.txnIdStart = 0;
      e.txnIdEnd = txEnd;
      e.datetimeStart = parentEnd;
      e.merchant = merchant;
      e.merchantId = merchantId;
      e.merchantRegionEea = w.regionOf(merchantCountry) === 'EEA';
      e.merchantCountry = merchantCountry;
      e.acquirer = acquirerIdx;
      e.settlementCurrency = w.settlementCurrencyOf(merchant);
      e.brand = cardBrand;
      e.funding = cb[co + CARD_BYTES.funding]!;
      e.issuerCountry = cardCountry;
      e.issuerEea = w.regionOf(cardCountry) === 'EEA';
      e.card = cb;
      e.binStart = binStart;
      e.binEnd = binEnd;
      e.last4Start = co + CARD_BYTES.last4;
      e.currency = ev.currency[i]!;
      e.amountMinor = amount;
      this.settlement.add(e);
    }
  }

  /** `<day hex>-<unit hash hex>-` into the id buffer. */
  private stem(dayHex: string, unitHash: number): void {
    const ids = this.ids;
    ids.text(dayHex);
    ids.byte(DASH);
    ids.hex(unitHash, 8);
    ids.byte(DASH);
  }

  /** µs since the epoch within this task's day as YYYY-MM-DDTHH:MM:SS.ffffffZ into the id buffer. */
  private isoMicros(us: number): void {
    const ids = this.ids;
    let rest = us - this.dayStartUs;
    const h = Math.floor(rest / 3_600_000_000);
    rest -= h * 3_600_000_000;
    const m = Math.floor(rest / 60_000_000);
    rest -= m * 60_000_000;
    const s = Math.floor(rest / 1_000_000);
    ids.text(this.datePrefix);
    ids.digits(h, 2);
    ids.byte(COLON);
    ids.digits(m, 2);
    ids.byte(COLON);
    ids.digits(s, 2);
    ids.byte(46);
    ids.digits(rest - s * 1_000_000, 6);
    ids.byte(90);
  }

  /** True when a batch is full or the log or settlement buffers should be written out; check between units. */
  needsFlush(): boolean {
    return this.rows >= BATCH_ROWS - 200 || this.labelRows >= BATCH_ROWS - 200 || this.log.needsFlush() || this.settlement.needsFlush();
  }

  /** Hands full batches to the writers and writes out the log and settlement buffers that have grown. */
  async flush(): Promise<void> {
    if (this.rows >= BATCH_ROWS - 200) await this.flushRows();
    if (this.labelRows >= BATCH_ROWS - 200) await this.flushLabels();
    if (this.log.needsFlush()) await this.log.flush();
    if (this.settlement.needsFlush()) await this.settlement.flush();
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
