/**
 * parseCanonicalRow's numbers: amounts are plain decimals (an exponent is accepted, as the
 * pattern always did), read as Number reads them; anything else is a data error naming the
 * line and column.
 */
import { describe, it, expect } from 'vitest';
import fc from 'fast-check';
import { canonicalLayout, parseCanonicalRow } from '../../src/pipeline/canonical.js';
import { CustkitError } from '../../src/cli/errors.js';

const L = canonicalLayout(['customer_id', 'order_id', 'order_date', 'amount', 'quantity', 'status'], 'tx.csv');
const row = (amount: string, quantity = '1'): string[] => ['C1', 'O1', '2024-03-05', amount, quantity, 'paid'];

describe('parseCanonicalRow numbers', () => {
  it('reads amounts and quantities as Number does (property over plain decimals and exponents)', () => {
    const text = fc.oneof(
      fc.double({ min: -1e7, max: 1e7, noNaN: true }).map((x) => x.toFixed(2)),
      fc.double({ min: -1e7, max: 1e7, noNaN: true }).map(String),
      fc.integer({ min: 0, max: 1e6 }).map((n) => `${n}e-2`),
    );
    fc.assert(
      fc.property(text, fc.integer({ min: -5, max: 50 }), (a, q) => {
        const tx = parseCanonicalRow(row(a, String(q)), 7, L, 'tx.csv');
        expect(Object.is(tx.amount, Number(a))).toBe(true);
        expect(tx.quantity).toBe(q);
      }),
      { numRuns: 3000 },
    );
    expect(parseCanonicalRow(row('12.50', ''), 2, L, 'tx.csv').quantity).toBeNull();
  });

  it('rejects what is not a plain decimal, with line and column', () => {
    for (const bad of ['', '1,5', '$12', ' 12', '12 ', 'NaN', 'Infinity', '9'.repeat(400), '1e999', '--1', '0x10']) {
      let err: unknown = null;
      try {
        parseCanonicalRow(row(bad), 9, L, 'tx.csv');
      } catch (e) {
        err = e;
      }
      expect([bad, err instanceof CustkitError]).toEqual([bad, true]);
      expect((err as CustkitError).message).toContain('is not a plain decimal');
      expect((err as CustkitError).where).toMatchObject({ file: 'tx.csv', line: 9, column: 'amount' });
    }
    expect(() => parseCanonicalRow(row('5', 'x'), 3, L, 'tx.csv')).toThrow('quantity "x" is not a number');
    expect(() => parseCanonicalRow(row('5', '9'.repeat(400)), 3, L, 'tx.csv')).toThrow('is not a number');
  });
});
