/**
 * parseCanonicalRow's numbers: amounts are plain decimals (an exponent is accepted, as the
 * pattern always did), read as Number reads them; anything else is a data error naming the
 * line and column.
 */
import { describe, it, expect } from 'vitest';
import fc from 'fast-check';
import { canonicalLayout, canonicalLine, parseCanonicalRow, writeCanonical } from '../../src/pipeline/canonical.js';
import { CsvRecordBytes } from '../../src/io/csv-record-bytes.js';
import { CustkitError } from '../../src/errors.js';

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
    // An empty amount is absent (ingest --no-amount): an error only for readers that cannot take it.
    expect(() => parseCanonicalRow(row(''), 9, L, 'tx.csv')).toThrow('the amount is empty (transactions without amounts');
    expect(parseCanonicalRow(row(''), 9, { ...L, absentAmount: true }, 'tx.csv').amount).toBeNaN();
    for (const bad of ['1,5', '$12', ' 12', '12 ', 'NaN', 'Infinity', '--1', '0x10']) {
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
  });

  it('refuses numbers outside ingest\'s range (|x| < 1e12, ≤ 15 significant digits) instead of reading Infinity or a shortened value', () => {
    for (const bad of ['9'.repeat(400), '1e999', '1e303', '-1e400', '1000000000000', '123456789012345678901234567890', '12345678901.23456']) {
      let err: unknown = null;
      try {
        parseCanonicalRow(row(bad), 9, L, 'tx.csv');
      } catch (e) {
        err = e;
      }
      expect([bad, err instanceof CustkitError]).toEqual([bad, true]);
      expect((err as CustkitError).message).toContain('is out of range');
      expect((err as CustkitError).where).toMatchObject({ file: 'tx.csv', line: 9, column: 'amount' });
    }
    expect(() => parseCanonicalRow(row('5', '9'.repeat(400)), 3, L, 'tx.csv')).toThrow('quantity "9999999999999999999999999999999999999999…" is out of range');
    expect(parseCanonicalRow(row('999999999999.5'), 2, L, 'tx.csv').amount).toBe(999999999999.5);
    expect(parseCanonicalRow(row('-1234567890.12345'), 2, L, 'tx.csv').amount).toBe(-1234567890.12345);
  });
});

describe('writeCanonical', () => {
  it("writes canonicalLine's bytes: exact text (quoted, never guarded), days, amounts and flags (property)", () => {
    const text = fc.oneof(
      fc.string({ maxLength: 12 }),
      fc.string({ unit: 'binary', maxLength: 8 }), // lone surrogates and astral characters too
      fc.constantFrom('', ' x', 'x ', '=SUM(A1)', '+1', '-2', '@a', '\tt', '\rr', 'a,b', 'say "hi"', 'l1\nl2', '客户', '-12.5'),
    );
    const money = fc.oneof(
      fc.double({ noNaN: true, noDefaultInfinity: true }),
      fc.integer({ min: -1e9, max: 1e9 }).map((c) => c / 100),
      fc.constantFrom(0, -0, 1e21, -1e21, 123456789.123456789, 5e-7),
    );
    const tx = fc.record({
      customerId: text,
      orderId: text,
      day: fc.oneof(fc.integer({ min: -800_000, max: 3_000_000 }), fc.integer({ min: 18_000, max: 21_000 })),
      amount: money,
      quantity: fc.option(money),
      status: text,
      time: fc.option(fc.constantFrom('12:34:56', '00:00:00', '23:59:59')),
      item: fc.option(text),
      dims: fc.array(text, { minLength: 2, maxLength: 2 }),
      outlier: fc.boolean(),
    });
    const schema = fc.record({ hasTime: fc.boolean(), hasItem: fc.boolean(), dimNames: fc.constantFrom<string[]>([], ['region'], ['region', 'channel']), hasOutlier: fc.boolean() });
    fc.assert(
      fc.property(fc.array(tx, { minLength: 1, maxLength: 20 }), schema, (txs, sc) => {
        const rec = new CsvRecordBytes({ guard: false });
        let lines = '';
        for (const t of txs) {
          writeCanonical(t, sc, rec);
          lines += canonicalLine(t, sc);
        }
        expect(Buffer.from(rec.bytes.subarray(0, rec.length)).equals(Buffer.from(lines, 'utf8'))).toBe(true);
      }),
      { numRuns: 2000 },
    );
  });

  it('a guarded record (people-facing CSV) still guards: the two modes differ only there', () => {
    const t = { customerId: '=cmd', orderId: '-x', day: 19_000, amount: 1, quantity: null, status: '', time: null, item: null, dims: [] };
    const schema = { hasTime: false, hasItem: false, dimNames: [], hasOutlier: false };
    const exact = new CsvRecordBytes({ guard: false });
    const guarded = new CsvRecordBytes();
    writeCanonical(t, schema, exact);
    writeCanonical(t, schema, guarded);
    expect(new TextDecoder().decode(exact.bytes.subarray(0, exact.length))).toBe('=cmd,-x,2022-01-08,1,,\n');
    expect(new TextDecoder().decode(guarded.bytes.subarray(0, guarded.length))).toBe("'=cmd,'-x,2022-01-08,1,,\n");
  });
});
