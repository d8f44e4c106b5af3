// The gateway's raw text log of one (day, part): one comma-separated line per event at fixed field
// positions, plus the noise real logs have (error chatter, blank, truncated, malformed and duplicated lines).
import { createWriteStream, type WriteStream } from 'node:fs';
import { once } from 'node:events';
import { HashRng, STREAM, hash32 } from './hash-random.js';

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

/** Counts of what a log file holds. */
export interface GatewayLogStats {
  eventLines: number;
  duplicateLines: number;
  noiseLines: number;
}

/** Writes one gateway log file; deterministic for a (seed, day, part). */
export class GatewayLogWriter {
  private readonly out: WriteStream;
  private chunks: string[] = [];
  private size = 0;
  private readonly rng = new HashRng();
  readonly stats: GatewayLogStats = { eventLines: 0, duplicateLines: 0, noiseLines: 0 };

  constructor(path: string, seed: number, dayNumber: number, part: number) {
    this.out = createWriteStream(path);
    this.rng.reseed(hash32(seed, STREAM.gatewayLog, dayNumber, part));
  }

  /** Buffers one event line (and maybe some noise around it). `timestamp` is ISO-8601 with µs and Z. */
  event(timestamp: string, level: string, fields: string): void {
    const line = `${timestamp},${level},${fields}`;
    const r = this.rng;
    const u = r.float();
    let t = GATEWAY_NOISE.errorChatter;
    if (u < t) this.noise(`${timestamp},${CHATTER[r.int(CHATTER.length)]!.replace(' ', `,gw-${r.int(4)},`)}`);
    else if (u < (t += GATEWAY_NOISE.blank)) this.noise(r.chance(0.5) ? '' : '   ');
    else if (u < (t += GATEWAY_NOISE.truncated)) this.noise(line.slice(0, 5 + r.int(line.length - 10)));
    else if (u < (t += GATEWAY_NOISE.malformed)) this.noise(MALFORMED[r.int(MALFORMED.length)]!);
    if (u >= t && u < t + GATEWAY_NOISE.padded) this.push(`  ${line}\t`);
    else this.push(line);
    this.stats.eventLines++;
    if (u >= t + GATEWAY_NOISE.padded && u < t + GATEWAY_NOISE.padded + GATEWAY_NOISE.duplicate) {
      this.push(line);
      this.stats.duplicateLines++;
    }
  }

  /** Writes the buffer out when it has grown past 1 MiB. */
  async maybeFlush(): Promise<void> {
    if (this.size > 1 << 20) await this.flush();
  }

  /** Flushes and closes the file. */
  async close(): Promise<void> {
    await this.flush();
    this.out.end();
    await once(this.out, 'finish');
  }

  private noise(line: string): void {
    this.push(line);
    this.stats.noiseLines++;
  }

  private push(line: string): void {
    this.chunks.push(line);
    this.size += line.length + 1;
  }

  private async flush(): Promise<void> {
    if (this.chunks.length === 0) return;
    const text = `${this.chunks.join('\n')}\n`;
    this.chunks = [];
    this.size = 0;
    if (!this.out.write(text)) await once(this.out, 'drain');
  }
}
