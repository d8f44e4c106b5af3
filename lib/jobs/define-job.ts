// The job interface `paylake run` knows: a name, a description, typed parameters with defaults, and a
// `run(ctx)` that reads the day's input and publishes its output; plus parsing of `--param name=value`.
import type { Writable } from 'node:stream';
import type { Session } from '../dataframe/session.js';
import { PaylakeError } from '../errors/paylake-error.js';

/** One job parameter: its type, what it means, and the value used when `--param` does not give one. */
export type JobParamSpec =
  | { readonly type: 'string'; readonly description: string; readonly default: string }
  | { readonly type: 'number'; readonly description: string; readonly default: number }
  | { readonly type: 'boolean'; readonly description: string; readonly default: boolean };

/** A job's parameter declarations, by name. */
export type JobParamSpecs = Readonly<Record<string, JobParamSpec>>;

/** The parameter values a job's `run` receives, typed from its declarations. */
export type JobParamValues<S extends JobParamSpecs> = {
  readonly [K in keyof S]: S[K] extends { type: 'number' } ? number : S[K] extends { type: 'boolean' } ? boolean : string;
};

/** Output formats of a job's report on stdout. */
export type JobReportFormat = 'table' | 'csv' | 'json';

/** Every JobReportFormat, for CLI `choices`. */
export const JOB_REPORT_FORMATS: readonly JobReportFormat[] = ['table', 'csv', 'json'];

/** What a job's `run` gets. */
export interface JobContext<P> {
  /** The logical date being processed, `YYYY-MM-DD`. */
  readonly date: string;
  /** The dataset root (`--input`), e.g. `data`. */
  readonly input: string;
  /** Where to publish (`--output`, default `out/<job>/dt=<date>`); write it with an atomic commit. */
  readonly output: string;
  readonly params: P;
  /** The session to run DataFrames and lines Datasets on; closed by the runner. */
  readonly session: Session;
  /** Format of the report on `stdout`. */
  readonly format: JobReportFormat;
  /** Where the report goes. */
  readonly stdout: Writable;
  /** For progress notes (`wrote ...`); silent with `--quiet`. */
  readonly log: (message: string) => void;
  /** Aborted on Ctrl-C; pass it to actions. */
  readonly signal: AbortSignal | undefined;
}

/** A job as the registry holds it. */
export interface JobDefinition<S extends JobParamSpecs = JobParamSpecs> {
  /** kebab-case, unique: `paylake run <name>`. */
  readonly name: string;
  /** One line for `paylake jobs`. */
  readonly description: string;
  readonly params: S;
  /** Runs the job for `ctx.date`. Throws PaylakeError for user-facing failures. */
  run(ctx: JobContext<JobParamValues<S>>): Promise<void>;
}

/**
 * Declares a job; the identity function that gives `run` typed parameters.
 * @example
 * export const job = defineJob({
 *   name: 'hello', description: 'Greets the date',
 *   params: { greeting: { type: 'string', description: 'What to say', default: 'hello' } },
 *   async run(ctx) { ctx.stdout.write(`${ctx.params.greeting} ${ctx.date}\n`); },
 * });
 */
export function defineJob<S extends JobParamSpecs>(job: JobDefinition<S>): JobDefinition<S> {
  if (!/^[a-z][a-z0-9]*(-[a-z0-9]+)*$/.test(job.name)) throw new PaylakeError('INTERNAL', `job name ${JSON.stringify(job.name)} is not kebab-case`);
  return job;
}

/**
 * The parameter values from `--param name=value` assignments, with defaults for the rest. Throws USAGE for
 * an unknown name (listing the job's parameters), a missing `=`, or a value of the wrong type.
 * @example resolveJobParams(job, ['rejectTextChars=80']) // { rejectTextChars: 80 }
 */
export function resolveJobParams<S extends JobParamSpecs>(job: JobDefinition<S>, assignments: readonly string[]): JobParamValues<S> {
  const values: Record<string, string | number | boolean> = {};
  for (const [name, spec] of Object.entries(job.params)) values[name] = spec.default;
  const known = Object.keys(job.params);
  for (const assignment of assignments) {
    const eq = assignment.indexOf('=');
    if (eq <= 0) throw new PaylakeError('USAGE', `--param ${JSON.stringify(assignment)} is not name=value`);
    const name = assignment.slice(0, eq);
    const raw = assignment.slice(eq + 1);
    const spec = Object.hasOwn(job.params, name) ? job.params[name] : undefined;
    if (spec === undefined) {
      const list = known.length === 0 ? 'it takes none' : `it takes ${known.join(', ')}`;
      throw new PaylakeError('USAGE', `job ${job.name} has no parameter ${JSON.stringify(name)}; ${list}`);
    }
    switch (spec.type) {
      case 'string':
        values[name] = raw;
        break;
      case 'number': {
        const n = Number(raw);
        if (raw.trim() === '' || !Number.isFinite(n)) throw new PaylakeError('USAGE', `--param ${name} must be a number, got ${JSON.stringify(raw)}`);
        values[name] = n;
        break;
      }
      case 'boolean':
        if (raw !== 'true' && raw !== 'false') throw new PaylakeError('USAGE', `--param ${name} must be true or false, got ${JSON.stringify(raw)}`);
        values[name] = raw === 'true';
        break;
    }
  }
  return values as JobParamValues<S>;
}
