/**
 * Cohort tables in SQL (`run --engine duckdb`), the same tables as the JavaScript engine's
 * (core/cohort/cohort-table.ts, docs/definitions.md, "Cohorts"): the query groups the orders
 * per (customer, day), then per customer (first and second purchase day, cohort) and per
 * (customer, period), and returns only cohorts × offsets rows; CohortBuilder adds them up
 * with the JavaScript engine's own arithmetic. The query is one more branch of the engine's
 * single query over the cleaned orders, reading the facts' groupings: the input is still read
 * once, and the orders grouped per (customer, day) once.
 *
 * Period numbers as periods.ts counts them: month = 12·year + month − 1, quarter =
 * 4·year + quarter − 1, week = ⌊(day + 3) / 7⌋ with day counted from 1970-01-01.
 */
import { CohortBuilder, type CohortReport } from '../core/cohort/cohort-table.js';
import { periodFunction, type CohortGrain } from '../core/cohort/periods.js';
import { roundMoney } from '../core/money.js';
import { formatDay } from '../core/time/day.js';

const dayNumber = (d: string): string => `date_diff('day', DATE '1970-01-01', ${d})`;

/** The period index of a DATE expression, as periods.ts's periodOf. */
export function periodSql(d: string, grain: CohortGrain): string {
  if (grain === 'month') return `(year(${d}) * 12 + month(${d}) - 1)`;
  if (grain === 'quarter') return `(year(${d}) * 4 + quarter(${d}) - 1)`;
  return `CAST(floor((${dayNumber(d)} + 3) / 7) AS BIGINT)`;
}

/**
 * The cohort rows, columns (kind, cohort, x, y, rev), from the facts query's per-(customer, day)
 * `cd` and per-customer `cust` (duckdb-aggregate.ts factsCtes with firstTwo), so the orders are
 * grouped per (customer, day) once for both. The second purchase day comes from `cust`'s
 * `fd` (`secondBy` 'heap': the first two purchase days, a `min(d, 2)` heap per customer that
 * DuckDB 1.5 cannot spill, about 120 MB per million customers) or, in customer partitions
 * ('join'), as the earliest `cd` day with an order after `cust`'s first: a join and a
 * grouping that spill, at about a second more on 10M lines (#29, docs/performance.md). Parts:
 * - `cell`: cohort, offset k, active customers, net revenue (text, exact);
 * - `size`: cohort, customers, customers with a second purchase day;
 * - `gap`: cohort, days from first to second purchase day, customers;
 * - `span`: the first and the last day of any row (refunds and refund-only customers too), as day numbers.
 * Only days on or before the as-of day count. Customers with refunds only are in no cohort.
 * Refunds in a period before the first purchase count at offset 0, as in the JavaScript engine.
 */
export function cohortPartsSql(grain: CohortGrain, asOf: number | null, secondBy: 'heap' | 'join' = 'heap'): string {
  const within = asOf === null ? '' : ` WHERE d <= DATE '${formatDay(asOf)}'`;
  const P = (d: string): string => periodSql(d, grain);
  return `SELECT * FROM (
  WITH ${
    secondBy === 'heap'
      ? `cc AS (SELECT c, fd[1] AS first_d, fd[2] AS second_d, ${P('fd[1]')} AS cohort FROM cust WHERE len(fd) > 0),`
      : `sec AS (SELECT cd.c, min(cd.d) AS second_d FROM cd JOIN cust ON cd.c = cust.c WHERE cd.n_orders > 0 AND cd.d > cust.first_d GROUP BY cd.c),
  cc AS (SELECT cust.c, first_d, second_d, ${P('first_d')} AS cohort FROM cust LEFT JOIN sec ON sec.c = cust.c WHERE first_d IS NOT NULL),`
  }
  cp AS (SELECT c, ${P('d')} AS p, sum(net) AS rev, bool_or(n_orders > 0) AS bought FROM cd${within} GROUP BY c, ${P('d')})
  SELECT 'cell' AS kind, cohort, greatest(p - cohort, 0) AS x, count(*) FILTER (WHERE cp.bought) AS y, CAST(sum(rev) AS VARCHAR) AS rev
    FROM cp JOIN cc USING (c) GROUP BY cohort, greatest(p - cohort, 0)
  UNION ALL
  SELECT 'size', cohort, count(*), count(second_d), NULL FROM cc GROUP BY cohort
  UNION ALL
  SELECT 'gap', cohort, date_diff('day', first_d, second_d), count(*), NULL FROM cc WHERE second_d IS NOT NULL GROUP BY cohort, date_diff('day', first_d, second_d)
  UNION ALL
  SELECT 'span', NULL, ${dayNumber('min(d)')}, ${dayNumber('max(d)')}, NULL FROM cd${within}
) AS cohort_parts`;
}

/** Collects cohortPartsSql's rows and builds the report at the as-of date. */
export class CohortParts {
  private readonly cells: [number, number, number, number][] = [];
  private readonly sizes: [number, number, number][] = [];
  private readonly gaps: [number, number, number][] = [];
  private lo: number | null = null;
  private hi: number | null = null;

  constructor(private readonly grain: CohortGrain) {}

  /** One row: kind, cohort, x, y, rev (numbers may come as bigint). */
  add(kind: string, cohort: unknown, x: unknown, y: unknown, rev: unknown): void {
    const n = (v: unknown): number => Number(v);
    if (kind === 'cell') this.cells.push([n(cohort), n(x), n(y), roundMoney(Number(rev ?? 0))]);
    else if (kind === 'size') this.sizes.push([n(cohort), n(x), n(y)]);
    else if (kind === 'gap') this.gaps.push([n(cohort), n(x), n(y)]);
    else if (kind === 'span' && x !== null && x !== undefined) {
      this.lo = n(x);
      this.hi = n(y);
    }
  }

  /** The cohort report at `asOf`, as CustomerAccumulator.cohorts gives it for the same orders. */
  finish(asOf: number): CohortReport {
    const periodOf = periodFunction(this.grain);
    if (this.lo === null || this.hi === null) return new CohortBuilder(this.grain, periodOf, null, 0, -1).finish();
    const b = new CohortBuilder(this.grain, periodOf, asOf, periodOf(this.lo), Math.max(periodOf(asOf), periodOf(this.hi)));
    // In a fixed order: the revenue sums are rounded at every step, like the JavaScript engine's.
    const byKey = <T extends number[]>(rows: T[]): T[] => rows.sort((p, q) => p[0]! - q[0]! || p[1]! - q[1]!);
    for (const [c, size, seconds] of byKey(this.sizes)) b.addCohort(c, size, seconds);
    for (const [c, gap, count] of byKey(this.gaps)) b.addGap(c, gap, count);
    for (const [c, k, active, rev] of byKey(this.cells)) b.addCell(c, k, active, rev);
    return b.finish();
  }
}
