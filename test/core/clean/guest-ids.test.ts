import { describe, it, expect } from 'vitest';
import fc from 'fast-check';
import { GUEST_PLACEHOLDERS, isGuestId } from '../../../src/core/clean/guest-ids.js';

describe('isGuestId', () => {
  it('placeholders, trimmed and case-insensitive, are guests', () => {
    // The list of guest-ids.ts: blank, 0, -, N/A, NA, null, none, unknown, guest, anonymous, 匿名, 游客, 访客, 未知.
    for (const id of ['', '   ', '0', ' 0 ', '-', 'N/A', 'n/a', 'NA', 'Null', 'NONE', 'Unknown', ' Guest', 'ANONYMOUS', '匿名', '游客', '访客', ' 未知 ', '\u3000guest'])
      expect([id, isGuestId(id)]).toEqual([id, true]);
  });
  it('real ids are not guests: test, 00, 0 with digits, long ids, ids merely containing a placeholder', () => {
    for (const id of ['test', '00', '0123', '17850', '1', 'guest42', 'anonymous1', 'nan', 'n', 'a', 'customer-unknown', '匿名用户', 'NA-17'])
      expect([id, isGuestId(id)]).toEqual([id, false]);
  });
  it('fast paths agree with the definition (trimmed, lower-cased, in the list) on random ids (property)', () => {
    const reference = (id: string): boolean => GUEST_PLACEHOLDERS.has(id.trim().toLowerCase());
    const pieces = [...GUEST_PLACEHOLDERS, ' ', '\t', '\u3000', '\ufeff', 'A', 'N', 'U', 'G', 'C', 'z', 'İ', 'K', '0', '7', '-', '/', '客', 'x'];
    const ids = fc.array(fc.constantFrom(...pieces), { maxLength: 4 }).map((a) => a.join(''));
    fc.assert(fc.property(fc.oneof(ids, fc.string({ maxLength: 12 }), fc.string({ unit: 'grapheme', maxLength: 6 })), (id) => {
      expect(isGuestId(id)).toBe(reference(id));
    }), { numRuns: 20000 });
    for (const id of ['C0000001', 'c1', 'Zed', 'x', '#1', '_guest', 'Guest', 'GUEST', 'aNoNyMoUs', 'Nb', 'ua']) expect([id, isGuestId(id)]).toEqual([id, reference(id)]);
  });
});
