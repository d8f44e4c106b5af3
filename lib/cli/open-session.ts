// Creates the session of a query command from its options and always closes it, also on failure.
import { Session } from '../dataframe/session.js';
import type { QueryArgs } from './query-options.js';

/** Runs `body` with a session built from the shared query options. */
export async function withSession<T>(args: QueryArgs, body: (s: Session) => Promise<T>): Promise<T> {
  const session = new Session({
    ...(args.workers === undefined ? {} : { workers: args.workers }),
    ...(args.memory === undefined ? {} : { memory: args.memory }),
    progress: args.quiet !== true,
  });
  try {
    return await body(session);
  } finally {
    await session.close();
  }
}
