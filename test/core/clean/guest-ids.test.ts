import { describe, it, expect } from 'vitest';
import fc from 'fast-check';
import { GUEST_PLACEHOLDERS, GuestIds, guestPlaceholders, isGuestId } from '../../../src/core/clean/guest-ids.js';

describe('isGuestId', () => {
  it('placeholders, trimmed and case-insensitive, are guests', () => {
    // The list of guest-ids.ts: blank, -, N/A, NA, null, none, unknown, guest, anonymous, 匿名, 游客, 访客, 未知.
    for (const id of ['', '   ', '-', 'N/A', 'n/a', 'NA', 'Null', 'NONE', 'Unknown', ' Guest', 'ANONYMOUS', '匿名', '游客', '访客', ' 未知 ', '\u3000guest'])
      expect([id, isGuestId(id)]).toEqual([id, true]);
  });
  it('real ids are not guests: 0 (a numeric id, e.g. lifetimes\' customer 0), test, 00, 0 with digits, long ids, ids merely containing a placeholder', () => {
    for (const id of ['0', ' 0 ', 'test', '00', '0123', '17850', '1', 'guest42', 'anonymous1', 'nan', 'n', 'a', 'customer-unknown', '匿名用户', 'NA-17'])
      expect([id, isGuestId(id)]).toEqual([id, false]);
  });
  it('fast paths agree with the definition (trimmed, lower-cased, in the list) on random ids (property)', () => {
    const reference = (id: string): boolean => GUEST_PLACEHOLDERS.has(id.trim().toLowerCase());
    const pieces = [...GUEST_PLACEHOLDERS, ' ', '\t', '\u3000', '\ufeff', '\u2003', '\u2028', 'A', 'N', 'U', 'G', 'C', 'z', 'İ', 'K', '0', '7', '-', '/', '客', 'x'];
    const ids = fc.array(fc.constantFrom(...pieces), { maxLength: 4 }).map((a) => a.join(''));
    fc.assert(fc.property(fc.oneof(ids, fc.string({ maxLength: 12 }), fc.string({ unit: 'grapheme', maxLength: 6 })), (id) => {
      expect(isGuestId(id)).toBe(reference(id));
    }), { numRuns: 20000 });
    for (const id of ['C0000001', 'c1', 'Zed', 'x', '#1', '_guest', 'Guest', 'GUEST', 'aNoNyMoUs', 'Nb', 'ua']) expect([id, isGuestId(id)]).toEqual([id, reference(id)]);
  });
  it('--guest-ids adds placeholders, compared trimmed and lower-cased; the fast paths agree (property)', () => {
    const g = new GuestIds(['0', ' Kunde-X ', '访问者']);
    for (const id of ['0', ' 0', 'kunde-x', 'KUNDE-X', '访问者', '', 'guest']) expect([id, g.has(id)]).toEqual([id, true]);
    for (const id of ['00', '10', 'kunde', '访问']) expect([id, g.has(id)]).toEqual([id, false]);
    const list = guestPlaceholders(['0', ' Kunde-X ', '访问者']);
    const pieces = [...list, ' ', '\u2003', 'K', 'k', 'x', '0', '1', '访', '-'];
    const ids = fc.array(fc.constantFrom(...pieces), { maxLength: 4 }).map((a) => a.join(''));
    fc.assert(fc.property(fc.oneof(ids, fc.string({ maxLength: 12 })), (id) => {
      expect(g.has(id)).toBe(list.has(id.trim().toLowerCase()));
    }), { numRuns: 5000 });
  });
});
