// Picks the file system for a URI by its scheme and validates user-supplied locations.
import { PaylakeError } from '../../errors/paylake-error.js';
import type { FileSystem } from './file-system.js';
import { LocalFileSystem } from './local-file-system.js';

const local = new LocalFileSystem();

/** The scheme of a URI (`file` for plain paths). */
export function schemeOf(uri: string): string {
  const m = /^([a-zA-Z][a-zA-Z0-9+.-]*):\/\//.exec(uri);
  return m?.[1]?.toLowerCase() ?? 'file';
}

/**
 * The file system serving `uri`. Rejects empty locations, NUL bytes and schemes paylake does not read.
 * @example fileSystemFor('data/transactions').listFiles('data/transactions')
 */
export function fileSystemFor(uri: string): FileSystem {
  if (uri.length === 0) throw new PaylakeError('INVALID_PATH', 'empty path; give a file, directory or URI');
  if (uri.includes('\0')) throw new PaylakeError('INVALID_PATH', `path contains a NUL byte: ${JSON.stringify(uri)}`);
  const scheme = schemeOf(uri);
  switch (scheme) {
    case 'file':
      return local;
    case 's3':
    case 's3a':
    case 'hdfs':
      throw new PaylakeError(
        'INVALID_PATH',
        `${uri}: ${scheme}:// locations are not supported yet in this version; copy the data to a local path`,
      );
    default:
      throw new PaylakeError('INVALID_PATH', `${uri}: unknown scheme "${scheme}://"; use a local path or file://`);
  }
}
