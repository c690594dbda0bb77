import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { formatMoney, roundMoney } from '../../src/core/money.js';

describe('money', () => {
  it('formats sums without float noise', () => {
    expect(formatMoney(6 * 2.55)).toBe('15.3'); // 15.299999999999999 in binary
    expect(formatMoney(0.1 + 0.2)).toBe('0.3');
    expect(formatMoney(-12.5)).toBe('-12.5');
    expect(formatMoney(-0.05)).toBe('-0.05');
    expect(formatMoney(100)).toBe('100');
    expect(formatMoney(1.005)).toBe('1.005');
    expect(formatMoney(0.123456789)).toBe('0.123457');
    expect(formatMoney(-0)).toBe('0');
  });
  it('fast path agrees with the general formatting (property)', () => {
    fc.assert(
      fc.property(fc.integer({ min: -1e11, max: 1e11 }), (cents) => {
        const x = cents / 100;
        expect(formatMoney(x)).toBe(String(roundMoney(x)));
      }),
    );
  });
});
