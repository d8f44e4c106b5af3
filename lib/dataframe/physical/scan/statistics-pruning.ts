// Decides from a row group's min/max/null-count statistics that no row can satisfy a scan filter, so the
// row group is never read. Only proofs are used: a missing, NaN or foreign statistic means "may match".
// Values are compared in the engine's representations (int64 and decimals as bigint, dates as days,
// timestamps as µs bigint, strings by UTF-8 bytes as Parquet orders them).
import { assertNever } from '../../assert-never.js';
import type { Expr } from '../../expr/expr.js';
import type { LiteralValue } from '../../expr/nodes/literal-node.js';
import type { DataType } from '../../types/data-type.js';

/** Statistics of one column in one row group, already in engine representations. */
export interface ColumnStats {
  readonly min: LiteralValue;
  readonly max: LiteralValue;
  /** Null count, or null when unknown. */
  readonly nullCount: number | null;
  readonly rowCount: number;
  readonly type: DataType;
}

/** Looks up the statistics of a column by name; undefined when unknown. */
export type StatsLookup = (column: string) => ColumnStats | undefined;

type Comparison = '=' | '!=' | '<' | '<=' | '>' | '>=';

const FLIP: Record<Comparison, Comparison> = { '=': '=', '!=': '!=', '<': '>', '<=': '>=', '>': '<', '>=': '<=' };

/**
 * True when `conjunct` is certainly not TRUE for any row described by `stats` (FALSE or NULL for all),
 * so the row group may be skipped.
 */
export function cannotMatch(conjunct: Expr, stats: StatsLookup): boolean {
  switch (conjunct.kind) {
    case 'binary': {
      if (conjunct.op === 'AND') return cannotMatch(conjunct.left, stats) || cannotMatch(conjunct.right, stats);
      if (conjunct.op === 'OR') return cannotMatch(conjunct.left, stats) && cannotMatch(conjunct.right, stats);
      if (!(conjunct.op in FLIP)) return false;
      const op = conjunct.op as Comparison;
      const left = columnStats(conjunct.left, stats);
      if (left && conjunct.right.kind === 'literal') return comparisonCannotMatch(left, op, conjunct.right.value);
      const right = columnStats(conjunct.right, stats);
      if (right && conjunct.left.kind === 'literal') return comparisonCannotMatch(right, FLIP[op], conjunct.left.value);
      return false;
    }
    case 'unary': {
      const s = columnStats(conjunct.operand, stats);
      if (!s || s.nullCount === null) return false;
      if (conjunct.op === 'isnull') return s.nullCount === 0;
      if (conjunct.op === 'isnotnull') return s.nullCount === s.rowCount;
      return false;
    }
    case 'in-list': {
      if (conjunct.negated) return false;
      const s = columnStats(conjunct.operand, stats);
      if (!s) return false;
      return conjunct.list.every((item) => item.kind === 'literal' && comparisonCannotMatch(s, '=', item.value));
    }
    case 'column':
    case 'literal':
    case 'like':
    case 'case':
    case 'cast':
    case 'function':
    case 'aggregate-call':
    case 'window-call':
    case 'alias':
    case 'interval':
      return false;
    default:
      return assertNever(conjunct, 'expression');
  }
}

/** Statistics of a bare column, or of a widening cast of one (the analyzer inserts those). */
function columnStats(e: Expr, stats: StatsLookup): ColumnStats | undefined {
  if (e.kind === 'column') return stats(e.name);
  if (e.kind !== 'cast' || e.operand.kind !== 'column') return undefined;
  const s = stats(e.operand.name);
  if (!s) return undefined;
  const min = widen(s.min, s.type, e.to);
  const max = widen(s.max, s.type, e.to);
  if (min === undefined || max === undefined) return undefined;
  return { ...s, min, max, type: e.to };
}

/** A statistic converted exactly to a wider type, or undefined when the cast is not an exact widening. */
function widen(v: LiteralValue, from: DataType, to: DataType): LiteralValue | undefined {
  if (v === null) return null;
  if (from.kind === to.kind && from.kind !== 'decimal') return v;
  if (from.kind === 'int32' && to.kind === 'int64') return BigInt(v as number);
  if ((from.kind === 'int32' || from.kind === 'int64') && to.kind === 'decimal') return BigInt(v as number | bigint) * 10n ** BigInt(to.scale);
  if (from.kind === 'decimal' && to.kind === 'decimal' && to.scale >= from.scale) return (v as bigint) * 10n ** BigInt(to.scale - from.scale);
  if (from.kind === 'date' && to.kind === 'timestamp') return BigInt(v as number) * 86_400_000_000n;
  return undefined;
}

function comparisonCannotMatch(s: ColumnStats, op: Comparison, literal: LiteralValue): boolean {
  // A comparison with NULL is never TRUE; so is any comparison on a column that is all NULL.
  if (literal === null) return true;
  if (s.nullCount !== null && s.nullCount === s.rowCount && s.rowCount > 0) return true;
  if (s.min === null || s.max === null) return false;
  const lo = compare(s.min, literal);
  const hi = compare(s.max, literal);
  if (lo === null || hi === null) return false;
  switch (op) {
    case '=':
      return lo > 0 || hi < 0;
    case '!=':
      // Every non-NULL value equals the literal (FALSE); NULLs compare as NULL. Neither is TRUE.
      return lo === 0 && hi === 0;
    case '<':
      return lo >= 0;
    case '<=':
      return lo > 0;
    case '>':
      return hi <= 0;
    case '>=':
      return hi < 0;
    default:
      return assertNever(op, 'comparison');
  }
}

const encoder = new TextEncoder();

/** Sign of a − b, or null when the values cannot be ordered safely (NaN, mixed kinds). */
function compare(a: LiteralValue, b: LiteralValue): number | null {
  if (typeof a === 'bigint' && typeof b === 'bigint') return a < b ? -1 : a > b ? 1 : 0;
  if (typeof a === 'number' && typeof b === 'number') {
    if (Number.isNaN(a) || Number.isNaN(b)) return null;
    return a < b ? -1 : a > b ? 1 : 0;
  }
  if (typeof a === 'string' && typeof b === 'string') return Buffer.compare(encoder.encode(a), encoder.encode(b));
  if (typeof a === 'boolean' && typeof b === 'boolean') return Number(a) - Number(b);
  return null;
}
