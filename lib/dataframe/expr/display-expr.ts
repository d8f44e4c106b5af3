// Prints an expression as Spark SQL text: for explain output, error messages and the default name of
// an unaliased output column (Spark names `sum(amount_minor)` that way too).
import { assertNever } from '../assert-never.js';
import { typeName } from '../types/data-type.js';
import type { DataType } from '../types/data-type.js';
import type { Expr } from './expr.js';
import type { LiteralValue } from './nodes/literal-node.js';
import { WindowCallNode } from './nodes/window-call-node.js';
import type { FrameBound, WindowFrame } from './nodes/window-call-node.js';
import type { SortKey } from './sort-key.js';

/**
 * Spark SQL text of an expression.
 * @example displayExpr(parseExpression("status = 'APPROVED'")) // "(status = 'APPROVED')"
 */
export function displayExpr(e: Expr): string {
  switch (e.kind) {
    case 'column':
      return e.qualifier === null ? quoteIdentifier(e.name) : `${quoteIdentifier(e.qualifier)}.${quoteIdentifier(e.name)}`;
    case 'literal':
      return displayLiteral(e.value, e.type);
    case 'binary':
      return `(${displayExpr(e.left)} ${e.op} ${displayExpr(e.right)})`;
    case 'unary': {
      const op = e.op;
      switch (op) {
        case 'NOT':
          return `(NOT ${displayExpr(e.operand)})`;
        case 'negate':
          return `(- ${displayExpr(e.operand)})`;
        case 'isnull':
          return `(${displayExpr(e.operand)} IS NULL)`;
        case 'isnotnull':
          return `(${displayExpr(e.operand)} IS NOT NULL)`;
        default:
          return assertNever(op, 'unary operator');
      }
    }
    case 'in-list':
      return `(${displayExpr(e.operand)}${e.negated ? ' NOT' : ''} IN (${e.list.map(displayExpr).join(', ')}))`;
    case 'like':
      return `(${displayExpr(e.operand)}${e.negated ? ' NOT' : ''} ${e.caseInsensitive ? 'ILIKE' : 'LIKE'} ${displayExpr(e.pattern)})`;
    case 'case': {
      const branches = e.branches.map((b) => ` WHEN ${displayExpr(b.when)} THEN ${displayExpr(b.then)}`).join('');
      const otherwise = e.otherwise ? ` ELSE ${displayExpr(e.otherwise)}` : '';
      return `CASE${branches}${otherwise} END`;
    }
    case 'cast':
      return `${e.safe ? 'try_cast' : 'CAST'}(${displayExpr(e.operand)} AS ${typeName(e.to).toUpperCase()})`;
    case 'function':
      return `${e.name}(${e.args.map(displayExpr).join(', ')})`;
    case 'aggregate-call':
      if (e.arg === null) return `${e.fn}(1)`;
      return `${e.fn}(${e.distinct ? 'DISTINCT ' : ''}${displayExpr(e.arg)})`;
    case 'alias':
      return `${displayExpr(e.operand)} AS ${quoteIdentifier(e.name)}`;
    case 'interval':
      return `INTERVAL '${e.micros}' MICROSECOND`;
    case 'window-call':
      return displayWindowCall(e);
    default:
      return assertNever(e, 'expression');
  }
}

/** `gross DESC NULLS LAST` */
export function displaySortKey(k: SortKey): string {
  return `${displayExpr(k.expr)} ${k.ascending ? 'ASC' : 'DESC'} NULLS ${k.nullsFirst ? 'FIRST' : 'LAST'}`;
}

/**
 * `sum(x) OVER (PARTITION BY k ORDER BY t ASC NULLS FIRST RANGE BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW)`.
 * Ranking functions and lag/lead show no frame: Spark refuses one that differs from theirs.
 */
function displayWindowCall(e: WindowCallNode): string {
  const args = e.fn === 'count' && e.args.length === 0 ? '1' : e.args.map(displayExpr).join(', ');
  const spec = [
    e.partitionBy.length > 0 ? `PARTITION BY ${e.partitionBy.map(displayExpr).join(', ')}` : '',
    e.orderBy.length > 0 ? `ORDER BY ${e.orderBy.map(displaySortKey).join(', ')}` : '',
    WindowCallNode.isFrameless(e.fn) ? '' : displayFrame(e.frame),
  ].filter((s) => s !== '');
  return `${e.fn}(${args})${e.ignoreNulls ? ' IGNORE NULLS' : ''} OVER (${spec.join(' ')})`;
}

/** `ROWS BETWEEN 3 PRECEDING AND CURRENT ROW` */
export function displayFrame(f: WindowFrame): string {
  return `${f.unit.toUpperCase()} BETWEEN ${displayBound(f.start)} AND ${displayBound(f.end)}`;
}

function displayBound(b: FrameBound): string {
  switch (b.kind) {
    case 'unbounded-preceding':
      return 'UNBOUNDED PRECEDING';
    case 'unbounded-following':
      return 'UNBOUNDED FOLLOWING';
    case 'current-row':
      return 'CURRENT ROW';
    case 'preceding':
    case 'following':
      return `${displayExpr(b.offset)} ${b.kind.toUpperCase()}`;
    default:
      return assertNever(b, 'frame bound');
  }
}

/** The output column name of an expression: the alias, the column name, or its SQL text. */
export function outputName(e: Expr): string {
  if (e.kind === 'alias' || e.kind === 'column') return e.name;
  const text = displayExpr(e);
  // Spark drops the outermost parentheses of a binary expression in generated names.
  return text.startsWith('(') && text.endsWith(')') && e.kind === 'binary' ? text.slice(1, -1) : text;
}

/** An identifier as Spark SQL accepts it: bare when simple, else in backquotes. */
export function quoteIdentifier(name: string): string {
  return /^[A-Za-z_][A-Za-z0-9_]*$/.test(name) ? name : `\`${name.replaceAll('`', '``')}\``;
}

function displayLiteral(value: LiteralValue, type: DataType): string {
  if (value === null) return 'NULL';
  switch (type.kind) {
    case 'string':
      return `'${String(value).replaceAll('\\', '\\\\').replaceAll("'", "\\'")}'`;
    case 'int64':
      return `${String(value)}L`;
    case 'decimal':
      return `${formatUnscaled(value as bigint, type.scale)}BD`;
    case 'date':
      return `DATE '${new Date(Number(value) * 86_400_000).toISOString().slice(0, 10)}'`;
    case 'timestamp': {
      const micros = value as bigint;
      const ms = Number(micros / 1000n - (micros % 1000n < 0n ? 1n : 0n));
      const frac = ((micros % 1_000_000n) + 1_000_000n) % 1_000_000n;
      const base = new Date(ms).toISOString().slice(0, 19).replace('T', ' ');
      return `TIMESTAMP${type.timezone ? '' : '_NTZ'} '${base}${frac ? `.${String(frac).padStart(6, '0')}` : ''}'`;
    }
    case 'binary':
      return `X'${Buffer.from(value as Uint8Array).toString('hex').toUpperCase()}'`;
    case 'boolean':
      return value ? 'true' : 'false';
    case 'int32':
    case 'float64':
    case 'null':
      return String(value);
    default:
      return assertNever(type, 'type');
  }
}

/** `-1234n, 2` → `-12.34`: a scaled integer as a decimal string, exactly. */
export function formatUnscaled(unscaled: bigint, scale: number): string {
  if (scale === 0) return unscaled.toString();
  const negative = unscaled < 0n;
  const digits = (negative ? -unscaled : unscaled).toString().padStart(scale + 1, '0');
  return `${negative ? '-' : ''}${digits.slice(0, -scale)}.${digits.slice(-scale)}`;
}
