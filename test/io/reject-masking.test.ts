/** rejects.csv: the raw row's personal data masked, the id pseudonymised, unknown cells withheld under --pseudonymize. */
import { describe, expect, it } from 'vitest';
import { csvLine } from '../../src/io/csv-format.js';
import { maskReject, splitCsvLine, WITHHELD_RAW } from '../../src/io/reject-masking.js';
import { Pseudonymizer } from '../../src/core/privacy/pseudonym.js';

const reject = (raw: string, extra: object = {}): Parameters<typeof maskReject>[0] => ({ file: 'f.csv', line: 7, reason: 'bad_date', detail: 'Order Date: "x" is not a valid ymd date', raw, ...extra });

describe('splitCsvLine', () => {
  it('reads back what csvLine wrote', () => {
    for (const cells of [['a', 'b'], ['', ''], ['x,y', 'say "hi"', ''], ['multi\nline', 'z'], ['"']]) {
      expect(splitCsvLine(csvLine(cells).replace(/\n$/, ''))).toEqual(cells);
    }
  });
});

describe('maskReject', () => {
  const raw = csvLine(['alice@example.com', '张三', '13812345678', 'x', '5']).replace(/\n$/, '');
  const cells = { idCell: 0, piiCells: [1, 2] };

  it('masks personal cells and contacts by default', () => {
    expect(maskReject(reject(raw, cells), { pii: 'mask' }).raw).toBe('a***@example.com,张*,138****5678,x,5');
  });

  it('shows them with --pii show', () => {
    expect(maskReject(reject(raw, cells), { pii: 'show' }).raw).toBe(raw);
  });

  it('pseudonymises the id cell, also in the detail', () => {
    const p = new Pseudonymizer('k'.repeat(20));
    const r = maskReject(reject(raw, cells), { pii: 'show', pseudonyms: p });
    expect(r.raw).toBe(`${p.of('alice@example.com')},张三,13812345678,x,5`);
    const d = maskReject({ ...reject(raw, cells), detail: 'alice@example.com is odd' }, { pii: 'show', pseudonyms: p });
    expect(d.detail).toBe(`${p.of('alice@example.com')} is odd`);
  });

  it('withholds a raw text whose cells are unknown under --pseudonymize, masks its contacts otherwise', () => {
    const broken = 'alice@example.com,"unclosed,5';
    expect(maskReject(reject(broken), { pii: 'mask', pseudonyms: new Pseudonymizer('k'.repeat(20)) }).raw).toBe(WITHHELD_RAW);
    expect(maskReject(reject(broken), { pii: 'mask' }).raw).toBe('a***@example.com,"unclosed,5');
  });
});
