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
 * A function day → period index for one grain, for the per-row path: it remembers the day
 * range of the last period it computed, so rows in the same month or quarter (most rows of a
 * date-ordered stream) cost two comparisons instead of a calendar conversion.
 */
export function periodFunction(grain: CohortGrain): (day: number) => number {
  if (grain === 'week') return (day) => Math.floor((day + 3) / 7);
  let lo = 1, hi = 0, cur = 0;
  const months = grain === 'month' ? 1 : 3;
  return (day) => {
    if (day >= lo && day < hi) return cur;
    const [y, m] = civilFromDay(day);
    const first = m - ((m - 1) % months); // first month of the period
    cur = grain === 'month' ? 12 * y + m - 1 : 4 * y + (first - 1) / 3;
    lo = dayFromCivil(y, first, 1);
    hi = first + months > 12 ? dayFromCivil(y + 1, 1, 1) : dayFromCivil(y, first + months, 1);
    return cur;
  };
}

/** Label of a period: 2024-03, 2024-Q1, or the week's Monday (2024-03-04). */
export function periodLabel(p: number, grain: CohortGrain): string {
  if (grain === 'week') return formatDay(7 * p - 3);
  if (grain === 'month') return `${Math.floor(p / 12)}-${String((p % 12) + 1).padStart(2, '0')}`;
  return `${Math.floor(p / 4)}-Q${(p % 4) + 1}`;
}
