// gateway-log-summary: the seed Spark job done properly. Counts a day's raw gateway log lines by
// (status, response_code) after dropping "error" lines, with control totals that add up
// (input = dropped_error + blank + malformed + counted) and every malformed line in a rejects file.
//
// One pass over the logs: each line is classified by one shipped lambda into a small array value, and
// countByValue counts the values. Totals and the breakdown are counts of those values; a malformed line's
// value carries its file, line number, reason and text, so it counts once and doubles as its reject record.
// Duplicated event lines (datasets/README.md) are counted twice, as in the seed job: deduplicating on txn_id
// needs a distinct() the lines API does not have yet.
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import * as path from 'node:path';
import { Int64, Table, Utf8, vectorFromArray } from 'apache-arrow';
import { commitDirectory } from '../lib/io/fs/output-commit.js';
import { textFile, type LocatedLine } from '../lib/dataframe/lines/text-dataset.js';
import { PaylakeError } from '../lib/errors/paylake-error.js';
import { packageVersion } from '../lib/cli/package-version.js';
import { fileSystemFor } from '../lib/io/fs/resolve-file-system.js';
import { writeReport } from '../lib/report/report-writer.js';
import { writeToSink } from '../lib/report/sink-writer.js';
import { defineJob } from '../lib/jobs/define-job.js';

/** Field positions of a gateway event line (datasets/README.md, "raw/gateway"). */
const FIELDS = { count: 15, timestamp: 0, status: 6, responseCode: 7 } as const;

/** What the classifier needs; passed as the lambda's params (a lambda cannot see module constants). */
interface ClassifyParams {
  readonly fieldCount: number;
  readonly timestampAt: number;
  readonly statusAt: number;
  readonly codeAt: number;
  readonly maxChars: number;
}

/** A line's class: `['error']`, `['blank']`, `['counted', status, code]` or `['malformed', file, line, reason, text]`. */
type LineClass = readonly ['error'] | readonly ['blank'] | readonly ['counted', string, string] | readonly ['malformed', string, number, string, string];

/**
 * Runs in the workers, shipped by source: it may use only its arguments and standard globals.
 * "error" in any case drops the line (so ERROR events go too); then trim, split on commas, and check the
 * field count and the fields counted by.
 */
const classifyLine = (rec: LocatedLine, p: ClassifyParams): LineClass => {
  if (/error/i.test(rec.text)) return ['error'];
  const line = rec.text.trim();
  if (line === '') return ['blank'];
  const f = line.split(',');
  const bad = (reason: string): LineClass => ['malformed', rec.file, rec.line, reason, rec.text.slice(0, p.maxChars)];
  if (f.length !== p.fieldCount) return bad(`expected ${p.fieldCount} comma-separated fields, found ${f.length}`);
  const ts = f[p.timestampAt] ?? '';
  const status = f[p.statusAt] ?? '';
  const code = f[p.codeAt] ?? '';
  if (!/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d{1,9})?Z$/.test(ts)) return bad('unparsable timestamp');
  if (!/^[A-Z][A-Z_]*$/.test(status)) return bad('unparsable status');
  if (!/^[0-9A-Z]{2}$/.test(code)) return bad('unparsable response code');
  return ['counted', status, code];
};

/** One row of the breakdown. */
interface Breakdown {
  readonly status: string;
  readonly response_code: string;
  readonly lines: number;
}

/** One rejected line. */
interface Reject {
  readonly file: string;
  readonly line: number;
  readonly reason: string;
  readonly text: string;
}

/** The control totals; `input = dropped_error + blank + malformed + counted`. */
interface Totals {
  input: number;
  dropped_error: number;
  blank: number;
  malformed: number;
  counted: number;
}

/** Shows control characters (the logs have NUL bytes) as `\u0000` so a spreadsheet or terminal shows them. */
function visible(text: string): string {
  // eslint-disable-next-line no-control-regex
  return text.replace(/[\u0000-\u0008\u000b-\u001f\u007f]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

async function sha256(file: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(file)) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

function summaryTable(totals: Totals, breakdown: readonly Breakdown[]): Table {
  const rows: [string, string, string, number][] = [
    ['input', '', '', totals.input],
    ['dropped_error', '', '', totals.dropped_error],
    ['blank', '', '', totals.blank],
    ['malformed', '', '', totals.malformed],
    ['counted', '', '', totals.counted],
    ...breakdown.map((b): [string, string, string, number] => ['counted', b.status, b.response_code, b.lines]),
  ];
  return new Table({
    category: vectorFromArray(rows.map((r) => r[0]), new Utf8()),
    status: vectorFromArray(rows.map((r) => r[1]), new Utf8()),
    response_code: vectorFromArray(rows.map((r) => r[2]), new Utf8()),
    lines: vectorFromArray(rows.map((r) => BigInt(r[3])), new Int64()),
  });
}

function rejectsTable(rejects: readonly Reject[]): Table {
  return new Table({
    file: vectorFromArray(rejects.map((r) => r.file), new Utf8()),
    line: vectorFromArray(rejects.map((r) => BigInt(r.line)), new Int64()),
    reason: vectorFromArray(rejects.map((r) => r.reason), new Utf8()),
    text: vectorFromArray(rejects.map((r) => visible(r.text)), new Utf8()),
  });
}

async function writeReportFile(file: string, table: Table, format: 'csv'): Promise<void> {
  const out = await fileSystemFor(file).openWriteStream(file);
  await writeReport(table, format, out);
  await new Promise<void>((resolve, reject) => out.end((e?: Error | null) => (e ? reject(e) : resolve())));
}

/** `paylake run gateway-log-summary --date D --input DIR` */
export const gatewayLogSummaryJob = defineJob({
  name: 'gateway-log-summary',
  description: "Counts a day's raw gateway log lines by (status, response_code), with control totals and a rejects file",
  params: {
    rejectTextChars: { type: 'number', description: 'Characters of a malformed line kept in rejects.csv', default: 200 },
  },
  async run(ctx) {
    const maxChars = ctx.params.rejectTextChars;
    if (!Number.isSafeInteger(maxChars) || maxChars < 0) throw new PaylakeError('USAGE', `--param rejectTextChars must be a non-negative integer, got ${maxChars}`);
    const dayDir = path.join(ctx.input, 'raw', 'gateway', `dt=${ctx.date}`);
    const fs = fileSystemFor(dayDir);
    if (!(await fs.exists(dayDir))) {
      throw new PaylakeError('NOT_FOUND', `${dayDir}: no gateway logs for ${ctx.date} (no such directory); check --input and --date`);
    }
    const pattern = path.join(dayDir, '*.log');
    const files = (await fs.listFiles(dayDir)).filter((f) => f.uri.endsWith('.log'));
    if (files.length === 0) throw new PaylakeError('NOT_FOUND', `${pattern}: no gateway log files for ${ctx.date}; check --input and --date`);

    const params: ClassifyParams = { fieldCount: FIELDS.count, timestampAt: FIELDS.timestamp, statusAt: FIELDS.status, codeAt: FIELDS.responseCode, maxChars };
    const classes = await textFile(ctx.session, pattern, { located: true })
      .map(classifyLine, params)
      .countByValue(ctx.signal === undefined ? {} : { signal: ctx.signal });

    const totals: Totals = { input: 0, dropped_error: 0, blank: 0, malformed: 0, counted: 0 };
    const breakdown: Breakdown[] = [];
    const rejects: Reject[] = [];
    for (const { value, count } of classes) {
      totals.input += count;
      switch (value[0]) {
        case 'error':
          totals.dropped_error += count;
          break;
        case 'blank':
          totals.blank += count;
          break;
        case 'counted':
          totals.counted += count;
          breakdown.push({ status: value[1], response_code: value[2], lines: count });
          break;
        case 'malformed':
          totals.malformed += count;
          for (let i = 0; i < count; i++) rejects.push({ file: value[1], line: value[2], reason: value[3], text: value[4] });
          break;
      }
    }
    // countByValue already orders the breakdown by count, then value; rejects go in file and line order.
    rejects.sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : a.line - b.line));
    if (totals.input !== totals.dropped_error + totals.blank + totals.malformed + totals.counted) {
      throw new PaylakeError('INTERNAL', `control totals do not add up: ${JSON.stringify(totals)}; please report this`);
    }

    const table = summaryTable(totals, breakdown);
    const summary = {
      job: 'gateway-log-summary',
      date: ctx.date,
      input: pattern,
      lines: totals,
      by_status_response_code: breakdown,
      rejects: { file: 'rejects.csv', lines: rejects.length },
    };
    const inputs = await Promise.all(files.map(async (f) => ({ path: f.uri, bytes: f.size, sha256: await sha256(f.uri) })));
    await commitDirectory(ctx.output, async (tmp) => {
      const out = fileSystemFor(tmp);
      await writeReportFile(out.join(tmp, 'summary.csv'), table, 'csv');
      await out.writeFile(out.join(tmp, 'summary.json'), `${JSON.stringify(summary, null, 2)}\n`);
      await writeReportFile(out.join(tmp, 'rejects.csv'), rejectsTable(rejects), 'csv');
      const manifest = {
        job: 'gateway-log-summary',
        paylake_version: packageVersion(),
        params: { date: ctx.date, input: ctx.input, ...ctx.params },
        inputs,
        outputs: [
          { file: 'summary.csv', rows: table.numRows },
          { file: 'summary.json', rows: 1 },
          { file: 'rejects.csv', rows: rejects.length },
        ],
        control_totals: totals,
      };
      await out.writeFile(out.join(tmp, 'manifest.json'), `${JSON.stringify(manifest, null, 2)}\n`);
      await out.writeFile(out.join(tmp, '_SUCCESS'), '');
    });

    switch (ctx.format) {
      case 'table':
        await writeToSink(ctx.stdout, `gateway-log-summary ${ctx.date}: ${pattern}\n`);
        await writeReport(table, 'table', ctx.stdout);
        await writeToSink(
          ctx.stdout,
          `input ${totals.input} = dropped_error ${totals.dropped_error} + blank ${totals.blank} + malformed ${totals.malformed} + counted ${totals.counted}\n`,
        );
        break;
      case 'csv':
        await writeReport(table, 'csv', ctx.stdout);
        break;
      case 'json':
        await writeToSink(ctx.stdout, `${JSON.stringify(summary, null, 2)}\n`);
        break;
    }
    ctx.log(`wrote ${ctx.output}/ (summary.csv, summary.json, rejects.csv with ${rejects.length} lines, manifest.json, _SUCCESS)`);
  },
});
