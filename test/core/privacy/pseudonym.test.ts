/** Keyed pseudonyms: HMAC-SHA-256, base32, prefixed; stable per key, different across keys. */
import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { isPseudonym, Pseudonymizer, pseudonymOrder } from '../../../src/core/privacy/pseudonym.js';

const KEY = 'k'.repeat(32);

describe('Pseudonymizer', () => {
  it('is the base32 of the first 80 bits of HMAC-SHA-256(key, id), prefixed px_', () => {
    const p = new Pseudonymizer(KEY).of('alice@example.com');
    expect(p).toMatch(/^px_[a-z2-7]{16}$/);
    expect(isPseudonym(p)).toBe(true);
    // Independent base32 (RFC 4648) of the same bytes.
    const mac = createHmac('sha256', KEY).update('alice@example.com').digest().subarray(0, 10);
    let bits = '';
    for (const b of mac) bits += b.toString(2).padStart(8, '0');
    const expected = bits.match(/.{5}/g)!.map((g) => 'abcdefghijklmnopqrstuvwxyz234567'[parseInt(g, 2)]).join('');
    expect(p).toBe(`px_${expected}`);
  });

  it('gives one id the same pseudonym under one key, another under another key', () => {
    const a = new Pseudonymizer(KEY), b = new Pseudonymizer(KEY), c = new Pseudonymizer('another key of 32 bytes........');
    expect(a.of('C1')).toBe(b.of('C1'));
    expect(a.of('C1')).not.toBe(c.of('C1'));
    expect(a.of('C1')).not.toBe(a.of('C2'));
  });

  it('refuses a short key and lists the ids it saw, sorted', () => {
    expect(() => new Pseudonymizer('short')).toThrow(/at least 16 bytes/);
    expect(() => new Pseudonymizer(KEY).pairs()).toThrow(/remember/);
    const p = new Pseudonymizer(KEY, { remember: true });
    p.of('b');
    p.of('a');
    p.of('b');
    expect(p.pairs().map(([id]) => id)).toEqual(['a', 'b']);
    expect(isPseudonym('C0000497')).toBe(false);
  });
});

describe('pseudonymOrder', () => {
  it('sorts pseudonyms as their strings sort (digits 2–7 before letters), from their bits', () => {
    const p = new Pseudonymizer(KEY);
    const ps = Array.from({ length: 5000 }, (_, i) => p.of(`C${i}`));
    // Hand-made ones that differ only in one place, across the digit/letter boundary and at either end.
    ps.push('px_aaaaaaaaaaaaaaaa', 'px_2aaaaaaaaaaaaaaa', 'px_aaaaaaaaaaaaaaa7', 'px_aaaaaaaaaaaaaaaz', 'px_zzzzzzzzzzzzzzzz', 'px_2222222222222222', 'px_aaaaaaa7aaaaaaaa', 'px_aaaaaaaaaaaaaaab');
    const order = pseudonymOrder(ps)!;
    expect(Array.from(order, (i) => ps[i])).toEqual(ps.slice().sort());
  });

  it('is null when one is not a pseudonym, and throws on two equal ones', () => {
    expect(pseudonymOrder(['px_aaaaaaaaaaaaaaaa', 'C1'])).toBeNull();
    expect(pseudonymOrder(['px_aaaaaaaaaaaaaaa1'])).toBeNull();
    expect(() => pseudonymOrder(['px_aaaaaaaaaaaaaaab', 'px_aaaaaaaaaaaaaaaa', 'px_aaaaaaaaaaaaaaab'])).toThrow(/same pseudonym/);
  });
});
