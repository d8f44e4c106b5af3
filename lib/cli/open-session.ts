// Creates the session of a query command from its options and always closes it, also on failure, and
// opens the command's input: Parquet, or CSV / JSON lines when every path ends in .csv / .jsonl (malformed
// records then fail the command unless --rejects routes them to a file, which is reported on stderr).
import type { DataFrame } from '../dataframe/dataframe.js';
import { abortOnSigint } from '../dataframe/exec/sigint-abort.js';
import { Session } from '../dataframe/session.js';
import { isCsvInput, isJsonLinesInput } from '../io/dataset/dataset-summary.js';
import { PaylakeError } from '../errors/paylake-error.js';
import { parseSchemaOption } from './csv-schema-option.js';
import type { QueryArgs } from './query-options.js';

/** Runs `body` with a session built from the shared query options. */
export async function withSession<T>(args: Pick<QueryArgs, 'workers' | 'memory' | 'quiet'>, body: (s: Session) => Promise<T>): Promise<T> {
  // Ctrl-C cancels the run: tasks stop, workers go, scratch files are removed, nothing is published.
  using interrupt = abortOnSigint();
  const session = new Session({
    signal: interrupt.signal,
    ...(args.workers === undefined ? {} : { workers: args.workers }),
    ...(args.memory === undefined ? {} : { memory: args.memory }),
    progress: args.quiet !== true,
    onRejects: (r) => {
      const reasons = Object.entries(r.byReason).map(([k, n]) => `${k} ${n}`).join(', ');
      process.stderr.write(`paylake: ${r.count} malformed record${r.count === 1 ? '' : 's'} (${reasons}) written to ${r.file}\n`);
    },
  });
  try {
    return await body(session);
  } finally {
    await session.close();
  }
}

/** The DataFrame of the command's input paths. */
export async function readInput(session: Session, args: QueryArgs): Promise<DataFrame> {
  return readPaths(session, args.paths, args);
}

/** The DataFrame of `paths`: Parquet, or CSV / JSON lines by extension (with the --schema and --rejects options). */
export async function readPaths(session: Session, paths: readonly string[], args: Pick<QueryArgs, 'schema' | 'rejects'>): Promise<DataFrame> {
  if (isCsvInput(paths) || isJsonLinesInput(paths)) {
    const read = isCsvInput(paths) ? session.readCsv.bind(session) : session.readJson.bind(session);
    return read(paths, {
      ...(args.rejects === undefined ? {} : { rejects: args.rejects }),
      ...(args.schema === undefined ? {} : { schema: parseSchemaOption(args.schema) }),
    });
  }
  if (args.schema !== undefined || args.rejects !== undefined) {
    throw new PaylakeError('USAGE', '--schema and --rejects apply to CSV and JSON-lines inputs only; Parquet files carry their own schema');
  }
  return session.readParquet(...paths);
}
