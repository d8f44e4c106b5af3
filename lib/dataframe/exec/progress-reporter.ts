// The progress bar of a running stage on stderr: tasks done/total, rows/s and elapsed time, redrawn at most
// ten times a second, and only on a terminal (a log file or pipe gets nothing at all).

/** What the task scheduler reports to; {@link ProgressReporter} draws it, tests may record it. */
export interface ProgressSink {
  /** A run of `totalTasks` tasks begins; `label` names it (e.g. "stage 2/3 shuffle map"), replacing the reporter's own. */
  start(totalTasks: number, label?: string): void;
  /** One task finished, having processed `rows` rows. */
  taskDone(rows: number): void;
  /** The run ended (done, failed or cancelled); a bar removes itself. */
  stop(): void;
}

/** The part of a writable stream the reporter uses (process.stderr, or a fake in tests). */
export interface ProgressStream {
  write(chunk: string): boolean;
  readonly isTTY?: boolean;
  readonly columns?: number;
}

/** Options of {@link ProgressReporter}. */
export interface ProgressReporterOptions {
  /** Default `process.stderr`. */
  readonly stream?: ProgressStream;
  /** Whether to draw; default `stream.isTTY === true`. */
  readonly isTTY?: boolean;
  /** Draw nothing (the CLI's --quiet). */
  readonly quiet?: boolean;
  /** Shown before the bar, e.g. "stage 1 scan". */
  readonly stage?: string;
  /** Milliseconds clock; default `performance.now`. */
  readonly now?: () => number;
}

/** The numbers one line of the bar shows. */
export interface ProgressState {
  readonly stage: string | undefined;
  readonly done: number;
  readonly total: number;
  readonly rows: number;
  readonly elapsedMs: number;
}

const MIN_REDRAW_MS = 100;
/** Redraw this often even without task completions, so the elapsed time keeps moving during long tasks. */
const TICK_MS = 1000;
const CLEAR_LINE = '\r\x1b[K';

function formatCount(n: number): string {
  if (n < 1000) return String(Math.round(n));
  for (const [unit, size] of [['G', 1e9], ['M', 1e6], ['k', 1e3]] as const) {
    if (n >= size) return `${(n / size).toFixed(1)}${unit}`;
  }
  return String(Math.round(n));
}

function formatElapsed(ms: number): string {
  const s = Math.floor(ms / 1000);
  const two = (n: number): string => String(n).padStart(2, '0');
  const h = Math.floor(s / 3600);
  return h > 0 ? `${h}:${two(Math.floor(s / 60) % 60)}:${two(s % 60)}` : `${Math.floor(s / 60)}:${two(s % 60)}`;
}

/**
 * One line of the bar, fitted to `width` columns.
 * @example renderProgressLine({ stage: 'scan', done: 3, total: 12, rows: 1.5e6, elapsedMs: 2000 }, 80)
 * // 'scan [##########------------------------------] 3/12 tasks 750.0k rows/s 0:02'
 */
export function renderProgressLine(state: ProgressState, width: number): string {
  const seconds = state.elapsedMs / 1000;
  const rate = seconds > 0 ? state.rows / seconds : 0;
  const prefix = state.stage === undefined ? '' : `${state.stage} `;
  const suffix = ` ${state.done}/${state.total} tasks ${formatCount(rate)} rows/s ${formatElapsed(state.elapsedMs)}`;
  const barWidth = Math.max(10, Math.min(40, width - 1 - prefix.length - suffix.length - 2));
  const filled = state.total === 0 ? barWidth : Math.floor((barWidth * state.done) / state.total);
  const line = `${prefix}[${'#'.repeat(filled)}${'-'.repeat(barWidth - filled)}]${suffix}`;
  // Never wrap: a wrapped line cannot be redrawn with a carriage return.
  return line.length < width ? line : line.slice(0, Math.max(0, width - 1));
}

/**
 * Draws a progress bar for one run of tasks on a terminal; silent otherwise.
 * @example
 * await runTasks(pool, tasks, { progress: new ProgressReporter({ stage: 'stage 1 scan', quiet: argv.quiet }) });
 */
export class ProgressReporter implements ProgressSink {
  private readonly stream: ProgressStream;
  private readonly enabled: boolean;
  private stage: string | undefined;
  private readonly now: () => number;
  private total = 0;
  private done = 0;
  private rows = 0;
  private startedAt = 0;
  private lastDrawAt = -Infinity;
  private drawn = false;
  private ticker: NodeJS.Timeout | undefined;

  constructor(options: ProgressReporterOptions = {}) {
    this.stream = options.stream ?? process.stderr;
    this.enabled = options.quiet !== true && (options.isTTY ?? this.stream.isTTY === true);
    this.stage = options.stage;
    this.now = options.now ?? (() => performance.now());
  }

  start(totalTasks: number, label?: string): void {
    if (label !== undefined) this.stage = label;
    this.total = totalTasks;
    this.done = 0;
    this.rows = 0;
    this.startedAt = this.now();
    this.lastDrawAt = -Infinity;
    if (!this.enabled) return;
    this.draw();
    this.ticker = setInterval(() => this.maybeDraw(), TICK_MS);
    this.ticker.unref();
  }

  taskDone(rows: number): void {
    this.done++;
    this.rows += rows;
    if (this.enabled) this.maybeDraw();
  }

  stop(): void {
    clearInterval(this.ticker);
    this.ticker = undefined;
    if (this.drawn) this.stream.write(CLEAR_LINE);
    this.drawn = false;
  }

  private maybeDraw(): void {
    if (this.now() - this.lastDrawAt >= MIN_REDRAW_MS) this.draw();
  }

  private draw(): void {
    const now = this.now();
    this.lastDrawAt = now;
    const state: ProgressState = { stage: this.stage, done: this.done, total: this.total, rows: this.rows, elapsedMs: now - this.startedAt };
    this.stream.write(`${CLEAR_LINE}${renderProgressLine(state, this.stream.columns ?? 80)}`);
    this.drawn = true;
  }
}
