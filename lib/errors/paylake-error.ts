// The one error type users see: a stable code, a message that says what failed, where, and what to do.

/**
 * Stable error codes. Scripts may match on them; never rename one, only add.
 * - USAGE: bad command-line arguments or API parameters (CLI exit code 2)
 * - NOT_FOUND: a path, table, column or job that does not exist
 * - INVALID_PATH: a path or URI that paylake refuses (unsupported scheme, traversal)
 * - PARQUET_CORRUPT: a Parquet file that cannot be decoded
 * - PARQUET_UNSUPPORTED: a valid Parquet file using a feature paylake cannot read (e.g. encryption)
 * - SCHEMA_CONFLICT: files of one dataset whose column types disagree
 * - CSV_INVALID: a text data file (CSV, JSON lines) with a record that cannot be read (a bad header, or
 *   malformed records that no rejects output takes)
 * - TYPE_ERROR: an expression or value of the wrong type
 * - PARSE_ERROR: SQL or expression text that does not parse (the message points at the position)
 * - IO: a file-system operation failed
 * - OVERFLOW: an exact integer result does not fit its type
 * - ARITHMETIC: division by zero and other arithmetic errors Spark raises under ANSI mode
 * - USER_CODE: a function the user wrote (a lines-API lambda) threw; the message names it and the input
 * - INTERNAL: a bug in paylake; the message asks for a report
 * - CANCELLED: the run was cancelled (Ctrl-C or an abort signal) before it finished; nothing was published
 */
export type ErrorCode =
  | 'USAGE'
  | 'NOT_FOUND'
  | 'INVALID_PATH'
  | 'PARQUET_CORRUPT'
  | 'PARQUET_UNSUPPORTED'
  | 'SCHEMA_CONFLICT'
  | 'CSV_INVALID'
  | 'TYPE_ERROR'
  | 'PARSE_ERROR'
  | 'IO'
  | 'OVERFLOW'
  | 'ARITHMETIC'
  | 'USER_CODE'
  | 'INTERNAL'
  | 'CANCELLED';

/** A user-facing error with a stable code. The message is one line: what, where, what to do. */
export class PaylakeError extends Error {
  override readonly name = 'PaylakeError';

  constructor(
    readonly code: ErrorCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/** True when `e` is a PaylakeError, optionally with the given code. */
export function isPaylakeError(e: unknown, code?: ErrorCode): e is PaylakeError {
  return e instanceof PaylakeError && (code === undefined || e.code === code);
}

/** The message of any thrown value, for wrapping foreign errors into a PaylakeError. */
export function messageOf(e: unknown): string {
  if (e instanceof Error) return e.message;
  return String(e);
}
