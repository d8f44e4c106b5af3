// The file-system interface every reader and writer goes through: local paths now, s3:// and hdfs:// later.
// Designed for listing and ranged reads (Parquet footers, row groups, text byte ranges), never whole-file reads.
import type { Readable, Writable } from 'node:stream';

/** One file as a listing reports it. */
export interface FileStatus {
  /** The location in the form the file system accepts back (a plain path for local files). */
  readonly uri: string;
  readonly size: number;
  readonly modifiedMs: number;
}

/** A store of files addressed by URI. Every method throws PaylakeError (NOT_FOUND, IO) on failure. */
export interface FileSystem {
  /** The URI scheme this file system serves, e.g. `file`. */
  readonly scheme: string;
  /** Size and modification time of one file; NOT_FOUND when absent. */
  stat(uri: string): Promise<FileStatus>;
  /** Whether a file or directory exists. */
  exists(uri: string): Promise<boolean>;
  /** Whether the location is a directory (or a prefix holding objects). */
  isDirectory(uri: string): Promise<boolean>;
  /** Every file under a directory, recursively, sorted by URI; hidden entries (`.x`, `_x`) skipped. */
  listFiles(uri: string): Promise<FileStatus[]>;
  /** `length` bytes starting at `offset`; fewer only at the end of the file. */
  readRange(uri: string, offset: number, length: number): Promise<Uint8Array>;
  /** A Blob whose slices read lazily from the file, for parquet-wasm's ranged reader. */
  openBlob(uri: string): Promise<Blob>;
  /** A byte stream of the whole file, or of `[start, end)` when given. */
  openReadStream(uri: string, range?: { start: number; end: number }): Readable;
  /** A byte stream writing a new file, creating parent directories. */
  openWriteStream(uri: string): Promise<Writable>;
  /** Writes a whole (small) file, creating parent directories. */
  writeFile(uri: string, data: Uint8Array | string): Promise<void>;
  /** Creates a directory and its parents. */
  mkdirs(uri: string): Promise<void>;
  /** Moves a file or directory; the target must not exist. Atomic on a local file system. */
  rename(from: string, to: string): Promise<void>;
  /** Removes a file or a directory tree; absent is not an error. */
  remove(uri: string): Promise<void>;
  /** Joins a child name onto a location. */
  join(base: string, ...names: string[]): string;
}
