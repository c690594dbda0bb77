/**
 * One self-contained HTML report: inline CSS, inline SVG charts, no scripts, no external
 * fonts or URLs. Every piece of text from the data is escaped (customer ids may hold
 * `<script>`). Size is bounded for any table: charts use the model's ≤ 200 Lorenz points and
 * ≤ 2,000 scatter points, and tables hold at most `top` customers.
 * Print CSS keeps sections and charts on whole pages, in black on white.
 */
import type { ReportModel } from '../core/report/report-model.js';
import { t, basisShort, segment11Name, zh8Name, tierName, type Lang } from '../core/report/i18n.js';
import { reportSections, type ViewTable, type ViewSection } from './sections.js';
import { escapeXml as esc } from './charts/svg.js';
import { lorenzChart } from './charts/lorenz.js';
import { heatmapChart } from './charts/heatmap.js';
import { shareBarsChart } from './charts/bars.js';
import { clusterScatterChart } from './charts/scatter.js';
import { sleepFunnelChart } from './charts/funnel.js';
import { clvHistogramChart } from './charts/histogram.js';
import { retentionChart } from './charts/retention.js';
import { newReturningChart } from './charts/new-returning.js';
import { fmtInt, fmtMoney, fmtPct, fmtNum } from './format.js';

export interface HtmlOptions {
  lang?: Lang;
}

/** Escapes text for HTML content and attributes. */
export const escapeHtml = esc;

const CSS = `
:root{--ink:#1d2330;--muted:#5b6473;--line:#e3e6eb;--bg:#f6f7f9;--accent:#0072B2}
*{box-sizing:border-box}
body{margin:0;background:var(--bg);color:var(--ink);font:15px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,"Noto Sans","Noto Sans CJK SC","PingFang SC","Microsoft YaHei",sans-serif;overflow-wrap:break-word}
main{max-width:1080px;margin:0 auto;padding:32px 24px 64px}
header h1{margin:0 0 4px;font-size:28px;letter-spacing:-.01em}
header p{margin:0;color:var(--muted)}
.kpis{display:grid;grid-template-columns:repeat(auto-fill,minmax(min(180px,100%),1fr));gap:12px;margin:24px 0 8px}
.kpi{background:#fff;border:1px solid var(--line);border-radius:10px;padding:14px 16px}
.kpi .k{color:var(--muted);font-size:13px}
.kpi .v{font-size:22px;font-weight:650;font-variant-numeric:tabular-nums}
section{background:#fff;border:1px solid var(--line);border-radius:12px;padding:20px 24px;margin:20px 0}
section h2{margin:0 0 12px;font-size:20px}
section h3{margin:20px 0 8px;font-size:15px;color:var(--muted);font-weight:600}
.charts{display:grid;grid-template-columns:repeat(auto-fit,minmax(min(420px,100%),1fr));gap:16px;margin:8px 0 12px}
figure{margin:0;min-width:0}
.charts figure:only-child{max-width:760px}
figcaption{font-size:13px;color:var(--muted);margin-bottom:4px}
svg.chart{width:100%;height:auto;display:block}
svg .grid{stroke:#eceef1}
svg .axis{stroke:#8a93a1}
svg text{font-family:inherit;fill:#2b3240}
svg .tick{font-size:11px;fill:#5b6473}
svg .label{font-size:12px;fill:#2b3240}
svg .legend{font-size:12px}
svg .note{font-size:12px;font-weight:600;fill:#D55E00}
svg .val{font-size:12px;font-weight:600}
svg .valsub{font-size:11px;fill:#5b6473}
svg .cell{font-size:14px;font-weight:650}
svg .cellsub{font-size:11px}
.tw{overflow-x:auto}
table{border-collapse:collapse;width:100%;font-size:13.5px;font-variant-numeric:tabular-nums}
th,td{padding:6px 10px;border-bottom:1px solid var(--line);vertical-align:top}
th{text-align:left;font-weight:600;color:var(--muted);background:#fafbfc;font-size:12.5px;line-height:1.3}
td:first-child{white-space:nowrap}
td.r,th.r{text-align:right}
td.wide{min-width:240px}
td.id{font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;font-size:12.5px;word-break:break-all}
p.lead{font-size:16px;margin:0 0 12px}
footer{color:var(--muted);font-size:12px;text-align:center;margin-top:24px}
@media (max-width:600px){
  main{padding:16px 10px 40px}
  header h1{font-size:22px}
  section{padding:14px 12px;margin:14px 0}
  .kpis{grid-template-columns:repeat(2,minmax(0,1fr));gap:8px}
  .kpi{padding:10px 12px}
  .kpi .v{font-size:18px}
  td.wide{min-width:160px}
}
@media print{
  body{background:#fff;font-size:11pt}
  main{max-width:none;padding:0}
  section,.kpi{border:none;border-radius:0;padding:0;margin:0 0 14pt}
  section{break-inside:auto}
  h2,h3{break-after:avoid}
  figure,tr,.kpi{break-inside:avoid}
  .charts{grid-template-columns:1fr 1fr}
  th{background:none}
  .tw{overflow:visible}
}
`;

function htmlTable(tb: ViewTable, idColumns: Set<number>): string {
  const th = tb.columns.map((c) => `<th${c.align === 'right' ? ' class="r"' : ''}>${esc(c.label)}</th>`).join('');
  const rows = tb.rows
    .map(
      (r) =>
        '<tr>' +
        r.map((c, i) => `<td${tb.columns[i]!.align === 'right' ? ' class="r"' : idColumns.has(i) ? ' class="id"' : i === tb.wideColumn ? ' class="wide"' : ''}>${esc(c.text)}</td>`).join('') +
        '</tr>',
    )
    .join('');
  return `<div class="tw"><table><thead><tr>${th}</tr></thead><tbody>${rows}</tbody></table></div>`;
}

const ID_TABLES = new Set(['call_list', 'top_clv', 'newly_sleeping', 'high_value_at_risk', 'new_customers', 'lost_from_table']);

function figure(caption: string, svg: string): string {
  return `<figure><figcaption>${esc(caption)}</figcaption>${svg}</figure>`;
}

function charts(sec: ViewSection, m: ReportModel, lang: Lang): string {
  const figs: string[] = [];
  switch (sec.id) {
    case 'pareto':
      if (m.pareto) figs.push(figure(t(lang, 'lorenz'), lorenzChart(m.pareto, lang)));
      if (m.pyramid)
        figs.push(figure(t(lang, 'pyramid'), shareBarsChart(m.pyramid.map((r) => ({ label: tierName(lang, r.tier), ...r })), lang, t(lang, 'pyramid'))));
      break;
    case 'rfm': {
      const segs = m.rfm.segments11 ?? m.rfm.zh8?.segments ?? [];
      const name = m.rfm.segments11 ? segment11Name : zh8Name;
      // The bars compare customer and revenue shares: none without amounts (model.no_amount).
      if (!m.no_amount) figs.push(figure(t(lang, 'segment_bars'), shareBarsChart(segs.map((s) => ({ label: name(lang, s.key), ...s, revenue_share: s.revenue_share! })), lang, t(lang, 'segment_bars'))));
      if (m.rfm.heatmap) figs.push(figure(t(lang, 'heatmap'), heatmapChart(m.rfm.heatmap, lang)));
      break;
    }
    case 'clusters':
      if (m.clusters) figs.push(figure(t(lang, 'cluster_scatter'), clusterScatterChart(m.clusters, lang)));
      break;
    case 'sleeping':
      if (m.sleeping) figs.push(figure(t(lang, 'sleep_funnel'), sleepFunnelChart(m.sleeping, lang)));
      break;
    case 'clv':
      if (m.clv) figs.push(figure(t(lang, 'clv_hist'), clvHistogramChart(m.clv, lang)));
      break;
    case 'breakdowns':
      // One chart per breakdown: each value's share of customers and of revenue.
      for (const b of m.breakdowns ?? []) {
        const title = `${t(lang, 'breakdown_by')} ${b.attribute}`;
        const label = (r: (typeof b.rows)[number]): string => (r.kind === 'other' ? t(lang, 'breakdown_other') : r.value === '' ? t(lang, 'breakdown_empty') : r.value!);
        figs.push(figure(title, shareBarsChart(b.rows.map((r) => ({ ...r, label: label(r) })), lang, title)));
      }
      break;
    case 'cohorts':
      if (m.cohorts) {
        figs.push(figure(t(lang, 'retention_triangle'), retentionChart(m.cohorts, lang)));
        figs.push(figure(t(lang, 'new_vs_returning'), newReturningChart(m.cohorts, lang)));
      }
      break;
  }
  return figs.length ? `<div class="charts">${figs.join('')}</div>` : '';
}

/** Renders the report as one HTML document. */
export function renderHtml(model: ReportModel, opts: HtmlOptions = {}): string {
  const lang = opts.lang ?? model.meta.lang;
  const o = model.overview;
  const kpi = (k: string, v: string, note?: string): string => `<div class="kpi"><div class="k">${esc(k)}</div><div class="v">${esc(v)}</div>${note ? `<div class="k">${esc(note)}</div>` : ''}</div>`;
  // CLV and value at risk carry their basis (horizon, discount rate, margin) on the card itself.
  const basis = model.value_basis ? basisShort(lang, model.value_basis) : undefined;
  const kpis = [
    kpi(t(lang, 'customers'), fmtInt(o.customers)),
    ...(o.revenue === null ? [] : [kpi(t(lang, 'revenue'), fmtMoney(o.revenue))]),
    kpi(t(lang, 'orders'), fmtInt(o.orders)),
    ...(o.avg_order_value === null ? [] : [kpi(t(lang, 'aov'), fmtMoney(o.avg_order_value))]),
    kpi(t(lang, 'repeat_rate'), fmtPct(o.repeat_rate)),
    ...(model.pareto ? [kpi(t(lang, 'gini'), fmtNum(model.pareto.gini, 3))] : []),
  ];
  if (model.clv) kpis.push(kpi(t(lang, 'clv_total'), fmtMoney(model.clv.total), basis));
  if (model.sleeping?.value_at_risk != null) kpis.push(kpi(t(lang, 'value_at_risk'), fmtMoney(model.sleeping.value_at_risk), basis));
  const sections = reportSections(model, lang);
  // The overview is the header and KPI cards; its sentences (no amounts: what is left out, why) follow them.
  const lead = sections[0]!.paragraphs.map((p) => `<p class="lead">${esc(p)}</p>`).join('');
  const body = sections
    .filter((sec) => sec.id !== 'overview') // shown as the header and KPI cards
    .map((sec) => {
      let h = `<section id="${esc(sec.id)}"><h2>${esc(sec.title)}</h2>`;
      h += sec.paragraphs.map((p, i) => `<p${i === 0 && sec.id === 'pareto' ? ' class="lead"' : ''}>${esc(p)}</p>`).join('');
      h += charts(sec, model, lang);
      for (const tb of sec.tables) {
        if (tb.id === 'rf_heatmap' || tb.id === 'cohort_retention') continue; // drawn as the heatmap / retention triangle
        if (tb.title !== sec.title) h += `<h3>${esc(tb.title)}</h3>`;
        h += tb.rows.length ? htmlTable(tb, ID_TABLES.has(tb.id) ? new Set([0]) : new Set()) : `<p>${esc(t(lang, 'none'))}</p>`;
      }
      return h + '</section>';
    })
    .join('\n');
  const period = o.period_start ? `${o.period_start} … ${o.period_end}` : '–';
  return `<!DOCTYPE html>
<html lang="${lang === 'zh' ? 'zh-CN' : 'en'}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="generator" content="${esc(model.meta.generated_by)}">
${model.meta.run_id ? `<meta name="custkit-run-id" content="${esc(model.meta.run_id)}">\n` : ''}<title>${esc(t(lang, 'title'))} · ${esc(o.as_of ?? '')}</title>
<style>${CSS}</style>
</head>
<body><main>
<header><h1>${esc(t(lang, 'title'))}</h1><p>${esc(t(lang, 'period'))}: ${esc(period)} · ${esc(t(lang, 'as_of'))}: ${esc(o.as_of ?? '–')}</p></header>
<div class="kpis">${kpis.join('')}</div>
${lead}${body}
<footer>${esc(t(lang, 'generated_by'))}: ${esc(model.meta.generated_by)}</footer>
</main></body>
</html>
`;
}
