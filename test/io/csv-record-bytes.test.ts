/**
 * CsvRecordBytes must write the bytes safeCsvLine gives for the same cells printed by the string
 * functions (formatMoney, formatRounded, formatDay, String): checked cell by cell and on whole
 * records, on edge values and on random ones.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { formatMoney, formatRounded } from '../../src/core/money.js';
import { formatDay } from '../../src/core/time/day.js';
import { CsvRecordBytes } from '../../src/io/csv-record-bytes.js';
import { safeCsvLine } from '../../src/io/csv-format.js';

const decoder = new TextDecoder();
const encoder = new TextEncoder();

/** A typed cell and its text. */
type Cell =
  | { k: 'int'; v: number | null }
  | { k: 'day'; v: number | null }
  | { k: 'money'; v: number }
  | { k: 'rounded'; v: number; p: number }
  | { k: 'roundedOrEmpty'; v: number; p: number }
  | { k: 'text'; v: string }
  | { k: 'label'; v: string }
  | { k: 'empty' };

function textOf(c: Cell): string {
  switch (c.k) {
    case 'int': return c.v === null ? '' : String(c.v);
    case 'day': return c.v === null ? '' : formatDay(c.v);
    case 'money': return formatMoney(c.v);
    case 'rounded': return formatRounded(c.v, c.p);
    case 'roundedOrEmpty': return Number.isFinite(c.v) ? formatRounded(c.v, c.p) : '';
    case 'text': case 'label': return c.v;
    case 'empty': return '';
  }
}

function put(r: CsvRecordBytes, c: Cell): void {
  switch (c.k) {
    case 'int': return r.int(c.v);
    case 'day': return r.day(c.v);
    case 'money': return r.money(c.v);
    case 'rounded': return r.rounded(c.v, c.p);
    case 'roundedOrEmpty': return r.roundedOrEmpty(c.v, c.p);
    case 'text': return r.text(c.v);
    case 'label': return r.label(c.v);
    case 'empty': return r.empty();
  }
}

/** Writes the records into one buffer and compares with safeCsvLine of their texts. */
function expectSameBytes(records: Cell[][], r = new CsvRecordBytes()): void {
  r.clear();
  for (const cells of records) {
    for (const c of cells) put(r, c);
    r.end();
  }
  const want = records.map((cells) => safeCsvLine(cells.map(textOf))).join('');
  // Bytes, not decoded text: a lone surrogate has no UTF-8 form and is written as U+FFFD by
  // every encoder (TextEncoder, Buffer.write in the file sinks), so compare with its encoding.
  expect(Buffer.from(r.bytes.subarray(0, r.length)).equals(Buffer.from(encoder.encode(want))), decoder.decode(r.bytes.subarray(0, r.length))).toBe(true);
}

const places = fc.integer({ min: 0, max: 6 });
const money = fc.oneof(
  fc.double({ noNaN: true, noDefaultInfinity: true }),
  fc.integer({ min: -1e9, max: 1e9 }).map((c) => c / 100),
  fc.integer({ min: -1e12, max: 1e12 }).map((c) => c / 1e6),
  fc.constantFrom(0, -0, 0.005, -0.005, 1e-7, 0.1 + 0.2, 1e15, 9e13, 8.99999999e13, -1e21, 1.5e300, 5e-324),
);
const anyNumber = fc.oneof(money, fc.constantFrom(NaN, Infinity, -Infinity));
const cell: fc.Arbitrary<Cell> = fc.oneof(
  fc.oneof(fc.integer({ min: -1e6, max: 1e6 }), fc.constant(null), fc.constantFrom(2 ** 53, -(2 ** 60), 1e21, 0.5)).map((v) => ({ k: 'int' as const, v })),
  fc.oneof(fc.integer({ min: -800_000, max: 3_000_000 }), fc.constant(null)).map((v) => ({ k: 'day' as const, v })),
  money.map((v) => ({ k: 'money' as const, v })),
  fc.tuple(money, places).map(([v, p]) => ({ k: 'rounded' as const, v, p })),
  fc.tuple(anyNumber, places).map(([v, p]) => ({ k: 'roundedOrEmpty' as const, v, p })),
  fc.oneof(fc.string(), fc.string({ unit: 'grapheme' }), fc.string({ unit: 'binary' }), fc.constantFrom('ok≥', 'id,7', 'x"', 'a\rb', 'a\nb', 'tail ', '=1+1', '-cmd', '-12.5', 'a,b', ' x', 'say "hi"', '客户 ≥ 1.5×', '\tx', '')).map((v) => ({ k: 'text' as const, v })),
  fc.constantFrom('Champions', '重要价值客户', '-', '@risk', 'a,b').map((v) => ({ k: 'label' as const, v })),
  fc.constant({ k: 'empty' as const }),
);

describe('CsvRecordBytes', () => {
  it('writes what safeCsvLine writes, on edge values', () => {
    expectSameBytes([
      [{ k: 'int', v: 0 }, { k: 'int', v: -7 }, { k: 'int', v: 1234567890123 }, { k: 'int', v: null }, { k: 'empty' }],
      [2 ** 31 - 1, 2 ** 31, 1e15 - 1, 1e15, 2 ** 53 - 1, -(2 ** 53 - 1), 10, 99, 100].map((v) => ({ k: 'int' as const, v })),
      [{ k: 'day', v: 0 }, { k: 'day', v: -719_528 }, { k: 'day', v: 2_932_896 }, { k: 'day', v: 2_932_897 }, { k: 'day', v: -800_000 }],
      [{ k: 'money', v: 0 }, { k: 'money', v: -0 }, { k: 'money', v: 12.5 }, { k: 'money', v: -3.05 }, { k: 'money', v: 0.1 + 0.2 }, { k: 'money', v: 1e-7 }, { k: 'money', v: 1.5e20 }],
      [{ k: 'rounded', v: 0.0000004, p: 6 }, { k: 'rounded', v: -0.0000006, p: 6 }, { k: 'rounded', v: 2.5, p: 0 }, { k: 'rounded', v: 1e10, p: 6 }, { k: 'rounded', v: 123.456789, p: 2 }],
      [{ k: 'roundedOrEmpty', v: NaN, p: 6 }, { k: 'roundedOrEmpty', v: -Infinity, p: 2 }, { k: 'roundedOrEmpty', v: 0.25, p: 6 }],
      [{ k: 'text', v: '=HYPERLINK("x")' }, { k: 'text', v: 'cycle: 1.5× expected 30 d ≥ 1.5' }, { k: 'label', v: '-' }, { k: 'label', v: 'About To Sleep' }],
      [],
    ]);
  });
  it('writes what safeCsvLine writes, on random records', () => {
    const r = new CsvRecordBytes();
    fc.assert(fc.property(fc.array(fc.array(cell, { maxLength: 12 }), { maxLength: 8 }), (records) => expectSameBytes(records, r)), { numRuns: 500 });
  });
  it('encodes non-ASCII text on its fast path, and rewinds for surrogates, quotes and guards', () => {
    // Two- and three-byte characters, astral ones (surrogate pairs), lone surrogates (written
    // as U+FFFD by the long way), and non-ASCII cells that need quotes or the guard.
    const texts = ['×', 'é,x', '客户ID', 'cycle: 12.76× expected 59 d ≥ 6', 'days (no repeat customers): 400 ≥ 180', '😀 vip', 'a😀', 'x\ud800', '\udfff', '≥ "q"', '客户\n2', '=客户', '-×', '客户 ', 'ÿ\u07ff\u0800\ud7ff\ue000\uffff'];
    expectSameBytes(texts.map((v) => [{ k: 'int', v: 1 }, { k: 'text', v }, { k: 'text', v }]));
  });
  it('writes repeated days from its cache, and days sharing a cache slot apart', () => {
    // 4096 slots: d, d ± 4096 share one; years past 9999 are never cached.
    const days = [20_000, 20_000, 20_000 + 4096, 20_000, 20_000 - 4096, -1, -1, 4095, -4097, -4097, 2_932_897, 2_932_897 - 4096 * 700, 10, 0, 4096, 0, 4096];
    const r = new CsvRecordBytes();
    expectSameBytes([days.map((v) => ({ k: 'day' as const, v }))], r);
    expectSameBytes(days.map((v) => [{ k: 'day' as const, v }, { k: 'day' as const, v: v + 4096 }]), r);
  });
  it('grows past its first buffer and clears', () => {
    const r = new CsvRecordBytes();
    const long = 'x'.repeat(100_000) + '≥';
    r.text(long);
    r.int(5);
    r.end();
    expect(decoder.decode(r.bytes.subarray(0, r.length))).toBe(`${long},5\n`);
    r.clear();
    r.money(1);
    r.end();
    expect(decoder.decode(r.bytes.subarray(0, r.length))).toBe('1\n');
  });
});
