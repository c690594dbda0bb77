/**
 * Time units and rates for scoring. Every length is carried in days internally; a model fitted
 * in weeks (or any unit) is told its unit in days, so a horizon or discount rate given in any
 * unit is converted correctly. This avoids the lifetimes bug documented in REFERENCE.md §2
 * ("lifetimes CLV"), where a 12-month horizon on a weekly model became 360 weeks because each
 * "month" was taken as 30 model time units.
 *
 * Definitions: day = 1, week = 7, month = 30.4375 (= 365.25 / 12, the mean Gregorian month),
 * year = 365.25 days.
 */

export const DAYS_PER_UNIT = { day: 1, week: 7, month: 30.4375, year: 365.25 } as const;
export type TimeUnit = keyof typeof DAYS_PER_UNIT;

const UNIT_ALIASES: Record<string, TimeUnit> = {
  d: 'day', day: 'day', days: 'day',
  w: 'week', wk: 'week', week: 'week', weeks: 'week',
  m: 'month', mo: 'month', mon: 'month', month: 'month', months: 'month',
  y: 'year', yr: 'year', year: 'year', years: 'year', a: 'year',
};

/** Parses a unit name or abbreviation (d/day, w/wk/week, m/mo/month, y/yr/year), case-insensitive. */
export function parseTimeUnit(s: string): TimeUnit {
  const u = UNIT_ALIASES[s.trim().toLowerCase()];
  if (!u) throw new RangeError(`unknown time unit "${s}" (use d, w, m or y)`);
  return u;
}

/** Days in one unit. */
export function unitDays(u: TimeUnit): number {
  return DAYS_PER_UNIT[u];
}

/** '90d' | '12w' | '6m' | '1y' | '1.5 years' → days (6m = 182.625 days). Throws RangeError otherwise. */
export function parseDuration(s: string): number {
  const m = /^\s*(\d+(?:\.\d+)?)\s*([a-zA-Z]+)\s*$/.exec(s);
  if (!m) throw new RangeError(`not a duration: "${s}" (examples: 90d, 12w, 6m, 1y)`);
  return Number(m[1]) * unitDays(parseTimeUnit(m[2]!));
}

/** A compound rate: `rate` (a fraction, 0.1 = 10 %) per `perDays` days. */
export interface Rate {
  rate: number;
  perDays: number;
}

/**
 * '10%/yr' | '1%/month' | '0.1/yr' | '10%' | '0.1' → Rate. A bare rate without a period is per
 * year (the usual way annual discount rates are quoted). '%' divides by 100; without '%' the
 * number is the fraction itself. Negative rates are rejected; rates ≥ 100 % are allowed.
 */
export function parseRate(s: string): Rate {
  const m = /^\s*(\d+(?:\.\d+)?)\s*(%?)\s*(?:\/\s*(\d+(?:\.\d+)?)?\s*([a-zA-Z]+))?\s*$/.exec(s);
  if (!m) throw new RangeError(`not a rate: "${s}" (examples: 10%/yr, 1%/month, 0.1/yr)`);
  const rate = Number(m[1]) / (m[2] ? 100 : 1);
  const count = m[3] ? Number(m[3]) : 1;
  const perDays = m[4] ? count * unitDays(parseTimeUnit(m[4])) : DAYS_PER_UNIT.year;
  if (!(perDays > 0)) throw new RangeError(`rate period must be positive: "${s}"`);
  return { rate, perDays };
}

/** The same compound rate over another period: (1 + rate)^{periodDays / perDays} − 1. */
export function ratePerPeriod(r: Rate, periodDays: number): number {
  return Math.expm1((periodDays / r.perDays) * Math.log1p(r.rate));
}

/** Discount factor for a cash flow `days` from now: (1 + rate)^{−days / perDays}. */
export function discountFactor(r: Rate, days: number): number {
  return Math.exp(-(days / r.perDays) * Math.log1p(r.rate));
}
