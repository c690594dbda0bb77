import { describe, it, expect } from 'vitest';
import { Fingerprinter, fmix32 } from '../../../src/core/clean/fingerprint-hash.js';

const fpOf = (feed: (f: Fingerprinter) => void): [number, number] => {
  const f = new Fingerprinter().reset();
  feed(f);
  f.done();
  return [f.a, f.b];
};

describe('fmix32', () => {
  it('is the MurmurHash3 finaliser', () => {
    // fmix32(0) = 0 (every step maps 0 to 0); fmix32(1) = 0x514e28b7, the value of the
    // reference C implementation (smhasher MurmurHash3.cpp, fmix32(1)).
    expect(fmix32(0)).toBe(0);
    expect(fmix32(1)).toBe(0x514e28b7);
  });
});

describe('Fingerprinter', () => {
  it('is deterministic and resets', () => {
    const f = new Fingerprinter();
    f.reset().str('abc');
    f.done();
    const first = [f.a, f.b];
    f.reset().str('abc');
    f.done();
    expect([f.a, f.b]).toEqual(first);
  });
  it('length prefixes keep field boundaries: (ab, c) ≠ (a, bc), ("", x) ≠ (x, "")', () => {
    expect(fpOf((f) => { f.str('ab'); f.str('c'); })).not.toEqual(fpOf((f) => { f.str('a'); f.str('bc'); }));
    expect(fpOf((f) => { f.str(''); f.str('x'); })).not.toEqual(fpOf((f) => { f.str('x'); f.str(''); }));
  });
  it('null, empty string, 0 and "0" are all different; −0 equals 0', () => {
    const all = [fpOf((f) => f.str(null)), fpOf((f) => f.str('')), fpOf((f) => f.num(0)), fpOf((f) => f.str('0')), fpOf((f) => f.num(null))];
    // str(null) and num(null) share the null tag by design (a field's type is fixed by its position).
    expect(all[0]).toEqual(all[4]);
    expect(new Set(all.slice(0, 4).map(String)).size).toBe(4);
    expect(fpOf((f) => f.num(-0))).toEqual(fpOf((f) => f.num(0)));
  });
  it('numbers by value: 1 ≠ 1.000001, 65535 vs 65536 (integer and float encodings) differ', () => {
    expect(fpOf((f) => f.num(1))).not.toEqual(fpOf((f) => f.num(1.000001)));
    expect(fpOf((f) => f.num(65535))).not.toEqual(fpOf((f) => f.num(65536)));
    expect(fpOf((f) => f.num(2.55 * 6))).toEqual(fpOf((f) => f.num(2.55 * 6)));
  });
  it('mark() gives the prefix fingerprint and does not disturb the whole one', () => {
    const f = new Fingerprinter().reset();
    f.str('17850');
    f.str('536365');
    f.mark();
    f.num(42);
    f.done();
    expect([f.markA, f.markB]).toEqual(fpOf((g) => { g.str('17850'); g.str('536365'); }));
    expect([f.a, f.b]).toEqual(fpOf((g) => { g.str('17850'); g.str('536365'); g.num(42); }));
  });
  it('100,000 distinct keys give 100,000 distinct 64-bit fingerprints', () => {
    // Birthday bound n²/2⁶⁵ ≈ 2.7e-10 for n = 1e5: a collision here would mean a broken hash.
    const seen = new Set<string>();
    const f = new Fingerprinter();
    for (let i = 0; i < 100_000; i++) {
      f.reset().str('C' + (i % 1000));
      f.str('O' + i);
      f.done();
      seen.add(f.a + ':' + f.b);
    }
    expect(seen.size).toBe(100_000);
  });
});
