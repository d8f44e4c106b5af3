// Finds the files a user's input path names: the file itself, every file under a directory (recursive,
// hidden `_`/`.` entries such as `_SUCCESS` skipped), or the matches of a glob. One definition for every
// reader (Parquet datasets, text lines, CSV), so paths mean the same everywhere.
import * as path from 'node:path';
import { PaylakeError } from '../../errors/paylake-error.js';
import type { FileStatus } from '../fs/file-system.js';
import { fileSystemFor } from '../fs/resolve-file-system.js';
import { globBase, globToRegExp, isGlob } from './glob-pattern.js';

/** A file found under an input path, with the root its partition directories are relative to. */
export interface InputFile {
  readonly status: FileStatus;
  /** The directory or glob base the path names (a file's own directory for a plain file). */
  readonly root: string;
}

/**
 * The files of one input path, sorted. Throws NOT_FOUND naming the path when it does not exist or a glob
 * matches nothing, and, unless `allowEmpty`, when a directory holds no visible file.
 * @example await listInputFiles('data/transactions/dt=2026-11-0*\/*.parquet')
 */
export async function listInputFiles(p: string, options: { allowEmpty?: boolean } = {}): Promise<InputFile[]> {
  const fs = fileSystemFor(p);
  let found: InputFile[];
  if (isGlob(p)) {
    const base = globBase(p);
    if (!(await fs.exists(base))) throw new PaylakeError('NOT_FOUND', `${p}: no such directory ${base}; check the path`);
    const re = globToRegExp(path.posix.normalize(p));
    const all = (await fs.isDirectory(base)) ? await fs.listFiles(base) : [await fs.stat(base)];
    found = all.filter((f) => re.test(path.posix.normalize(f.uri))).map((status) => ({ status, root: base }));
    if (found.length === 0) throw new PaylakeError('NOT_FOUND', `${p}: the pattern matches no files; check the path`);
  } else {
    if (!(await fs.exists(p))) throw new PaylakeError('NOT_FOUND', `${p}: no such file or directory; check the path`);
    if (await fs.isDirectory(p)) {
      found = (await fs.listFiles(p)).map((status) => ({ status, root: p }));
      if (found.length === 0 && options.allowEmpty !== true) {
        throw new PaylakeError('NOT_FOUND', `${p}: the directory holds no data files (only hidden ones such as _SUCCESS, or none); check the path`);
      }
    } else {
      found = [{ status: await fs.stat(p), root: path.dirname(p) }];
    }
  }
  return found.sort((a, b) => (a.status.uri < b.status.uri ? -1 : a.status.uri > b.status.uri ? 1 : 0));
}
