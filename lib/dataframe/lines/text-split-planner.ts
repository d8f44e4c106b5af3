// Plans the tasks of a lines Dataset: finds the text files of the given paths (file, directory, glob) and
// cuts each into byte-range splits (Hadoop TextInputFormat style; gzip files whole). The plan depends only on
// the files and the split size, never on the number of workers, so results do not either.
import { PaylakeError } from '../../errors/paylake-error.js';
import { listInputFiles } from '../../io/dataset/input-files.js';

/** Default split size: 32 MiB, as Spark's default on local files. */
export const DEFAULT_SPLIT_BYTES = 32 * 1024 * 1024;

/** One task's input: a whole file, or the lines starting in a byte range of it (see readTextLines). */
export interface TextSplit {
  readonly uri: string;
  /** Byte range for an uncompressed file; absent for a gzip file, which is read whole. */
  readonly range?: { readonly start: number; readonly end: number };
  readonly fileSize: number;
}

/**
 * The splits of `paths`, in path order then file order (sorted) then byte order; empty files give none.
 * Throws NOT_FOUND naming a path that does not exist or a glob that matches nothing.
 * @example await planTextSplits(['data/raw/gateway/dt=2026-11-01/*.log'], DEFAULT_SPLIT_BYTES)
 */
export async function planTextSplits(paths: readonly string[], splitBytes: number = DEFAULT_SPLIT_BYTES): Promise<TextSplit[]> {
  if (paths.length === 0) throw new PaylakeError('USAGE', 'textFile needs at least one path');
  if (!Number.isSafeInteger(splitBytes) || splitBytes < 1) throw new PaylakeError('USAGE', `split size must be a positive integer of bytes, got ${splitBytes}`);
  const splits: TextSplit[] = [];
  const seen = new Set<string>();
  for (const p of paths) {
    const files = (await listInputFiles(p, { allowEmpty: true })).map((f) => f.status);
    for (const file of files) {
      if (seen.has(file.uri)) continue; // overlapping paths read a file once
      seen.add(file.uri);
      if (file.size === 0) continue;
      if (file.uri.endsWith('.gz')) {
        splits.push({ uri: file.uri, fileSize: file.size });
        continue;
      }
      for (let start = 0; start < file.size; start += splitBytes) {
        splits.push({ uri: file.uri, range: { start, end: Math.min(file.size, start + splitBytes) }, fileSize: file.size });
      }
    }
  }
  return splits;
}

/** How task descriptions name a split: `file x.log bytes 0-33554432` or `file x.log.gz (whole)`. */
export function describeSplit(split: TextSplit): string {
  return split.range === undefined ? `file ${split.uri} (whole, gzip)` : `file ${split.uri} bytes ${split.range.start}-${split.range.end}`;
}
