/** Lorenz curve (Pareto chart) with the equality line and the top-20 % point marked. */
import type { Pareto } from '../../core/report/report-model.js';
import { t, type Lang } from '../../core/report/i18n.js';
import { n2, svgOpen, text, legend, PALETTE } from './svg.js';
import { fmtPct } from '../format.js';

export function lorenzChart(p: Pareto, lang: Lang): string {
  const W = 460, H = 360, L = 60, R = 20, T = 20, B = 60;
  const pw = W - L - R, ph = H - T - B;
  const X = (x: number): number => L + x * pw;
  const Y = (y: number): number => T + (1 - y) * ph;
  let s = svgOpen(W, H, t(lang, 'lorenz'), 'lorenz');
  for (const v of [0, 0.2, 0.4, 0.6, 0.8, 1]) {
    s += `<line class="grid" x1="${n2(X(0))}" x2="${n2(X(1))}" y1="${n2(Y(v))}" y2="${n2(Y(v))}"/>`;
    s += text(X(0) - 6, Y(v) + 4, fmtPct(v).replace('.0', ''), 'class="tick" text-anchor="end"');
    s += text(X(v), Y(0) + 16, fmtPct(v).replace('.0', ''), 'class="tick" text-anchor="middle"');
  }
  s += `<line class="axis" x1="${X(0)}" y1="${Y(0)}" x2="${X(1)}" y2="${Y(0)}"/><line class="axis" x1="${X(0)}" y1="${Y(0)}" x2="${X(0)}" y2="${Y(1)}"/>`;
  s += `<line x1="${X(0)}" y1="${Y(0)}" x2="${X(1)}" y2="${Y(1)}" stroke="#999" stroke-dasharray="4 4"/>`;
  const pts = p.lorenz.map(([x, y]) => `${n2(X(x))},${n2(Y(y))}`).join(' ');
  s += `<polygon points="${n2(X(0))},${n2(Y(0))} ${pts}" fill="${PALETTE[0]}" fill-opacity="0.12"/>`;
  s += `<polyline points="${pts}" fill="none" stroke="${PALETTE[0]}" stroke-width="2.5"/>`;
  // Top 20 %: the curve at x = 0.8 is 1 − top20 share.
  const py = 1 - p.top20.share;
  s += `<circle cx="${n2(X(0.8))}" cy="${n2(Y(py))}" r="5" fill="${PALETTE[5]}"/>`;
  s += `<line x1="${n2(X(0.8))}" x2="${n2(X(0.8))}" y1="${n2(Y(py))}" y2="${n2(Y(1))}" stroke="${PALETTE[5]}" stroke-width="1.5"/>`;
  s += text(X(0.8) - 6, Y((py + 1) / 2), `${t(lang, 'top20')} ${fmtPct(p.top20.share)}`, 'class="note" text-anchor="end"');
  s += text(L + pw / 2, H - 22, t(lang, 'lorenz_x'), 'class="label" text-anchor="middle"');
  s += text(14, T + ph / 2, t(lang, 'lorenz_y'), `class="label" text-anchor="middle" transform="rotate(-90 14 ${n2(T + ph / 2)})"`);
  s += legend(L, H - 4, [
    { label: `${t(lang, 'lorenz')} (${t(lang, 'gini')} ${p.gini.toFixed(3)})`, color: PALETTE[0]! },
    { label: t(lang, 'equality'), color: '#999' },
  ]);
  return s + '</svg>';
}
