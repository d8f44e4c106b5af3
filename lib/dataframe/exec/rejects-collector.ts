// Gathers the malformed records of a text scan's tasks on the coordinator: concatenates the tasks' rejects
// files in task order into the source's rejects file (published atomically), or — when the source has
// none — fails the run naming the first malformed record and how to route them instead.
import { PaylakeError } from '../../errors/paylake-error.js';
import { commitFile } from '../../io/fs/output-commit.js';
import { fileSystemFor } from '../../io/fs/resolve-file-system.js';
import type { RejectsCount } from './text-scan-reader.js';

/** Malformed records of a whole run. */
export interface RejectsSummary {
  /** The rejects file written, or null when there was nothing to write. */
  readonly file: string | null;
  readonly count: number;
  readonly byReason: Readonly<Record<string, number>>;
}

/** The header every rejects part file starts with (see CsvRejectsWriter). */
const HEADER_BYTES = Buffer.byteLength('file,line,reason,message,raw\r\n');

/**
 * Publishes the rejects of a run. `parts[i]` is task i's scratch file (null when none), `counts[i]` its count.
 * Throws CSV_INVALID when records were rejected and `target` is null.
 */
export async function collectRejects(target: string | null, parts: readonly (string | null)[], counts: readonly RejectsCount[]): Promise<RejectsSummary> {
  const byReason: Record<string, number> = {};
  let count = 0;
  for (const c of counts) {
    count += c.count;
    for (const [reason, n] of Object.entries(c.byReason)) byReason[reason] = (byReason[reason] ?? 0) + n;
  }
  if (target === null) {
    if (count > 0) {
      const first = counts.find((c) => c.first !== null)?.first;
      const where = first ? `; the first is ${first.file}:${first.line}: ${first.message}` : '';
      throw new PaylakeError(
        'CSV_INVALID',
        `${count} malformed record${count === 1 ? '' : 's'} (${describe(byReason)})${where}; to keep going, route them to a rejects file (API: readCsv(path, { rejects: 'rejects.csv' }), CLI: --rejects rejects.csv)`,
      );
    }
    return { file: null, count: 0, byReason };
  }
  const fs = fileSystemFor(target);
  await commitFile(target, async (tmp) => {
    const out = await fs.openWriteStream(tmp);
    const done = new Promise<void>((resolve, reject) => {
      out.once('error', reject);
      out.once('finish', resolve);
    });
    out.write('file,line,reason,message,raw\r\n');
    for (const part of parts) {
      if (part === null) continue;
      const size = (await fs.stat(part)).size;
      if (size <= HEADER_BYTES) continue;
      for await (const chunk of fs.openReadStream(part, { start: HEADER_BYTES, end: size })) {
        if (!out.write(chunk)) await new Promise((r) => out.once('drain', r));
      }
    }
    out.end();
    await done;
  });
  return { file: target, count, byReason };
}

function describe(byReason: Readonly<Record<string, number>>): string {
  return Object.entries(byReason)
    .sort(([a], [b]) => (a < b ? -1 : 1))
    .map(([r, n]) => `${r} ${n}`)
    .join(', ');
}
