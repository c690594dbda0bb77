import { describe, expect, it } from 'vitest';
import { COHORT_GRAINS, PeriodCursor, periodOf } from '../../../src/core/cohort/periods.js';
import { dayFromCivil } from '../../../src/core/time/day.js';

describe('PeriodCursor', () => {
  it('gives periodOf for every day, in order, backwards and jumping across years', () => {
    const from = dayFromCivil(2023, 11, 20), to = dayFromCivil(2025, 2, 10);
    const days: number[] = [];
    for (let d = from; d <= to; d++) days.push(d);
    const jumps = [dayFromCivil(2024, 12, 31), dayFromCivil(2024, 1, 1), dayFromCivil(2024, 12, 31), dayFromCivil(2025, 1, 1), -3, -4, 3];
    for (const grain of COHORT_GRAINS) {
      for (const seq of [days, [...days].reverse(), jumps]) {
        const c = new PeriodCursor(grain);
        for (const d of seq) expect([d, c.of(d)]).toEqual([d, periodOf(d, grain)]);
      }
    }
  });

  it('remembers the range of the last period: [lo, hi) holds exactly the days of cur', () => {
    const c = new PeriodCursor('quarter');
    expect(c.miss(dayFromCivil(2024, 5, 17))).toBe(4 * 2024 + 1);
    expect([c.lo, c.hi]).toEqual([dayFromCivil(2024, 4, 1), dayFromCivil(2024, 7, 1)]);
    const w = new PeriodCursor('week');
    w.miss(dayFromCivil(2024, 3, 27)); // a Wednesday
    expect([w.lo, w.hi]).toEqual([dayFromCivil(2024, 3, 25), dayFromCivil(2024, 4, 1)]);
  });
});
