/**
 * Calendar periods of a cohort analysis as integers, so that "offset" is a subtraction:
 * month = 12·year + month − 1, quarter = 4·year + quarter − 1, week = ISO weeks (Monday
 * start) counted from the week of 1970-01-01 (a Thursday, so day −3 is that week's Monday).
 */
import { civilFromDay, dayFromCivil, formatDay } from '../time/day.js';

export type CohortGrain = 'month' | 'quarter' | 'week';
export const COHORT_GRAINS: readonly CohortGrain[] = ['month', 'quarter', 'week'];

/** The period index of a day number. */
export function periodOf(day: number, grain: CohortGrain): number {
  if (grain === 'week') return Math.floor((day + 3) / 7);
  const [y, m] = civilFromDay(day);
  return grain === 'month' ? 12 * y + m - 1 : 4 * y + Math.floor((m - 1) / 3);
}

/**
 * Day → period index for one grain, for the per-row path: it remembers the day range
 * [lo, hi) of the last period it computed, so rows in the same period (most rows of a
 * date-ordered stream) cost two comparisons instead of a calendar conversion. The fields are
 * public so that a hot loop can test the range inline and call `miss` only outside it.
 */
export class PeriodCursor {
  lo = 1;
  hi = 0;
  cur = 0;
  private readonly months: number;

  constructor(readonly grain: CohortGrain) {
    this.months = grain === 'quarter' ? 3 : 1;
  }

  of(day: number): number {
    return day >= this.lo && day < this.hi ? this.cur : this.miss(day);
  }

  /** Computes the period of `day` and remembers its day range. */
  miss(day: number): number {
    if (this.grain === 'week') {
      this.cur = Math.floor((day + 3) / 7);
      this.lo = 7 * this.cur - 3;
      this.hi = this.lo + 7;
      return this.cur;
    }
    const months = this.months;
    const [y, m] = civilFromDay(day);
    const first = m - ((m - 1) % months); // first month of the period
    this.cur = this.grain === 'month' ? 12 * y + m - 1 : 4 * y + (first - 1) / 3;
    this.lo = dayFromCivil(y, first, 1);
    this.hi = first + months > 12 ? dayFromCivil(y + 1, 1, 1) : dayFromCivil(y, first + months, 1);
    return this.cur;
  }
}

/** A function day → period index for one grain (a PeriodCursor's `of`). */
export function periodFunction(grain: CohortGrain): (day: number) => number {
  const c = new PeriodCursor(grain);
  return (day) => c.of(day);
}

/** Label of a period: 2024-03, 2024-Q1, or the week's Monday (2024-03-04). */
export function periodLabel(p: number, grain: CohortGrain): string {
  if (grain === 'week') return formatDay(7 * p - 3);
  if (grain === 'month') return `${Math.floor(p / 12)}-${String((p % 12) + 1).padStart(2, '0')}`;
  return `${Math.floor(p / 4)}-Q${(p % 4) + 1}`;
}
