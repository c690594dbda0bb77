/**
 * The exact numbers behind the customer-table cells the report reads, taken from the typed
 * stage results instead of printing each cell and parsing it back. `run` hands them to the
 * report's table builder next to the cells: the same table `custkit report` reads from
 * `customers.csv` (tested value for value), without ~1.5 µs of string-to-number conversion per
 * customer. Each getter mirrors the formatting of its cell (summaryToCells, the segment
 * cells, the score cells): a number printed by formatMoney reads back as moneyValue, one
 * printed at p places as roundedValue, integers and day numbers as themselves; an empty
 * cell is NaN. Columns without a getter are parsed from their cells as before.
 */
import type { CustomerSummary } from '../core/aggregate/customer-summary.js';
import { moneyValue, roundedValue } from '../core/money.js';
import type { SegmentResult } from '../core/segment/classify.js';
import type { ScoreResult } from './score-stage.js';

type Getter = (i: number) => number;

/** Getters by column name for the given results (absent results: no getter, so the cell is parsed). */
function getters(summaries: readonly CustomerSummary[], seg: SegmentResult, sc: ScoreResult | null): Record<string, Getter> {
  const g: Record<string, Getter> = {
    orders: (i) => summaries[i]!.orders,
    purchase_days: (i) => summaries[i]!.purchaseDays,
    revenue: (i) => moneyValue(summaries[i]!.revenue),
    first_order: (i) => summaries[i]!.firstDay ?? NaN,
    last_order: (i) => summaries[i]!.lastDay,
    days_since_last: (i) => summaries[i]!.daysSinceLast,
  };
  const r = seg.rfm;
  if (r) {
    g.r_score = (i) => r.r[i]!;
    g.f_score = (i) => r.f[i]!;
  }
  const c = seg.clusters;
  if (c) g.cluster = (i) => c.cluster[i]!;
  const s = seg.sleep;
  if (s) g.value_at_risk = (i) => moneyValue(s.valueAtRisk[i]!);
  if (sc) {
    const six = (a: Float64Array): Getter => (i) => (Number.isFinite(a[i]!) ? roundedValue(a[i]!, 6) : NaN);
    g.p_alive = six(sc.pAlive);
    g.expected_orders = six(sc.expectedOrders);
    g.clv = (i) => (Number.isFinite(sc.clv[i]!) ? roundedValue(sc.clv[i]!, 2) : NaN);
  }
  return g;
}

/**
 * A filler for row i of a table with this header: sets `out[k]` to the number of column k
 * where a getter exists (others stay undefined: parse the cell).
 */
export function tableNumbers(
  header: readonly string[],
  summaries: readonly CustomerSummary[],
  seg: SegmentResult,
  sc: ScoreResult | null,
): { out: (number | undefined)[]; fill(i: number): (number | undefined)[] } {
  const g = getters(summaries, seg, sc);
  const cols: number[] = [];
  const fns: Getter[] = [];
  header.forEach((h, k) => {
    const f = g[h];
    if (f) {
      cols.push(k);
      fns.push(f);
    }
  });
  const out: (number | undefined)[] = new Array(header.length).fill(undefined);
  return {
    out,
    fill(i) {
      for (let j = 0; j < cols.length; j++) out[cols[j]!] = fns[j]!(i);
      return out;
    },
  };
}
