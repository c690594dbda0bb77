/**
 * Cluster scatter: log10(1 + revenue) against log10(orders), one colour per cluster, from the
 * model's deterministic sample (≤ 2,000 points, so the HTML stays small for any table size).
 */
import type { Clusters } from '../../core/report/report-model.js';
import { t, clusterLabelText, type Lang } from '../../core/report/i18n.js';
import { n2, svgOpen, text, legend, legendRows, LEGEND_ROW, PALETTE, shortNum } from './svg.js';
import { fmtInt } from '../format.js';

export function clusterScatterChart(c: Clusters, lang: Lang): string {
  const ids = c.profiles.map((p) => p.cluster);
  const color = (k: number): string => PALETTE[Math.max(0, ids.indexOf(k)) % PALETTE.length]!;
  const items = c.profiles.map((p) => ({ label: `${p.cluster}${p.label ? ' · ' + clusterLabelText(lang, p.label) : ''}`, color: color(p.cluster) }));
  // Long cluster labels wrap to more legend rows below the plot; the chart grows to hold them.
  const W = 720, L = 70, R = 20, T = 20, B = 80;
  const H = 420 + LEGEND_ROW * (Math.max(1, legendRows(items, W - L - R)) - 1);
  const pw = W - L - R, ph = 420 - T - B;
  const lx = (rev: number): number => Math.log10(1 + Math.max(0, rev));
  const ly = (o: number): number => Math.log10(Math.max(1, o));
  const maxX = Math.max(1, Math.ceil(Math.max(0, ...c.sample.map((p) => lx(p[0])))));
  const maxY = Math.max(1, Math.ceil(Math.max(0, ...c.sample.map((p) => ly(p[1])))));
  const X = (v: number): number => L + (v / maxX) * pw;
  const Y = (v: number): number => T + (1 - v / maxY) * ph;
  let s = svgOpen(W, H, t(lang, 'cluster_scatter'), 'scatter');
  for (let e = 0; e <= maxX; e++) {
    s += `<line class="grid" x1="${n2(X(e))}" x2="${n2(X(e))}" y1="${T}" y2="${T + ph}"/>`;
    s += text(X(e), T + ph + 16, shortNum(Math.pow(10, e) - (e === 0 ? 1 : 0)), 'class="tick" text-anchor="middle"');
  }
  // Orders ticks at 1, 2, 5, 10, 20, 50 …
  for (let e = 0; e <= maxY; e++) {
    for (const m of [1, 2, 5]) {
      const v = m * Math.pow(10, e);
      if (ly(v) > maxY + 1e-9) continue;
      s += `<line class="grid" x1="${L}" x2="${L + pw}" y1="${n2(Y(ly(v)))}" y2="${n2(Y(ly(v)))}"/>`;
      s += text(L - 6, Y(ly(v)) + 4, shortNum(v), 'class="tick" text-anchor="end"');
    }
  }
  s += `<line class="axis" x1="${L}" y1="${T + ph}" x2="${L + pw}" y2="${T + ph}"/><line class="axis" x1="${L}" y1="${T}" x2="${L}" y2="${T + ph}"/>`;
  s += '<g fill-opacity="0.6">';
  for (const [rev, o, k] of c.sample) s += `<circle cx="${n2(X(lx(rev)))}" cy="${n2(Y(ly(o)))}" r="3.5" fill="${color(k)}"/>`;
  s += '</g>';
  s += text(L + pw / 2, T + ph + 38, `${t(lang, 'log_revenue')} — ${fmtInt(c.sample.length)} ${t(lang, 'sampled')}`, 'class="label" text-anchor="middle"');
  s += text(16, T + ph / 2, t(lang, 'log_orders'), `class="label" text-anchor="middle" transform="rotate(-90 16 ${n2(T + ph / 2)})"`);
  s += legend(L, 420 - 10, items, pw);
  return s + '</svg>';
}
