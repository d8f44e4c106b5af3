// A window function call, `fn(args) OVER (PARTITION BY ... ORDER BY ... frame)`. It is never evaluated per
// batch: a Window plan node sorts rows by (partitionBy, orderBy) and physical/window/ computes it.
import type { Expr } from '../expr.js';
import type { SortKey } from '../sort-key.js';
import type { AggregateFn } from './aggregate-call-node.js';
import type { IntervalNode } from './interval-node.js';
import type { LiteralNode } from './literal-node.js';

/** Functions numbering rows by their position among the partition's ordered rows. */
export type RankingFn = 'row_number' | 'rank' | 'dense_rank';

/** Functions reading another row at a fixed distance. */
export type OffsetFn = 'lag' | 'lead';

/** Every window function paylake computes. */
export type WindowFn = RankingFn | OffsetFn | 'first' | 'last' | AggregateFn;

/**
 * A frame offset as written: for ROWS an int literal (a row count); for RANGE, after analysis, a literal
 * of the order key's type (int for a date key: days) or an interval (a timestamp key).
 */
export type FrameOffset = LiteralNode | IntervalNode;

/** One end of a frame. */
export type FrameBound =
  | { readonly kind: 'unbounded-preceding' | 'current-row' | 'unbounded-following' }
  | { readonly kind: 'preceding' | 'following'; readonly offset: FrameOffset };

/**
 * `ROWS|RANGE BETWEEN start AND end`. ROWS counts rows from the current one; RANGE compares order key
 * values (CURRENT ROW = the current row and its peers, rows with equal order keys).
 */
export interface WindowFrame {
  readonly unit: 'rows' | 'range';
  readonly start: FrameBound;
  readonly end: FrameBound;
}

/** `sum(amount_minor) OVER (PARTITION BY merchant_id ORDER BY event_time)` */
export interface WindowCallNode {
  readonly kind: 'window-call';
  readonly fn: WindowFn;
  /** As written: none for ranking functions and count(*); lag/lead (x[, offset[, default]]); others (x). */
  readonly args: readonly Expr[];
  /** first/last skip NULL values (`first(x, true)`, `first(x) IGNORE NULLS`). */
  readonly ignoreNulls: boolean;
  readonly partitionBy: readonly Expr[];
  readonly orderBy: readonly SortKey[];
  /** Always explicit: an unspecified frame is Spark's default (see WindowCallNode.defaultFrame). */
  readonly frame: WindowFrame;
}

/** The optional parts of a window call. */
export interface WindowSpec {
  readonly partitionBy?: readonly Expr[];
  readonly orderBy?: readonly SortKey[];
  /** Null or absent: Spark's default frame. */
  readonly frame?: WindowFrame | null;
  readonly ignoreNulls?: boolean;
}

const RANKING: ReadonlySet<WindowFn> = new Set<WindowFn>(['row_number', 'rank', 'dense_rank']);

/** Companion of WindowCallNode. */
export const WindowCallNode = Object.freeze({
  /** A window call; without a frame it gets Spark's default frame. */
  create(fn: WindowFn, args: readonly Expr[], spec: WindowSpec = {}): WindowCallNode {
    const orderBy = Object.freeze([...(spec.orderBy ?? [])]);
    return Object.freeze({
      kind: 'window-call',
      fn,
      args: Object.freeze([...args]),
      ignoreNulls: spec.ignoreNulls ?? false,
      partitionBy: Object.freeze([...(spec.partitionBy ?? [])]),
      orderBy,
      frame: spec.frame ?? WindowCallNode.defaultFrame(orderBy.length > 0),
    });
  },

  /**
   * Spark's frame when none is given: with ORDER BY, RANGE BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW
   * (so a running total includes the current row's peers); without, the whole partition.
   */
  defaultFrame(ordered: boolean): WindowFrame {
    return ordered
      ? { unit: 'range', start: { kind: 'unbounded-preceding' }, end: { kind: 'current-row' } }
      : { unit: 'rows', start: { kind: 'unbounded-preceding' }, end: { kind: 'unbounded-following' } };
  },

  /** Ranking functions and lag/lead: they need ORDER BY and do not use the frame. */
  isFrameless(fn: WindowFn): boolean {
    return RANKING.has(fn) || fn === 'lag' || fn === 'lead';
  },

  /** Whether `fn` is row_number, rank or dense_rank. */
  isRanking(fn: WindowFn): fn is RankingFn {
    return RANKING.has(fn);
  },
});

/**
 * Why a frame's bounds are not a valid frame, as Spark refuses them, or null when they are: the start may
 * not be UNBOUNDED FOLLOWING nor the end UNBOUNDED PRECEDING, and the start must not lie after the end
 * (`ROWS BETWEEN CURRENT ROW AND 1 PRECEDING`).
 */
export function frameBoundsError(frame: WindowFrame): string | null {
  if (frame.start.kind === 'unbounded-following') return 'a window frame cannot start at UNBOUNDED FOLLOWING';
  if (frame.end.kind === 'unbounded-preceding') return 'a window frame cannot end at UNBOUNDED PRECEDING';
  const start = signedOffset(frame.start);
  const end = signedOffset(frame.end);
  if (start !== null && end !== null && start > end) {
    return 'the lower bound of a window frame must be less than or equal to the upper bound';
  }
  return null;
}

/** A bound's distance from the current row (negative before it), or null when unbounded or not comparable. */
function signedOffset(b: FrameBound): number | null {
  switch (b.kind) {
    case 'current-row':
      return 0;
    case 'preceding':
    case 'following': {
      const o = b.offset;
      let v: number;
      if (o.kind === 'interval') v = Number(o.micros);
      else if (typeof o.value === 'number' || typeof o.value === 'bigint') {
        v = Number(o.value) / (o.type.kind === 'decimal' ? 10 ** o.type.scale : 1);
      } else return null;
      return b.kind === 'preceding' ? -v : v;
    }
    default:
      return null;
  }
}
