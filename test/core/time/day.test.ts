import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { civilFromDay, dayFromCivil, formatDay, isValidCivil, parseIsoDay } from '../../../src/core/time/day.js';

describe('calendar day numbers', () => {
  it('known days (Unix epoch, leap days)', () => {
    expect(dayFromCivil(1970, 1, 1)).toBe(0);
    expect(dayFromCivil(2000, 3, 1) - dayFromCivil(2000, 2, 28)).toBe(2); // 2000 is a leap year
    expect(dayFromCivil(1900, 3, 1) - dayFromCivil(1900, 2, 28)).toBe(1); // 1900 is not
    // CDNOW: 1997-01-01 → 1997-09-30 is 272 days (REFERENCE.md §0: T = 272/7 = 38.857 weeks)
    expect(dayFromCivil(1997, 9, 30) - dayFromCivil(1997, 1, 1)).toBe(272);
    expect(formatDay(dayFromCivil(2026, 11, 22))).toBe('2026-11-22');
  });
  it('round-trips every day from 1600 to 2400 (property)', () => {
    fc.assert(
      fc.property(fc.integer({ min: dayFromCivil(1600, 1, 1), max: dayFromCivil(2400, 12, 31) }), (d) => {
        const [y, m, dd] = civilFromDay(d);
        expect(isValidCivil(y, m, dd)).toBe(true);
        expect(dayFromCivil(y, m, dd)).toBe(d);
        expect(parseIsoDay(formatDay(d))).toBe(d);
      }),
    );
  });
  it('parseIsoDay rejects anything but a real YYYY-MM-DD date', () => {
    for (const s of ['2026-02-30', '2026-13-01', '2026-00-10', '2026-1-01', '2026/01/01', '2026-0a-01', ' 2026-01-01', '2026-01-01 ', '']) {
      expect(parseIsoDay(s)).toBeNull();
    }
    expect(parseIsoDay('2024-02-29')).toBe(dayFromCivil(2024, 2, 29));
  });
});
