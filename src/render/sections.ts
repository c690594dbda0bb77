/**
 * The report as titled tables and sentences, in one language: the layout shared by the
 * table, markdown, CSV and HTML renderers (each only decides how to draw it).
 * Every cell keeps its raw value next to its display text, so CSV can write numbers as numbers.
 */
import type { ReportModel, SegmentRow, PersonRow, ModelComparisonReport } from '../core/report/report-model.js';
import type { BreakdownRow } from '../core/report/breakdown.js';
import { segment11FromName, zh8FromName } from '../core/report/segment-keys.js';
import { t, basisText, fitWarning, segment11Name, zh8Name, tierName, sleepName, churnName, clusterLabelText, sleepReasonText, reasonName, type Lang, type TextKey } from '../core/report/i18n.js';
import { fmtInt, fmtMoney, fmtPct, fmtNum } from './format.js';
import { L, R, int, money, num, pct, txt } from './view-cells.js';
import { cohortSection, driversSection } from './cohort-sections.js';

export interface Cell {
  text: string;
  /** Raw value: a number for numeric cells, a string for text, null for empty. */
  value: number | string | null;
}

export interface Column {
  label: string;
  align: 'left' | 'right';
}

export interface ViewTable {
  /** Stable id (used for CSV file names / the `table` column): e.g. "rfm_segments11". */
  id: string;
  title: string;
  columns: Column[];
  rows: Cell[][];
  /** Optional long text column that narrow renderers may shorten first. */
  wideColumn?: number;
  /** Columns from this one on are a series (e.g. cohort offsets) that a narrow renderer may cut from the right. */
  seriesFrom?: number;
}

export interface ViewSection {
  id: string;
  title: string;
  paragraphs: string[];
  tables: ViewTable[];
}



/** `run --holdout`: per model the holdout error, and the churn-flag rules with their rates. */
function modelComparisonSection(c: ModelComparisonReport, lang: Lang): ViewSection {
  const yes = (b: boolean): Cell => txt(b ? '✓' : '✗');
  const f1 = (x: number | null): Cell => num(x, 3);
  return {
    id: 'model_comparison',
    title: t(lang, 'model_comparison'),
    paragraphs: [
      t(lang, 'backtest_period').replace('{cal}', c.calibration_end).replace('{asof}', c.as_of).replace('{n}', fmtInt(c.customers)).replace('{actual}', fmtInt(c.actual_purchases)),
      c.why,
      `${t(lang, "churn_rule")}: ${c.churn_flag_rule} (${c.churn_flag_why})`,
    ],
    tables: [
      {
        id: 'model_comparison',
        title: t(lang, 'model_comparison'),
        columns: [L(t(lang, 'model')), L(t(lang, 'converged')), R(t(lang, 'predicted_purchases')), R(t(lang, 'mae')), R(t(lang, 'rmse')), R(t(lang, 'best_threshold')), R(t(lang, 'f1'))],
        rows: c.models.map((r) => [txt(r.model), yes(r.converged), num(r.predicted_purchases, 1), num(r.mae, 4), num(r.rmse, 4), num(r.best_threshold, 2), f1(r.best_f1)]),
      },
      {
        id: 'churn_rules',
        title: t(lang, 'churn_rule'),
        columns: [L(t(lang, 'churn_rule')), R(t(lang, 'flagged')), R(t(lang, 'error_rate')), R(t(lang, 'miss_rate')), R(t(lang, 'f1'))],
        rows: c.rules.map((r) => [txt(r.rule), int(r.flagged), pct(r.error_rate), pct(r.miss_rate), f1(r.f1)]),
        wideColumn: 0,
      },
    ],
  };
}

function kv(id: string, title: string, lang: Lang, rows: [TextKey, Cell][]): ViewTable {
  return { id, title, columns: [L(t(lang, 'metric')), R(t(lang, 'value'))], rows: rows.map(([k, c]) => [txt(t(lang, k)), c]) };
}

function segmentTable(id: string, title: string, lang: Lang, rows: SegmentRow[], name: (l: Lang, k: string) => string): ViewTable {
  return {
    id,
    title,
    columns: [
      L(t(lang, 'segment')),
      R(t(lang, 'customers')),
      R(t(lang, 'customer_share')),
      R(t(lang, 'revenue')),
      R(t(lang, 'revenue_share')),
      R(t(lang, 'mean_days_since_last')),
      R(t(lang, 'mean_orders')),
      R(t(lang, 'mean_revenue')),
      L(t(lang, 'action')),
    ],
    rows: rows.map((s) => [
      txt(name(lang, s.key)),
      int(s.customers),
      pct(s.customer_share),
      money(s.revenue),
      pct(s.revenue_share),
      num(s.mean_days_since_last, 0),
      num(s.mean_orders, 1),
      money(s.mean_revenue),
      txt(s.action ? s.action[lang] : null),
    ]),
    wideColumn: 8,
  };
}

function peopleTable(id: string, title: string, lang: Lang, rows: PersonRow[], segName: (k: string | null) => string): ViewTable {
  return {
    id,
    title,
    columns: [L(t(lang, 'customer_id')), L(t(lang, 'previous')), L(t(lang, 'segment')), L(t(lang, 'state')), R(t(lang, 'revenue')), R(t(lang, 'value_at_risk'))],
    rows: rows.map((p) => [
      txt(p.customer_id),
      txt(segName(p.previous_segment)),
      txt(segName(p.segment)),
      txt(p.state === null ? null : sleepName(lang, p.state)),
      money(p.revenue),
      money(p.value_at_risk),
    ]),
  };
}

/** Lays the model out as sections (only those with data), in report order. */
export function reportSections(m: ReportModel, lang: Lang = m.meta.lang): ViewSection[] {
  const out: ViewSection[] = [];
  const o = m.overview;
  out.push({
    id: 'overview',
    title: t(lang, 'overview'),
    paragraphs: [],
    tables: [
      kv('overview', t(lang, 'overview'), lang, [
        ['period', txt(o.period_start === null ? null : `${o.period_start} … ${o.period_end}`, '–')],
        ['as_of', txt(o.as_of, '–')],
        ['customers', int(o.customers)],
        ['orders', int(o.orders)],
        ['revenue', money(o.revenue)],
        ['aov', money(o.avg_order_value)],
        ['repeat_customers', int(o.repeat_customers)],
        ['repeat_rate', pct(o.repeat_rate)],
      ]),
    ],
  });

  // Transactions without amounts: the overview says which money-only sections are left out, and why.
  if (m.no_amount) {
    const omitted = m.no_amount.omitted.map((s) => t(lang, s as TextKey));
    out[0]!.paragraphs.push(lang === 'zh' ? `${t(lang, 'no_amount')}${omitted.join('、')}。` : `${t(lang, 'no_amount')} ${omitted.join(', ')}.`);
  }
  const p = m.pareto;
  if (p) {
  const pareto: ViewSection = {
    id: 'pareto',
    title: t(lang, 'pareto'),
    paragraphs: [
      lang === 'zh'
        ? `${t(lang, 'top20')} ${fmtPct(p.top20.share)}${t(lang, 'top20_of_revenue')}（${fmtInt(p.top20.customers)} 位客户，${fmtMoney(p.top20.revenue)}）。${t(lang, 'gini')}：${fmtNum(p.gini, 3)}。`
        : `${t(lang, 'top20')} ${fmtPct(p.top20.share)} ${t(lang, 'top20_of_revenue')} (${fmtInt(p.top20.customers)} customers, ${fmtMoney(p.top20.revenue)}). ${t(lang, 'gini')}: ${fmtNum(p.gini, 3)}.`,
    ],
    tables: [],
  };
  if (p.abc) {
    pareto.tables.push({
      id: 'abc_classes',
      title: t(lang, 'abc_class'),
      columns: [L(t(lang, 'abc_class')), R(t(lang, 'customers')), R(t(lang, 'customer_share')), R(t(lang, 'revenue')), R(t(lang, 'revenue_share'))],
      rows: p.abc.map((c) => [txt(c.class), int(c.customers), pct(c.customer_share), money(c.revenue), pct(c.revenue_share)]),
    });
  }
  out.push(pareto);
  }

  if (m.pyramid) {
    out.push({
      id: 'pyramid',
      title: t(lang, 'pyramid'),
      paragraphs: [],
      tables: [
        {
          id: 'pyramid',
          title: t(lang, 'pyramid'),
          columns: [L(t(lang, 'tier')), R(t(lang, 'customers')), R(t(lang, 'customer_share')), R(t(lang, 'revenue')), R(t(lang, 'revenue_share')), R(t(lang, 'avg_revenue'))],
          rows: m.pyramid.map((r) => [txt(tierName(lang, r.tier)), int(r.customers), pct(r.customer_share), money(r.revenue), pct(r.revenue_share), money(r.avg_revenue)]),
        },
      ],
    });
  }

  const rfm: ViewSection = { id: 'rfm', title: t(lang, 'rfm'), paragraphs: [], tables: [] };
  if (m.rfm.segments11) rfm.tables.push(segmentTable('rfm_segments11', t(lang, 'rfm11'), lang, m.rfm.segments11, segment11Name));
  if (m.rfm.zh8) rfm.tables.push(segmentTable('rfm_zh8', t(lang, 'zh8'), lang, m.rfm.zh8.segments, zh8Name));
  if (m.rfm.zh8?.means) {
    const mm = m.rfm.zh8.means;
    rfm.paragraphs.push(
      `${t(lang, 'zh8_note')} (R ${fmtNum(mm.days_since_last, 1)}, F ${fmtNum(mm.orders, 2)}, M ${fmtMoney(mm.revenue)})`,
    );
  }
  if (m.rfm.heatmap) {
    const h = m.rfm.heatmap;
    rfm.tables.push({
      id: 'rf_heatmap',
      title: `${t(lang, 'heatmap')} — ${t(lang, 'heatmap_note')}`,
      columns: [L(`${t(lang, 'r_score')} \\ ${t(lang, 'f_score')}`), ...[1, 2, 3, 4, 5].map((f) => R(`F${f}`))],
      rows: [5, 4, 3, 2, 1].map((r) => [
        txt(`R${r}`),
        ...[0, 1, 2, 3, 4].map((f) => {
          const c = h.counts[r - 1]![f]!;
          const mr = h.mean_revenue[r - 1]![f]!;
          return { text: c === 0 || mr === null ? fmtInt(c) : `${fmtInt(c)} (${fmtInt(mr)})`, value: c };
        }),
      ]),
    });
  }
  out.push(rfm);

  if (m.clusters) {
    const c = m.clusters;
    out.push({
      id: 'clusters',
      title: t(lang, 'clusters'),
      paragraphs: [`${t(lang, 'silhouette')}: ${c.silhouette === null ? t(lang, 'na') : fmtNum(c.silhouette, 3)}`],
      tables: [
        {
          id: 'clusters',
          title: t(lang, 'clusters'),
          columns: [R(t(lang, 'cluster')), L(t(lang, 'label')), R(t(lang, 'customers')), R(t(lang, 'customer_share')), R(t(lang, 'revenue_share')), R(t(lang, 'mean_days_since_last')), R(t(lang, 'mean_orders')), R(t(lang, 'mean_revenue'))],
          rows: c.profiles.map((r) => [int(r.cluster), txt(r.label === null ? null : clusterLabelText(lang, r.label)), int(r.customers), pct(r.customer_share), pct(r.revenue_share), num(r.mean_days_since_last, 0), num(r.mean_orders, 1), money(r.mean_revenue)]),
        },
      ],
    });
  }

  if (m.sleeping) {
    const s = m.sleeping;
    out.push({
      id: 'sleeping',
      title: t(lang, 'sleeping'),
      paragraphs: s.value_at_risk !== null && m.value_basis ? [basisText(lang, m.value_basis)] : [t(lang, 'call_list_by_revenue')],
      tables: [
        {
          id: 'sleep_states',
          title: t(lang, 'sleeping'),
          columns: [L(t(lang, 'state')), R(t(lang, 'customers')), R(t(lang, 'customer_share')), R(t(lang, 'revenue')), R(t(lang, 'value_at_risk'))],
          rows: [
            ...s.states.map((r) => [txt(sleepName(lang, r.state)), int(r.customers), pct(r.customer_share), money(r.revenue), money(r.value_at_risk)]),
          ],
        },
        {
          id: 'call_list',
          title: t(lang, 'call_list'),
          columns: [L(t(lang, 'customer_id')), L(t(lang, 'state')), R(t(lang, 'days_since_last')), R(t(lang, 'revenue')), R(t(lang, 'value_at_risk')), L(t(lang, 'reason'))],
          rows: s.call_list.map((r) => [txt(r.customer_id), txt(sleepName(lang, r.state)), int(r.days_since_last), money(r.revenue), money(r.value_at_risk), txt(r.reason === null ? null : sleepReasonText(lang, r.reason))]),
          wideColumn: 5,
        },
      ],
    });
  }

  if (m.clv) {
    const c = m.clv;
    const sec: ViewSection = {
      id: 'clv',
      title: t(lang, 'clv'),
      paragraphs: [
        ...(m.value_basis ? [basisText(lang, m.value_basis)] : []),
        ...(m.model_fit && !m.model_fit.reliable ? [fitWarning(lang, m.model_fit.reasons)] : []),
      ],
      tables: [
        kv('clv_summary', t(lang, 'clv'), lang, [
          ['clv_total', money(c.total)],
          ['clv_mean', money(c.mean)],
          ['mean_p_alive', num(c.mean_p_alive, 3)],
          ['expected_orders', num(c.expected_orders, 1)],
        ]),
      ],
    };
    if (c.churn) {
      sec.tables.push({
        id: 'churn_risk',
        title: t(lang, 'churn_risk'),
        columns: [L(t(lang, 'churn_risk')), R(t(lang, 'customers')), R(t(lang, 'clv_axis')), R(t(lang, 'revenue'))],
        rows: c.churn.map((b) => [txt(churnName(lang, b.band)), int(b.customers), money(b.clv), money(b.revenue)]),
      });
    }
    sec.tables.push({
      id: 'top_clv',
      title: t(lang, 'top_clv'),
      columns: [L(t(lang, 'customer_id')), R(t(lang, 'clv_axis')), R(t(lang, 'p_alive')), R(t(lang, 'expected_orders')), R(t(lang, 'revenue')), L(t(lang, 'churn_risk'))],
      rows: c.top.map((r) => [txt(r.customer_id), money(r.clv), num(r.p_alive, 3), num(r.expected_orders, 2), money(r.revenue), txt(r.churn_risk === null ? null : churnName(lang, r.churn_risk))]),
    });
    out.push(sec);
  }

  if (m.breakdowns) out.push(breakdownSection(m, lang));
  if (m.model_comparison) out.push(modelComparisonSection(m.model_comparison, lang));
  if (m.cohorts) out.push(cohortSection(m.cohorts, lang));
  if (m.drivers) out.push(driversSection(m.drivers, lang));

  if (m.data_quality) {
    const q = m.data_quality;
    const opt = (x: number | null): Cell => (x === null ? txt(null, '–') : int(x));
    const sec: ViewSection = {
      id: 'data_quality',
      title: t(lang, 'data_quality'),
      paragraphs: [],
      tables: [
        kv('data_quality', t(lang, 'data_quality'), lang, [
          ['rows_read', opt(q.rows_read)],
          ['rows_rejected', opt(q.rows_rejected)],
          ['rows_in', opt(q.rows_in)],
          ['rows_removed', opt(q.rows_removed)],
          ['folded', opt(q.folded)],
          ['rows_out', opt(q.rows_out)],
          ['orders', opt(q.orders)],
          ['customers', opt(q.customers)],
        ]),
      ],
    };
    if (q.reconciles === false) sec.paragraphs.push(t(lang, 'audit_not_reconciled'));
    const reasons = [
      ...q.rejected.map((r) => [txt(t(lang, 'rejected_by')), txt(reasonName(lang, r.reason)), int(r.rows)]),
      ...q.removed.map((r) => [txt(t(lang, 'removed_by')), txt(reasonName(lang, r.reason)), int(r.rows)]),
    ];
    if (reasons.length) {
      sec.tables.push({ id: 'data_quality_reasons', title: t(lang, 'reason'), columns: [L(t(lang, 'kind')), L(t(lang, 'reason')), R(t(lang, 'rows'))], rows: reasons });
    }
    out.push(sec);
  }

  if (m.changes) {
    const c = m.changes;
    const segName = (k: string | null): string => (k === null ? '' : k === '-' ? '–' : c.map === 'zh8' ? zh8Name(lang, k) : segment11Name(lang, k));
    // What changed since the last run is what a returning reader looks for first: right after the overview.
    out.splice(1, 0, {
      id: 'changes',
      title: t(lang, 'changes'),
      paragraphs: [],
      tables: [
        kv('changes_summary', t(lang, 'changes'), lang, [
          ['new_customers', int(c.new_customers.customers)],
          ['lost_from_table', int(c.lost_from_table.customers)],
          ['newly_sleeping', int(c.newly_sleeping.customers)],
          ['high_value_at_risk', int(c.high_value_at_risk.customers)],
        ]),
        {
          id: 'segment_migration',
          title: t(lang, 'migration'),
          columns: [L(`${t(lang, 'previous')} \\ →`), ...c.migration.to.map((k) => R(segName(k)))],
          rows: c.migration.from.map((f, i) => [txt(segName(f)), ...c.migration.counts[i]!.map((n) => int(n))]),
        },
        peopleTable('newly_sleeping', t(lang, 'newly_sleeping'), lang, c.newly_sleeping.top, segName),
        peopleTable('high_value_at_risk', t(lang, 'high_value_at_risk'), lang, c.high_value_at_risk.top, segName),
        peopleTable('new_customers', t(lang, 'new_customers'), lang, c.new_customers.top, segName),
        peopleTable('lost_from_table', t(lang, 'lost_from_table'), lang, c.lost_from_table.top, segName),
      ],
    });
  }
  if (m.privacy) {
    const pv = m.privacy;
    const paragraphs: string[] = [];
    if (pv.masked.length) paragraphs.push(`${t(lang, 'pii_masked')} ${pv.masked.join(', ')}`);
    if (pv.dropped.length) paragraphs.push(`${t(lang, 'pii_dropped')} ${pv.dropped.join(', ')}`);
    paragraphs.push(t(lang, 'pii_hint'));
    out.push({ id: 'privacy', title: t(lang, 'privacy'), paragraphs, tables: [] });
  }
  return out;
}

/** "A 40% · B 35% · C 25%" of a mix of customers (names translated by `name`), largest first, at most `max` parts. */
function mixText(mix: Record<string, number>, total: number, name: (k: string) => string, max = 4): string {
  const parts = Object.entries(mix).sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1));
  const shown = parts.slice(0, max).map(([k, n]) => `${name(k)} ${fmtPct(total > 0 ? n / total : 0)}`);
  return shown.join(' · ') + (parts.length > max ? ' …' : '');
}

/** One table per breakdown (`--by`). */
function breakdownSection(m: ReportModel, lang: Lang): ViewSection {
  const tables: ViewTable[] = m.breakdowns!.map((b) => {
    const scored = b.rows.some((r) => r.clv !== null);
    const sleep = b.rows.some((r) => r.sleeping_share !== null);
    const label = (r: BreakdownRow): string =>
      r.kind === 'other' ? `${t(lang, 'breakdown_other')} (${fmtInt(r.values)})` : r.value === '' ? t(lang, 'breakdown_empty') : r.value!;
    return {
      id: `breakdown_${b.attribute}`,
      title: `${t(lang, 'breakdown_by')} ${b.attribute}`,
      columns: [
        L(b.attribute), R(t(lang, 'customers')), R(t(lang, 'revenue')), R(t(lang, 'revenue_share')),
        L(t(lang, 'abc_mix')), L(t(lang, 'tier_mix')), L(t(lang, 'segment_mix')),
        ...(sleep ? [R(t(lang, 'sleeping_share'))] : []), ...(scored ? [R(t(lang, 'clv_axis'))] : []),
      ],
      rows: b.rows.map((r) => [
        { text: label(r), value: r.kind === 'other' ? label(r) : r.value },
        int(r.customers), money(r.revenue), pct(r.revenue_share),
        txt(mixText(r.abc, r.customers, (k) => k)),
        txt(mixText(r.tiers, r.customers, (k) => tierName(lang, k))),
        txt(mixText(r.segments, r.customers, (k) => segmentName(lang, k), 3)),
        ...(sleep ? [pct(r.sleeping_share)] : []), ...(scored ? [money(r.clv)] : []),
      ]),
      wideColumn: 6,
    };
  });
  return { id: 'breakdowns', title: t(lang, 'breakdowns'), paragraphs: [t(lang, 'breakdown_note')], tables };
}

/** A segment name from the table (11-map or zh8 names) as shown in `lang`. */
function segmentName(lang: Lang, name: string): string {
  const k11 = segment11FromName(name);
  if (k11) return segment11Name(lang, k11);
  const z = zh8FromName(name);
  return z ? zh8Name(lang, z) : name;
}
