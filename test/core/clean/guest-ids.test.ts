import { describe, it, expect } from 'vitest';
import { isGuestId } from '../../../src/core/clean/guest-ids.js';

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
});
