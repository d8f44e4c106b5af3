import { Readable } from 'node:stream';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import type { FileSystem } from '../../../lib/io/fs/file-system.js';
import { jsonLines, type JsonLine } from '../../../lib/io/jsonl/jsonl-line-source.js';

/** A file system serving one file as chunks of the given sizes (cycled), to cut lines, CRLF and UTF-8 anywhere. */
function chunked(bytes: Buffer, sizes: number[]): FileSystem {
  return {
    openReadStream: () => {
      const chunks: Buffer[] = [];
      for (let at = 0, k = 0; at < bytes.length; k++) {
        const size = sizes[k % sizes.length]!;
        chunks.push(bytes.subarray(at, at + size));
        at += size;
      }
      return Readable.from(chunks);
    },
  } as unknown as FileSystem;
}

async function collect(fs: FileSystem, uri: string, maxRecordBytes = 1 << 20): Promise<JsonLine[]> {
  const out: JsonLine[] = [];
  for await (const lines of jsonLines(fs, uri, { maxRecordBytes })) out.push(...lines);
  return out;
}

const TEXT = Buffer.concat([Buffer.from('\ufeff{"a":"é✓"}\r\n\r\n  \n{"b":'), Buffer.from([0xc3, 0x28]), Buffer.from('}\n{"c":1}')]);
const EXPECTED: JsonLine[] = [
  { kind: 'text', line: 1, text: '{"a":"é✓"}', invalidUtf8: false },
  { kind: 'text', line: 2, text: '', invalidUtf8: false },
  { kind: 'text', line: 3, text: '  ', invalidUtf8: false },
  { kind: 'text', line: 4, text: '{"b":\uFFFD(}', invalidUtf8: true },
  { kind: 'text', line: 5, text: '{"c":1}', invalidUtf8: false },
];

describe('jsonLines', () => {
  it('numbers physical lines exactly whatever the chunk boundaries (CRLF, BOM and UTF-8 split across chunks)', async () => {
    for (const sizes of [[1], [2], [3, 1], [7], [1 << 16]]) {
      expect(await collect(chunked(TEXT, sizes), 'x.jsonl'), String(sizes)).toEqual(EXPECTED);
    }
  });

  it('counts a last empty line only when it is not after the final newline', async () => {
    expect((await collect(chunked(Buffer.from('{}\n'), [1]), 'x.jsonl')).length).toBe(1);
    expect((await collect(chunked(Buffer.from('{}\n\n'), [1]), 'x.jsonl')).length).toBe(2);
    expect(await collect(chunked(Buffer.from(''), [1]), 'x.jsonl')).toEqual([]);
  });

  it('reports an oversized line with its size and head only, then goes on (limit counts bytes without the CR)', async () => {
    const big = 'x'.repeat(5000);
    const bytes = Buffer.from(`${'y'.repeat(10)}\r\n${big}\r\n${'z'.repeat(11)}\n`);
    const lines = await collect(chunked(bytes, [3]), 'x.jsonl', 10);
    expect(lines).toEqual([
      { kind: 'text', line: 1, text: 'y'.repeat(10), invalidUtf8: false },
      { kind: 'too-large', line: 2, head: `${'x'.repeat(1000)}…`, bytes: 5000 },
      { kind: 'too-large', line: 3, head: 'z'.repeat(11), bytes: 11 },
    ]);
  });

  it('reads gzip when the name ends .gz', async () => {
    expect(await collect(chunked(gzipSync(TEXT), [5]), 'x.jsonl.gz')).toEqual(EXPECTED);
  });
});
