/**
 * The cohort and key-indicator sections of the report layout (sections.ts): retention and
 * cumulative revenue per customer by cohort and offset, time to second purchase, revenue of
 * new and returning customers per period, and the ranked key indicators with their groups.
 * Long histories are cut to the latest cohorts and the first offsets (stated in the text);
 * the JSON report keeps everything.
 */
import type { CohortReport } from '../core/cohort/cohort-table.js';
import { ATTR_PREFIX, type DriverIndicator, type DriversReport } from '../core/drivers/key-indicators.js';
import { fill, t, type Lang, type TextKey } from '../core/report/i18n.js';
import { fmtInt, fmtMoney, fmtNum, fmtPct } from './format.js';
import { L, R, int, money, num, pct, txt } from './view-cells.js';
import type { Cell, Column, ViewSection, ViewTable } from './sections.js';

/** Cohorts (rows) and offsets (columns) shown in the tables and the triangle. */
export const SHOWN_COHORTS = 24;
export const SHOWN_OFFSETS = 12;


/** The cohorts and offsets the tables and the chart show. */
export function shownCohorts(c: CohortReport): { rows: CohortReport['cohorts']; offsets: number } {
  const rows = c.cohorts.slice(-SHOWN_COHORTS);
  const longest = rows.reduce((m, r) => Math.max(m, r.offsets.length - 1), 0);
  return { rows, offsets: Math.min(SHOWN_OFFSETS, longest) };
}

function offsetTable(id: string, title: string, lang: Lang, c: CohortReport, value: (o: CohortReport['cohorts'][number]['offsets'][number]) => Cell): ViewTable {
  const { rows, offsets } = shownCohorts(c);
  const ks = Array.from({ length: offsets + 1 }, (_, k) => k);
  return {
    id,
    title,
    columns: [L(t(lang, 'cohort')), R(t(lang, 'customers')), ...ks.map((k) => R(`+${k}`))],
    rows: rows.map((r) => [txt(r.cohort), int(r.customers), ...ks.map((k) => (r.offsets[k] ? value(r.offsets[k]!) : txt(null)))]),
    seriesFrom: 3,
  };
}

export function cohortSection(c: CohortReport, lang: Lang): ViewSection {
  if (!c.cohorts.length) return { id: 'cohorts', title: t(lang, 'cohorts'), paragraphs: [t(lang, 'cohorts_empty')], tables: [] };
  const { rows, offsets } = shownCohorts(c);
  const grain = t(lang, `grain_${c.grain}` as TextKey);
  const periods = c.periods.slice(-SHOWN_COHORTS);
  return {
    id: 'cohorts',
    title: t(lang, 'cohorts'),
    paragraphs: [fill(t(lang, 'cohorts_note'), { grain, rows: rows.length, cols: offsets })],
    tables: [
      offsetTable('cohort_retention', t(lang, 'cohort_retention'), lang, c, (o) => pct(o.retention)),
      offsetTable('cohort_revenue', t(lang, 'cohort_revenue'), lang, c, (o) => money(o.cumulative_revenue_per_customer)),
      {
        id: 'cohort_second',
        title: t(lang, 'cohort_second'),
        columns: [L(t(lang, 'cohort')), R(t(lang, 'customers')), R(t(lang, 'second_purchase_share')), R(t(lang, 'median_days_to_second'))],
        rows: rows.map((r) => [txt(r.cohort), int(r.customers), pct(r.second_purchase_share), num(r.median_days_to_second, 1)]),
      },
      {
        id: 'new_vs_returning',
        title: t(lang, 'new_vs_returning'),
        columns: [L(t(lang, 'period_col')), R(t(lang, 'new_customers_n')), R(t(lang, 'new_revenue')), R(t(lang, 'returning_customers_n')), R(t(lang, 'returning_revenue'))],
        rows: periods.map((p) => [txt(p.period), int(p.new_customers), money(p.new_revenue), int(p.returning_customers), money(p.returning_revenue)]),
      },
    ],
  };
}

const WEEKDAY: Record<Lang, Record<string, string>> = {
  en: { mon: 'Mon', tue: 'Tue', wed: 'Wed', thu: 'Thu', fri: 'Fri', sat: 'Sat', sun: 'Sun' },
  zh: { mon: '周一', tue: '周二', wed: '周三', thu: '周四', fri: '周五', sat: '周六', sun: '周日' },
};

/** Display text of an indicator's name and of one of its values. */
export function indicatorName(lang: Lang, ind: string): string {
  if (ind.startsWith(ATTR_PREFIX)) return fill(t(lang, 'ind_attr'), { name: ind.slice(ATTR_PREFIX.length) });
  return t(lang, `ind_${ind}` as TextKey) ?? ind;
}
export function indicatorValue(lang: Lang, ind: string, v: string): string {
  if (ind.startsWith(ATTR_PREFIX)) return v === '' ? t(lang, 'group_empty') : v === 'other' ? t(lang, 'group_other') : v;
  if (ind === 'first_weekday') return WEEKDAY[lang][v] ?? v;
  if (ind === 'days_to_second' && v === 'none') return lang === 'zh' ? '无二次购买' : 'no second purchase';
  if (ind === 'first_quantity' && v === 'unknown') return lang === 'zh' ? '未知' : 'unknown';
  return v;
}

function groupTable(d: DriverIndicator, lang: Lang): ViewTable {
  return {
    id: `drivers_${d.indicator.replace(/[^A-Za-z0-9_-]/g, '_')}`,
    title: indicatorName(lang, d.indicator),
    columns: [L(t(lang, 'group_value')), R(t(lang, 'customers')), R(t(lang, 'outcome_rate')), R(t(lang, 'ci95')), R(t(lang, 'lift'))],
    rows: d.groups.map((g) => [txt(indicatorValue(lang, d.indicator, g.value)), int(g.customers), pct(g.rate), txt(`${fmtPct(g.ci_low)} – ${fmtPct(g.ci_high)}`), num(g.lift, 2)]),
  };
}

export function driversSection(d: DriversReport, lang: Lang): ViewSection {
  const vars = { days: d.outcome_days, n: fmtInt(d.eligible_customers), base: fmtPct(d.base_rate), min: d.min_group };
  const ranked = d.indicators.filter((x) => x.cramers_v !== null);
  if (!ranked.length) return { id: 'drivers', title: t(lang, 'drivers'), paragraphs: [fill(t(lang, 'drivers_none'), vars)], tables: [] };
  return {
    id: 'drivers',
    title: t(lang, 'drivers'),
    paragraphs: [fill(t(lang, d.outcome === 'alive' ? 'drivers_note_alive' : 'drivers_note'), vars)],
    tables: [
      {
        id: 'drivers',
        title: t(lang, 'drivers'),
        columns: [L(t(lang, 'indicator')), R(t(lang, 'strength')), L(t(lang, 'best_value')), L(t(lang, 'worst_value'))],
        rows: ranked.map((x) => [txt(indicatorName(lang, x.indicator)), num(x.cramers_v, 3), txt(indicatorValue(lang, x.indicator, x.best!)), txt(indicatorValue(lang, x.indicator, x.worst!))]),
      },
      ...ranked.map((x) => groupTable(x, lang)),
    ],
  };
}
