// Window calls in the expression layer: parsing `fn(...) OVER (...)` (default frames, located errors),
// display as Spark SQL, analysis (Spark's result types, ORDER BY requirements, frame offset typing, no
// nesting) and collecting the calls of a select list.
import { describe, expect, it } from 'vitest';
import { analyzeExpr } from '../../../lib/dataframe/expr/analyze-expr.js';
import { displayExpr } from '../../../lib/dataframe/expr/display-expr.js';
import type { Expr } from '../../../lib/dataframe/expr/expr.js';
import { ColumnNode } from '../../../lib/dataframe/expr/nodes/column-node.js';
import { LiteralNode } from '../../../lib/dataframe/expr/nodes/literal-node.js';
import { WindowCallNode } from '../../../lib/dataframe/expr/nodes/window-call-node.js';
import { parseExpression, parseExpressionList } from '../../../lib/dataframe/expr/parser/parse-expression.js';
import { referencedColumns, rewriteExpr } from '../../../lib/dataframe/expr/transform-expr.js';
import { collectWindowCalls, containsWindowCall, groupWindowCalls } from '../../../lib/dataframe/expr/window-calls.js';
import { compileExpr } from '../../../lib/dataframe/physical/expr-eval/compile-expr.js';
import { typeName, types } from '../../../lib/dataframe/types/data-type.js';
import { schemaOf } from '../../../lib/dataframe/types/schema.js';
import { isPaylakeError } from '../../../lib/errors/paylake-error.js';

const schema = schemaOf([
  { name: 'merchant_id', type: types.string, nullable: true },
  { name: 'amount_minor', type: types.int64, nullable: true },
  { name: 'mcc', type: types.int32, nullable: true },
  { name: 'fee', type: types.decimal(18, 2), nullable: true },
  { name: 'score', type: types.float64, nullable: true },
  { name: 'event_time', type: types.timestamp, nullable: true },
  { name: 'dt', type: types.date, nullable: true },
  { name: 'card', type: types.binary, nullable: true },
]);

const show = (text: string): string => displayExpr(parseExpression(text));

function analyzed(text: string): { sql: string; type: string; nullable: boolean } {
  const a = analyzeExpr(parseExpression(text), schema, { allowWindows: true });
  return { sql: displayExpr(a.expr), type: typeName(a.type), nullable: a.nullable };
}

function parseError(text: string): string {
  try {
    parseExpression(text);
  } catch (e) {
    expect(isPaylakeError(e, 'PARSE_ERROR'), String(e)).toBe(true);
    return (e as Error).message;
  }
  throw new Error(`expected a parse error for ${text}`);
}

describe('parsing window calls', () => {
  it('fills in Spark default frames: RANGE to the current row with ORDER BY, the whole partition without', () => {
    expect(show('sum(amount_minor) OVER (PARTITION BY merchant_id ORDER BY event_time)')).toBe(
      'sum(amount_minor) OVER (PARTITION BY merchant_id ORDER BY event_time ASC NULLS FIRST RANGE BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW)',
    );
    expect(show('sum(amount_minor) OVER (PARTITION BY merchant_id)')).toBe(
      'sum(amount_minor) OVER (PARTITION BY merchant_id ROWS BETWEEN UNBOUNDED PRECEDING AND UNBOUNDED FOLLOWING)',
    );
    expect(show('count(*) OVER ()')).toBe('count(1) OVER (ROWS BETWEEN UNBOUNDED PRECEDING AND UNBOUNDED FOLLOWING)');
  });

  it('keeps ROWS and RANGE frames, with interval offsets and the short form', () => {
    expect(show('avg(fee) OVER (ORDER BY event_time DESC ROWS BETWEEN 3 PRECEDING AND UNBOUNDED FOLLOWING)')).toBe(
      'avg(fee) OVER (ORDER BY event_time DESC NULLS LAST ROWS BETWEEN 3 PRECEDING AND UNBOUNDED FOLLOWING)',
    );
    expect(show('max(fee) OVER (ORDER BY event_time ROWS 2 PRECEDING)')).toContain('ROWS BETWEEN 2 PRECEDING AND CURRENT ROW');
    expect(show('sum(amount_minor) OVER (PARTITION BY merchant_id ORDER BY event_time RANGE BETWEEN INTERVAL 10 MINUTES PRECEDING AND CURRENT ROW)')).toBe(
      "sum(amount_minor) OVER (PARTITION BY merchant_id ORDER BY event_time ASC NULLS FIRST RANGE BETWEEN INTERVAL '600000000' MICROSECOND PRECEDING AND CURRENT ROW)",
    );
    expect(parseExpression("sum(mcc) OVER (ORDER BY event_time RANGE BETWEEN INTERVAL '1' HOUR PRECEDING AND INTERVAL 2 MINUTES FOLLOWING)")).toMatchObject({
      frame: { unit: 'range', start: { kind: 'preceding', offset: { kind: 'interval', micros: 3_600_000_000n } }, end: { kind: 'following', offset: { micros: 120_000_000n } } },
    });
  });

  it('shows ranking functions and lag/lead without a frame, and IGNORE NULLS', () => {
    expect(show('row_number() OVER (PARTITION BY merchant_id ORDER BY amount_minor DESC)')).toBe(
      'row_number() OVER (PARTITION BY merchant_id ORDER BY amount_minor DESC NULLS LAST)',
    );
    expect(show('lag(amount_minor, 2, 0) OVER (ORDER BY event_time)')).toBe('lag(amount_minor, 2, 0) OVER (ORDER BY event_time ASC NULLS FIRST)');
    expect(parseExpression('first(score) IGNORE NULLS OVER (ORDER BY dt)')).toMatchObject({ fn: 'first', ignoreNulls: true });
    expect(parseExpression('last_value(score) OVER (ORDER BY dt)')).toMatchObject({ fn: 'last', ignoreNulls: false });
    expect(show('last(score) IGNORE NULLS OVER (ORDER BY dt)')).toBe(
      'last(score) IGNORE NULLS OVER (ORDER BY dt ASC NULLS FIRST RANGE BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW)',
    );
  });

  it('parses window calls inside larger expressions and with aliases', () => {
    const [e] = parseExpressionList('amount_minor - lag(amount_minor) OVER (PARTITION BY merchant_id ORDER BY event_time) AS delta');
    expect(e!.kind).toBe('alias');
    expect(containsWindowCall(e!)).toBe(true);
    expect(referencedColumns(e!)).toEqual(['amount_minor', 'merchant_id', 'event_time']);
  });

  it('points unsupported functions and frames at their position', () => {
    const ntile = parseError('amount_minor + ntile(4) OVER (ORDER BY amount_minor)');
    expect(ntile).toContain('window function ntile()');
    expect(ntile).toContain('(column 16)');
    expect(ntile).toContain('\n  amount_minor + ntile(4) OVER (ORDER BY amount_minor)\n                 ^');
    const negative = parseError('sum(mcc) OVER (ORDER BY dt ROWS BETWEEN -1 PRECEDING AND CURRENT ROW)');
    expect(negative).toMatch(/must not be negative \(column 42\)/);
    expect(parseError('sum(mcc) OVER (ORDER BY dt ROWS BETWEEN 1.5 PRECEDING AND CURRENT ROW)')).toMatch(/integer literal .*\(column 41\)/);
    expect(parseError('sum(mcc) OVER (ORDER BY dt GROUPS BETWEEN 1 PRECEDING AND CURRENT ROW)')).toMatch(/GROUPS window frames.*\(column 1\)/);
    expect(parseError('sum(mcc) OVER (ORDER BY dt ROWS BETWEEN CURRENT ROW AND 2 PRECEDING)')).toMatch(/lower bound .* upper bound/);
    expect(parseError('sum(mcc) OVER (ORDER BY dt ROWS BETWEEN UNBOUNDED FOLLOWING AND CURRENT ROW)')).toMatch(/cannot start at UNBOUNDED FOLLOWING/);
    expect(parseError('sum(mcc) OVER (ORDER BY dt ROWS BETWEEN mcc PRECEDING AND CURRENT ROW)')).toMatch(/numeric literal/);
    expect(parseError('sum(mcc) OVER (ORDER BY dt ROWS BETWEEN INTERVAL 1 DAY PRECEDING AND CURRENT ROW)')).toMatch(/not an INTERVAL/);
    expect(parseError('sum(mcc) OVER w')).toMatch(/named windows/);
    expect(parseError('count(DISTINCT mcc) OVER ()')).toMatch(/DISTINCT is not supported/);
    expect(parseError('sum(*) OVER ()')).toMatch(/only count\(\*\)/);
    expect(parseError('sum(mcc) FILTER (WHERE mcc > 1) OVER ()')).toMatch(/FILTER/);
  });
});

describe('analysing window calls', () => {
  it('types every function as Spark does', () => {
    const over = 'OVER (PARTITION BY merchant_id ORDER BY event_time)';
    expect(analyzed(`row_number() ${over}`)).toMatchObject({ type: 'int', nullable: false });
    expect(analyzed(`rank() ${over}`)).toMatchObject({ type: 'int', nullable: false });
    expect(analyzed(`dense_rank() ${over}`)).toMatchObject({ type: 'int', nullable: false });
    expect(analyzed(`count(*) ${over}`)).toMatchObject({ type: 'bigint', nullable: false });
    expect(analyzed(`count(score) ${over}`)).toMatchObject({ type: 'bigint', nullable: false });
    expect(analyzed(`sum(mcc) ${over}`).type).toBe('bigint');
    expect(analyzed(`sum(amount_minor) ${over}`).type).toBe('bigint');
    expect(analyzed(`sum(fee) ${over}`).type).toBe('decimal(28,2)');
    expect(analyzed(`sum(score) ${over}`).type).toBe('double');
    expect(analyzed(`avg(amount_minor) ${over}`).type).toBe('double');
    expect(analyzed(`avg(fee) ${over}`).type).toBe('decimal(22,6)');
    expect(analyzed(`min(merchant_id) ${over}`).type).toBe('string');
    expect(analyzed(`max(dt) ${over}`).type).toBe('date');
    expect(analyzed(`first(fee) ${over}`)).toMatchObject({ type: 'decimal(18,2)', nullable: true });
    expect(analyzed(`last(event_time, true) ${over}`).sql).toMatch(/^last\(event_time\) IGNORE NULLS OVER/);
    expect(analyzed(`lead(mcc) ${over}`)).toMatchObject({ sql: expect.stringMatching(/^lead\(mcc, 1, NULL\) OVER/), type: 'int' });
  });

  it('casts the lag default to the argument type and refuses a wider one', () => {
    expect(analyzed('lag(fee, 1, 0) OVER (ORDER BY dt)').sql).toMatch(/^lag\(fee, 1, CAST\(0 AS DECIMAL\(18,2\)\)\) OVER/);
    expect(analyzed('lag(amount_minor, 1, mcc) OVER (ORDER BY dt)').sql).toMatch(/^lag\(amount_minor, 1, CAST\(mcc AS BIGINT\)\)/);
    expect(() => analyzed('lag(mcc, 1, 0.5) OVER (ORDER BY dt)')).toThrow(/default \(decimal\(1,1\)\) must have the type of x \(int\)/);
    expect(() => analyzed('lag(mcc, mcc) OVER (ORDER BY dt)')).toThrow(/offset must be an integer literal/);
    expect(() => analyzed("first(mcc, 'yes') OVER (ORDER BY dt)")).toThrow(/true or false/);
  });

  it('requires ORDER BY for ranking functions and lag/lead, as Spark', () => {
    expect(() => analyzed('row_number() OVER (PARTITION BY merchant_id)')).toThrow(/row_number\(\) requires the window to be ordered/);
    expect(() => analyzed('lag(mcc) OVER ()')).toThrow(/lag\(\) requires the window to be ordered/);
    expect(() => analyzed('rank(mcc) OVER (ORDER BY dt)')).toThrow(/takes 0 arguments/);
    expect(() => analyzed('lag(mcc) IGNORE NULLS OVER (ORDER BY dt)')).toThrow(/IGNORE NULLS is supported for first and last only/);
  });

  it('converts RANGE offsets to the order key type exactly, and refuses mismatches', () => {
    const frame = (text: string): unknown => (analyzeExpr(parseExpression(text), schema, { allowWindows: true }).expr as WindowCallNode).frame;
    expect(frame('sum(mcc) OVER (ORDER BY fee RANGE BETWEEN 1.5 PRECEDING AND 2 FOLLOWING)')).toEqual({
      unit: 'range',
      start: { kind: 'preceding', offset: LiteralNode.create(150n, types.decimal(18, 2)) },
      end: { kind: 'following', offset: LiteralNode.create(200n, types.decimal(18, 2)) },
    });
    expect(frame('sum(mcc) OVER (ORDER BY amount_minor RANGE BETWEEN 10 PRECEDING AND CURRENT ROW)')).toMatchObject({
      start: { offset: { value: 10n, type: { kind: 'int64' } } },
    });
    expect(frame('sum(mcc) OVER (ORDER BY score RANGE BETWEEN 0.25 PRECEDING AND CURRENT ROW)')).toMatchObject({ start: { offset: { value: 0.25 } } });
    expect(frame('sum(mcc) OVER (ORDER BY dt RANGE BETWEEN 7 PRECEDING AND CURRENT ROW)')).toMatchObject({ start: { offset: { value: 7, type: { kind: 'int32' } } } });
    expect(() => analyzed('sum(mcc) OVER (ORDER BY mcc RANGE BETWEEN 1.5 PRECEDING AND CURRENT ROW)')).toThrow(/cannot be represented exactly as int/);
    expect(() => analyzed('sum(mcc) OVER (ORDER BY event_time RANGE BETWEEN 10 PRECEDING AND CURRENT ROW)')).toThrow(/must be an INTERVAL/);
    expect(() => analyzed('sum(mcc) OVER (ORDER BY dt RANGE BETWEEN INTERVAL 1 DAY PRECEDING AND CURRENT ROW)')).toThrow(/needs a timestamp ORDER BY key, got date/);
    expect(() => analyzed('sum(mcc) OVER (ORDER BY merchant_id RANGE BETWEEN 1 PRECEDING AND CURRENT ROW)')).toThrow(/numeric, date or timestamp ORDER BY key, got string/);
    expect(() => analyzed('sum(mcc) OVER (ORDER BY dt, mcc RANGE BETWEEN 1 PRECEDING AND CURRENT ROW)')).toThrow(/exactly one ORDER BY key, got 2/);
    expect(() => analyzed('sum(mcc) OVER (RANGE BETWEEN 1 PRECEDING AND CURRENT ROW)')).toThrow(/exactly one ORDER BY key, got 0/);
    // CURRENT ROW and UNBOUNDED need no single key.
    expect(analyzed('sum(mcc) OVER (ORDER BY dt, mcc RANGE BETWEEN CURRENT ROW AND UNBOUNDED FOLLOWING)').type).toBe('bigint');
  });

  it('checks frames built through the API too', () => {
    const call = WindowCallNode.create('sum', [ColumnNode.create('mcc')], {
      orderBy: [{ expr: ColumnNode.create('dt'), ascending: true, nullsFirst: true }],
      frame: { unit: 'rows', start: { kind: 'following', offset: LiteralNode.create(2, types.int32) }, end: { kind: 'following', offset: LiteralNode.create(1, types.int32) } },
    });
    expect(() => analyzeExpr(call, schema, { allowWindows: true })).toThrow(/lower bound/);
  });

  it('refuses window calls outside a select list, nested, or inside aggregates', () => {
    expect(() => analyzeExpr(parseExpression('row_number() OVER (ORDER BY dt) > 1'), schema)).toThrow(/only allowed in a select list/);
    expect(() => analyzed('sum(row_number() OVER (ORDER BY dt)) OVER ()')).toThrow(/cannot be nested/);
    expect(() => analyzeExpr(parseExpression('sum(row_number() OVER (ORDER BY dt))'), schema, { allowAggregates: true, allowWindows: true })).toThrow(
      /cannot be used inside an aggregate function/,
    );
    // An aggregate inside a window call is fine in an aggregation's output (a window over the groups).
    expect(analyzeExpr(parseExpression('sum(sum(mcc)) OVER (ORDER BY merchant_id)'), schema, { allowAggregates: true, allowWindows: true }).type).toEqual(types.int64);
  });

  it('is refused by the per-batch evaluator', () => {
    const e = analyzeExpr(parseExpression('row_number() OVER (ORDER BY dt)'), schema, { allowWindows: true }).expr;
    expect(() => compileExpr(e, schema)).toThrow(/window function must be planned by a Window node/);
  });

  it('resolves columns of every part, like other nodes', () => {
    const a = analyzed('SUM(MCC) OVER (PARTITION BY Merchant_Id ORDER BY DT DESC)');
    expect(a.sql).toBe('sum(mcc) OVER (PARTITION BY merchant_id ORDER BY dt DESC NULLS LAST RANGE BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW)');
    expect(() => analyzed('sum(mcc) OVER (PARTITION BY nope)')).toThrow(/unknown column "nope"/);
  });
});

describe('collecting window calls', () => {
  it('finds each distinct call once in first-use order and groups them by window', () => {
    const list = parseExpressionList(
      [
        'merchant_id',
        'sum(amount_minor) OVER (PARTITION BY merchant_id ORDER BY event_time) AS running',
        'amount_minor - lag(amount_minor) OVER (PARTITION BY merchant_id ORDER BY event_time) AS delta',
        'sum(amount_minor) OVER (PARTITION BY merchant_id ORDER BY event_time) * 2 AS twice',
        'row_number() OVER (ORDER BY amount_minor) AS n',
      ].join(', '),
    );
    const calls = collectWindowCalls(list);
    expect(calls.map((c) => c.fn)).toEqual(['sum', 'lag', 'row_number']);
    expect(groupWindowCalls(calls).map((g) => g.map((c) => c.fn))).toEqual([['sum', 'lag'], ['row_number']]);
    // The planner's replacement is a plain rewrite.
    const replaced: Expr = rewriteExpr(list[3]!, (x) => (x.kind === 'window-call' ? ColumnNode.create('w0') : undefined));
    expect(displayExpr(replaced)).toBe('(w0 * 2) AS twice');
  });
});
