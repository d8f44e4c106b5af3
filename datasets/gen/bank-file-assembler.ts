// Assembles bank/settlement-YYYY-MM-DD.csv from the tasks' partial files, streaming: per batch (date,
// acquirer) the DETAIL/FEE parts in (day, part) order, then PAYOUT lines per merchant and currency, then
// one TRAILER per currency whose control totals come from the same lines.
import { createReadStream, createWriteStream, existsSync } from 'node:fs';
import { readdir, mkdir } from 'node:fs/promises';
import { once } from 'node:events';
import * as path from 'node:path';
import type { Writable } from 'node:stream';
import { SETTLEMENT_COLUMNS } from '../schemas/settlement.schema.js';
import { ACQUIRERS } from './reference-data.js';
import type { SettlementSums } from './settlement-writer.js';

async function writeText(out: Writable, text: string | Buffer): Promise<void> {
  if (!out.write(text)) await once(out, 'drain');
}

/** Writes every settlement file; returns the files written and their line counts (header excluded). */
export async function assembleBankFiles(partsDir: string, bankDir: string, sums: SettlementSums): Promise<{ files: number; lines: number }> {
  await mkdir(bankDir, { recursive: true });
  // date → acquirer → currency → merchant → sums
  const byDate = new Map<string, Map<string, Map<string, [string, number[]][]>>>();
  for (const [key, s] of sums) {
    const [date, acq, cur, merchant] = key.split('|') as [string, string, string, string];
    let a = byDate.get(date);
    if (!a) byDate.set(date, (a = new Map()));
    let c = a.get(acq);
    if (!c) a.set(acq, (c = new Map()));
    let list = c.get(cur);
    if (!list) c.set(cur, (list = []));
    list.push([merchant, s]);
  }
  let lines = 0;
  const dates = [...byDate.keys()].sort();
  for (const date of dates) {
    const out = createWriteStream(path.join(bankDir, `settlement-${date}.csv`));
    await writeText(out, `${SETTLEMENT_COLUMNS.join(',')}\r\n`);
    const acqs = byDate.get(date)!;
    for (const acq of ACQUIRERS) {
      const curs = acqs.get(acq);
      if (!curs) continue;
      const batch = `SB-${date.replaceAll('-', '')}-${acq}`;
      const dir = path.join(partsDir, date, acq);
      if (existsSync(dir)) {
        for (const name of (await readdir(dir)).sort()) {
          for await (const chunk of createReadStream(path.join(dir, name))) await writeText(out, chunk as string);
        }
      }
      const trailers: string[] = [];
      for (const cur of [...curs.keys()].sort()) {
        const merchants = curs.get(cur)!.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
        const total = [0, 0, 0, 0, 0, 0];
        let payout = 0;
        const payoutLines: string[] = [];
        for (const [merchant, s] of merchants) {
          for (let k = 0; k < 6; k++) total[k]! += s[k]!;
          const net = s[5]!;
          payout += net;
          payoutLines.push(['PAYOUT', batch, date, merchant, '', '', 'MERCHANT_PAYOUT', '', '', '', '', cur, '', '', cur, '', '', '', '', net, net >= 0 ? 'CR' : 'DR'].join(','));
        }
        await writeText(out, `${payoutLines.join('\r\n')}\r\n`);
        lines += total[0]! + payoutLines.length;
        const records = total[0]! + payoutLines.length;
        trailers.push(
          ['TRAILER', batch, date, '', records, '', 'CONTROL_TOTALS', '', '', '', '', cur, payout, '', cur, total[1], total[2], total[3], total[4], total[5], payout >= 0 ? 'CR' : 'DR'].join(','),
        );
      }
      await writeText(out, `${trailers.join('\r\n')}\r\n`);
      lines += trailers.length;
    }
    out.end();
    await once(out, 'finish');
  }
  return { files: dates.length, lines };
}
