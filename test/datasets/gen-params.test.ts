// Validation of `paylake gen` parameters and the exact row split of the plan.
import { describe, expect, it } from 'vitest';
import { resolveGenParams } from '../../datasets/gen/gen-params.js';
import { planGeneration, splitExactly } from '../../datasets/gen/gen-plan.js';

describe('gen parameters', () => {
  it('fills defaults', () => {
    expect(resolveGenParams({})).toMatchObject({ rows: 1_000_000, days: 7, start: '2026-11-01', seed: 42, merchants: 2_000, cards: 200_000, fraudRate: 0.002 });
  });

  it.each([
    [{ rows: 0 }, /--rows/],
    [{ rows: 1.5 }, /--rows/],
    [{ days: -1 }, /--days/],
    [{ start: '2026-02-30' }, /--start/],
    [{ start: '01/11/2026' }, /--start/],
    [{ fraudRate: 0.9 }, /--fraud-rate/],
    [{ seed: -3 }, /--seed/],
    [{ merchants: 1 }, /--merchants/],
  ])('rejects %o with a USAGE error', (input, message) => {
    expect(() => resolveGenParams(input)).toThrow(message);
    try {
      resolveGenParams(input);
    } catch (e) {
      expect((e as { code: string }).code).toBe('USAGE');
    }
  });

  it('splits totals exactly', () => {
    expect(splitExactly(10, [1, 1, 1])).toEqual([4, 3, 3]);
    expect(splitExactly(7, [1, 2])).toEqual([2, 5]);
  });

  it('plans exactly N rows, also for tiny totals', () => {
    for (const rows of [1, 7, 100, 12_345]) {
      const plan = planGeneration(resolveGenParams({ rows, merchants: 50, cards: 1_000, partRows: 1_000 }));
      expect(plan.days.flatMap((d) => d.parts).reduce((a, p) => a + p.rows, 0)).toBe(rows);
    }
  });
});
