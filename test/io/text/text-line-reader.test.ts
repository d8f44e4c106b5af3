import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readTextLines, type TextLineReadOptions, type TextLineStats } from '../../../lib/io/text/text-line-reader.js';
import { TextLinesWriter } from '../../../lib/io/text/text-line-writer.js';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'paylake-text-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

let n = 0;
async function file(content: string | Buffer, suffix = '.txt'): Promise<string> {
  const path = join(dir, `t${n++}${suffix}`);
  await writeFile(path, content);
  return path;
}

async function lines(path: string, options: TextLineReadOptions = {}, stats: TextLineStats = { lines: 0, invalidUtf8Lines: 0 }): Promise<string[]> {
  const out: string[] = [];
  for await (const batch of readTextLines(path, stats, options)) for (const line of batch) out.push(line as string);
  return out;
}

/** The lines a plain split of `text` gives: \n separators, one trailing \r stripped, no line after a final \n. */
function expectedLines(text: string): string[] {
  if (text === '') return [];
  const parts = text.split('\n');
  if (text.endsWith('\n')) parts.pop();
  return parts.map((l) => (l.endsWith('\r') ? l.slice(0, -1) : l));
}

const SAMPLES: Record<string, string> = {
  plain: 'alpha\nbeta\ngamma\n',
  'no trailing newline': 'alpha\nbeta\ngamma',
  crlf: 'a1\r\nb22\r\n\r\nc333\r\n',
  'empty lines': '\n\nx\n\n\ny\n\n',
  'multi-byte utf-8': 'café\n東京都\n€€€€\n🙂🙂\nzürich',
  'only newlines': '\n\n\n',
  'one line': 'single',
  'double cr': 'a\r\r\nb\r',
};

describe('readTextLines', () => {
  for (const [name, text] of Object.entries(SAMPLES)) {
    it(`reads ${name} whole`, async () => {
      expect(await lines(await file(text))).toEqual(expectedLines(text));
    });

    it(`gives every line exactly once across byte ranges of every size (${name})`, async () => {
      const path = await file(text);
      const size = Buffer.byteLength(text);
      const want = expectedLines(text);
      for (let split = 1; split <= size + 1; split++) {
        const got: string[] = [];
        for (let start = 0; start < size; start += split) {
          got.push(...(await lines(path, { range: { start, end: Math.min(size, start + split) }, batchLines: 2 })));
        }
        expect(got, `split size ${split}`).toEqual(want);
      }
    });
  }

  it('splits a larger file at random boundaries, including newline positions', async () => {
    const rows = Array.from({ length: 2000 }, (_, i) => (i % 7 === 0 ? '' : `line ${i} ${'é'.repeat(i % 5)}${i % 3 === 0 ? '\r' : ''}`));
    const text = rows.join('\n') + '\n';
    const path = await file(text);
    const size = Buffer.byteLength(text);
    const newlineOffsets = [...Buffer.from(text).entries()].filter(([, b]) => b === 10).map(([i]) => i);
    const cutSets = [
      newlineOffsets.filter((_, i) => i % 97 === 0), // at a newline
      newlineOffsets.filter((_, i) => i % 89 === 0).map((o) => o + 1), // just after one
      Array.from({ length: 30 }, (_, i) => Math.floor(((i + 1) * size) / 31)), // anywhere, mid multi-byte too
    ];
    for (const cuts of cutSets) {
      const bounds = [0, ...cuts.filter((c) => c > 0 && c < size), size];
      const got: string[] = [];
      for (let i = 0; i + 1 < bounds.length; i++) got.push(...(await lines(path, { range: { start: bounds[i]!, end: bounds[i + 1]! } })));
      expect(got).toEqual(expectedLines(text));
    }
  });

  it('reads gzip transparently, in bounded batches', async () => {
    const text = Array.from({ length: 50_000 }, (_, i) => `event ${i}\r`).join('\n');
    const path = await file(gzipSync(text), '.log.gz');
    const stats = { lines: 0, invalidUtf8Lines: 0 };
    let batches = 0;
    const got: string[] = [];
    for await (const batch of readTextLines(path, stats, { batchLines: 4096 })) {
      batches++;
      expect(batch.length).toBeLessThanOrEqual(4096);
      for (const l of batch) got.push(l as string);
    }
    expect(got).toEqual(expectedLines(text));
    expect(stats.lines).toBe(50_000);
    expect(batches).toBe(Math.ceil(50_000 / 4096));
    await expect(lines(path, { range: { start: 0, end: 10 } })).rejects.toThrow(/gzip file cannot be split/);
  });

  it('counts and repairs lines that are not valid UTF-8', async () => {
    const path = await file(Buffer.concat([Buffer.from('ok\nbad '), Buffer.from([0xff, 0xfe]), Buffer.from('\nfine\n')]));
    const stats = { lines: 0, invalidUtf8Lines: 0 };
    expect(await lines(path, {}, stats)).toEqual(['ok', 'bad \uFFFD\uFFFD', 'fine']);
    expect(stats).toEqual({ lines: 3, invalidUtf8Lines: 1 });
  });

  it('returns batches whose buffers belong to the batch alone (transferable)', async () => {
    const path = await file('a\nbb\nccc\n');
    for await (const batch of readTextLines(path, { lines: 0, invalidUtf8Lines: 0 })) {
      const data = batch.data[0]!;
      expect(data.values.byteLength).toBe(data.values.buffer.byteLength);
      expect(data.valueOffsets.byteLength).toBe(data.valueOffsets.buffer.byteLength);
      expect(data.values.byteLength).toBe(6);
    }
  });
});

describe('TextLinesWriter', () => {
  it('writes lines that read back identically, plain and gzip', async () => {
    const want = ['first', '', 'café 東京', 'last'];
    for (const name of ['out/part-00000.txt', 'out/part-00000.txt.gz']) {
      const path = join(dir, name);
      const writer = await TextLinesWriter.open(path);
      await writer.write(want.slice(0, 2));
      await writer.write(want.slice(2));
      await writer.close();
      expect(writer.lineCount).toBe(4);
      expect(await lines(path)).toEqual(want);
    }
    expect(await readFile(join(dir, 'out/part-00000.txt'), 'utf8')).toBe('first\n\ncafé 東京\nlast\n');
  });

  it('refuses a line with a line break or a NULL', async () => {
    const writer = await TextLinesWriter.open(join(dir, 'bad.txt'));
    await expect(writer.write(['ok', 'two\nlines'])).rejects.toThrow(/line 2 contains a line break/);
    await expect(writer.write([null])).rejects.toThrow(/NULL/);
    await writer.close();
  });
});
