import { describe, expect, it } from 'vitest';
import { displayPlan } from '../../../lib/dataframe/plan/display-plan.js';
import { aggregate, filter, limit, project, sort, union, withColumn } from '../../../lib/dataframe/plan/plan-builder.js';
import { displaySchema } from '../../../lib/dataframe/types/schema.js';
import { transactionsScan } from './transactions-fixture.js';

describe('plan builder', () => {
  it('builds the Q2 plan of the benchmark and prints it', () => {
    const plan = limit(
      sort(
        aggregate(filter(transactionsScan(), "status = 'APPROVED' AND amount_minor > 10000"), ['merchant_id'], ['sum(amount_minor) AS gross, count(*) AS n']),
        'gross DESC',
      ),
      10,
    );
    expect(displayPlan(plan)).toBe(
      [
        'Limit 10',
        '  Sort [gross DESC NULLS LAST]',
        '    Aggregate keys=[merchant_id] aggregates=[sum(amount_minor) AS gross, count(1) AS n]',
        "      Filter ((status = 'APPROVED') AND (amount_minor > CAST(10000 AS BIGINT)))",
        '        Scan parquet [data/transactions] columns=[txn_id, status, merchant_id, currency, amount_minor, card_token, latency_ms, dt]',
      ].join('\n'),
    );
    expect(displaySchema(plan.schema)).toBe('merchant_id: string not null\ngross: bigint\nn: bigint not null');
  });

  it('puts expressions over aggregates in a project above the aggregate', () => {
    const plan = aggregate(transactionsScan(), ['currency'], ['sum(amount_minor) / count(*) AS mean, max(latency_ms)']);
    expect(displayPlan(plan).split('\n').slice(0, 2)).toEqual([
      'Project [currency, (CAST(_agg0 AS DOUBLE) / CAST(_agg1 AS DOUBLE)) AS mean, `max(latency_ms)`]',
      '  Aggregate keys=[currency] aggregates=[sum(amount_minor) AS _agg0, count(1) AS _agg1, max(latency_ms) AS `max(latency_ms)`]',
    ]);
    expect(displaySchema(plan.schema)).toBe('currency: string not null\nmean: double\nmax(latency_ms): int');
  });

  it('deduplicates repeated aggregate calls and allows grouping keys in outputs', () => {
    const plan = aggregate(transactionsScan(), ['lower(currency) AS ccy'], ['count(*) AS n, count(*) * 2 AS n2, lower(currency) AS again']);
    expect(displayPlan(plan).split('\n')[1]).toBe('  Aggregate keys=[lower(currency) AS ccy] aggregates=[count(1) AS n]');
  });

  it('refuses a column that is neither grouped nor aggregated', () => {
    expect(() => aggregate(transactionsScan(), ['currency'], ['merchant_id, count(*)'])).toThrow(/neither grouped nor aggregated/);
  });

  it('refuses duplicate output names and non-boolean filters', () => {
    expect(() => project(transactionsScan(), ['txn_id, TXN_ID'])).toThrow(/produces the column "txn_id" twice/);
    expect(() => filter(transactionsScan(), 'amount_minor + 1')).toThrow(/must be boolean.*bigint/);
  });

  it('replaces or appends columns with withColumn', () => {
    const plan = withColumn(withColumn(transactionsScan(), 'amount_minor', 'amount_minor * 2'), 'big', 'amount_minor > 100');
    expect(plan.schema.fields.map((f) => f.name)).toEqual([
      'txn_id', 'status', 'merchant_id', 'currency', 'amount_minor', 'card_token', 'latency_ms', 'dt', 'big',
    ]);
  });

  it('widens union columns to a common type by position', () => {
    const a = project(transactionsScan(), ['latency_ms AS v']);
    const b = project(transactionsScan(), ['amount_minor AS w']);
    const u = union([a, b]);
    expect(displaySchema(u.schema)).toBe('v: bigint');
    expect(() => union([a, project(transactionsScan(), ['status'])])).toThrow(/incompatible types: int, string/);
  });
});

describe('aggregate with HAVING', () => {
  it('filters on output aggregates by name and on hidden aggregates, projecting the hidden ones away', () => {
    const plan = aggregate(transactionsScan(), ['merchant_id'], ['sum(amount_minor) AS gross'], 'count(*) > 100 AND sum(amount_minor) > 0');
    expect(displayPlan(plan).split('\n').slice(0, 3)).toEqual([
      'Project [merchant_id, gross]',
      '  Filter ((_agg1 > CAST(100 AS BIGINT)) AND (gross > CAST(0 AS BIGINT)))',
      '    Aggregate keys=[merchant_id] aggregates=[sum(amount_minor) AS gross, count(1) AS _agg1]',
    ]);
    expect(plan.schema.fields.map((f) => f.name)).toEqual(['merchant_id', 'gross']);
  });

  it('allows grouping keys in HAVING and refuses other columns', () => {
    expect(displayPlan(aggregate(transactionsScan(), ['currency'], ['count(*) AS n'], "currency != 'EUR'")).split('\n')[0]).toBe(
      "Filter (currency != 'EUR')",
    );
    expect(() => aggregate(transactionsScan(), ['currency'], ['count(*) AS n'], 'amount_minor > 5')).toThrow(/neither grouped nor aggregated/);
  });
});
