// Optimizer rules, each checked by the printed plan before and after, as DataFusion tests its rules.
import { describe, expect, it } from 'vitest';
import { optimize, OPTIMIZER_RULES } from '../../../lib/dataframe/optimizer/optimizer.js';
import { displayPlan } from '../../../lib/dataframe/plan/display-plan.js';
import type { LogicalPlan } from '../../../lib/dataframe/plan/logical-plan.js';
import { aggregate, filter, limit, project, sort, union, withColumn } from '../../../lib/dataframe/plan/plan-builder.js';
import { transactionsScan } from '../plan/transactions-fixture.js';

const ALL = 'txn_id, status, merchant_id, currency, amount_minor, card_token, latency_ms, dt';

/** Optimizes with only the named rules enabled. */
function only(plan: LogicalPlan, ...rules: string[]): string {
  const disabled = OPTIMIZER_RULES.map((r) => r.name).filter((n) => !rules.includes(n));
  return displayPlan(optimize(plan, { disabledRules: disabled }));
}

describe('fold-constants', () => {
  it('folds widening casts of literals and drops always-true filters', () => {
    const plan = filter(filter(transactionsScan(), 'amount_minor > 10000'), 'true OR status = 1 > 0'.replace('status = 1 > 0', "status = 'X'"));
    expect(only(plan, 'fold-constants')).toBe(
      ['Filter (amount_minor > 10000L)', `  Scan parquet [data/transactions] columns=[${ALL}]`].join('\n'),
    );
  });
});

describe('merge-filters', () => {
  it('joins adjacent filters with AND', () => {
    const plan = filter(filter(transactionsScan(), "status = 'APPROVED'"), "currency = 'EUR'");
    expect(only(plan, 'merge-filters')).toBe(
      ["Filter ((status = 'APPROVED') AND (currency = 'EUR'))", `  Scan parquet [data/transactions] columns=[${ALL}]`].join('\n'),
    );
  });
});

describe('push-down-filter', () => {
  it('moves conjuncts into the scan, partition predicates apart', () => {
    const plan = filter(transactionsScan(), "dt = '2026-11-21' AND status = 'APPROVED'");
    expect(only(plan, 'push-down-filter')).toBe(
      `Scan parquet [data/transactions] columns=[${ALL}] partitionFilters=[(dt = DATE '2026-11-21')] filters=[(status = 'APPROVED')]`,
    );
  });

  it('pushes through projections by substituting their expressions', () => {
    const plan = filter(project(transactionsScan(), ['amount_minor * 2 AS doubled', 'status']), 'doubled > 100');
    expect(only(plan, 'push-down-filter')).toBe(
      [
        'Project [(amount_minor * CAST(2 AS BIGINT)) AS doubled, status]',
        `  Scan parquet [data/transactions] columns=[${ALL}] filters=[((amount_minor * CAST(2 AS BIGINT)) > CAST(100 AS BIGINT))]`,
      ].join('\n'),
    );
  });

  it('pushes only key predicates below an aggregation', () => {
    const agg = aggregate(transactionsScan(), ['currency'], ['count(*) AS n']);
    const plan = filter(agg, "currency = 'EUR' AND n > 5");
    expect(only(plan, 'push-down-filter')).toBe(
      [
        'Filter (n > CAST(5 AS BIGINT))',
        '  Aggregate keys=[currency] aggregates=[count(1) AS n]',
        `    Scan parquet [data/transactions] columns=[${ALL}] filters=[(currency = 'EUR')]`,
      ].join('\n'),
    );
  });

  it('never pushes below a limit', () => {
    const plan = filter(limit(transactionsScan(), 10), "status = 'APPROVED'");
    expect(only(plan, 'push-down-filter').split('\n')[0]).toBe("Filter (status = 'APPROVED')");
  });

  it('pushes into every input of a union by position', () => {
    const a = project(transactionsScan(), ['merchant_id AS m']);
    const b = project(transactionsScan(), ['card_token AS c']);
    const plan = filter(union([a, b]), "m = 'x'");
    expect(only(plan, 'push-down-filter')).toBe(
      [
        'Union ALL (2 inputs)',
        '  Project [merchant_id AS m]',
        `    Scan parquet [data/transactions] columns=[${ALL}] filters=[(merchant_id = 'x')]`,
        '  Project [card_token AS c]',
        `    Scan parquet [data/transactions] columns=[${ALL}] filters=[(card_token = 'x')]`,
      ].join('\n'),
    );
  });
});

describe('collapse-projects', () => {
  it('substitutes inner projections into outer ones', () => {
    const plan = project(withColumn(transactionsScan(), 'x', 'amount_minor + 1'), ['x * 2 AS y']);
    expect(only(plan, 'collapse-projects')).toBe(
      ['Project [((amount_minor + CAST(1 AS BIGINT)) * CAST(2 AS BIGINT)) AS y]', `  Scan parquet [data/transactions] columns=[${ALL}]`].join('\n'),
    );
  });

  it('keeps both when substitution would compute an expression twice', () => {
    const plan = project(withColumn(transactionsScan(), 'x', 'amount_minor + 1'), ['x * x AS y']);
    expect(only(plan, 'collapse-projects').split('\n')).toHaveLength(3);
  });
});

describe('prune-columns', () => {
  it('reads only what is used, including filter-only columns', () => {
    const plan = aggregate(filter(transactionsScan(), "status = 'APPROVED'"), ['merchant_id'], ['sum(amount_minor) AS gross']);
    expect(only(plan, 'prune-columns')).toBe(
      [
        'Aggregate keys=[merchant_id] aggregates=[sum(amount_minor) AS gross]',
        "  Filter (status = 'APPROVED')",
        '    Scan parquet [data/transactions] columns=[status, merchant_id, amount_minor]',
      ].join('\n'),
    );
  });

  it('keeps one column for a global count', () => {
    const plan = aggregate(transactionsScan(), [], ['count(*) AS n']);
    expect(only(plan, 'prune-columns').split('\n')[1]).toBe('  Scan parquet [data/transactions] columns=[]');
  });
});

describe('optimize', () => {
  it('runs the rules in order on the benchmark Q2 plan', () => {
    const plan = sort(
      aggregate(filter(transactionsScan(), "status = 'APPROVED' AND amount_minor > 10000"), ['merchant_id'], ['sum(amount_minor) AS gross, count(*) AS n']),
      'gross DESC',
    );
    expect(displayPlan(optimize(plan))).toBe(
      [
        'Sort [gross DESC NULLS LAST]',
        '  Aggregate keys=[merchant_id] aggregates=[sum(amount_minor) AS gross, count(1) AS n]',
        "    Scan parquet [data/transactions] columns=[merchant_id, amount_minor] filters=[(status = 'APPROVED'), (amount_minor > 10000L)]",
      ].join('\n'),
    );
  });

  it('rejects unknown rule names', () => {
    expect(() => optimize(transactionsScan(), { disabledRules: ['push-down-filters'] })).toThrow(/unknown optimizer rule/);
  });
});
