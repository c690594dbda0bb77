/** Stacked columns per calendar period: net revenue of new customers (their first period) below, of returning ones above. */
import type { CohortReport } from '../../core/cohort/cohort-table.js';
import { t, type Lang } from '../../core/report/i18n.js';
import { SHOWN_COHORTS } from '../cohort-sections.js';
import { escapeXml, legend, n2, PALETTE, shortNum, svgOpen, text, ticks } from './svg.js';

export function newReturningChart(c: CohortReport, lang: Lang): string {
  const periods = c.periods.slice(-SHOWN_COHORTS);
  const W = 640, L = 56, R = 10, T = 12, B = 70;
  const H = 300, ph = H - T - B, pw = W - L - R;
  // Net revenue can be negative (refunds): bars start at 0 and are clamped there.
  const top = Math.max(0, ...periods.map((p) => Math.max(0, p.new_revenue) + Math.max(0, p.returning_revenue)));
  const tk = ticks(top, 4);
  const ymax = tk[tk.length - 1]!;
  const Y = (v: number): number => T + ph - (Math.max(0, v) / ymax) * ph;
  const bw = pw / Math.max(1, periods.length);
  let s = svgOpen(W, H, t(lang, 'new_vs_returning'), 'new-returning');
  for (const v of tk) s += `<line class="grid" x1="${L}" x2="${W - R}" y1="${n2(Y(v))}" y2="${n2(Y(v))}"/>` + text(L - 6, Y(v) + 4, shortNum(v), 'class="tick" text-anchor="end"');
  periods.forEach((p, i) => {
    const x = L + i * bw + bw * 0.15, w = bw * 0.7;
    const nv = Math.max(0, p.new_revenue), rv = Math.max(0, p.returning_revenue);
    s += `<rect x="${n2(x)}" y="${n2(Y(nv))}" width="${n2(w)}" height="${n2(Y(0) - Y(nv))}" fill="${PALETTE[0]}"><title>${escapeXml(p.period)}: ${p.new_revenue}</title></rect>`;
    s += `<rect x="${n2(x)}" y="${n2(Y(nv + rv))}" width="${n2(w)}" height="${n2(Y(nv) - Y(nv + rv))}" fill="${PALETTE[1]}"><title>${escapeXml(p.period)}: ${p.returning_revenue}</title></rect>`;
    s += text(x + w / 2, T + ph + 12, p.period, `class="tick" text-anchor="end" transform="rotate(-45 ${n2(x + w / 2)} ${n2(T + ph + 12)})"`);
  });
  s += `<line class="axis" x1="${L}" x2="${W - R}" y1="${n2(Y(0))}" y2="${n2(Y(0))}"/>`;
  s += legend(L, H - 8, [
    { label: t(lang, 'new_revenue'), color: PALETTE[0]! },
    { label: t(lang, 'returning_revenue'), color: PALETTE[1]! },
  ]);
  return s + '</svg>';
}
