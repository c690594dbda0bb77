/** The JavaScript HMAC-SHA-256 (midstates of the key's pad blocks) against node:crypto's. */
import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { HmacSha256 } from '../../../src/core/privacy/hmac-sha256.js';
import { Pseudonymizer } from '../../../src/core/privacy/pseudonym.js';

const hex = (w: Int32Array): string => Array.from(w, (x) => (x >>> 0).toString(16).padStart(8, '0')).join('');

/** Ids of every length around the block boundaries (55/56, 119/120 bytes), non-ASCII, a lone surrogate, empty. */
function ids(): string[] {
  const out = ['', 'C1', 'alice@example.com', 'ü', '顧客-１７８５０', '😀x', 'a\ud800b', 'tab\there'];
  for (let n = 50; n <= 130; n++) out.push('x'.repeat(n), 'é'.repeat(n >> 1) + 'y'.repeat(n & 1));
  for (let i = 0; i < 200; i++) out.push(`C${(i * 7919) % 100003}`);
  return out;
}

describe('HmacSha256', () => {
  for (const key of ['k'.repeat(16), 'bench-key-not-a-secret-0123456789', 'k'.repeat(64), 'long key '.repeat(20)]) {
    it(`equals createHmac('sha256') for ids of every shape (key of ${key.length} bytes)`, () => {
      const h = new HmacSha256(Buffer.from(key));
      for (const id of ids()) expect(hex(h.mac(id)), JSON.stringify(id)).toBe(createHmac('sha256', key).update(id, 'utf8').digest('hex'));
    });
  }

  it('gives the pseudonyms the HMAC defines (base32 of the first 80 bits, px_)', () => {
    const key = 'bench-key-not-a-secret-0123456789';
    const p = new Pseudonymizer(key);
    for (const id of ids()) {
      const mac = createHmac('sha256', key).update(id, 'utf8').digest().subarray(0, 10);
      let bits = '';
      for (const b of mac) bits += b.toString(2).padStart(8, '0');
      expect(p.of(id)).toBe('px_' + bits.match(/.{5}/g)!.map((g) => 'abcdefghijklmnopqrstuvwxyz234567'[parseInt(g, 2)]).join(''));
    }
  });
});
