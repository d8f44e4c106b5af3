// Assembles bank/settlement-YYYY-MM-DD.csv from the tasks' partial files, streaming: per batch (date,
// acquirer) the DETAIL/FEE parts in (day, part) order, then PAYOUT lines per merchant and currency, then
// one TRAILER per currency whose control totals come from the same lines.
import { createReadStream, createWriteStream, existsSync } from 'node:fs';
import { readdir, mkdir } from 'node:fs/promises';
import { once } from 'node:events';
import * as path from 'node:path';
import type { Writable } from 'node:stream';
import { SETTLEMENT_COLUMNS } from '../schemas/settlement.schema.js';
import { ACQUIRERS, CURRENCIES } from './reference-data.js';
import { dateOfDayNumber } from './settlement-writer.js';
import type { SettlementTotalsData } from './settlement-totals.js';

async function writeText(out: Writable, text: string | Buffer): Promise<void> {
  if (!out.write(text)) await once(out, 'drain');
}

const byString = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/**
 * Writes every settlement file from the partial files under `partsDir` and the merged line totals (merchant
 * indexes are named through `merchantIds`); returns the files written and their line counts (header excluded).
 */
export async function assembleBankFiles(
  partsDir: string,
  bankDir: string,
  totals: SettlementTotalsData,
  merchantIds: readonly string[],
): Promise<{ files: number; lines: number }> {
  await mkdir(bankDir, { recursive: true });
  // settlement day → acquirer → settlement currency → entries (indexes into totals)
  const byDay = new Map<number, Map<number, Map<number, number[]>>>();
  const { keys, sums } = totals;
  for (let e = 0; e * 4 < keys.length; e++) {
    const [day, acq, cur] = [keys[e * 4]!, keys[e * 4 + 1]!, keys[e * 4 + 2]!];
    let a = byDay.get(day);
    if (!a) byDay.set(day, (a = new Map()));
    let c = a.get(acq);
    if (!c) a.set(acq, (c = new Map()));
    let list = c.get(cur);
    if (!list) c.set(cur, (list = []));
    list.push(e);
  }
  let lines = 0;
  const days = [...byDay.keys()].sort((a, b) => a - b);
  for (const day of days) {
    const date = dateOfDayNumber(day);
    const out = createWriteStream(path.join(bankDir, `settlement-${date}.csv`));
    await writeText(out, `${SETTLEMENT_COLUMNS.join(',')}\r\n`);
    const acqs = byDay.get(day)!;
    for (let acqIndex = 0; acqIndex < ACQUIRERS.length; acqIndex++) {
      const curs = acqs.get(acqIndex);
      if (!curs) continue;
      const acq = ACQUIRERS[acqIndex]!;
      const batch = `SB-${date.replaceAll('-', '')}-${acq}`;
      const dir = path.join(partsDir, date, acq);
      if (existsSync(dir)) {
        for (const name of (await readdir(dir)).sort()) {
          for await (const chunk of createReadStream(path.join(dir, name))) await writeText(out, chunk as Buffer);
        }
      }
      const trailers: string[] = [];
      const currencies = [...curs.keys()].sort((a, b) => byString(CURRENCIES[a]!.code, CURRENCIES[b]!.code));
      for (const curIndex of currencies) {
        const cur = CURRENCIES[curIndex]!.code;
        const entries = curs.get(curIndex)!.sort((a, b) => byString(merchantIds[keys[a * 4 + 3]!]!, merchantIds[keys[b * 4 + 3]!]!));
        // lines, gross, interchange, scheme, markup, net over the DETAIL and FEE lines
        const total = [0, 0, 0, 0, 0, 0];
        let payout = 0;
        const payoutLines: string[] = [];
        for (const e of entries) {
          for (let k = 0; k < 6; k++) total[k]! += sums[e * 6 + k]!;
          const net = sums[e * 6 + 5]!;
          payout += net;
          const merchant = merchantIds[keys[e * 4 + 3]!]!;
          payoutLines.push(
            ['PAYOUT', batch, date, merchant, '', '', 'MERCHANT_PAYOUT', '', '', '', '', cur, '', '', cur, '', '', '', '', net, net >= 0 ? 'CR' : 'DR', '', ''].join(','),
          );
        }
        await writeText(out, `${payoutLines.join('\r\n')}\r\n`);
        const records = total[0]! + payoutLines.length;
        lines += records;
        // TRAILER: control totals in their own columns (record_count, payout_minor); the id and
        // transaction-currency columns stay empty.
        trailers.push(
          [
            ...['TRAILER', batch, date, '', '', '', 'CONTROL_TOTALS', '', '', '', '', '', '', '', cur],
            ...[total[1], total[2], total[3], total[4], total[5], payout >= 0 ? 'CR' : 'DR', records, payout],
          ].join(','),
        );
      }
      await writeText(out, `${trailers.join('\r\n')}\r\n`);
      lines += trailers.length;
    }
    out.end();
    await once(out, 'finish');
  }
  return { files: days.length, lines };
}
