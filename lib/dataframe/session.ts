// A paylake session: where DataFrames come from and where they run. Local by default: a long-lived pool
// of worker threads (started at the first action), a scratch directory and a memory budget. Datasets are
// discovered once per session (listing, footers, schema merge) and reused by every plan that reads them.
import { randomUUID } from 'node:crypto';
import { rm } from 'node:fs/promises';
import { availableParallelism, tmpdir } from 'node:os';
import * as path from 'node:path';
import { PaylakeError } from '../errors/paylake-error.js';
import { openCsv } from '../io/csv/csv-reader.js';
import { openJsonLines } from '../io/jsonl/jsonl-reader.js';
import type { CsvColumnType } from '../io/csv/csv-column-type.js';
import { listInputFiles } from '../io/dataset/input-files.js';
import { discoverParquetDataset } from '../io/dataset/parquet-dataset.js';
import type { FileStatus } from '../io/fs/file-system.js';
import type { ParquetDataset } from '../io/dataset/parquet-dataset.js';
import { planSql } from '../sql/sql-planner.js';
import { DataFrame } from './dataframe.js';
import { textFile } from './lines/text-dataset.js';
import type { TextDataset } from './lines/text-dataset.js';
import type { RejectsSummary } from './exec/rejects-collector.js';
import { WorkerPool } from './exec/worker-pool.js';
import { newRunMetrics } from './exec/plan-executor.js';
import type { RunMetrics } from './exec/plan-executor.js';
import type { FaultInjection } from './exec/fault-injection.js';
import type { PlannerContext } from './physical/physical-planner.js';
import { partitionPredicate } from './physical/scan/partition-pruning.js';
import { ScanNode } from './plan/nodes/scan-node.js';
import type { ScanSource } from './plan/nodes/scan-node.js';
import { schemaFromArrow } from './types/arrow-type.js';
import { parseByteSize } from './byte-size.js';

/** Options of a session. */
export interface SessionOptions {
  /** Worker threads; default the number of cores. */
  readonly workers?: number;
  /** Directory for shuffle and spill files; default a per-process directory under the OS temp dir. */
  readonly scratchDir?: string;
  /**
   * Memory budget, bytes or a size such as `2GB`; default 2GB. Bounds each worker's JavaScript heap, and
   * each task gets memory / workers / 2 for exchange inputs and buffers and sort buffers before it spills.
   */
  readonly memory?: number | string;
  /**
   * Partitions of every exchange (Spark's spark.sql.shuffle.partitions); default chosen per exchange from
   * the estimated input size and the memory budget, at least the number of workers.
   */
  readonly shufflePartitions?: number;
  /**
   * A join input estimated at or below this size is broadcast to every task instead of shuffled (Spark's
   * spark.sql.autoBroadcastJoinThreshold); bytes or a size such as `10MB`; 0 turns broadcasts off. Default 10MB.
   */
  readonly broadcastThreshold?: number | string;
  /**
   * Cancels every action of the session when aborted: running tasks stop, their workers are replaced,
   * the run's scratch files are removed and the action rejects with code CANCELLED.
   */
  readonly signal?: AbortSignal;
  /** Faults to inject into chosen tasks, to test failure handling (worker deaths, errors); none by default. */
  readonly faults?: readonly FaultInjection[];
  /** Show a progress bar on stderr when it is a terminal; default true. */
  readonly progress?: boolean;
  /** Optimizer rules to switch off (diagnosis and tests). */
  readonly disabledRules?: readonly string[];
  /** Told after each action how many malformed CSV records went to a source's rejects file. */
  readonly onRejects?: (summary: RejectsSummary) => void;
}

/** Options of text sources (`readCsv`, `readJson`). */
export interface TextReadOptions {
  /** Column name → type; columns not named are inferred. */
  readonly schema?: Readonly<Record<string, CsvColumnType>>;
  /** File that receives every malformed record; without it, malformed records fail the action. */
  readonly rejects?: string;
}

/** The default memory budget. */
const DEFAULT_MEMORY = 2 * 1024 ** 3;

/** Spark's default broadcast join threshold. */
const DEFAULT_BROADCAST_THRESHOLD = 10 * 1024 ** 2;

/** Most and fewest partitions an automatically sized exchange gets. */
const MAX_AUTO_PARTITIONS = 1000;
const MIN_AUTO_PARTITIONS = 8;

/**
 * Input bytes (compressed Parquet, read columns only) per automatically sized exchange partition. Decoded
 * and exchanged, a partition is ~10× that (strings compress well): at 100M rows, 64 MB gave 600 MB reduce
 * results the coordinator had to hold (5.3 GB peak RSS for dropDuplicates under a 2 GB budget).
 */
const AUTO_PARTITION_BYTES = 16 * 1024 ** 2;

/**
 * Entry point of the DataFrame API.
 * @example
 * const session = new Session({ workers: 2 });
 * try {
 *   const tx = await session.readParquet('data/transactions');
 *   console.log(await tx.filter("status = 'DECLINED'").count());
 * } finally {
 *   await session.close();
 * }
 */
export class Session {
  readonly workers: number;
  readonly scratchDir: string;
  readonly memoryBytes: number;
  readonly progress: boolean;
  readonly shufflePartitions: number | null;
  readonly broadcastThresholdBytes: number;
  readonly disabledRules: readonly string[];
  readonly faults: readonly FaultInjection[];
  readonly signal: AbortSignal | undefined;
  readonly onRejects: ((summary: RejectsSummary) => void) | undefined;
  private readonly ownsScratchDir: boolean;
  private pool: WorkerPool | null = null;
  /** Counters of the most recent action (see {@link beginRunMetrics}). */
  lastRun: RunMetrics = newRunMetrics();
  private closed = false;
  private readonly datasets = new Map<string, Promise<ParquetDataset>>();
  private readonly textFiles = new Map<string, Promise<readonly FileStatus[]>>();
  private readonly tables = new Map<string, { readonly name: string; readonly df: DataFrame }>();

  constructor(options: SessionOptions = {}) {
    this.workers = options.workers ?? availableParallelism();
    if (!Number.isInteger(this.workers) || this.workers < 1) throw new PaylakeError('USAGE', `workers must be a positive integer, got ${this.workers}`);
    this.ownsScratchDir = options.scratchDir === undefined;
    this.scratchDir = options.scratchDir ?? path.join(tmpdir(), `paylake-${process.pid}-${randomUUID()}`);
    this.memoryBytes = options.memory === undefined ? DEFAULT_MEMORY : parseByteSize(options.memory);
    this.progress = options.progress ?? true;
    this.shufflePartitions = options.shufflePartitions ?? null;
    if (this.shufflePartitions !== null && (!Number.isInteger(this.shufflePartitions) || this.shufflePartitions < 1)) {
      throw new PaylakeError('USAGE', `shufflePartitions must be a positive integer, got ${this.shufflePartitions}`);
    }
    this.broadcastThresholdBytes =
      options.broadcastThreshold === undefined ? DEFAULT_BROADCAST_THRESHOLD : options.broadcastThreshold === 0 || options.broadcastThreshold === '0' ? 0 : parseByteSize(options.broadcastThreshold);
    this.disabledRules = options.disabledRules ?? [];
    this.faults = options.faults ?? [];
    this.signal = options.signal;
    this.onRejects = options.onRejects;
  }

  /**
   * A DataFrame over a Parquet dataset: a file, a directory with `key=value` partitions, or a glob.
   * Discovers the files and their merged schema now, so column errors show at once.
   * @example const tx = await session.readParquet('data/transactions')
   */
  async readParquet(...paths: string[]): Promise<DataFrame> {
    this.checkOpen();
    const dataset = await this.discover(paths);
    const source: ScanSource = {
      format: 'parquet',
      text: null,
      paths,
      schema: schemaFromArrow(dataset.schema),
      partitionColumns: dataset.partitionColumns.map((f) => f.name),
    };
    return new DataFrame(this, ScanNode.create(source));
  }

  /**
   * A DataFrame over CSV files (RFC 4180, header row): a file, a directory or a glob. The schema is declared
   * (`schema`, column → `string`, `int32`, `int64`, `float64`, `boolean`, `date`, `timestamp`,
   * `decimal(p,s)`) or inferred from the first file's first 1,000 records, then fixed for every file.
   * Malformed records go to the `rejects` file (file, line, reason, raw text) and are counted; without a
   * `rejects` file they fail the action, naming the first one — never dropped silently.
   * @example const bank = await session.readCsv('data/bank', { schema: { fx_rate: 'decimal(20,10)' }, rejects: 'out/bank-rejects.csv' })
   */
  async readCsv(paths: string | readonly string[], options: TextReadOptions = {}): Promise<DataFrame> {
    return this.readText('csv', paths, options);
  }

  /**
   * A DataFrame over JSON-lines files (one object per line; `.gz` read whole), with the same schema and
   * rejects rules as {@link readCsv}. Integers stay exact beyond 2^53; nested values are kept as JSON text.
   * @example const events = await session.readJson('data/events.jsonl', { rejects: 'out/event-rejects.csv' })
   */
  async readJson(paths: string | readonly string[], options: TextReadOptions = {}): Promise<DataFrame> {
    return this.readText('jsonl', paths, options);
  }

  private async readText(format: 'csv' | 'jsonl', paths: string | readonly string[], options: TextReadOptions): Promise<DataFrame> {
    this.checkOpen();
    const list = typeof paths === 'string' ? [paths] : [...paths];
    const files = await this.listText(list);
    const first = files[0];
    if (first === undefined) throw new PaylakeError('NOT_FOUND', `${list.join(', ')}: no ${format === 'csv' ? 'CSV' : 'JSON-lines'} files found; check the path`);
    const declared = options.schema === undefined ? {} : { schema: options.schema };
    const reader = format === 'csv' ? await openCsv(first.uri, declared) : await openJsonLines(first.uri, declared);
    const columnTypes = Object.fromEntries(reader.schema.fields.map((f, i) => [f.name, reader.columnTypes[i]!]));
    const source: ScanSource = {
      format,
      text: { columnTypes, rejects: options.rejects ?? null },
      paths: list,
      schema: schemaFromArrow(reader.schema),
      partitionColumns: [],
    };
    return new DataFrame(this, ScanNode.create(source));
  }

  /**
   * A dataset of the lines of text files (a file, a directory or a glob; `.gz` read whole), whose
   * JavaScript lambdas run in the workers. Local-only: it cannot be compiled to Spark.
   * @example const n = await session.textFile('data/raw/gateway/dt=2026-11-01').filter((l) => !l.includes('ERROR')).count()
   */
  textFile(...paths: string[]): TextDataset<string> {
    this.checkOpen();
    return textFile(this, paths);
  }

  /**
   * Makes a DataFrame available to {@link sql} under `name` (case-insensitive).
   * @example session.registerTable('tx', await session.readParquet('data/transactions'))
   */
  registerTable(name: string, df: DataFrame): void {
    this.checkOpen();
    if (df.session !== this) throw new PaylakeError('USAGE', `table ${name} belongs to another session`);
    if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(name)) throw new PaylakeError('USAGE', `table name ${JSON.stringify(name)} must be letters, digits and _, not starting with a digit`);
    this.tables.set(name.toLowerCase(), { name, df });
  }

  /**
   * A DataFrame for a Spark SQL query over registered tables and `parquet.\`path\`` / `csv.\`path\`` / `json.\`path\`` sources.
   * @example const top = await session.sql('SELECT status, count(*) AS n FROM tx GROUP BY status ORDER BY n DESC')
   */
  async sql(text: string): Promise<DataFrame> {
    this.checkOpen();
    const plan = await planSql(text, {
      table: (name) => this.tables.get(name.toLowerCase())?.df.plan,
      tableNames: () => [...this.tables.values()].map((t) => t.name),
      path: async (format, p) => (format === 'parquet' ? await this.readParquet(p) : format === 'csv' ? await this.readCsv(p) : await this.readJson(p)).plan,
    });
    return new DataFrame(this, plan);
  }

  /** Ends the worker pool and removes the session's own scratch directory. The session cannot run anything afterwards. */
  async close(): Promise<void> {
    this.closed = true;
    const pool = this.pool;
    this.pool = null;
    await pool?.close();
    if (this.ownsScratchDir) await rm(this.scratchDir, { recursive: true, force: true });
  }

  /** The worker pool, started on first use. */
  workerPool(): WorkerPool {
    this.checkOpen();
    this.pool ??= new WorkerPool({
      workers: this.workers,
      resourceLimits: { maxOldGenerationSizeMb: Math.max(256, Math.floor(this.memoryBytes / this.workers / 1024 ** 2)) },
    });
    return this.pool;
  }

  /** What the physical planner needs: this session's discovered datasets. */
  plannerContext(): PlannerContext {
    return {
      dataset: (source) => this.discover(source.paths),
      textFiles: (source) => this.listText(source.paths),
      partitionPredicate,
      shuffle: { partitionsFor: (bytes) => this.partitionsFor(bytes), broadcastThresholdBytes: this.broadcastThresholdBytes },
    };
  }

  /**
   * Fresh counters for the next run, kept as {@link lastRun}: stages, tasks, bytes moved through exchanges
   * and spilled — for logs and benchmarks.
   */
  beginRunMetrics(): RunMetrics {
    this.lastRun = newRunMetrics();
    return this.lastRun;
  }

  /** Memory one task may use for hash tables, sort buffers and exchange buffers before it spills. */
  get taskMemoryBytes(): number {
    return Math.floor(this.memoryBytes / this.workers / 2);
  }

  /**
   * Partitions for an exchange over about `bytes` of input (compressed file bytes): one per
   * AUTO_PARTITION_BYTES, at least MIN_AUTO_PARTITIONS. It depends on the data only — not on the number of
   * workers or the memory budget — so results come out in the same order on any machine.
   */
  private partitionsFor(bytes: number): number {
    if (this.shufflePartitions !== null) return this.shufflePartitions;
    return Math.min(MAX_AUTO_PARTITIONS, Math.max(MIN_AUTO_PARTITIONS, Math.ceil(bytes / AUTO_PARTITION_BYTES)));
  }

  private listText(paths: readonly string[]): Promise<readonly FileStatus[]> {
    const key = JSON.stringify(paths);
    let files = this.textFiles.get(key);
    if (files === undefined) {
      files = (async () => {
        const seen = new Map<string, FileStatus>();
        for (const p of paths) for (const f of await listInputFiles(p)) seen.set(f.status.uri, f.status);
        return [...seen.values()];
      })();
      files.catch(() => this.textFiles.delete(key));
      this.textFiles.set(key, files);
    }
    return files;
  }

  private discover(paths: readonly string[]): Promise<ParquetDataset> {
    const key = JSON.stringify(paths);
    let d = this.datasets.get(key);
    if (d === undefined) {
      d = discoverParquetDataset(paths);
      d.catch(() => this.datasets.delete(key));
      this.datasets.set(key, d);
    }
    return d;
  }

  private checkOpen(): void {
    if (this.closed) throw new PaylakeError('USAGE', 'this session is closed; create a new Session');
  }
}
