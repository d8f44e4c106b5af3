// Translates `fn(...) OVER (PARTITION BY ... ORDER BY ... ROWS|RANGE BETWEEN ...)` from the parser's AST
// into a WindowCallNode. Unsupported functions and frames are PARSE_ERRORs located at the function name
// or the offending offset (see LocatedParseError). Type rules (ORDER BY required, offset types) are the
// analyzer's (analyze-window.ts), since DataFrame-API calls need them too.
import { PaylakeError } from '../../../errors/paylake-error.js';
import type { Expr } from '../expr.js';
import { frameBoundsError, WindowCallNode } from '../nodes/window-call-node.js';
import type { FrameBound, FrameOffset, WindowFn, WindowFrame } from '../nodes/window-call-node.js';
import type { SortKey } from '../sort-key.js';
import { firstSpanStart, LocatedParseError } from './sql-parser.js';

type Node = Record<string, unknown>;

/** The window functions paylake computes, as Spark spells them. */
export const WINDOW_FUNCTIONS: readonly WindowFn[] = ['row_number', 'rank', 'dense_rank', 'lag', 'lead', 'first', 'last', 'count', 'sum', 'min', 'max', 'avg'];

/** How the caller translates the window's sub-expressions (sql-expr-translator.ts). */
export interface WindowTranslation {
  readonly expr: (node: unknown) => Expr;
  readonly sortKey: (node: unknown) => SortKey;
}

/**
 * The window call of a parsed `Function` node `b` that has an OVER clause; `args` are its translated
 * arguments (null for `*`).
 */
export function translateWindowCall(name: string, b: Node, args: readonly (Expr | null)[], distinct: boolean, t: WindowTranslation): Expr {
  const at = firstSpanStart(b.name) ?? { line: 1, column: 1 };
  const fail = (message: string, node?: unknown): PaylakeError => new LocatedParseError(message, firstSpanStart(node) ?? at);
  // Spark's first_value/last_value are first/last.
  const fn = (name === 'first_value' ? 'first' : name === 'last_value' ? 'last' : name) as WindowFn;
  if (!WINDOW_FUNCTIONS.includes(fn)) {
    throw fail(`paylake does not support the window function ${name}() yet; window functions: ${WINDOW_FUNCTIONS.join(', ')} (and first_value, last_value)`);
  }
  if (b.filter) throw fail(`paylake does not support ${name}(...) FILTER (WHERE ...) OVER (...) yet`);
  if (distinct) throw fail(`DISTINCT is not supported in window functions (${name}(DISTINCT ...) OVER ...), as in Spark`);
  const [overTag, overBody] = variantOf(b.over);
  if (overTag === 'NamedWindow') throw fail('named windows (OVER w, WINDOW w AS ...) are not supported; write the window specification inline', overBody);
  if (overTag !== 'WindowSpec') throw fail(`paylake does not support the window ${overTag}`);
  const over = overBody as Node;
  if (over.window_name) throw fail('named windows (OVER (w ...)) are not supported; write the window specification inline', over.window_name);
  if (args.some((a) => a === null) && fn !== 'count') throw fail(`${name}(*) is not valid; only count(*) is`);
  // count(*) and count(1) count rows, as for the aggregate.
  const countsRows = fn === 'count' && args.length === 1 && (args[0] === null || (args[0]!.kind === 'literal' && args[0]!.value !== null));
  const frame = over.window_frame ? translateFrame(over.window_frame as Node, t, fail) : null;
  return WindowCallNode.create(fn, countsRows ? [] : (args as Expr[]), {
    partitionBy: ((over.partition_by as unknown[] | undefined) ?? []).map(t.expr),
    orderBy: ((over.order_by as unknown[] | undefined) ?? []).map(t.sortKey),
    frame,
    ignoreNulls: b.null_treatment === 'IgnoreNulls',
  });
}

function translateFrame(f: Node, t: WindowTranslation, fail: (message: string, node?: unknown) => PaylakeError): WindowFrame {
  const units = String(f.units);
  if (units !== 'Rows' && units !== 'Range') throw fail(`paylake does not support ${units.toUpperCase()} window frames; use ROWS or RANGE`);
  const unit = units === 'Rows' ? 'rows' : 'range';
  const bound = (node: unknown): FrameBound => {
    const [tag, body] = variantOf(node);
    if (tag === 'CurrentRow') return { kind: 'current-row' };
    if (tag !== 'Preceding' && tag !== 'Following') throw fail(`paylake does not support the frame bound ${tag}`);
    const direction = tag === 'Preceding' ? 'preceding' : 'following';
    if (body === undefined || body === null) return { kind: direction === 'preceding' ? 'unbounded-preceding' : 'unbounded-following' };
    return { kind: direction, offset: frameOffset(body, unit, t, fail) };
  };
  // `ROWS 3 PRECEDING` (no BETWEEN) ends at the current row.
  const frame: WindowFrame = { unit, start: bound(f.start_bound), end: f.end_bound ? bound(f.end_bound) : { kind: 'current-row' } };
  const error = frameBoundsError(frame);
  if (error !== null) throw fail(error, f.end_bound ?? f.start_bound);
  return frame;
}

function frameOffset(node: unknown, unit: 'rows' | 'range', t: WindowTranslation, fail: (message: string, node?: unknown) => PaylakeError): FrameOffset {
  const e = t.expr(node);
  const numeric = e.kind === 'literal' && (typeof e.value === 'number' || typeof e.value === 'bigint');
  if (e.kind === 'interval') {
    if (unit === 'rows') throw fail('a ROWS frame offset is a number of rows, not an INTERVAL; use RANGE for a time window', node);
    if (e.micros < 0n) throw fail('a window frame offset must not be negative', node);
    return e;
  }
  if (e.kind !== 'literal' || !numeric) throw fail('a window frame offset must be a numeric literal or, for RANGE over a timestamp, an INTERVAL', node);
  if ((typeof e.value === 'number' || typeof e.value === 'bigint') && e.value < 0) throw fail('a window frame offset must not be negative', node);
  if (unit === 'rows' && e.type.kind !== 'int32') throw fail('a ROWS frame offset must be an integer literal (a number of rows)', node);
  return e;
}

function variantOf(node: unknown): [string, unknown] {
  if (typeof node === 'string') return [node, undefined];
  const key = Object.keys((node ?? {}) as Node)[0] ?? '';
  return [key, (node as Node)[key]];
}
