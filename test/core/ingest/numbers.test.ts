import { describe, it, expect } from 'vitest';
import fc from 'fast-check';
import { eachCase, eachValue } from './each-case.js';
import { formatMoney } from '../../../src/core/money.js';

/** Exact micro-units of a plain decimal text (BigInt: no float in the check). */
function toMicro(t: string): bigint {
  const neg = t.startsWith('-');
  const [w, f = ''] = (neg ? t.slice(1) : t).split('.');
  const v = BigInt(w!) * 1000000n + BigInt((f + '000000').slice(0, 6));
  return neg ? -v : v;
}
import { foldFullWidth, moneyDigits, normalizeCustomerId, rangedMoney, parseAmount, parseQuantity } from '../../../src/core/ingest/numbers.js';

// Expected values below are the numbers as written, read by hand (no external source needed).
describe('parseAmount: plain and signed', () => {
  eachCase([
    ['123.45', 123.45],
    ['0', 0],
    ['-0', 0], // roundMoney: no negative zero
    ['-12.5', -12.5],
    ['+7', 7],
    ['.5', 0.5],
    ['5.', 5],
    ['  42  ', 42],
    ['\u00a012.30\u00a0', 12.3],
    ['1e-05', 0.00001], // pandas writes tiny floats with an exponent
    ['2.555555555', 2.555556], // rounded to 1e-6 by roundMoney
  ], (text, want) => expect(parseAmount(text)).toBe(want));
});

describe('parseAmount: currencies, separators, accounting', () => {
  eachCase([
    ['$1,234.50', 1234.5],
    ['US$ 1,234.50', 1234.5],
    ['USD 99', 99],
    ['99 usd', 99],
    ['¥1,000', 1000],
    ['￥１，０００', 1000], // full-width yen, digits and comma
    ['1,000元', 1000],
    ['RMB 12.00', 12],
    ['CNY12', 12],
    ['£3.50', 3.5],
    ['GBP 3.50', 3.5],
    ['€ 7', 7],
    ['12.50 EUR', 12.5],
    ["1'234.50", 1234.5], // Swiss apostrophe grouping
    ['1\u2019234.50', 1234.5], // typographic apostrophe
    ['1 234 567.89', 1234567.89],
    ['1\u00a0234.5', 1234.5], // NBSP grouping
    ['1\u2009234.5', 1234.5], // thin-space grouping
    ['(12.50)', -12.5], // accounting negative
    ['$(12.50)', -12.5],
    ['($12.50)', -12.5],
    ['12.50-', -12.5], // trailing minus (SAP)
    ['-$5', -5],
    ['$-5', -5],
    ['－５', -5], // full-width minus
    ['\u22125', -5], // U+2212 MINUS SIGN
    ['１２３．５', 123.5],
    ['（１２）', -12],
  ], (text, want) => expect(parseAmount(text)).toBe(want));
});

describe('parseAmount with decimal comma (--decimal ,)', () => {
  eachCase([
    ['1.234,50', 1234.5],
    ['1.234,50 €', 1234.5],
    ['€ 1.234.567,8', 1234567.8],
    ['1 234,50', 1234.5],
    ['12,5', 12.5],
    ['(1.234,50)', -1234.5],
    ['1234', 1234],
  ], (text, want) => expect(parseAmount(text, { decimal: ',' })).toBe(want));

  eachValue(['1,2,3', '1.5', '12.50', '1,234.50'], (text) =>
    expect(parseAmount(text, { decimal: ',' })).toBeNull(),
  );
});

describe('parseAmount rejects junk', () => {
  eachValue(['', '   ', '12abc', 'abc', '--5', '-(5)', '-5-', '+-5', '1,2,3', '12,50', '1,23,456.00', '1,2345', '1,234,5', '1.2.3', '$', '-', '.', '(5', 'e5', '1e', '1,000e3', 'Infinity', 'NaN', '0x10', '1 000,000.5', '12 34'], (text) => expect(parseAmount(text)).toBeNull(),
  );
});

describe('parseQuantity', () => {
  it('uses the same rules (integers, decimals, negatives for returns)', () => {
    expect(parseQuantity('6')).toBe(6);
    expect(parseQuantity('-12')).toBe(-12);
    expect(parseQuantity('2.5')).toBe(2.5);
    expect(parseQuantity('1.000', { decimal: ',' })).toBe(1000);
    expect(parseQuantity('x')).toBeNull();
  });
});

describe('parseAmount / parseQuantity: range (|value| < 1e12, ≤ 15 significant digits at 1e-6)', () => {
  it('NaN (amount_out_of_range) for numbers outside the range, never Infinity', () => {
    for (const t of ['1e303', '1e308', '-1e400', '1e400', '1000000000000', '-1000000000000', '123456789012345678901234567890', '12345678901.23456', '999999999999.1234', '1,000,000,000,000.00', '1.000.000.000.000,00']) {
      const dec = t.includes(',00') && t.indexOf('.') < t.indexOf(',') ? ',' : '.';
      expect([t, parseAmount(t, { decimal: dec })]).toEqual([t, NaN]);
      expect([t, parseQuantity(t, { decimal: dec })]).toEqual([t, NaN]);
    }
  });
  describe('keeps numbers inside the range, rounded to 1e-6 as before', () => {
    eachCase([
      ['999999999999', 999999999999],
      ['-999999999999', -999999999999],
      ['1234567890.12345', 1234567890.12345], // 15 digits
      ['999999999999.1', 999999999999.1],
      ['15.299999999999999', 15.3], // a pandas float: 15.3 at 1e-6
      ['0.1234567890123456789', 0.123457],
      ['1000000000.0000004', 1000000000], // rounds to 10 digits
      ['1e11', 1e11],
      ['1.5e-7', 0],
    ], (t, want) => expect(parseAmount(t)).toBe(want));
  });
  it("'NaN' and 'Infinity' are not numbers (null: bad_amount)", () => {
    for (const t of ['NaN', 'Infinity', '-Infinity', 'inf']) expect(parseAmount(t)).toBeNull();
  });
  describe('moneyDigits counts significant digits at 1e-6', () => {
    eachCase([
      ['0', 0],
      ['-0.000', 0],
      ['1234.5', 5],
      ['0.001', 1],
      ['100', 1],
      ['1.5e10', 2],
      ['12345678901.23456', 16],
      ['0.0000004', 0],
      ['0.0000005', 1],
      ['1000000000.0000006', 16],
    ], (t, want) => expect(moneyDigits(t)).toBe(want));
  });
  it('rangedMoney for computed amounts (quantity × unit price): 15 digits at most, NaN beyond', () => {
    expect(rangedMoney(123.45)).toBe(123.45);
    expect(rangedMoney(-123456789.123456)).toBe(-123456789.123456);
    expect(rangedMoney(3 * 33333333333.3333)).toBe(99999999999.9999); // snapped to the 15-digit decimal
    expect(rangedMoney(1000000000.5)).toBe(1000000000.5);
    expect(rangedMoney(1234567890.123456)).toBeNaN(); // 16 digits
    expect(rangedMoney(12345678901.234567)).toBeNaN();
    expect(rangedMoney(1e12)).toBeNaN();
    expect(rangedMoney(-Infinity)).toBeNaN();
    expect(rangedMoney(NaN)).toBeNaN();
  });
});

describe('normalizeCustomerId', () => {
  eachCase([
    ['17850.0', '17850'], // pandas float export of an integer id (UCI file)
    ['00042.00', '00042'],
    ['17850', '17850'],
    ['  17850 ', '17850'],
    ['１７８５０', '１７８５０'], // kept as written: no Unicode folding of ids by default
    ['＝1+1', '＝1+1'], // not merged with =1+1
    ['\t17850\r', '17850'], // surrounding whitespace (tab, CR) is trimmed
    ['17850.5', '17850.5'], // not an integer: kept
    ['A17.0', 'A17.0'], // not all digits: kept
    ["Abbey O'Reilly", "Abbey O'Reilly"], // rfm_data_orders.csv ids are names
    ['user@example.com', 'user@example.com'],
    ['张三', '张三'],
    ['NA', ''], // R write.csv missing value (UCI random 2709 file)
    ['NaN', ''],
    ['NULL', ''],
    ['', ''],
    ['   ', ''],
  ], (raw, want) => expect(normalizeCustomerId(raw)).toBe(want));

  it('folds full-width ASCII only when asked (--fold-ids)', () => {
    expect(normalizeCustomerId('１７８５０', true)).toBe('17850');
    expect(normalizeCustomerId('ＡＢ１２', true)).toBe('AB12');
    expect(normalizeCustomerId('＝1+1', true)).toBe('=1+1');
    expect(normalizeCustomerId('１７８５０．０', true)).toBe('17850');
  });

  it('null (bad_customer_id) for a control character inside the id', () => {
    for (const raw of ['C1\u0000', '\u0000C1', 'C\u00001', 'a\tb', 'a\nb', 'a\u007fb', 'a\u0085b', 'a\u001bb', ' C1\u0000 ']) expect([raw, normalizeCustomerId(raw)]).toEqual([raw, null]);
    expect(normalizeCustomerId('C1\u0000', true)).toBeNull();
    // a control character is not whitespace: NUL at the end is not trimmed away
    expect(normalizeCustomerId('C1')).toBe('C1');
  });
});

describe('foldFullWidth', () => {
  it('folds full-width ASCII and returns the same string when nothing changes', () => {
    expect(foldFullWidth('２０２６年３月５日')).toBe('2026年3月5日');
    const s = 'plain';
    expect(foldFullWidth(s)).toBe(s);
  });
});

/** Renders |v| (cents) with grouping `sep` every three digits and decimal mark `dec`. */
function render(cents: number, sep: string, dec: string): string {
  const int = Math.floor(cents / 100).toString();
  const frac = String(cents % 100).padStart(2, '0');
  let grouped = '';
  for (let i = 0; i < int.length; i++) {
    if (i > 0 && (int.length - i) % 3 === 0) grouped += sep;
    grouped += int[i];
  }
  return `${grouped}${dec}${frac}`;
}

describe('properties', () => {
  const styles: { dec: '.' | ','; sep: string }[] = [
    { dec: '.', sep: '' },
    { dec: '.', sep: ',' },
    { dec: '.', sep: ' ' },
    { dec: '.', sep: "'" },
    { dec: '.', sep: '\u00a0' },
    { dec: ',', sep: '.' },
    { dec: ',', sep: ' ' },
    { dec: ',', sep: '' },
  ];
  const wrappers: ((body: string, neg: boolean) => string)[] = [
    (b, n) => (n ? '-' : '') + b,
    (b, n) => (n ? '-$' : '$') + b,
    (b, n) => (n ? `(${b})` : b),
    (b, n) => `${b}${n ? '-' : ''} €`,
    (b, n) => `¥${n ? '-' : ''}${b}`,
    (b, n) => `${n ? '-' : '+'}${b} RMB`,
  ];

  it('a number rendered in any supported style parses back to the same value', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 99_999_999_999 }),
        fc.boolean(),
        fc.nat(styles.length - 1),
        fc.nat(wrappers.length - 1),
        (cents, neg, si, wi) => {
          const st = styles[si]!;
          const text = wrappers[wi]!(render(cents, st.sep, st.dec), neg);
          const want = cents === 0 ? 0 : (neg ? -cents : cents) / 100;
          expect(parseAmount(text, { decimal: st.dec })).toBe(want);
        },
      ),
      { numRuns: 2000 },
    );
  });

  it('never throws; returns null, NaN (out of range) or a finite number below 1e12', () => {
    const ok = (r: number | null): boolean => r === null || Number.isNaN(r) || Math.abs(r) < 1e12;
    fc.assert(
      fc.property(fc.string({ unit: fc.constantFrom(...'0123456789.,- ()$€¥£元eE+\'１．－'.split('')), maxLength: 16 }), fc.boolean(), (s, comma) => {
        expect(ok(parseAmount(s, { decimal: comma ? ',' : '.' }))).toBe(true);
      }),
      { numRuns: 3000 },
    );
    fc.assert(fc.property(fc.string(), (s) => { expect(ok(parseAmount(s))).toBe(true); }));
  });

  it('an accepted amount prints back as the decimal it was read as (≤ 15 significant digits)', () => {
    fc.assert(fc.property(fc.bigInt({ min: -(10n ** 18n) + 1n, max: 10n ** 18n - 1n }), (micro) => {
      const neg = micro < 0n;
      const a = neg ? -micro : micro;
      const text = `${neg ? '-' : ''}${a / 1000000n}.${String(a % 1000000n).padStart(6, '0')}`;
      const r = parseAmount(text);
      if (r === null) throw new Error(`${text} not read`);
      if (Number.isNaN(r)) expect(moneyDigits(text)).toBeGreaterThan(15);
      else expect([text, toMicro(formatMoney(r))]).toEqual([text, micro]);
    }), { numRuns: 2000 });
  });

  it('normalizeCustomerId is idempotent', () => {
    fc.assert(fc.property(fc.string(), fc.boolean(), (s, fold) => {
      const once = normalizeCustomerId(s, fold);
      if (once !== null) expect(normalizeCustomerId(once, fold)).toBe(once);
    }));
  });
});
