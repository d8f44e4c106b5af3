// Exact money arithmetic of the settlement file: named roundings, no floats.
import { describe, expect, it } from 'vitest';
import { convertHalfUp, feeHalfEven, formatRate, parseRate } from '../../datasets/gen/settlement-money.js';
import { addBusinessDays } from '../../datasets/gen/settlement-writer.js';

describe('settlement money', () => {
  it('rounds fees half-even', () => {
    expect(feeHalfEven(2500, 2000)).toBe(5); // 5.0
    expect(feeHalfEven(1250, 2000)).toBe(2); // 2.5 → 2
    expect(feeHalfEven(1750, 2000)).toBe(4); // 3.5 → 4
    expect(feeHalfEven(1251, 2000)).toBe(3); // 2.502 → 3
    expect(feeHalfEven(9_000_000_000_000, 30_000)).toBe(270_000_000_000); // BigInt path
  });

  it('converts half-up (ties away from zero) across exponents', () => {
    const r = parseRate('1.5000000000');
    expect(convertHalfUp(1, r, 2, 2)).toBe(2); // 1.5 → 2
    expect(convertHalfUp(-1, r, 2, 2)).toBe(-2);
    expect(convertHalfUp(1000, parseRate('0.0061000000'), 0, 2)).toBe(610); // JPY 1000 → 6.10
    expect(convertHalfUp(1234, parseRate('3.2500000000'), 3, 2)).toBe(401); // KWD 1.234 → 4.0105 → 4.01
    expect(convertHalfUp(1235, parseRate('2.0000000000'), 3, 2)).toBe(247); // 2.470 exactly
  });

  it('gives the same result with the rate as a number (double fast path) as with BigInt', () => {
    // Deterministic pseudo-random amounts and rates, including exact ties and amounts beyond the fast path.
    let x = 12345;
    const next = (): number => (x = (Math.imul(x, 1103515245) + 12345) >>> 0);
    const cases: [number, bigint, number, number][] = [
      [1, 15_000_000_000n, 2, 2],
      [-1, 15_000_000_000n, 2, 2],
      [1234, 32_500_000_000n, 3, 2],
      [5, 1_000_000_000n, 2, 0], // 0.5 JPY → 1
      [-5, 1_000_000_000n, 2, 0],
      [9_000_000_000_000, 11_000_000_000n, 2, 2], // beyond 2^52: BigInt path
    ];
    for (let i = 0; i < 20_000; i++) {
      const amount = (next() % 2 === 0 ? -1 : 1) * (next() % 1_000_000_000);
      const rate = BigInt(next() % 400_000) * BigInt(1 + (next() % 200_000));
      cases.push([amount, rate, next() % 4, next() % 4]);
    }
    for (const [amount, rate, from, to] of cases) {
      expect(convertHalfUp(amount, Number(rate), from, to), `${amount} × ${rate} ${from}→${to}`).toBe(convertHalfUp(amount, rate, from, to));
    }
  });

  it('parses and formats decimal rate strings exactly', () => {
    expect(formatRate(parseRate('0.0000362205'))).toBe('0.0000362205');
    expect(formatRate(parseRate('12.5'))).toBe('12.5000000000');
    expect(() => parseRate('1e-5')).toThrow();
  });

  it('adds business days over weekends', () => {
    const fri = Date.UTC(2026, 10, 6) / 86_400_000; // Friday 2026-11-06
    expect(addBusinessDays(fri, 1)).toBe(fri + 3);
    expect(addBusinessDays(fri, 3)).toBe(fri + 5);
  });
});
