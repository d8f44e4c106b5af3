import { describe, expect, it } from 'vitest';
import { analyzeExpr } from '../../../lib/dataframe/expr/analyze-expr.js';
import { displayExpr } from '../../../lib/dataframe/expr/display-expr.js';
import { parseExpression } from '../../../lib/dataframe/expr/parser/parse-expression.js';
import { typeName, types } from '../../../lib/dataframe/types/data-type.js';
import { closestName, schemaOf } from '../../../lib/dataframe/types/schema.js';

const schema = schemaOf([
  { name: 'txn_id', type: types.string, nullable: false },
  { name: 'status', type: types.string, nullable: false },
  { name: 'amount_minor', type: types.int64, nullable: false },
  { name: 'mcc', type: types.int32, nullable: false },
  { name: 'latency_ms', type: types.int32, nullable: true },
  { name: 'fee', type: types.decimal(18, 2), nullable: true },
  { name: 'rate', type: types.decimal(10, 6), nullable: false },
  { name: 'score', type: types.float64, nullable: true },
  { name: 'event_time', type: types.timestamp, nullable: false },
  { name: 'dt', type: types.date, nullable: false },
  { name: 'flag', type: types.boolean, nullable: true },
]);

function analyzed(text: string, allowAggregates = false): { sql: string; type: string; nullable: boolean } {
  const a = analyzeExpr(parseExpression(text), schema, { allowAggregates });
  return { sql: displayExpr(a.expr), type: typeName(a.type), nullable: a.nullable };
}

describe('analyzeExpr', () => {
  it('resolves columns case-insensitively to their declared names', () => {
    expect(analyzed('AMOUNT_MINOR')).toEqual({ sql: 'amount_minor', type: 'bigint', nullable: false });
  });

  it('names unknown columns, suggests the closest and lists the rest', () => {
    expect(() => analyzed('amount_minr > 1')).toThrow(/unknown column "amount_minr"; did you mean "amount_minor"\? Columns: txn_id, status/);
  });

  it('widens integer arithmetic with an explicit cast and keeps int64 exact', () => {
    expect(analyzed('amount_minor + mcc')).toMatchObject({ sql: '(amount_minor + CAST(mcc AS BIGINT))', type: 'bigint' });
    expect(analyzed('mcc * 2').type).toBe('int');
  });

  it('types division as Spark does: integers divide as doubles, decimals by the decimal rule', () => {
    expect(analyzed('amount_minor / 100')).toMatchObject({ sql: '(CAST(amount_minor AS DOUBLE) / CAST(100 AS DOUBLE))', type: 'double' });
    // 3 is cast to decimal(1,0) (Spark's minimum-precision literal rule): scale max(6, 2+1+1), precision 16+6.
    expect(analyzed('fee / 3')).toMatchObject({ sql: '(fee / CAST(3 AS DECIMAL(1,0)))', type: 'decimal(22,6)' });
    // precision 39 overflows: Spark keeps the 16 integer digits and shrinks the scale to 22.
    expect(analyzed('fee / amount_minor').type).toBe('decimal(38,22)');
  });

  it('applies Spark decimal precision rules', () => {
    expect(analyzed('fee + fee').type).toBe('decimal(19,2)');
    expect(analyzed('fee * rate').type).toBe('decimal(29,8)');
    expect(analyzed('fee + amount_minor')).toMatchObject({ sql: '(fee + CAST(amount_minor AS DECIMAL(20,0)))', type: 'decimal(23,2)' });
    expect(analyzed('fee * 1.5').type).toBe('decimal(21,3)');
    expect(analyzed('score + fee').type).toBe('double');
  });

  it('types aggregates as Spark does', () => {
    expect(analyzed('sum(amount_minor)', true)).toMatchObject({ type: 'bigint', nullable: true });
    expect(analyzed('sum(mcc)', true).type).toBe('bigint');
    expect(analyzed('sum(fee)', true).type).toBe('decimal(28,2)');
    expect(analyzed('avg(amount_minor)', true).type).toBe('double');
    expect(analyzed('avg(fee)', true).type).toBe('decimal(22,6)');
    expect(analyzed('count(*)', true)).toMatchObject({ type: 'bigint', nullable: false });
    expect(analyzed('count(DISTINCT txn_id)', true).type).toBe('bigint');
    expect(analyzed('max(event_time)', true).type).toBe('timestamp');
  });

  it('refuses aggregates outside aggregations and nested aggregates', () => {
    expect(() => analyzed('sum(amount_minor) > 0')).toThrow(/only allowed in an aggregation/);
    expect(() => analyzed('sum(max(amount_minor))', true)).toThrow(/cannot be nested/);
  });

  it('compares dates and timestamps with string literals by parsing the literal', () => {
    expect(analyzed("dt = '2026-11-21'").sql).toBe("(dt = DATE '2026-11-21')");
    expect(analyzed("event_time >= '2026-11-21 10:00:00'").sql).toBe("(event_time >= TIMESTAMP '2026-11-21 10:00:00')");
    expect(() => analyzed("dt = 'yesterday'")).toThrow(/not a date/);
  });

  it('refuses to compare a number with a string instead of guessing', () => {
    expect(() => analyzed("amount_minor = '100'")).toThrow(/cannot compare bigint with string; CAST one side/);
  });

  it('handles timestamp interval arithmetic and date + days', () => {
    expect(analyzed('event_time - INTERVAL 10 MINUTES').type).toBe('timestamp');
    expect(analyzed('dt + 1').type).toBe('date');
    expect(() => analyzed('amount_minor + INTERVAL 1 DAY')).toThrow(/only be added to a timestamp/);
  });

  it('checks boolean logic, CASE branches, IN lists and LIKE', () => {
    expect(analyzed("status = 'APPROVED' AND flag").nullable).toBe(true);
    expect(() => analyzed('amount_minor AND flag')).toThrow(/AND needs boolean operands/);
    expect(analyzed("CASE WHEN flag THEN amount_minor ELSE 0 END").sql).toBe('CASE WHEN flag THEN amount_minor ELSE CAST(0 AS BIGINT) END');
    expect(() => analyzed("CASE WHEN flag THEN 'x' ELSE 0 END")).toThrow(/no common type/);
    expect(analyzed('mcc IN (5411, 5812L)').sql).toBe('(CAST(mcc AS BIGINT) IN (CAST(5411 AS BIGINT), 5812L))');
    expect(() => analyzed('mcc LIKE 5')).toThrow(/LIKE needs a string operand/);
    expect(analyzed('latency_ms IS NULL').nullable).toBe(false);
  });

  it('checks function signatures, arity and casts', () => {
    expect(analyzed('coalesce(latency_ms, 0)')).toMatchObject({ type: 'int', nullable: false });
    expect(analyzed("date_trunc('hour', event_time)").type).toBe('timestamp');
    expect(() => analyzed("date_trunc('fortnight', event_time)")).toThrow(/unit must be/);
    expect(() => analyzed('lowr(status)')).toThrow(/unknown function lowr\(\); did you mean lower\(\)\?/);
    expect(() => analyzed('lower(status, 1)')).toThrow(/takes 1 arguments, got 2/);
    expect(analyzed("round(fee, 1, 'HALF_EVEN')").type).toBe('decimal(18,1)');
    expect(() => analyzed("round(fee, 1, 'BANKERS')")).toThrow(/mode must be one of/);
    expect(() => analyzed('CAST(dt AS INT)')).toThrow(/cannot cast date to int/);
    expect(analyzed('CAST(amount_minor AS DECIMAL(20,2))').type).toBe('decimal(20,2)');
  });
});

describe('column suggestions', () => {
  it('suggests close spellings first, then a column the name is a prefix of', () => {
    const names = ['txn_id', 'merchant_id', 'merchant_country', 'amount_minor'];
    expect(closestName('amount_minr', names)).toBe('amount_minor');
    expect(closestName('merchant', names)).toBe('merchant_id');
    expect(closestName('zz', names)).toBeUndefined();
  });
});
