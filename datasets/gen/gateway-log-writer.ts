// The gateway's raw text log of one (day, part): one comma-separated line per event at fixed field
// positions, plus the noise real logs have (error chatter, blank, truncated, malformed and duplicated lines).
import { createWriteStream, type WriteStream } from 'node:fs';
import { once } from 'node:events';
import { HashRng, STREAM, hash32 } from './hash-random.js';
import { TextByteBuffer } from './text-byte-buffer.js';

/**
 * Field positions of an event line (0-based, after splitting on ","). The seed job counts by
 * (GATEWAY_FIELDS.status, GATEWAY_FIELDS.response_code).
 */
export const GATEWAY_FIELDS = {
  timestamp: 0,
  level: 1,
  node: 2,
  txn_id: 3,
  payment_id: 4,
  event_type: 5,
  status: 6,
  response_code: 7,
  merchant_id: 8,
  amount_minor: 9,
  currency: 10,
  channel: 11,
  card_brand: 12,
  latency_ms: 13,
  error_code: 14,
} as const;

/** Number of fields of a well-formed event line. */
export const GATEWAY_FIELD_COUNT = 15;

/** Share of each noise kind, per event line. */
export const GATEWAY_NOISE = {
  errorChatter: 0.004,
  blank: 0.002,
  padded: 0.003,
  truncated: 0.001,
  malformed: 0.001,
  duplicate: 0.002,
} as const;

const CHATTER = [
  'ERROR upstream connection reset by peer',
  'ERROR tls handshake failed with issuer endpoint',
  'WARN retrying request after transient error',
  'INFO circuit breaker closed; error budget ok',
  'Error: ECONNRESET while posting to scheme',
] as const;

const MALFORMED = [
  '#### heartbeat ####',
  '{"msg":"healthcheck ok","status":200}',
  'INFO|gateway|config reloaded',
  '\u0000\u0000\u0000',
  'ts=?? level=INFO msg="log rotated"',
] as const;

/** The chatter lines split at their first space, where the gateway node is inserted. */
const CHATTER_PARTS = CHATTER.map((c) => [c.slice(0, c.indexOf(' ')), c.slice(c.indexOf(' ') + 1)] as const);

const NL = 10;
const COMMA = 44;

/** Counts of what a log file holds. */
export interface GatewayLogStats {
  eventLines: number;
  duplicateLines: number;
  noiseLines: number;
}

/** Size past which {@link GatewayLogWriter.needsFlush} says the buffer should be written out. */
const FLUSH_BYTES = 1 << 20;

/**
 * Writes one gateway log file; deterministic for a (seed, day, part). The caller writes each event line into
 * {@link GatewayLogWriter.line} and calls {@link GatewayLogWriter.commitEvent}; lines are buffered as bytes.
 */
export class GatewayLogWriter {
  private readonly out: WriteStream;
  private readonly buf = new TextByteBuffer(FLUSH_BYTES + (1 << 16));
  private readonly rng = new HashRng();
  /** The event line being composed: `timestamp,level,fields...` without the line end. */
  readonly line = new TextByteBuffer(1024);
  readonly stats: GatewayLogStats = { eventLines: 0, duplicateLines: 0, noiseLines: 0 };

  constructor(path: string, seed: number, dayNumber: number, part: number) {
    this.out = createWriteStream(path);
    this.rng.reseed(hash32(seed, STREAM.gatewayLog, dayNumber, part));
  }

  /**
   * Buffers the event line held in {@link GatewayLogWriter.line} (and maybe some noise around it); the line
   * starts with the ISO-8601 timestamp (µs, Z) and a comma.
   */
  commitEvent(): void {
    const line = this.line;
    const lineBytes = line.bytes;
    const lineLength = line.length;
    const buf = this.buf;
    const r = this.rng;
    const u = r.float();
    let t = GATEWAY_NOISE.errorChatter;
    if (u < t) {
      let tsLength = 0;
      while (lineBytes[tsLength] !== COMMA) tsLength++;
      buf.copy(lineBytes, 0, tsLength);
      buf.byte(COMMA);
      const [head, tail] = CHATTER_PARTS[r.int(CHATTER_PARTS.length)]!;
      buf.text(head);
      buf.text(',gw-');
      buf.int(r.int(4));
      buf.byte(COMMA);
      buf.text(tail);
      this.endNoise();
    } else if (u < (t += GATEWAY_NOISE.blank)) {
      if (!r.chance(0.5)) buf.text('   ');
      this.endNoise();
    } else if (u < (t += GATEWAY_NOISE.truncated)) {
      buf.copy(lineBytes, 0, 5 + r.int(lineLength - 10));
      this.endNoise();
    } else if (u < (t += GATEWAY_NOISE.malformed)) {
      buf.text(MALFORMED[r.int(MALFORMED.length)]!);
      this.endNoise();
    }
    const padded = u >= t && u < t + GATEWAY_NOISE.padded;
    if (padded) buf.text('  ');
    buf.copy(lineBytes, 0, lineLength);
    if (padded) buf.byte(9);
    buf.byte(NL);
    this.stats.eventLines++;
    if (u >= t + GATEWAY_NOISE.padded && u < t + GATEWAY_NOISE.padded + GATEWAY_NOISE.duplicate) {
      buf.copy(lineBytes, 0, lineLength);
      buf.byte(NL);
      this.stats.duplicateLines++;
    }
  }

  /** True when the buffer has grown past 1 MiB and should be written out (between units). */
  needsFlush(): boolean {
    return this.buf.length > FLUSH_BYTES;
  }

  /** Writes the buffered lines to the file. */
  async flush(): Promise<void> {
    if (this.buf.length === 0) return;
    if (!this.out.write(this.buf.take())) await once(this.out, 'drain');
  }

  /** Flushes and closes the file. */
  async close(): Promise<void> {
    await this.flush();
    this.out.end();
    await once(this.out, 'finish');
  }

  private endNoise(): void {
    this.buf.byte(NL);
    this.stats.noiseLines++;
  }
}
