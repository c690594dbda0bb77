/**
 * Flat named metrics of a report, for alerting (`--fail-if`) and for the JSON summary.
 * Shares and rates are fractions in [0, 1] (write `top20_share > 0.8`, not 80).
 */
import type { ReportModel } from './report-model.js';
import { roundMoney } from '../money.js';

/** Every metric name with what it means and the section it needs. */
export const METRICS = {
  customers: 'number of customers in the table',
  orders: 'total orders',
  revenue: 'total revenue',
  avg_order_value: 'revenue / orders',
  repeat_rate: 'share of customers with ≥ 2 purchase days',
  gini: 'Gini coefficient of revenue per customer (negatives as 0)',
  top20_share: 'share of revenue from the top ⌈20 %⌉ of customers',
  abc_a_revenue_share: 'share of revenue from ABC class A (needs abc_class)',
  vip_revenue_share: 'share of revenue from the vip tier (needs value_tier)',
  sleeping_customers: 'customers in any sleep state but active (needs sleep_state)',
  sleeping_share: 'sleeping_customers / customers',
  sleeping_value_share: 'revenue of sleeping customers / revenue',
  at_risk_value: 'sum of value_at_risk ((1 − p_alive) × clv) over sleeping customers (scored tables)',
  clv_total: 'sum of expected CLV (needs score columns)',
  clv_mean: 'mean expected CLV',
  churn_high_share: 'share of customers with churn_risk high',
  fit_unreliable: '1 when the model fit is unreliable (fit.json "reliable": false), else 0 (needs the fit: run, or report --fit)',
  rows_read: 'rows read by ingest (needs --audit)',
  rejected_rate: 'rows rejected / rows read (needs --audit)',
  removed_rate: 'rows removed by clean / rows into clean (needs --audit)',
  new_customers: 'customers not in the previous table (needs --compare)',
  lost_customers: 'previous customers missing now (needs --compare)',
  newly_sleeping: 'customers active before and sleeping now (needs --compare)',
  high_value_newly_at_risk: 'vip/key or ABC-A customers newly deep-sleep/lost or churn high (needs --compare)',
} as const;

export type MetricName = keyof typeof METRICS;
export const METRIC_NAMES = Object.keys(METRICS) as MetricName[];

/** The metrics this model can provide (a metric whose section is absent is left out), rounded to 1e-6. */
export function metrics(model: ReportModel): Partial<Record<MetricName, number>> {
  const m: Partial<Record<MetricName, number>> = {};
  const o = model.overview;
  m.customers = o.customers;
  m.orders = o.orders;
  // Without amounts (model.no_amount) the money metrics are absent, not 0.
  if (o.revenue !== null) m.revenue = o.revenue;
  if (o.avg_order_value !== null) m.avg_order_value = o.avg_order_value;
  m.repeat_rate = o.repeat_rate;
  if (model.pareto) m.gini = model.pareto.gini;
  if (model.pareto) m.top20_share = model.pareto.top20.share;
  if (model.pareto?.abc) {
    m.abc_a_revenue_share = model.pareto.abc.filter((c) => c.class.startsWith('A')).reduce((s, c) => s + c.revenue_share, 0);
  }
  if (model.pyramid) m.vip_revenue_share = model.pyramid.find((t) => t.tier === 'vip')?.revenue_share ?? 0;
  const s = model.sleeping;
  if (s) {
    m.sleeping_customers = s.sleeping_customers;
    m.sleeping_share = o.customers ? s.sleeping_customers / o.customers : 0;
    m.sleeping_value_share = o.revenue! > 0 ? s.sleeping_revenue / o.revenue! : 0;
    if (s.value_at_risk !== null) m.at_risk_value = s.value_at_risk;
  }
  const c = model.clv;
  if (c) {
    m.clv_total = c.total;
    m.clv_mean = c.mean;
    if (c.churn) m.churn_high_share = o.customers ? (c.churn.find((b) => b.band === 'high')?.customers ?? 0) / o.customers : 0;
  }
  if (model.model_fit) m.fit_unreliable = model.model_fit.reliable ? 0 : 1;
  const q = model.data_quality;
  if (q) {
    if (q.rows_read !== null) m.rows_read = q.rows_read;
    if (q.rejected_rate !== null) m.rejected_rate = q.rejected_rate;
    if (q.removed_rate !== null) m.removed_rate = q.removed_rate;
  }
  const ch = model.changes;
  if (ch) {
    m.new_customers = ch.new_customers.customers;
    m.lost_customers = ch.lost_from_table.customers;
    m.newly_sleeping = ch.newly_sleeping.customers;
    m.high_value_newly_at_risk = ch.high_value_at_risk.customers;
  }
  for (const k of Object.keys(m) as MetricName[]) m[k] = roundMoney(m[k]!);
  return m;
}
