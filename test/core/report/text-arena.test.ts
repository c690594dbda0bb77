import { describe, it, expect } from 'vitest';
import fc from 'fast-check';
import { TextArena } from '../../../src/core/report/text-arena.js';

describe('TextArena', () => {
  it('gives back every string it was given, in order, across buffer growth', () => {
    fc.assert(
      // Well-formed text (graphemes of all planes): a lone surrogate has no UTF-8 form.
      fc.property(fc.array(fc.string({ unit: 'grapheme', maxLength: 40 }), { maxLength: 300 }), (ys) => {
        const a = new TextArena();
        ys.forEach((y, i) => expect(a.push(y)).toBe(i));
        expect(a.length).toBe(ys.length);
        ys.forEach((y, i) => expect(a.get(i)).toBe(y));
      }),
    );
  });

  it('holds many reasons past its first buffer (64 KiB bytes, 1,024 offsets)', () => {
    const a = new TextArena();
    for (let i = 0; i < 20_000; i++) a.push(`cycle: ${i}× expected ${i % 97} d ≥ 1.5`);
    expect(a.length).toBe(20_000);
    expect([a.get(0), a.get(1023), a.get(1024), a.get(19_999)]).toEqual([
      'cycle: 0× expected 0 d ≥ 1.5',
      'cycle: 1023× expected 53 d ≥ 1.5',
      'cycle: 1024× expected 54 d ≥ 1.5',
      'cycle: 19999× expected 17 d ≥ 1.5',
    ]);
  });

  it('empty strings and astral characters; out-of-range reads throw', () => {
    const a = new TextArena();
    a.push('');
    a.push('𝔘😀客户');
    a.push('');
    expect([a.get(0), a.get(1), a.get(2)]).toEqual(['', '𝔘😀客户', '']);
    expect(() => a.get(3)).toThrow(RangeError);
    expect(() => a.get(-1)).toThrow(RangeError);
  });
});
