// The typed messages between a Parquet reader and its decode worker (parquet-wasm runs only in that worker).

/** Ask for the file's Arrow schema, as an Arrow IPC stream with no batches. */
export interface DecodeSchemaRequest {
  readonly kind: 'schema';
  readonly id: number;
  readonly uri: string;
}

/** Decode selected columns of exactly one row group. */
export interface DecodeRowGroupRequest {
  readonly kind: 'read';
  readonly id: number;
  readonly uri: string;
  readonly rowGroup: number;
  /** The row group's first row in the file, for the INT96 cross-check. */
  readonly firstRow: number;
  readonly numRows: number;
  /** Top-level column names; null reads all. */
  readonly columns: readonly string[] | null;
  /** Omitted when the footer's file row count disagrees with its row groups (see parquet-reader.ts). */
  readonly batchSize: number | undefined;
  /** Projected top-level INT96 columns, whose values the worker cross-checks against the nanosecond range. */
  readonly int96Columns: readonly string[];
}

/** A request to the decode worker. */
export type DecodeRequest = DecodeSchemaRequest | DecodeRowGroupRequest;

/** The worker's answer: Arrow IPC streams (the schema, or one per batch), or the decoder's error message. */
export type DecodeResponse =
  | { readonly id: number; readonly ok: true; readonly ipcs: readonly Uint8Array[]; readonly wasmMemoryBytes: number }
  | { readonly id: number; readonly ok: false; readonly message: string; readonly int96OutOfRange: boolean; readonly wasmMemoryBytes: number };
