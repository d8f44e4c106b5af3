// The `paylake gen` coordinator: validates the target, plans, runs the (day, part) tasks on a piscina pool
// (or in-process for one worker), assembles the bank files, and publishes everything by rename.
import { readdir, readFile, rm, rename, writeFile, mkdir, stat } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import * as path from 'node:path';
import { PaylakeError, messageOf } from '../../lib/errors/paylake-error.js';
import { packageVersion } from '../../lib/cli/package-version.js';
import type { GenParams } from './gen-params.js';
import { planGeneration } from './gen-plan.js';
import { runGenTask, type GenTaskInput, type GenTaskResult } from './gen-task.js';
import { writeReferenceFiles } from './reference-files.js';
import { assembleBankFiles } from './bank-file-assembler.js';
import { SettlementTotals } from './settlement-totals.js';
import { World } from './world.js';

/** Name of the marker file that identifies a directory as paylake gen output. */
export const GEN_MARKER = '_paylake_gen.json';
const STAGING = '_gen_staging';
/** Top-level entries gen owns inside the output directory. */
const OUTPUTS = ['transactions', 'labels', 'raw', 'bank', 'reference'] as const;

/** Options of {@link runGen}. */
export interface GenRunOptions {
  readonly outDir: string;
  readonly params: GenParams;
  /** Worker threads; 1 runs in-process. Never changes the output. */
  readonly workers: number;
  /** Called after each task. */
  readonly onProgress?: (done: number, total: number, rows: number) => void;
}

/** What a run wrote. */
export interface GenSummary {
  readonly outDir: string;
  readonly rows: number;
  readonly labelRows: number;
  readonly logLines: number;
  readonly settlementLines: number;
  readonly bankFiles: number;
  readonly referenceRows: Record<string, number>;
  readonly tasks: number;
  readonly seconds: number;
  readonly rowsPerSecond: number;
}

async function checkTarget(outDir: string): Promise<void> {
  if (!existsSync(outDir)) return;
  const s = await stat(outDir);
  if (!s.isDirectory()) throw new PaylakeError('USAGE', `--out ${outDir} is a file; give a directory`);
  const entries = await readdir(outDir);
  if (entries.length === 0 || entries.includes(GEN_MARKER)) return;
  // A run killed before its first publish leaves only the staging directory behind.
  if (entries.every((e) => e === STAGING)) return;
  throw new PaylakeError(
    'USAGE',
    `--out ${outDir} is not empty and is not a previous paylake gen output (no ${GEN_MARKER}); choose an empty or new directory`,
  );
}

/** Generates every dataset into `outDir`. */
export async function runGen(options: GenRunOptions): Promise<GenSummary> {
  const t0 = performance.now();
  const { params } = options;
  const outDir = path.resolve(options.outDir);
  if (!Number.isInteger(options.workers) || options.workers < 1 || options.workers > 256) {
    throw new PaylakeError('USAGE', `--workers must be an integer from 1 to 256, got ${options.workers}`);
  }
  await checkTarget(outDir);
  const staging = path.join(outDir, STAGING);
  await rm(staging, { recursive: true, force: true });
  await mkdir(staging, { recursive: true });
  try {
    const world = new World(params);
    const plan = planGeneration(params, world);
    const createdBy = `paylake ${packageVersion()}`;
    const dayNumbers = plan.days.map((d) => d.dayNumber);
    const dayStartsUs = plan.days.map((d) => d.dayStartUs);
    const inputs: GenTaskInput[] = plan.days.flatMap((day) =>
      day.parts.map((part) => ({
        params,
        part,
        date: day.date,
        dayNumber: day.dayNumber,
        dayNumbers,
        dayStartsUs,
        unitsPerDay: plan.unitsPerDay,
        scenarioShare: plan.scenarioShare,
        postRefs: part.hasPost ? day.postRefs : new Int32Array(0),
        outDir: staging,
        createdBy,
      })),
    );
    const referenceRows = await writeReferenceFiles(path.join(staging, 'reference'), world, dayNumbers);
    const results = await runTasks(inputs, options);
    const totals = new SettlementTotals();
    for (const r of results) totals.merge(r.settlementTotals);
    totals.checkExact();
    const bank = await assembleBankFiles(path.join(staging, '_bank_parts'), path.join(staging, 'bank'), totals.data(), world.merchantIds);
    await rm(path.join(staging, '_bank_parts'), { recursive: true, force: true });
    const rows = results.reduce((a, r) => a + r.rows, 0);
    if (rows !== params.rows) throw new PaylakeError('INTERNAL', `generated ${rows} rows instead of ${params.rows}`);
    const summary = {
      outDir,
      rows,
      labelRows: results.reduce((a, r) => a + r.labelRows, 0),
      logLines: results.reduce((a, r) => a + r.logLines, 0),
      settlementLines: bank.lines,
      bankFiles: bank.files,
      referenceRows,
      tasks: inputs.length,
    };
    // Publish: drop the marker, swap each dataset directory, write the marker last.
    await rm(path.join(outDir, GEN_MARKER), { force: true });
    for (const name of OUTPUTS) {
      await rm(path.join(outDir, name), { recursive: true, force: true });
      await rename(path.join(staging, name), path.join(outDir, name));
    }
    await rm(staging, { recursive: true, force: true });
    const marker = { generator: 'paylake gen', version: packageVersion(), params, datasets: summary };
    await writeFile(path.join(outDir, GEN_MARKER), `${JSON.stringify({ ...marker, datasets: { ...summary, outDir: undefined } }, null, 2)}\n`);
    const seconds = (performance.now() - t0) / 1000;
    return { ...summary, seconds, rowsPerSecond: rows / seconds };
  } catch (e) {
    await rm(staging, { recursive: true, force: true }).catch(() => undefined);
    throw e;
  }
}

async function runTasks(inputs: GenTaskInput[], options: GenRunOptions): Promise<GenTaskResult[]> {
  const results: GenTaskResult[] = new Array<GenTaskResult>(inputs.length);
  let done = 0;
  let rows = 0;
  const report = (r: GenTaskResult): void => {
    done++;
    rows += r.rows;
    options.onProgress?.(done, inputs.length, rows);
  };
  if (options.workers === 1) {
    for (let i = 0; i < inputs.length; i++) report((results[i] = await runGenTask(inputs[i]!)));
    return results;
  }
  const { Piscina } = await import('piscina');
  const { workerUrl } = await import('../../workers/worker-url.js');
  const pool = new Piscina<GenTaskInput, GenTaskResult>({
    filename: workerUrl('gen.worker').href,
    minThreads: options.workers,
    maxThreads: options.workers,
    idleTimeout: 1_000,
  });
  try {
    // Largest tasks first, so the last ones to finish are short.
    const order = inputs.map((_, i) => i).sort((a, b) => inputs[b]!.part.rows - inputs[a]!.part.rows || a - b);
    await Promise.all(
      order.map(async (i) => {
        const r = await pool.run(inputs[i]!);
        results[i] = r;
        report(r);
      }),
    );
    return results;
  } catch (e) {
    if (e instanceof PaylakeError) throw e;
    throw new PaylakeError('INTERNAL', `a generator task failed: ${messageOf(e)}`, { cause: e });
  } finally {
    await pool.destroy();
  }
}

/** Reads the marker of a previous run, or undefined. */
export async function readGenMarker(outDir: string): Promise<unknown> {
  try {
    return JSON.parse(await readFile(path.join(outDir, GEN_MARKER), 'utf8'));
  } catch {
    return undefined;
  }
}
