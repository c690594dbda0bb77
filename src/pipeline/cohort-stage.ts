/**
 * Cohorts and key indicators of retention next to the aggregation (segment --cohorts, run):
 * both come from the accumulator that aggregated the transactions, in the same pass
 * (core/cohort/*, core/drivers/*), and travel as one JSON document (segment --cohorts-out,
 * read back by report --cohorts) or straight into run's report.
 */
import { writeFileAtomic } from '../io/atomic-file.js';
import { readJsonDocument } from '../io/json-file.js';
import { dataError, usageError } from '../errors.js';
import type { CustomerAccumulator, FirstPurchases } from '../core/aggregate/customer-accumulator.js';
import type { CustomerSummary } from '../core/aggregate/customer-summary.js';
import type { SegmentResult } from '../core/segment/classify.js';
import type { CohortReport } from '../core/cohort/cohort-table.js';
import { COHORT_GRAINS } from '../core/cohort/periods.js';
import { ATTR_PREFIX, keyIndicators, type DriverIndicator, type DriverOutcome, type DriversReport } from '../core/drivers/key-indicators.js';
import { piiKindOf } from '../core/privacy/pii-columns.js';
import { maskPersonal } from '../core/privacy/mask.js';

export interface Retention {
  cohorts: CohortReport;
  /** Null: not computed (the DuckDB engine computes the cohorts only). */
  drivers: DriversReport | null;
  /** Kept for the `alive` outcome until the sleeping states are known (aliveDrivers); else null. */
  first: FirstPurchases | null;
}

/**
 * Cohorts and key indicators from an accumulator that tracked cohorts; null otherwise. For the
 * `alive` outcome the indicators wait for the sleeping states (aliveDrivers): until then they
 * are those of the default outcome.
 */
export function retentionOf(acc: CustomerAccumulator, asOf: number, outcome: DriverOutcome = 'second_purchase'): Retention | null {
  const cohorts = acc.cohorts(asOf);
  if (!cohorts) return null;
  const first = acc.firstPurchases();
  return { cohorts, drivers: keyIndicators(first, asOf), first: outcome === 'alive' ? first : null };
}

/**
 * For transactions without amounts (ingest --no-amount): the cohort counts stay, every money
 * value becomes null (absent, not zero) and the first-purchase value is no key indicator.
 */
export function withoutMoney(r: Retention | null, amountless: boolean): Retention | null {
  if (!r || !amountless) return r;
  const none = null as unknown as number; // JSON null; renderers show '–'
  r.cohorts.revenue = none;
  for (const c of r.cohorts.cohorts) for (const o of c.offsets) o.revenue = o.cumulative_revenue_per_customer = none;
  for (const p of r.cohorts.periods) p.new_revenue = p.returning_revenue = none;
  if (r.drivers) r.drivers.indicators = r.drivers.indicators.filter((x) => x.indicator !== 'first_value');
  return r;
}

/**
 * The key indicators of the `alive` outcome: sleeping state neither deep-sleep nor lost, from
 * the segment result of the sorted customer table, lined up with the accumulator's customers
 * by id. Does nothing unless retentionOf kept the first purchases for it.
 */
export function aliveDrivers(r: Retention | null | undefined, summaries: readonly CustomerSummary[], seg: SegmentResult, asOf: number): void {
  if (!r || !r.first) return;
  const f = r.first;
  const states = seg.sleep?.state;
  if (!states) throw usageError('--outcome alive needs the sleeping states', 'add sleep to --only, or drop --only');
  const order = Array.from(f.ids.keys()).sort((a, b) => (f.ids[a]! < f.ids[b]! ? -1 : f.ids[a]! > f.ids[b]! ? 1 : 0));
  if (order.length !== summaries.length) throw new Error(`aliveDrivers: ${order.length} first purchases for ${summaries.length} customers`);
  const alive = new Uint8Array(order.length);
  order.forEach((j, i) => {
    if (summaries[i]!.customerId !== f.ids[j]) throw new Error(`aliveDrivers: customer ${f.ids[j]} is not row ${i} of the table`);
    alive[j] = states[i] === 'deep-sleep' || states[i] === 'lost' ? 0 : 1;
  });
  r.drivers = keyIndicators({ ...f, alive }, asOf, 'alive');
  r.first = null;
}

/** Said when the engine computed the cohorts but not the key indicators. */
export const DRIVERS_NOT_IN_DUCKDB = 'not computed by the DuckDB engine (it returns no per-customer first purchases): use --engine js for them';

/** Cohorts listed on stderr. */
const SUMMARY_COHORTS = 12;

const pct = (x: number): string => `${(x * 100).toFixed(1)}%`;

/** A group value for stderr: a personal attribute's (an e-mail, a phone) masked, as reports mask it by default. */
function shownValue(x: DriverIndicator, v: string): string {
  if (!x.indicator.startsWith(ATTR_PREFIX) || v === 'other' || v === '') return v === '' ? '(empty)' : v;
  return piiKindOf(x.indicator.slice(ATTR_PREFIX.length), x.groups.map((g) => g.value)) === null ? v : maskPersonal(v);
}

/** stderr lines: per cohort its size and retention at offsets 1–3. */
export function retentionSummaryLines(r: Retention, prefix: string): string[] {
  const c = r.cohorts;
  const L = [`${prefix}: cohorts by ${c.grain} of first purchase: ${c.cohorts.length} cohorts, ${c.customers} customers (retention = share active in the period at offset k)`];
  // The latest cohorts only: weekly cohorts over years would flood stderr (the report has them all).
  const shown = c.cohorts.slice(-SUMMARY_COHORTS);
  if (shown.length < c.cohorts.length) L.push(`${prefix}: (${c.cohorts.length - shown.length} earlier cohorts in the JSON and the report)`);
  for (const row of shown) {
    const ks = row.offsets.slice(1, 4).map((o) => `+${o.offset} ${pct(o.retention)}`).join(', ');
    L.push(`${prefix}: cohort ${row.cohort}: ${row.customers} customers${ks ? `, ${ks}` : ''}; second purchase ${pct(row.second_purchase_share)}`);
  }
  if (!r.drivers) return L; // not computed: the caller warns (DRIVERS_NOT_IN_DUCKDB)
  const top = r.drivers.indicators.find((x) => x.cramers_v !== null);
  const what = r.drivers.outcome === 'alive' ? 'staying awake (not deep-sleep or lost)' : `a second purchase within ${r.drivers.outcome_days} days`;
  if (top) L.push(`${prefix}: strongest key indicator of ${what}: ${top.indicator} (Cramér's V ${top.cramers_v}; best ${shownValue(top, top.best!)}, worst ${shownValue(top, top.worst!)})`);
  else L.push(`${prefix}: key indicators: not enough data (${r.drivers.eligible_customers} customers with ${r.drivers.outcome_days} days since their first purchase; groups need ${r.drivers.min_group})`);
  return L;
}

/** The JSON document of segment --cohorts-out. */
export function retentionJson(r: Retention): string {
  return JSON.stringify({ cohorts: r.cohorts, drivers: r.drivers }, null, 2) + '\n';
}

/** Writes segment --cohorts-out's document atomically. */
export function writeRetention(path: string, r: Retention): void {
  writeFileAtomic(path, retentionJson(r));
}

/** Reads segment --cohorts-out's document back (report --cohorts). */
export function loadRetention(path: string): Retention {
  const hint = 'give the file written by `custkit segment --cohorts-out`';
  const raw = readJsonDocument(path, 'cohorts', hint);
  const bad = shapeError(raw, DOC, 'document');
  if (bad !== null) throw dataError(`not a cohorts document: ${bad}`, { file: path }, hint);
  const o = raw as { cohorts: CohortReport; drivers: DriversReport };
  if (!(COHORT_GRAINS as readonly string[]).includes(o.cohorts.grain)) throw dataError('not a cohorts document: cohorts.grain is not month, quarter or week', { file: path }, hint);
  return { cohorts: o.cohorts, drivers: o.drivers, first: null };
}

/** A JSON shape: 'n' number, 'n?' number or null, 's' string, 's?' string or null, [shape] array of, {…} object with. */
type Shape = 'n' | 'n?' | 's' | 's?' | [Shape] | { [k: string]: Shape };

const OFFSET: Shape = { offset: 'n', period: 's', active: 'n', retention: 'n', revenue: 'n', cumulative_revenue_per_customer: 'n' };
const COHORT: Shape = { cohort: 's', customers: 'n', second_purchase: 'n', second_purchase_share: 'n', median_days_to_second: 'n?', offsets: [OFFSET] };
const PERIOD: Shape = { period: 's', new_customers: 'n', new_revenue: 'n', returning_customers: 'n', returning_revenue: 'n' };
const GROUP: Shape = { value: 's', customers: 'n', outcome: 'n', rate: 'n', ci_low: 'n', ci_high: 'n', lift: 'n' };
const INDICATOR: Shape = { indicator: 's', cramers_v: 'n?', small_group_customers: 'n', groups: [GROUP], best: 's?', worst: 's?' };
const DOC: Shape = {
  cohorts: { grain: 's', as_of: 's?', customers: 'n', revenue: 'n', cohorts: [COHORT], periods: [PERIOD] },
  drivers: { outcome: 's', outcome_days: 'n', min_group: 'n', eligible_customers: 'n', base_rate: 'n', strength_measure: 's', indicators: [INDICATOR] },
};

/** Where `v` departs from `shape` (a path like cohorts.cohorts[3].customers), or null. Read files are checked before any renderer sees them. */
function shapeError(v: unknown, shape: Shape, at: string): string | null {
  if (typeof shape === 'string') {
    if (shape.endsWith('?') && v === null) return null;
    const ok = shape.startsWith('n') ? typeof v === 'number' && Number.isFinite(v) : typeof v === 'string';
    return ok ? null : `${at} should be a ${shape.startsWith('n') ? 'number' : 'string'}`;
  }
  if (Array.isArray(shape)) {
    if (!Array.isArray(v)) return `${at} should be a list`;
    for (let i = 0; i < v.length; i++) {
      const e = shapeError(v[i], shape[0], `${at}[${i}]`);
      if (e) return e;
    }
    return null;
  }
  if (v === null || typeof v !== 'object' || Array.isArray(v)) return `${at} should be an object`;
  for (const [k, s] of Object.entries(shape)) {
    const e = shapeError((v as Record<string, unknown>)[k], s, at === 'document' ? k : `${at}.${k}`);
    if (e) return e;
  }
  return null;
}
