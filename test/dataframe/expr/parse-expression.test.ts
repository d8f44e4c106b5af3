import { describe, expect, it } from 'vitest';
import { displayExpr, outputName } from '../../../lib/dataframe/expr/display-expr.js';
import { parseExpression, parseExpressionList, parseSortKeys } from '../../../lib/dataframe/expr/parser/parse-expression.js';
import { isPaylakeError } from '../../../lib/errors/paylake-error.js';
import type { Expr } from '../../../lib/dataframe/expr/expr.js';

const show = (text: string): string => displayExpr(parseExpression(text));

function literalOf(text: string): Extract<Expr, { kind: 'literal' }> {
  const e = parseExpression(text);
  if (e.kind !== 'literal') throw new Error(`not a literal: ${text}`);
  return e;
}

describe('parseExpression', () => {
  it('parses the CLI filter of the issue', () => {
    expect(show("status = 'APPROVED' AND amount_minor > 10000")).toBe("((status = 'APPROVED') AND (amount_minor > 10000))");
  });

  it('types numeric literals as Spark does', () => {
    expect(literalOf('10')).toMatchObject({ value: 10, type: { kind: 'int32' } });
    expect(literalOf('2147483648')).toMatchObject({ value: 2147483648n, type: { kind: 'int64' } });
    expect(literalOf('100L')).toMatchObject({ value: 100n, type: { kind: 'int64' } });
    expect(literalOf('12.50')).toMatchObject({ value: 1250n, type: { kind: 'decimal', precision: 4, scale: 2 } });
    expect(literalOf('0.005')).toMatchObject({ value: 5n, type: { kind: 'decimal', precision: 3, scale: 3 } });
    expect(literalOf('1e3')).toMatchObject({ value: 1000, type: { kind: 'float64' } });
    expect(literalOf('99999999999999999999')).toMatchObject({ value: 99999999999999999999n, type: { kind: 'decimal', precision: 20, scale: 0 } });
  });

  it('keeps int64 extremes exact, including the most negative value', () => {
    expect(literalOf('9223372036854775807')).toMatchObject({ value: 9223372036854775807n, type: { kind: 'int64' } });
    expect(literalOf('-9223372036854775808')).toMatchObject({ value: -9223372036854775808n, type: { kind: 'int64' } });
    expect(literalOf('-2147483648')).toMatchObject({ value: -2147483648, type: { kind: 'int32' } });
  });

  it('parses strings in both quote styles, NULL and booleans', () => {
    expect(literalOf("'it''s'").value).toBe("it's");
    expect(literalOf('"EUR"')).toMatchObject({ value: 'EUR', type: { kind: 'string' } });
    expect(literalOf('NULL')).toMatchObject({ value: null, type: { kind: 'null' } });
    expect(literalOf('true').value).toBe(true);
  });

  it('parses dates and timestamps exactly, in UTC', () => {
    expect(literalOf("DATE '2026-11-21'").value).toBe(20778);
    expect(literalOf("TIMESTAMP '2026-11-21 10:15:03.123456'").value).toBe(1795256103123456n);
    expect(literalOf("TIMESTAMP '2026-11-21T11:15:03.123456+01:00'").value).toBe(1795256103123456n);
    expect(() => parseExpression("DATE '2026-02-30'")).toThrow(/not a valid calendar date/);
  });

  it('desugars BETWEEN, simple CASE and || and keeps IN, LIKE, IS NULL', () => {
    expect(show('amount_minor BETWEEN 100 AND 200')).toBe('((amount_minor >= 100) AND (amount_minor <= 200))');
    expect(show('x NOT BETWEEN 1 AND 2')).toBe('(NOT ((x >= 1) AND (x <= 2)))');
    expect(show("CASE status WHEN 'APPROVED' THEN 1 ELSE 0 END")).toBe("CASE WHEN (status = 'APPROVED') THEN 1 ELSE 0 END");
    expect(show("currency NOT IN ('EUR', 'USD')")).toBe("(currency NOT IN ('EUR', 'USD'))");
    expect(show("merchant_id LIKE 'm_00%'")).toBe("(merchant_id LIKE 'm_00%')");
    expect(show('device_id IS NOT NULL')).toBe('(device_id IS NOT NULL)');
    expect(show("a || '-' || b")).toBe("concat(concat(a, '-'), b)");
    expect(show('a <=> b')).toBe('(a <=> b)');
  });

  it('parses casts, functions, aggregates and intervals', () => {
    expect(show('CAST(amount_minor AS DECIMAL(20,2))')).toBe('CAST(amount_minor AS DECIMAL(20,2))');
    expect(show('TRY_CAST(x AS BIGINT)')).toBe('try_cast(x AS BIGINT)');
    expect(show("date_trunc('HOUR', event_time)")).toBe("date_trunc('HOUR', event_time)");
    expect(show('SUBSTRING(card_bin, 1, 4)')).toBe('substr(card_bin, 1, 4)');
    expect(show('count(*)')).toBe('count(1)');
    expect(show('count(1)')).toBe('count(1)');
    expect(show('count(DISTINCT card_token)')).toBe('count(DISTINCT card_token)');
    expect(show('event_time - INTERVAL 10 MINUTES')).toBe("(event_time - INTERVAL '600000000' MICROSECOND)");
    expect(show("INTERVAL '1' DAY")).toBe("INTERVAL '86400000000' MICROSECOND");
  });

  it('parses qualified and backquoted names', () => {
    expect(parseExpression('t.amount_minor')).toMatchObject({ kind: 'column', name: 'amount_minor', qualifier: 't' });
    expect(parseExpression('`weird col`')).toMatchObject({ kind: 'column', name: 'weird col' });
    expect(show('`weird col`')).toBe('`weird col`');
  });

  it('points at the position of a syntax error in the user text', () => {
    try {
      parseExpression('amount_minor +* 3');
      expect.unreachable();
    } catch (e) {
      expect(isPaylakeError(e, 'PARSE_ERROR')).toBe(true);
      expect((e as Error).message).toContain('(column 15)');
      expect((e as Error).message).toContain('\n  amount_minor +* 3\n                ^');
    }
  });

  it('rejects what it does not support with a clear message', () => {
    expect(() => parseExpression("INTERVAL 1 MONTH")).toThrow(/length varies/);
    expect(() => parseExpression('sum(x) AS s')).toThrow(/alias/);
    expect(() => parseExpression('')).toThrow(/empty/);
    expect(() => parseExpression('sum(*)')).toThrow(/sum\(\*\)/);
  });
});

describe('parseExpressionList and parseSortKeys', () => {
  it('keeps aliases and names unaliased outputs as Spark does', () => {
    const list = parseExpressionList('sum(amount_minor) AS gross, count(*) AS n, max(amount_minor)');
    expect(list.map(outputName)).toEqual(['gross', 'n', 'max(amount_minor)']);
  });

  it('applies Spark null ordering defaults', () => {
    const keys = parseSortKeys('gross DESC, merchant_id, n ASC NULLS LAST');
    expect(keys.map((k) => [displayExpr(k.expr), k.ascending, k.nullsFirst])).toEqual([
      ['gross', false, false],
      ['merchant_id', true, true],
      ['n', true, false],
    ]);
  });
});
