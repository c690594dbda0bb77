/**
 * One row per customer: the aggregate every segmentation and model reads.
 *
 * Day arithmetic (REFERENCE.md §0, lifetimes/Hardie convention): all days are day numbers
 * (core/time/day.ts); the as-of date is inclusive, so `daysSinceLast = asOf − lastDay`
 * (0 when the last purchase is on the as-of date) and `T = asOf − firstDay`.
 * A "purchase day" is a calendar day with at least one order (amount >= 0) of the customer:
 * same-day orders are merged, so `frequency` counts repeat purchase days, not lines.
 */
import { roundMoney } from '../money.js';

/**
 * Per-customer summary. Field order = CSV column order (SUMMARY_COLUMNS, customer-table/schema.ts;
 * the cells' text: customer-table/cells.ts summaryToCells).
 *
 * `firstDay`, `tenureDays`, `recency`, `T` and `meanIntervalDays` are null only for rows read
 * from an aggregated table that has no first-purchase date (see customer-table-input.ts);
 * summaries built from transactions always carry them.
 */
export interface CustomerSummary {
  customerId: string;
  /** Number of orders (rows with amount >= 0, zero-amount orders included, as in CDNOW). */
  orders: number;
  /** Distinct purchase days. */
  purchaseDays: number;
  /** Net revenue: orders minus refunds, rounded to 1e-6. */
  revenue: number;
  /** revenue / orders (0 when orders = 0), rounded to 1e-6. */
  avgOrderValue: number;
  /** First purchase day (day number), null when unknown (aggregated input without it). */
  firstDay: number | null;
  /** Last purchase day (day number). */
  lastDay: number;
  /** asOf − lastDay. */
  daysSinceLast: number;
  /** asOf − firstDay. */
  tenureDays: number | null;
  /** recency / frequency, rounded to 1e-6; null when frequency = 0 or unknown. */
  meanIntervalDays: number | null;
  /** purchaseDays − 1 (repeat purchase days; BTYD x). */
  frequency: number;
  /** lastDay − firstDay (BTYD t_x, in days). */
  recency: number | null;
  /** asOf − firstDay (BTYD T, in days; equals tenureDays). */
  T: number | null;
  /**
   * Mean net revenue of the repeat purchase days (first purchase day excluded), rounded to
   * 1e-6; null when frequency = 0 or unknown. Gamma-Gamma's m_x (Fader, Hardie & Lee 2005,
   * "RFM and CLV", §0 of REFERENCE.md). Refund attribution: see CustomerAccumulator.
   */
  repeatAvgValue: number | null;
}


/** Repeat purchase days: purchaseDays − 1 (BTYD x), never below 0. */
export const frequencyOf = (purchaseDays: number): number => Math.max(purchaseDays - 1, 0);

/** revenue / orders rounded to 1e-6; 0 without orders. */
export const avgOrderValueOf = (revenue: number, orders: number): number => (orders > 0 ? roundMoney(revenue / orders) : 0);

/** A total per repeat purchase day (mean interval, repeat average) rounded to 1e-6; null without repeat days or total. */
export const perRepeatDay = (total: number | null, frequency: number): number | null =>
  frequency > 0 && total !== null ? roundMoney(total / frequency) : null;

/**
 * Builds a summary from its primary facts; every derived field follows the definitions above.
 * `firstDayNet` = net revenue attributed to the first purchase day (only used when
 * purchaseDays > 1). `firstDay` null → the span fields are null.
 */
export function makeSummary(
  customerId: string,
  orders: number,
  purchaseDays: number,
  revenue: number,
  firstDay: number | null,
  lastDay: number,
  asOf: number,
  repeatRevenue: number | null,
): CustomerSummary {
  const frequency = frequencyOf(purchaseDays);
  const recency = firstDay === null ? null : lastDay - firstDay;
  const T = firstDay === null ? null : asOf - firstDay;
  return {
    customerId,
    orders,
    purchaseDays,
    revenue: roundMoney(revenue),
    avgOrderValue: avgOrderValueOf(revenue, orders),
    firstDay,
    lastDay,
    daysSinceLast: asOf - lastDay,
    tenureDays: T,
    meanIntervalDays: perRepeatDay(recency, frequency),
    frequency,
    recency,
    T,
    repeatAvgValue: perRepeatDay(repeatRevenue, frequency),
  };
}
