// The per-task work of a lines Dataset, run inside an engine worker: stream one split batch by batch, push
// each line through the shipped lambdas (rebuilt in a fresh sandbox realm) and into the action's partial
// result: a count, a partial countByValue map, the first N values, or a part file.
import { Buffer, isAscii } from 'node:buffer';
import type { Utf8, Vector } from 'apache-arrow';
import type { TaskContext } from '../../../workers/protocol.js';
import { PaylakeError, isPaylakeError, messageOf } from '../../errors/paylake-error.js';
import { fileSystemFor } from '../../io/fs/resolve-file-system.js';
import { readTextLines, type TextLineStats } from '../../io/text/text-line-reader.js';
import { TextLinesWriter } from '../../io/text/text-line-writer.js';
import { assertNever } from '../assert-never.js';
import { canonicalJson } from './canonical-value.js';
import { createLambdaSandbox } from './lambda-sandbox.js';
import { compileShippedLambda, lambdaLabel, type ShippedLambda } from './lambda-shipping.js';
import type { TextSplit } from './text-split-planner.js';

/** What a task computes from its split. */
export type LinesAction =
  | { readonly kind: 'count' }
  | { readonly kind: 'countByValue' }
  /** The values in order, at most `limit` of them (the task stops reading once it has them). */
  | { readonly kind: 'collect'; readonly limit?: number }
  /** Writes the values, one per line, to `file` (strings as they are, other values as canonical JSON). */
  | { readonly kind: 'save'; readonly file: string };

/** One task: a split, the chain of lambdas, and the action. */
export interface LinesTaskPayload {
  readonly split: TextSplit;
  /** Elements are `{ text, file, line }` (1-based line number in the file) instead of the line string. */
  readonly located: boolean;
  readonly lambdas: readonly ShippedLambda[];
  readonly action: LinesAction;
}

/** A task's partial result, by action kind. */
export type LinesTaskResult =
  | { readonly kind: 'count'; readonly count: number }
  /** Canonical JSON of each value and its count in this split. */
  | { readonly kind: 'countByValue'; readonly entries: [string, number][] }
  | { readonly kind: 'collect'; readonly values: unknown[] }
  | { readonly kind: 'save'; readonly lines: number };

/** A line with where it came from, the element type of `textFile(..., { located: true })`. */
export interface LocatedLine {
  readonly text: string;
  readonly file: string;
  /** 1-based line number in the file. */
  readonly line: number;
}

type Consumer = (value: unknown) => void;

const SHOWN_LINE_CHARS = 200;

/** The line being processed, so a failing lambda's message can show it. */
interface Cursor {
  text: string;
  line: number;
  readonly file: string;
  /** Whether `line` counts from the start of the file (else from the start of the split). */
  readonly fromFileStart: boolean;
}

/** The task handler (see workers/protocol.ts). */
export async function runLinesTask(payload: LinesTaskPayload, ctx: TaskContext): Promise<LinesTaskResult> {
  const { split, action } = payload;
  const cursor: Cursor = { text: '', line: 0, file: split.uri, fromFileStart: payload.located || (split.range?.start ?? 0) === 0 };
  let stopped = false;
  let result: () => Promise<LinesTaskResult>;
  let sink: Consumer;
  let writer: TextLinesWriter | undefined;
  // Set by actions that write as they go, so at most one batch of output is held.
  let afterBatch = async (): Promise<void> => {};
  switch (action.kind) {
    case 'count': {
      let count = 0;
      sink = () => void count++;
      result = async () => ({ kind: 'count', count });
      break;
    }
    case 'countByValue': {
      const counts = new Map<string, number>();
      const where = payload.lambdas.length === 0 ? 'the line' : lambdaLabel(payload.lambdas[payload.lambdas.length - 1]!);
      sink = (v) => {
        const key = canonicalJson(v, `${where} (on ${describeCursor(cursor)})`);
        counts.set(key, (counts.get(key) ?? 0) + 1);
      };
      result = async () => ({ kind: 'countByValue', entries: [...counts] });
      break;
    }
    case 'collect': {
      const values: unknown[] = [];
      const limit = action.limit ?? Infinity;
      if (limit <= 0) return { kind: 'collect', values };
      sink = (v) => {
        values.push(v);
        if (values.length >= limit) stopped = true;
      };
      result = async () => ({ kind: 'collect', values });
      break;
    }
    case 'save': {
      const out = await TextLinesWriter.open(action.file);
      writer = out;
      let pending: string[] = [];
      sink = (v) => void pending.push(typeof v === 'string' ? v : canonicalJson(v, 'saveAsTextFile'));
      const flush = async (): Promise<void> => {
        const lines = pending;
        pending = [];
        await out.write(lines);
      };
      afterBatch = flush;
      result = async () => {
        await flush();
        await out.close();
        writer = undefined;
        return { kind: 'save', lines: out.lineCount };
      };
      break;
    }
    default:
      return assertNever(action, 'lines action');
  }

  const sandbox = createLambdaSandbox();
  let push = sink;
  for (let i = payload.lambdas.length - 1; i >= 0; i--) push = stage(compileShippedLambda(payload.lambdas[i]!, sandbox), payload.lambdas[i]!, push, cursor);

  try {
    const stats: TextLineStats = { lines: 0, invalidUtf8Lines: 0 };
    let lineNo = payload.located ? await linesBefore(split) : 0;
    const range = split.range;
    for await (const vector of readTextLines(split.uri, stats, range === undefined ? {} : { range })) {
      const lines = decodeLines(vector);
      for (let i = 0; i < lines.length && !stopped; i++) {
        const text = lines[i]!;
        cursor.text = text;
        cursor.line = ++lineNo;
        push(payload.located ? ({ text, file: split.uri, line: lineNo } satisfies LocatedLine) : text);
      }
      ctx.countRows(lines.length);
      await afterBatch();
      if (stopped) break;
    }
    return await result();
  } finally {
    if (writer !== undefined) await writer.close().catch(() => undefined);
  }
}

/** The lines of one Utf8 batch as strings; one decode for the whole batch when it is ASCII (the usual case). */
function decodeLines(vector: Vector<Utf8>): string[] {
  const out = new Array<string>(vector.length);
  let k = 0;
  for (const data of vector.data) {
    const offsets = data.valueOffsets;
    const bytes = Buffer.from(data.values.buffer, data.values.byteOffset, data.values.byteLength);
    const first = offsets[0]!;
    if (isAscii(bytes)) {
      const text = bytes.toString('latin1');
      for (let i = 0; i < data.length; i++) out[k++] = text.slice(offsets[i]! - first, offsets[i + 1]! - first);
    } else {
      for (let i = 0; i < data.length; i++) out[k++] = bytes.toString('utf8', offsets[i]! - first, offsets[i + 1]! - first);
    }
  }
  return out;
}

/** Lines of the file before the split: those starting at or before its first byte (see readTextLines). */
async function linesBefore(split: TextSplit): Promise<number> {
  const start = split.range?.start ?? 0;
  if (start === 0) return 0;
  let newlines = 0;
  const stream = fileSystemFor(split.uri).openReadStream(split.uri, { start: 0, end: start });
  try {
    for await (const chunk of stream) {
      const buf = chunk as Buffer;
      for (let at = buf.indexOf(10); at !== -1; at = buf.indexOf(10, at + 1)) newlines++;
    }
  } catch (e) {
    throw new PaylakeError('IO', `${split.uri}: cannot count the lines before byte ${start}: ${messageOf(e)}`, { cause: e });
  } finally {
    stream.destroy();
  }
  return newlines + 1;
}

function describeCursor(cursor: Cursor): string {
  const shown = cursor.text.length > SHOWN_LINE_CHARS ? `${cursor.text.slice(0, SHOWN_LINE_CHARS)}…` : cursor.text;
  return `line ${cursor.line} of ${cursor.fromFileStart ? cursor.file : `the split of ${cursor.file}`}: ${JSON.stringify(shown)}`;
}

/** One operation of the chain in push style: it calls `down` with what passes. Errors of `down` pass through unwrapped. */
function stage(fn: (value: unknown) => unknown, lambda: ShippedLambda, down: Consumer, cursor: Cursor): Consumer {
  const label = lambdaLabel(lambda);
  const failed = (e: unknown): PaylakeError => {
    // The lambda's realm has its own Error classes, so `instanceof Error` would be false here.
    const what = Object.prototype.toString.call(e) === '[object Error]' ? `${String((e as Error).name)}: ${String((e as Error).message)}` : `the value ${String(e)}`;
    return new PaylakeError('USER_CODE', `${label} threw ${what} on ${describeCursor(cursor)}`, { cause: e });
  };
  switch (lambda.op) {
    case 'filter':
      return (value) => {
        let keep: unknown;
        try {
          keep = fn(value);
        } catch (e) {
          throw failed(e);
        }
        if (keep === true) down(value);
        else if (keep !== false && keep) {
          if (typeof (keep as { then?: unknown }).then === 'function') {
            throw new PaylakeError('TYPE_ERROR', `${label} returned a promise on ${describeCursor(cursor)}; lambdas must return their result synchronously`);
          }
          down(value);
        }
      };
    case 'map':
      return (value) => {
        let out: unknown;
        try {
          out = fn(value);
        } catch (e) {
          throw failed(e);
        }
        down(out);
      };
    case 'flatMap':
      return (value) => {
        let items: unknown[];
        try {
          const out = fn(value);
          if (Array.isArray(out)) items = out;
          else if (out !== null && typeof out === 'object' && typeof (out as Iterable<unknown>)[Symbol.iterator] === 'function') items = Array.from(out as Iterable<unknown>);
          else {
            items = notIterable(label, typeof out === 'string' ? 'a string' : out === null ? 'null' : typeof out, cursor);
          }
        } catch (e) {
          throw isPaylakeError(e) ? e : failed(e);
        }
        for (let i = 0; i < items.length; i++) down(items[i]);
      };
    default:
      return assertNever(lambda.op, 'lambda operation');
  }
}

function notIterable(label: string, got: string, cursor: Cursor): never {
  throw new PaylakeError('TYPE_ERROR', `${label} returned ${got} on ${describeCursor(cursor)}; flatMap lambdas must return an array (or another iterable) of values`);
}
