// The local file system, for plain paths and file:// URIs.
import { createReadStream, createWriteStream, openAsBlob } from 'node:fs';
import * as fsp from 'node:fs/promises';
import * as path from 'node:path';
import type { Readable, Writable } from 'node:stream';
import { PaylakeError, messageOf } from '../../errors/paylake-error.js';
import type { FileStatus, FileSystem } from './file-system.js';

/** Turns `file:///x` into `/x`; leaves plain paths alone. */
function toPath(uri: string): string {
  if (uri.startsWith('file://')) return decodeURIComponent(new URL(uri).pathname);
  return uri;
}

function ioError(op: string, uri: string, e: unknown): PaylakeError {
  const code = (e as NodeJS.ErrnoException | undefined)?.code;
  if (code === 'ENOENT') {
    return new PaylakeError('NOT_FOUND', `${uri}: no such file or directory; check the path`, { cause: e });
  }
  if (code === 'EACCES' || code === 'EPERM') {
    return new PaylakeError('IO', `${uri}: permission denied while trying to ${op}`, { cause: e });
  }
  return new PaylakeError('IO', `${uri}: cannot ${op}: ${messageOf(e)}`, { cause: e });
}

/** Hidden by Hadoop/Spark convention: `_SUCCESS`, `_temporary`, `.crc` files and dot-directories. */
export function isHiddenName(name: string): boolean {
  return name.startsWith('.') || name.startsWith('_');
}

/** Local disk behind the FileSystem interface. */
export class LocalFileSystem implements FileSystem {
  readonly scheme = 'file';

  async stat(uri: string): Promise<FileStatus> {
    try {
      const s = await fsp.stat(toPath(uri));
      return { uri, size: s.size, modifiedMs: s.mtimeMs };
    } catch (e) {
      throw ioError('stat', uri, e);
    }
  }

  async exists(uri: string): Promise<boolean> {
    try {
      await fsp.access(toPath(uri));
      return true;
    } catch {
      return false;
    }
  }

  async isDirectory(uri: string): Promise<boolean> {
    try {
      return (await fsp.stat(toPath(uri))).isDirectory();
    } catch (e) {
      throw ioError('stat', uri, e);
    }
  }

  async listFiles(uri: string): Promise<FileStatus[]> {
    const root = toPath(uri);
    const out: FileStatus[] = [];
    const walk = async (dir: string): Promise<void> => {
      let entries;
      try {
        entries = await fsp.readdir(dir, { withFileTypes: true });
      } catch (e) {
        throw ioError('list', dir, e);
      }
      for (const entry of entries) {
        if (isHiddenName(entry.name)) continue;
        const full = path.join(dir, entry.name);
        if (entry.isDirectory()) await walk(full);
        else if (entry.isFile()) {
          const s = await fsp.stat(full);
          out.push({ uri: full, size: s.size, modifiedMs: s.mtimeMs });
        }
      }
    };
    await walk(root);
    out.sort((a, b) => (a.uri < b.uri ? -1 : a.uri > b.uri ? 1 : 0));
    return out;
  }

  async readRange(uri: string, offset: number, length: number): Promise<Uint8Array> {
    let handle;
    try {
      handle = await fsp.open(toPath(uri), 'r');
      const buf = new Uint8Array(length);
      let got = 0;
      while (got < length) {
        const { bytesRead } = await handle.read(buf, got, length - got, offset + got);
        if (bytesRead === 0) break;
        got += bytesRead;
      }
      return got === length ? buf : buf.subarray(0, got);
    } catch (e) {
      throw ioError('read', uri, e);
    } finally {
      await handle?.close();
    }
  }

  async openBlob(uri: string): Promise<Blob> {
    try {
      return await openAsBlob(toPath(uri));
    } catch (e) {
      throw ioError('open', uri, e);
    }
  }

  openReadStream(uri: string, range?: { start: number; end: number }): Readable {
    // createReadStream's `end` is inclusive.
    const opts = range ? { start: range.start, end: Math.max(range.start, range.end) - 1 } : {};
    if (range && range.end <= range.start) opts.end = range.start - 1;
    return createReadStream(toPath(uri), opts);
  }

  async openWriteStream(uri: string): Promise<Writable> {
    const p = toPath(uri);
    await this.mkdirs(path.dirname(p));
    return createWriteStream(p);
  }

  async writeFile(uri: string, data: Uint8Array | string): Promise<void> {
    const p = toPath(uri);
    try {
      await fsp.mkdir(path.dirname(p), { recursive: true });
      await fsp.writeFile(p, data);
    } catch (e) {
      throw ioError('write', uri, e);
    }
  }

  async mkdirs(uri: string): Promise<void> {
    try {
      await fsp.mkdir(toPath(uri), { recursive: true });
    } catch (e) {
      throw ioError('create directory', uri, e);
    }
  }

  async rename(from: string, to: string): Promise<void> {
    try {
      await fsp.mkdir(path.dirname(toPath(to)), { recursive: true });
      await fsp.rename(toPath(from), toPath(to));
    } catch (e) {
      throw ioError(`rename to ${to}`, from, e);
    }
  }

  async remove(uri: string): Promise<void> {
    try {
      await fsp.rm(toPath(uri), { recursive: true, force: true });
    } catch (e) {
      throw ioError('remove', uri, e);
    }
  }

  join(base: string, ...names: string[]): string {
    return path.join(toPath(base), ...names);
  }
}
