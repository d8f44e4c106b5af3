// Publishes output all at once (DESIGN.md, output commit): everything is written under a hidden temporary
// sibling, which replaces the target by rename only when complete, so a failed or killed run leaves the
// previous output as it was. One helper for every writer: DataFrame writers, saveAsTextFile, jobs.
import * as path from 'node:path';
import { PaylakeError } from '../../errors/paylake-error.js';
import { fileSystemFor } from './resolve-file-system.js';

/**
 * Calls `produce(tmp)` to fill a new temporary directory (created for it), then renames it to `target`,
 * replacing an existing directory. On failure the temporary directory is removed and `target` is untouched.
 * The caller writes `_SUCCESS` last inside `tmp`.
 * @example await commitDirectory('out/lines', async (tmp) => { await writeParts(tmp); await fs.writeFile(`${tmp}/_SUCCESS`, ''); })
 */
export async function commitDirectory<T>(target: string, produce: (tmp: string) => Promise<T>): Promise<T> {
  if (target.trim() === '') throw new PaylakeError('INVALID_PATH', 'empty output path');
  const fs = fileSystemFor(target);
  const dir = path.dirname(target);
  const base = path.basename(target);
  const tag = `${process.pid}-${Math.random().toString(36).slice(2, 8)}`;
  const tmp = fs.join(dir, `.${base}.paylake-tmp-${tag}`);
  const old = fs.join(dir, `.${base}.paylake-old-${tag}`);
  await fs.mkdirs(tmp);
  let value: T;
  try {
    value = await produce(tmp);
  } catch (e) {
    await fs.remove(tmp);
    throw e;
  }
  const existed = await fs.exists(target);
  if (existed) {
    if (!(await fs.isDirectory(target))) {
      await fs.remove(tmp);
      throw new PaylakeError('USAGE', `output ${target} exists and is a file; give a directory path`);
    }
    await fs.rename(target, old);
  }
  try {
    await fs.rename(tmp, target);
  } catch (e) {
    if (existed) await fs.rename(old, target);
    await fs.remove(tmp);
    throw e;
  }
  if (existed) await fs.remove(old);
  return value;
}

/**
 * Calls `produce(tmp)` to write a new temporary file, then renames it to `target`, replacing an existing file.
 * On failure the temporary file is removed and `target` is untouched.
 * @example await commitFile('out/summary.csv', async (tmp) => writeCsv(tmp))
 */
export async function commitFile<T>(target: string, produce: (tmp: string) => Promise<T>): Promise<T> {
  if (target.trim() === '') throw new PaylakeError('INVALID_PATH', 'empty output path');
  const fs = fileSystemFor(target);
  if ((await fs.exists(target)) && (await fs.isDirectory(target))) {
    throw new PaylakeError('USAGE', `output ${target} is a directory; give a file path`);
  }
  const tmp = fs.join(path.dirname(target), `.${path.basename(target)}.paylake-tmp-${process.pid}-${Math.random().toString(36).slice(2, 8)}`);
  let value: T;
  try {
    value = await produce(tmp);
    await fs.rename(tmp, target);
  } catch (e) {
    await fs.remove(tmp);
    throw e;
  }
  return value;
}
