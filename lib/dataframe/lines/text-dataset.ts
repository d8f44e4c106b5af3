// The lines API (Spark's RDD of text lines): a lazy chain of JavaScript lambdas over the lines of text files,
// run split by split on the session's worker pool. Lambdas travel by source (see lambda-shipping.ts), so a
// Dataset is local-only: it can never be compiled to Spark SQL, and says so for the future Spark compiler.
import type { Session } from '../session.js';
import { PaylakeError } from '../../errors/paylake-error.js';
import { fileSystemFor } from '../../io/fs/resolve-file-system.js';
import { handlerRef } from '../exec/handler-ref.js';
import { ProgressReporter } from '../exec/progress-reporter.js';
import { runTasks, type TaskSpec } from '../exec/task-scheduler.js';
import { compareCanonical } from './canonical-value.js';
import { commitDirectory } from '../../io/fs/output-commit.js';
import { lambdaLabel, shipLambda, type LambdaOpKind, type ShippedLambda } from './lambda-shipping.js';
import type { LinesAction, LinesTaskPayload, LinesTaskResult, LocatedLine } from './lines-task.js';
import { DEFAULT_SPLIT_BYTES, describeSplit, planTextSplits, type TextSplit } from './text-split-planner.js';

export type { LocatedLine } from './lines-task.js';

const LINES_TASK = handlerRef(new URL('./lines-task.js', import.meta.url), 'runLinesTask');

/** Options of {@link textFile}. */
export interface TextFileOptions {
  /** Bytes per split of an uncompressed file (one task each); default 32 MiB. Gzip files are one task. */
  readonly splitBytes?: number;
}

/** Options of every action. */
export interface LinesActionOptions {
  /** Cancels the run (e.g. on Ctrl-C); the action rejects with PaylakeError CANCELLED. */
  readonly signal?: AbortSignal;
}

/** A value and how many elements equal it, as {@link TextDataset.countByValue} returns them. */
export interface CountedValue<T> {
  readonly value: T;
  readonly count: number;
}

/** What {@link TextDataset.saveAsTextFile} wrote. */
export interface SavedText {
  readonly path: string;
  /** Part files written (one per split, possibly empty). */
  readonly files: number;
  readonly lines: number;
}

/** What a Dataset is made of, for display and for the Spark compiler to refuse. */
export interface LinesLineage {
  readonly source: readonly string[];
  readonly located: boolean;
  readonly operations: readonly { readonly op: LambdaOpKind; readonly source: string }[];
  /** Always true: JavaScript lambdas cannot be compiled to Spark SQL. */
  readonly localOnly: true;
  /** The operations that make it local-only, e.g. `['filter', 'map']`. */
  readonly localOnlyOperations: readonly string[];
}

/** The lambda of filter, map and flatMap: the element, then the params given with it. */
export type LinesLambda<T, P, R> = (value: T, params: P) => R;

interface DatasetSource {
  readonly paths: readonly string[];
  readonly located: boolean;
  readonly splitBytes: number;
}

/**
 * A lazy Dataset of text lines (or of what lambdas made of them). Transformations return a new Dataset and
 * run nothing; actions plan byte-range splits and run one task per split on the session's workers, each
 * streaming its split batch by batch. Results never depend on the number of workers.
 *
 * Lambdas run inside worker threads and are shipped by source: they may use only their parameters, the
 * params passed with them, and standard globals (Math, JSON, String, ...). Capturing an outer variable is
 * refused when the operation is added, with a hint to pass it as params.
 * @example
 * const lines = textFile(session, 'data/raw/gateway/dt=2026-11-01');
 * const declined = await lines.filter((l, p) => l.includes(p.word), { word: 'DECLINED' }).count();
 */
export class TextDataset<T> {
  /** Never compilable to Spark SQL (see {@link lineage}). */
  readonly localOnly = true as const;

  /** @internal Use {@link textFile}. */
  constructor(
    private readonly session: Session,
    private readonly source: DatasetSource,
    private readonly lambdas: readonly ShippedLambda[],
  ) {}

  /** The source paths and the chain of lambdas. */
  get lineage(): LinesLineage {
    return {
      source: this.source.paths,
      located: this.source.located,
      operations: this.lambdas.map((l) => ({ op: l.op, source: l.source })),
      localOnly: true,
      localOnlyOperations: ['textFile', ...this.lambdas.map((l) => l.op)],
    };
  }

  /**
   * Keeps the elements for which `fn` returns a truthy value.
   * @example lines.filter((l, p) => !l.toLowerCase().includes(p.word), { word: 'error' })
   */
  filter<P = undefined>(fn: LinesLambda<T, P, unknown>, params?: P): TextDataset<T> {
    return this.with('filter', fn, params);
  }

  /**
   * Replaces each element with what `fn` returns.
   * @example lines.map((l) => l.trim().split(','))
   */
  map<U, P = undefined>(fn: LinesLambda<T, P, U>, params?: P): TextDataset<U> {
    return this.with('map', fn, params);
  }

  /**
   * Replaces each element with the elements of the array (or iterable) `fn` returns.
   * @example lines.flatMap((l) => l.split(/\s+/).filter((w) => w !== ''))
   */
  flatMap<U, P = undefined>(fn: LinesLambda<T, P, Iterable<U>>, params?: P): TextDataset<U> {
    return this.with('flatMap', fn, params);
  }

  /**
   * The number of elements.
   * @example await lines.count()
   */
  async count(options: LinesActionOptions = {}): Promise<number> {
    let total = 0;
    await this.run(await this.splits(), () => ({ kind: 'count' }), (r) => void (total += expect(r, 'count').count), options);
    return total;
  }

  /**
   * How many elements equal each distinct value, compared structurally (arrays and objects by canonical JSON
   * with sorted keys, as Spark compares Python tuples): most frequent first, ties by canonical JSON ascending.
   * Elements must be JSON data (strings, finite numbers, booleans, null, arrays, plain objects).
   * @example await lines.map((l) => l.split(',')).map((f) => [f[6], f[7]]).countByValue() // [{ value: ['APPROVED', '00'], count: 9120 }, ...]
   */
  async countByValue(options: LinesActionOptions = {}): Promise<CountedValue<T>[]> {
    const merged = new Map<string, number>();
    await this.run(
      await this.splits(),
      () => ({ kind: 'countByValue' }),
      (r) => {
        for (const [key, n] of expect(r, 'countByValue').entries) merged.set(key, (merged.get(key) ?? 0) + n);
      },
      options,
    );
    return [...merged]
      .sort((a, b) => b[1] - a[1] || compareCanonical(a[0], b[0]))
      .map(([key, count]) => ({ value: JSON.parse(key) as T, count }));
  }

  /**
   * The first `n` elements in file order. Reads only as many splits as it needs: one, then up to four times as
   * many at each round (as Spark's take).
   * @example await lines.take(5)
   */
  async take(n: number, options: LinesActionOptions = {}): Promise<T[]> {
    if (!Number.isSafeInteger(n) || n < 0) throw new PaylakeError('USAGE', `take needs a non-negative integer, got ${n}`);
    const splits = await this.splits();
    const out: T[] = [];
    let next = 0;
    let wave = 1;
    while (out.length < n && next < splits.length) {
      const batch = splits.slice(next, next + wave);
      const want = n - out.length;
      const parts = new Array<unknown[]>(batch.length);
      await this.run(batch, () => ({ kind: 'collect', limit: want }), (r, i) => void (parts[i] = expect(r, 'collect').values), options, next);
      for (const values of parts) for (const v of values) if (out.length < n) out.push(v as T);
      next += batch.length;
      wave *= 4;
    }
    return out;
  }

  /**
   * Every element, in file order (path order, then file name, then position). Holds them all in memory.
   * @example const all = await lines.filter((l) => l !== '').collect()
   */
  async collect(options: LinesActionOptions = {}): Promise<T[]> {
    const splits = await this.splits();
    const parts = new Array<unknown[]>(splits.length);
    await this.run(splits, () => ({ kind: 'collect' }), (r, i) => void (parts[i] = expect(r, 'collect').values), options);
    return parts.flat() as T[];
  }

  /**
   * Writes the elements to the directory `dir`, one per line (strings as they are, other values as canonical
   * JSON): a `part-NNNNN` file per split and `_SUCCESS`, published atomically (a temporary directory renamed
   * into place, replacing an existing one). A value containing a line break is refused.
   * @example await lines.filter((l) => l.includes('DECLINED')).saveAsTextFile('out/declined')
   */
  async saveAsTextFile(dir: string, options: LinesActionOptions = {}): Promise<SavedText> {
    const splits = await this.splits();
    const fs = fileSystemFor(dir);
    return commitDirectory(dir, async (tmp) => {
      let lines = 0;
      const partName = (i: number): string => `part-${String(i).padStart(5, '0')}`;
      await this.run(splits, (i) => ({ kind: 'save', file: fs.join(tmp, partName(i)) }), (r) => void (lines += expect(r, 'save').lines), options);
      await fs.writeFile(fs.join(tmp, '_SUCCESS'), '');
      return { path: dir, files: splits.length, lines };
    });
  }

  private with<U>(op: LambdaOpKind, fn: unknown, params: unknown): TextDataset<U> {
    const shipped = shipLambda(op, fn, params, this.lambdas.length + 1);
    return new TextDataset<U>(this.session, this.source, [...this.lambdas, shipped]);
  }

  private splits(): Promise<TextSplit[]> {
    return planTextSplits(this.source.paths, this.source.splitBytes);
  }

  /** Runs one task per split; `onResult` gets each result with its split's index in `splits`. */
  private async run(
    splits: readonly TextSplit[],
    action: (index: number) => LinesAction,
    onResult: (result: LinesTaskResult, index: number) => void,
    options: LinesActionOptions,
    firstIndex = 0,
  ): Promise<void> {
    const chain = this.lambdas.length === 0 ? '' : ` through ${this.lambdas.map((l) => lambdaLabel(l).split(' `')[0]).join(', ')}`;
    const tasks: TaskSpec<LinesTaskPayload>[] = splits.map((split, i) => ({
      handler: LINES_TASK,
      payload: { split, located: this.source.located, lambdas: this.lambdas, action: action(i) },
      description: `lines task ${firstIndex + i + 1} (${describeSplit(split)}${chain})`,
    }));
    await runTasks<LinesTaskResult>(this.session.workerPool(), tasks, {
      onResult: (r) => onResult(r.value, r.index),
      progress: new ProgressReporter({ stage: 'lines', quiet: !this.session.progress }),
      ...(options.signal === undefined ? {} : { signal: options.signal }),
    });
  }
}

function expect<K extends LinesTaskResult['kind']>(r: LinesTaskResult, kind: K): Extract<LinesTaskResult, { kind: K }> {
  if (r.kind !== kind) throw new PaylakeError('INTERNAL', `a lines task answered ${r.kind} to a ${kind} request; please report this`);
  return r as Extract<LinesTaskResult, { kind: K }>;
}

/**
 * A Dataset of the lines of text files: `paths` are files, directories (read recursively, `_`/`.` names
 * skipped) or globs; `.gz` files are decompressed. Lines split on `\n` with one trailing `\r` removed. Finds
 * nothing yet: a missing path fails at the first action with NOT_FOUND naming it.
 * With `{ located: true }` each element is `{ text, file, line }` (1-based line number in its file), for
 * rejects outputs that say where a bad line is; this costs a count of the newlines before each split.
 * @example
 * const lines = textFile(session, ['data/raw/gateway/dt=2026-11-0[1-3]/*.log']);
 * console.log(await lines.take(3));
 */
export function textFile(session: Session, paths: string | readonly string[], options?: TextFileOptions & { located?: false }): TextDataset<string>;
export function textFile(session: Session, paths: string | readonly string[], options: TextFileOptions & { located: true }): TextDataset<LocatedLine>;
export function textFile(session: Session, paths: string | readonly string[], options: TextFileOptions & { located?: boolean } = {}): TextDataset<string | LocatedLine> {
  const list = typeof paths === 'string' ? [paths] : [...paths];
  if (list.length === 0) throw new PaylakeError('USAGE', 'textFile needs at least one path');
  for (const p of list) fileSystemFor(p); // refuses empty paths and unsupported schemes now
  return new TextDataset(session, { paths: list, located: options.located === true, splitBytes: options.splitBytes ?? DEFAULT_SPLIT_BYTES }, []);
}
