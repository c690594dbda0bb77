/** CLV histogram: customers per equal-width CLV bin (the last bin open-ended when `open_last`). */
import type { Clv } from '../../core/report/report-model.js';
import { t, type Lang } from '../../core/report/i18n.js';
import { n2, svgOpen, text, ticks, shortNum, PALETTE } from './svg.js';

export function clvHistogramChart(c: Clv, lang: Lang): string {
  const W = 720, H = 340, L = 60, R = 20, T = 20, B = 60;
  const pw = W - L - R, ph = H - T - B;
  const tk = ticks(Math.max(1, ...c.histogram.map((b) => b.customers)), 4);
  const maxY = tk[tk.length - 1]!;
  const bw = pw / c.histogram.length;
  const Y = (v: number): number => T + (1 - v / maxY) * ph;
  let s = svgOpen(W, H, t(lang, 'clv_hist'), 'histogram');
  for (const v of tk) {
    s += `<line class="grid" x1="${L}" x2="${L + pw}" y1="${n2(Y(v))}" y2="${n2(Y(v))}"/>`;
    s += text(L - 6, Y(v) + 4, shortNum(v), 'class="tick" text-anchor="end"');
  }
  c.histogram.forEach((b, i) => {
    const x = L + i * bw;
    s += `<rect x="${n2(x + 1)}" y="${n2(Y(b.customers))}" width="${n2(bw - 2)}" height="${n2(Y(0) - Y(b.customers))}" fill="${PALETTE[2]}"><title>${shortNum(b.from)}–${shortNum(b.to)}: ${b.customers}</title></rect>`;
    if (i % Math.ceil(c.histogram.length / 10) === 0) s += text(x, T + ph + 16, shortNum(b.from), 'class="tick" text-anchor="middle"');
  });
  const last = c.histogram[c.histogram.length - 1];
  if (last) s += text(L + pw, T + ph + 16, c.open_last ? `${shortNum(last.to)}+` : shortNum(last.to), 'class="tick" text-anchor="middle"');
  s += `<line class="axis" x1="${L}" y1="${T + ph}" x2="${L + pw}" y2="${T + ph}"/>`;
  s += text(L + pw / 2, H - 14, t(lang, 'clv_axis'), 'class="label" text-anchor="middle"');
  s += text(16, T + ph / 2, t(lang, 'count'), `class="label" text-anchor="middle" transform="rotate(-90 16 ${n2(T + ph / 2)})"`);
  return s + '</svg>';
}
