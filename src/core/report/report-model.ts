/**
 * The report model: one plain JSON-able object, the single source for every renderer
 * (table, markdown, JSON, HTML, CSV). Keys are snake_case because the JSON report is this
 * object as is. Money and means are rounded to 1e-6, shares are fractions in [0, 1].
 * Category fields hold stable keys (see segment-keys.ts); renderers translate them.
 */
import type { Lang, Action } from './i18n.js';
import type { DataQuality } from './audit.js';
import type { UnreliableReason } from '../score/fit-reliability.js';
import type { Breakdown } from './breakdown.js';
import type { CohortReport } from '../cohort/cohort-table.js';
import type { DriversReport } from '../drivers/key-indicators.js';
import type { PrivacyNote } from '../privacy/mask-report.js';

export interface Overview {
  /** First and last order date in the table (YYYY-MM-DD); null for an empty table. */
  period_start: string | null;
  period_end: string | null;
  as_of: string | null;
  customers: number;
  orders: number;
  /** null (with avg_order_value and revenue_per_customer) for transactions without amounts. */
  revenue: number | null;
  /** revenue / orders (0 without orders). */
  avg_order_value: number | null;
  /** Customers with purchase_days ≥ 2. */
  repeat_customers: number;
  repeat_rate: number;
  revenue_per_customer: number | null;
}

export interface ClassShare {
  class: string;
  customers: number;
  customer_share: number;
  revenue: number;
  revenue_share: number;
}

export interface Pareto {
  gini: number;
  top20: { customers: number; revenue: number; share: number };
  /** [customer share, revenue share], ≤ 200 points, ascending. */
  lorenz: [number, number][];
  /** Per ABC class (null when the table has no abc_class). */
  abc: ClassShare[] | null;
}

export interface TierRow {
  tier: string;
  customers: number;
  customer_share: number;
  revenue: number;
  revenue_share: number;
  avg_revenue: number | null;
}

export interface SegmentRow {
  key: string;
  customers: number;
  customer_share: number;
  /** null (with revenue_share and mean_revenue) for transactions without amounts. */
  revenue: number | null;
  revenue_share: number | null;
  mean_days_since_last: number | null;
  mean_orders: number | null;
  mean_revenue: number | null;
  action: Action | null;
}

export interface Rfm {
  /** 11-segment map from the table's rfm_segment (null when absent or in zh8 mode). */
  segments11: SegmentRow[] | null;
  /** null for transactions without amounts when not in the table (computed, its M needs revenue). */
  zh8: {
    /** 'table' when rfm_segment already holds zh8 names; 'computed' from the population means. */
    source: 'table' | 'computed';
    /** The means used as high/low boundaries (computed mode), else null. */
    means: { days_since_last: number; orders: number; revenue: number } | null;
    segments: SegmentRow[];
  } | null;
  /** counts[r−1][f−1] and mean revenue per (R, F) score cell; null without r_score/f_score. */
  heatmap: { counts: number[][]; mean_revenue: (number | null)[][] } | null;
}

export interface ClusterRow {
  cluster: number;
  label: string | null;
  customers: number;
  customer_share: number;
  revenue: number;
  revenue_share: number;
  mean_days_since_last: number;
  mean_orders: number;
  mean_revenue: number;
}

export interface Clusters {
  silhouette: number | null;
  profiles: ClusterRow[];
  /** Deterministic sample of ≤ 2,000 points [revenue, orders, cluster] for the scatter chart. */
  sample: [number, number, number][];
}

export interface SleepRow {
  state: string;
  customers: number;
  customer_share: number;
  revenue: number;
  /** Σ value_at_risk; null when the table is not scored (no value_at_risk column). */
  value_at_risk: number | null;
}

export interface CallRow {
  customer_id: string;
  state: string;
  days_since_last: number;
  revenue: number;
  value_at_risk: number | null;
  reason: string | null;
}

export interface Sleeping {
  states: SleepRow[];
  /** Customers in any state but active. */
  sleeping_customers: number;
  sleeping_revenue: number;
  value_at_risk: number | null;
  /** The call list's order: by value_at_risk (scored tables), else by revenue. */
  call_list_ranked_by: 'value_at_risk' | 'revenue';
  call_list: CallRow[];
}

/**
 * What every CLV and value-at-risk figure means, stated beside it: value_at_risk =
 * (1 − p_alive) × clv, clv the expected discounted margin over the horizon. Null fields are
 * unknown (a scored table read without `--fit`).
 */
export interface ValueBasis {
  definition: string;
  model: string | null;
  /** Value per future order: gamma-gamma, or each customer's historic mean when Gamma-Gamma is not fitted. */
  spend_model: string | null;
  horizon: string | null;
  horizon_days: number | null;
  discount_rate: string | null;
  margin: number | null;
}

export interface ClvTop {
  customer_id: string;
  clv: number;
  p_alive: number | null;
  expected_orders: number | null;
  revenue: number;
  churn_risk: string | null;
}

export interface Clv {
  customers: number;
  total: number;
  mean: number;
  mean_p_alive: number | null;
  expected_orders: number | null;
  /** Equal-width bins from 0; the last bin also holds every value above its lower edge (`open_last`). */
  histogram: { from: number; to: number; customers: number }[];
  open_last: boolean;
  top: ClvTop[];
  churn: { band: string; customers: number; clv: number; revenue: number }[] | null;
}

export interface PersonRow {
  customer_id: string;
  segment: string | null;
  previous_segment: string | null;
  state: string | null;
  revenue: number;
  value_at_risk: number | null;
}

export interface Changes {
  /** Which map the migration uses ('segments11' or 'zh8'). */
  map: 'segments11' | 'zh8';
  migration: { from: string[]; to: string[]; counts: number[][] };
  in_both: number;
  newly_sleeping: { customers: number; value_at_risk: number; top: PersonRow[] };
  high_value_at_risk: { customers: number; revenue: number; top: PersonRow[] };
  new_customers: { customers: number; revenue: number; top: PersonRow[] };
  lost_from_table: { customers: number; revenue: number; top: PersonRow[] };
}

/** The BTYD fit behind the clv columns (`run`, or `report --fit`: a customer table alone does not carry it). */
export interface ModelFit {
  model: string;
  reliable: boolean;
  /** Why not (fit-reliability.ts); empty when reliable. */
  reasons: UnreliableReason[];
  /** Horizon, discount rate, margin and spend model of the clv column (fit.json); absent from older fit files. */
  basis?: Omit<ValueBasis, 'definition' | 'model'>;
}

/** `run --holdout`: how well each model predicted the holdout, and what was chosen (backtest-stage.ts). */
export interface ModelComparisonReport {
  calibration_end: string;
  as_of: string;
  customers: number;
  actual_purchases: number;
  models: { model: string; converged: boolean; predicted_purchases: number; mae: number; rmse: number; best_threshold: number | null; best_f1: number | null }[];
  chosen_model: string;
  why: string;
  churn_threshold: number | null;
  churn_flag_rule: string;
  churn_flag_why: string;
  /** The chosen model at its threshold, the sleeping rule and the fixed-days rules. */
  rules: { rule: string; flagged: number; error_rate: number | null; miss_rate: number | null; f1: number | null }[];
}

export interface ReportModel {
  meta: {
    generated_by: string;
    /** `run`'s run id (run-id.ts): which run wrote this report; absent from `custkit report`. */
    run_id?: string;
    lang: Lang;
    top: number;
    /** Sections that carry data, in report order. */
    sections: string[];
  };
  overview: Overview;
  /** Present only for a table of transactions without amounts: money-only sections left out (why: i18n no_amount). */
  no_amount?: { omitted: string[] };
  pareto: Pareto | null;
  pyramid: TierRow[] | null;
  rfm: Rfm;
  clusters: Clusters | null;
  sleeping: Sleeping | null;
  clv: Clv | null;
  /** Breakdowns by customer attribute (`--by`), present only when asked for: other reports stay unchanged. */
  breakdowns?: Breakdown[];
  /** Present only when the report was given the fit (`run`, `report --fit`); absent, other reports stay unchanged. */
  model_fit?: ModelFit;
  /** Present only after a backtest (`run --holdout`); absent, other reports stay unchanged. */
  model_comparison?: ModelComparisonReport;
  /** Beside every CLV / value-at-risk figure; null when the table is not scored. */
  value_basis: ValueBasis | null;
  data_quality: DataQuality | null;
  changes: Changes | null;
  /** First-purchase cohorts (`run`, `report --cohorts`); absent otherwise, other reports stay unchanged. */
  cohorts?: CohortReport;
  /** Key indicators of retention (`run` with enough data, `report --cohorts FILE --drivers`). */
  drivers?: DriversReport;
  /** Present only when personal data was masked or dropped (core/privacy/mask-report.ts). */
  privacy?: PrivacyNote;
}
