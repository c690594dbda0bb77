/**
 * plainDecimal: the value of `[-]digits[.digits]` texts, exactly Number(s); NaN for anything else.
 */
import { describe, it, expect } from 'vitest';
import fc from 'fast-check';
import { plainDecimal } from '../../src/core/plain-decimal.js';

const digitsArb = (max: number): fc.Arbitrary<string> => fc.array(fc.constantFrom(...'0123456789'), { minLength: 0, maxLength: max }).map((a) => a.join(''));

describe('plainDecimal', () => {
  it('equals Number(s) on plain decimals of up to 25 digits (property; -0 included)', () => {
    const plain = fc
      .tuple(fc.boolean(), digitsArb(14), fc.boolean(), digitsArb(11))
      .filter(([, a, , b]) => a.length + b.length > 0)
      .map(([neg, a, dot, b]) => `${neg ? '-' : ''}${a}${dot ? '.' : ''}${dot ? b : ''}` || '0');
    fc.assert(
      fc.property(plain, (s) => {
        expect(Object.is(plainDecimal(s), Number(s))).toBe(true);
      }),
      { numRuns: 20_000 },
    );
    // Values whose shortest decimal needs all 15–17 digits, printed and read back.
    fc.assert(
      fc.property(fc.double({ min: -1e6, max: 1e6, noNaN: true }), fc.integer({ min: 0, max: 15 }), (x, k) => {
        const s = x.toFixed(k);
        expect(Object.is(plainDecimal(s), Number(s))).toBe(true);
      }),
      { numRuns: 20_000 },
    );
  });

  it('gives the usual cases', () => {
    expect([plainDecimal('69.84'), plainDecimal('-12.5'), plainDecimal('.5'), plainDecimal('5.'), plainDecimal('007'), plainDecimal('0.1')]).toEqual([69.84, -12.5, 0.5, 5, 7, 0.1]);
    expect(Object.is(plainDecimal('-0'), -0)).toBe(true);
    expect(plainDecimal('1234567890123456789.5')).toBe(1234567890123456789.5);
  });

  it('is NaN for every other text', () => {
    for (const s of ['', '-', '.', '-.', '1.2.3', '1e5', '1,5', ' 1', '1 ', '+1', '--1', '1-', '$1', '１', 'NaN', 'Infinity', '0x10']) expect([s, plainDecimal(s)]).toEqual([s, NaN]);
  });
});
