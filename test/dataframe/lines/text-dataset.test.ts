// The lines API end to end on real worker threads: every action over multi-file, multi-split inputs (CRLF,
// gzip, empty and hidden files), results identical with 1 and 2 workers, lambda capture refusal with the
// params hint, params passing, and a throwing lambda named in a PaylakeError with its task.
import { mkdir, mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PaylakeError } from '../../../lib/errors/paylake-error.js';
import { Session } from '../../../lib/dataframe/session.js';
import { textFile } from '../../../lib/dataframe/lines/text-dataset.js';

let dir: string;
let input: string;
let sessions: Session[];
let one: Session;
let two: Session;

/** The lines of the fixture as plain Node reads them, in the order textFile must give them. */
let expected: string[];

const SPLIT = 64;

function splitLines(text: string): string[] {
  if (text === '') return [];
  const parts = text.split('\n');
  if (text.endsWith('\n')) parts.pop();
  return parts.map((l) => (l.endsWith('\r') ? l.slice(0, -1) : l));
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'paylake-lines-'));
  input = join(dir, 'in');
  const files: Record<string, string | Buffer> = {};
  const a = Array.from({ length: 40 }, (_, i) => `a${i},${i % 3 === 0 ? 'APPROVED' : 'DECLINED'},${i % 5}`).join('\n') + '\n';
  const b = Array.from({ length: 25 }, (_, i) => (i % 7 === 3 ? '' : `b${i},APPROVED,${i % 2}`)).join('\r\n') + '\r\n';
  const c = Array.from({ length: 30 }, (_, i) => `c${i},DECLINED,${i % 4}`).join('\n'); // no final newline
  const d = 'd0 déjà vu,APPROVED,1\nd1 東京,DECLINED,2\n';
  files['a.txt'] = a;
  files['b.txt'] = b;
  files['c.txt.gz'] = gzipSync(c);
  files['empty.txt'] = '';
  files['sub/d.txt'] = d;
  files['sub/_SUCCESS'] = 'not data\n';
  files['sub/.hidden.txt'] = 'not data\n';
  for (const [name, content] of Object.entries(files)) {
    await mkdir(join(input, name, '..'), { recursive: true });
    await writeFile(join(input, name), content);
  }
  expected = [...splitLines(a), ...splitLines(b), ...splitLines(c), ...splitLines(d)];
  one = new Session({ workers: 1, progress: false });
  two = new Session({ workers: 2, progress: false });
  sessions = [one, two];
});

afterAll(async () => {
  await Promise.all(sessions.map((s) => s.close()));
  await rm(dir, { recursive: true, force: true });
});

describe('textFile actions', () => {
  it('collects every line once, in file order, across splits, CRLF, gzip and empty files', async () => {
    for (const s of sessions) {
      expect(await textFile(s, input, { splitBytes: SPLIT }).collect()).toEqual(expected);
      expect(await textFile(s, input).collect()).toEqual(expected);
    }
  });

  it('counts, filters, maps and flatMaps', async () => {
    const lines = textFile(two, input, { splitBytes: SPLIT });
    expect(await lines.count()).toBe(expected.length);
    const approved = lines.filter((l) => l.includes('APPROVED'));
    expect(await approved.count()).toBe(expected.filter((l) => l.includes('APPROVED')).length);
    expect(await lines.map((l) => l.length).collect()).toEqual(expected.map((l) => l.length));
    expect(await lines.flatMap((l) => l.split(',')).collect()).toEqual(expected.flatMap((l) => l.split(',')));
    expect(await lines.flatMap((l) => new Set([l.length])).count()).toBe(expected.length);
  });

  it('reads a glob and a single file', async () => {
    expect(await textFile(two, join(input, '*.txt'), { splitBytes: SPLIT }).count()).toBe(expected.length - 30 - 2);
    expect(await textFile(two, join(input, 'c.txt.gz')).count()).toBe(30);
  });

  it('passes params as the second argument, deep-frozen', async () => {
    const lines = textFile(two, input, { splitBytes: SPLIT });
    const word = 'DECLINED';
    expect(await lines.filter((l, p) => l.includes(p.word), { word }).count()).toBe(expected.filter((l) => l.includes(word)).length);
    await expect(
      lines
        .map((l, p) => {
          p.seen.push(l);
          return l;
        }, { seen: [] as string[] })
        .count(),
    ).rejects.toThrow(/map #1 .* threw TypeError: .*not extensible/);
  });

  it('counts by structural value: arrays and objects, key order ignored, ordered by count then value', async () => {
    for (const s of sessions) {
      const lines = textFile(s, input, { splitBytes: SPLIT }).filter((l) => l !== '');
      const pairs = await lines.map((l) => l.split(',')).map((f) => [f[1], Number(f[2])]).countByValue();
      const want = new Map<string, number>();
      for (const l of expected.filter((x) => x !== '')) {
        const f = l.split(',');
        const key = JSON.stringify([f[1], Number(f[2])]);
        want.set(key, (want.get(key) ?? 0) + 1);
      }
      const wantSorted = [...want].sort((x, y) => y[1] - x[1] || (x[0] < y[0] ? -1 : 1)).map(([k, count]) => ({ value: JSON.parse(k) as unknown, count }));
      expect(pairs).toEqual(wantSorted);
      const objects = await lines.map((l) => (l.length % 2 === 0 ? { b: 1, a: 'x' } : { a: 'x', b: 1 })).countByValue();
      expect(objects).toEqual([{ value: { a: 'x', b: 1 }, count: expected.filter((x) => x !== '').length }]);
    }
  });

  it('gives identical results with 1 and 2 workers', async () => {
    const run = async (s: Session): Promise<unknown> => {
      const lines = textFile(s, input, { splitBytes: 17 });
      return [await lines.collect(), await lines.map((l) => l.split(',')[1] ?? null).countByValue(), await lines.take(23), await lines.count()];
    };
    expect(await run(two)).toEqual(await run(one));
  });

  it('takes the first n in order, reading only the splits it needs', async () => {
    const lines = textFile(two, input, { splitBytes: SPLIT });
    expect(await lines.take(0)).toEqual([]);
    expect(await lines.take(3)).toEqual(expected.slice(0, 3));
    expect(await lines.take(57)).toEqual(expected.slice(0, 57));
    expect(await lines.take(10_000)).toEqual(expected);
    // Needs only the first split: a later split that would fail is never read.
    const failLate = lines.map((l) => {
      if (l.startsWith('c')) throw new Error('read too far');
      return l;
    });
    expect(await failLate.take(2)).toEqual(expected.slice(0, 2));
  });

  it('gives { text, file, line } with 1-based file line numbers when located', async () => {
    const located = await textFile(two, input, { splitBytes: SPLIT, located: true }).filter((r) => r.text === '').collect();
    const b = join(input, 'b.txt');
    const want = splitLines(await readFile(b, 'utf8'))
      .map((text, i) => ({ text, file: b, line: i + 1 }))
      .filter((r) => r.text === '');
    expect(located).toEqual(want);
  });

  it('saves part files and _SUCCESS atomically, replacing the old output', async () => {
    const out = join(dir, 'saved');
    await mkdir(out, { recursive: true });
    await writeFile(join(out, 'stale'), 'x');
    const lines = textFile(two, input, { splitBytes: SPLIT });
    const saved = await lines.map((l) => (l.includes('APPROVED') ? l : [l.length])).saveAsTextFile(out);
    const names = (await readdir(out)).sort();
    expect(names).toContain('_SUCCESS');
    expect(names).not.toContain('stale');
    expect(names.filter((n) => n.startsWith('part-'))).toHaveLength(saved.files);
    let text = '';
    for (const n of names.filter((x) => x.startsWith('part-'))) text += await readFile(join(out, n), 'utf8');
    expect(splitLines(text)).toEqual(expected.map((l) => (l.includes('APPROVED') ? l : `[${l.length}]`)));
    expect(saved.lines).toBe(expected.length);
    // A failing save leaves the previous output as it was and no temporary directory behind.
    await expect(lines.map((l) => `${l}\nx`).saveAsTextFile(out)).rejects.toThrow(/line break/);
    expect((await readdir(out)).sort()).toEqual(names);
    expect((await readdir(dir)).filter((n) => n.includes('paylake-tmp'))).toEqual([]);
  });

  it('names the path that does not exist', async () => {
    await expect(textFile(two, join(dir, 'nope')).count()).rejects.toThrow(/nope: no such file or directory/);
    await expect(textFile(two, join(dir, 'nope', '*.log')).count()).rejects.toThrow(PaylakeError);
  });
});

describe('lambda shipping', () => {
  it('refuses a lambda that captures an outer variable, at the call site, with the params hint', () => {
    const lines = textFile(two, input);
    const word = 'APPROVED';
    let err: unknown;
    try {
      lines.filter((l) => l.includes(word));
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(PaylakeError);
    expect((err as PaylakeError).code).toBe('USAGE');
    expect((err as PaylakeError).message).toMatch(/filter #1 .* uses `word` from outside/);
    expect((err as PaylakeError).message).toContain('.filter((line, p) => /* use p.word */, { word })');
  });

  it('refuses this, async, classes, methods, bound and native functions, and unsendable params', () => {
    const lines = textFile(two, input);
    const obj = {
      prefix: 'a',
      method(l: string): boolean {
        return l.length > 0;
      },
    };
    expect(() => lines.map(async (l) => l)).toThrow(/async/);
    expect(() => lines.filter(obj.method)).toThrow(/does not compile on its own/);
    expect(() => lines.map(String.prototype.trim.call.bind(String.prototype.trim) as (l: string) => string)).toThrow(/does not compile/);
    expect(() => lines.map(function (this: { prefix: string }, l: string) {
      return this.prefix + l;
    })).toThrow(/uses `this`/);
    expect(() => lines.filter((l, p) => p.f(l), { f: (x: string) => x.length > 0 })).toThrow(/params .* cannot be sent/);
  });

  it('accepts standard globals, local declarations, destructuring, strings, templates and regexes', async () => {
    const lines = textFile(two, input, { splitBytes: SPLIT }).filter((l) => l !== '');
    const mapped = lines.map((l) => {
      const [id, status = 'none', ...rest] = l.split(',');
      const { length } = rest;
      const tag = /^[abc]\d+$/.test(id ?? '') ? `${status.toLowerCase()}:${Math.max(length, 0)}` : 'other';
      const obj = { word: 'outer-looking key', n: parseInt('7', 10) };
      return `${tag}/${obj.n}/${JSON.stringify(['x'])}`; // word: not a capture
    });
    expect((await mapped.take(1))[0]).toBe('approved:1/7/["x"]');
  });

  it('fails a throwing lambda with a PaylakeError naming the task, the lambda and the line', async () => {
    const lines = textFile(two, input, { splitBytes: SPLIT });
    const failing = lines.filter((l) => l !== '').map((l) => {
      if (l.startsWith('b4')) throw new RangeError('bad row');
      return l;
    });
    const err = await failing.count().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(PaylakeError);
    const message = (err as PaylakeError).message;
    expect(message).toMatch(/^lines task \d+ \(file .*b\.txt bytes \d+-\d+ through filter #1, map #2\) failed: map #2 `/);
    expect(message).toContain('threw RangeError: bad row');
    expect(message).toContain('"b4,APPROVED,0"');
  });

  it('runs lambdas in a sandbox: a capture the static check misses fails there, and no code runs from strings', async () => {
    const lines = textFile(two, input, { splitBytes: SPLIT });
    const word = 'outer';
    // `word` is declared inside (in another block), so the scope-insensitive check lets it through.
    const sneaky = lines.map((l) => {
      if (l === '') {
        const word = 'inner';
        return word;
      }
      return l + word;
    });
    await expect(sneaky.count()).rejects.toThrow(/map #1 .* threw ReferenceError: word is not defined/);
    const generated = lines.map((l) => (() => undefined).constructor(`return typeof process + ${JSON.stringify(l)}`)() as string);
    await expect(generated.count()).rejects.toThrow(/EvalError: Code generation from strings disallowed/);
  });

  it('refuses values countByValue cannot compare, naming the lambda', async () => {
    const lines = textFile(two, input, { splitBytes: SPLIT });
    await expect(lines.map((l) => (l.length > 0 ? NaN : 0)).countByValue()).rejects.toThrow(/map #1 .* produced NaN/);
    await expect(lines.map(() => new Date(0)).countByValue()).rejects.toThrow(/a Date object/);
  });

  it('marks the Dataset local-only with the operations that make it so', () => {
    const ds = textFile(two, input).filter((l) => l !== '').map((l) => l.length);
    expect(ds.localOnly).toBe(true);
    expect(ds.lineage.localOnlyOperations).toEqual(['textFile', 'filter', 'map']);
  });
});
