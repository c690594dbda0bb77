import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { formatMoney, formatRounded, moneyValue, roundMoney, roundedValue } from '../../src/core/money.js';

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

  it('large amounts print as the decimal they were read as: no digits invented by rounding x · 10^p', () => {
    for (const t of ['999999999999', '-999999999999', '999999999999.1', '123456789012.345', '9007199254.75', '100000000000.5', '4300000000.86', '-4300000000.86', '2147483648.123456', '8589934591.999999', '1000000000.000001', '8589934592.12345']) {
      const x = Number(t);
      expect([t, formatMoney(x)]).toEqual([t, t]);
      expect([t, roundMoney(x)]).toEqual([t, x]);
      expect([t, moneyValue(x)]).toEqual([t, x]);
    }
    // sums of such amounts keep the precision a double has: rounded to 1e-6 up to 2^33, as they are beyond
    expect(formatMoney(4300000000.86 + 0.0000001)).toBe('4300000000.86');
    expect(formatRounded(1e15 + 0.5, 0)).toBe('1000000000000001');
  });

  it('decimals of up to 15 significant digits print back exactly at any magnitude below 1e12 (property)', () => {
    fc.assert(
      fc.property(fc.bigInt({ min: 1n, max: 10n ** 15n - 1n }), fc.integer({ min: 0, max: 6 }), fc.boolean(), (digits, places, neg) => {
        const d = digits.toString();
        const w = d.length > places ? d.slice(0, d.length - places) : '0';
        if (w.length > 12) return; // |x| < 1e12 only
        const f = d.length > places ? d.slice(d.length - places) : d.padStart(places, '0');
        let t = places === 0 ? w : `${w}.${f}`.replace(/\.?0+$/, '');
        if (neg) t = '-' + t;
        const x = Number(t);
        expect([t, formatRounded(x, 6)]).toEqual([t, t]);
        expect([t, formatMoney(x)]).toEqual([t, t]);
        expect([t, roundedValue(x, 6)]).toEqual([t, x]);
      }),
      { numRuns: 3000 },
    );
  });

  /**
   * What formatRounded promises: String of the rounded double, −0 as 0, while x · 10^p < 10^15;
   * beyond, x's exact value rounded to p places (toFixed) until doubles are 10^-p apart, then String(x).
   */
  const viaString = (x: number, p: number): string => {
    if (!(Math.abs(Math.round(x * 10 ** p)) < 1e15)) {
      if (!(Math.abs(x) < 2 ** Math.ceil(52 - p * Math.log2(10)))) return String(x);
      const t = p > 0 ? x.toFixed(p).replace(/\.?0+$/, '') : x.toFixed(0);
      return t === '-0' ? '0' : t;
    }
    const v = Math.round(x * 10 ** p) / 10 ** p;
    return String(v === 0 ? 0 : v);
  };
  it('formatRounded prints what String prints for the rounded value (edges)', () => {
    const edges = [0, -0, 1e-7, 4.9e-7, 5e-7, -5e-7, 1e-6, 0.1 + 0.2, 2.675, 1.005, -1.005, 12.776699, 0.0000015, 999999999.999999, 1e9 - 1e-6,
      1e9, 1e9 + 0.5, 123456789.123456, 9.99e14, 1e15, 1e16, 1e21, 1.5e300, -2.5, 0.5, -0.5, 3.14159265, 1 / 3, 2 / 3, 100, 1234567.0000004];
    for (const x of edges) for (const p of [0, 1, 2, 3, 4, 5, 6]) expect(formatRounded(x, p), `${x} at ${p}`).toBe(viaString(x, p));
    for (const x of [NaN, Infinity, -Infinity]) expect(formatRounded(x, 6)).toBe(viaString(x, 6));
  });
  it('formatRounded agrees with String on random doubles and on decimals near rounding ties (property)', () => {
    fc.assert(
      fc.property(fc.double({ min: -1e12, max: 1e12, noNaN: true }), fc.integer({ min: 0, max: 6 }), (x, p) => {
        expect(formatRounded(x, p)).toBe(viaString(x, p));
      }),
      { numRuns: 5000 },
    );
    fc.assert(
      fc.property(fc.integer({ min: -1e12, max: 1e12 }), fc.integer({ min: 0, max: 9 }), fc.integer({ min: 0, max: 6 }), (k, d, p) => {
        const x = (k + d / 10 + 0.05) / 10 ** p; // values just around the half-way point
        expect(formatRounded(x, p)).toBe(viaString(x, p));
      }),
      { numRuns: 5000 },
    );
    fc.assert(
      fc.property(fc.double({ min: -10, max: 10, noNaN: true }), (x) => {
        expect(formatRounded(x, 6)).toBe(viaString(x, 6));
        expect(formatRounded(x, 2)).toBe(viaString(x, 2));
      }),
      { numRuns: 5000 },
    );
  });
  it('moneyValue and roundedValue are exactly what the printed text reads back as (property)', () => {
    const same = (x: number, p: number): void => {
      expect(Object.is(moneyValue(x), +formatMoney(x)), `money ${x}`).toBe(true);
      expect(Object.is(roundedValue(x, p), +formatRounded(x, p)), `${x} at ${p}`).toBe(true);
    };
    for (const x of [0, -0, -0.001, -0.004, 0.005, 6 * 2.55, 0.1 + 0.2, 1.005, -12.5, 1e-7, 9.1e13, -9.2e13, 1e15 + 0.3, 1e21, 123456.789012345, 1 / 3])
      for (const p of [0, 2, 6]) same(x, p);
    fc.assert(fc.property(fc.double({ min: -1e16, max: 1e16, noNaN: true }), fc.integer({ min: 0, max: 6 }), (x, p) => same(x, p)), { numRuns: 5000 });
    fc.assert(fc.property(fc.integer({ min: -1e12, max: 1e12 }), fc.integer({ min: 0, max: 6 }), (k, p) => same(k / 10 ** p, p)), { numRuns: 5000 });
  });
});
