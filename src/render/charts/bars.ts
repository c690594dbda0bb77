/** Horizontal paired bars: share of customers vs share of revenue per category (segments, tiers). */
import { t, type Lang } from '../../core/report/i18n.js';
import { n2, svgOpen, text, legend, PALETTE } from './svg.js';
import { fmtPct } from '../format.js';

export interface BarRow {
  label: string;
  customer_share: number;
  revenue_share: number;
}

export function shareBarsChart(rows: BarRow[], lang: Lang, title: string): string {
  const W = 480, L = 130, R = 56, T = 10, rowH = 30, B = 34;
  const H = T + rows.length * rowH + B;
  const pw = W - L - R;
  const max = Math.max(0.05, ...rows.flatMap((r) => [r.customer_share, r.revenue_share]));
  const X = (v: number): number => L + (v / max) * pw;
  let s = svgOpen(W, H, title, 'bars');
  rows.forEach((r, i) => {
    const y = T + i * rowH;
    s += text(L - 8, y + rowH / 2 + 4, r.label, 'class="tick" text-anchor="end"');
    s += `<rect x="${L}" y="${y + 4}" width="${n2(X(r.customer_share) - L)}" height="12" fill="${PALETTE[0]}"/>`;
    s += `<rect x="${L}" y="${y + 17}" width="${n2(X(r.revenue_share) - L)}" height="12" fill="${PALETTE[1]}"/>`;
    s += text(X(r.customer_share) + 4, y + 14, fmtPct(r.customer_share), 'class="val"');
    s += text(X(r.revenue_share) + 4, y + 27, fmtPct(r.revenue_share), 'class="val"');
  });
  s += `<line class="axis" x1="${L}" x2="${L}" y1="${T}" y2="${T + rows.length * rowH}"/>`;
  s += legend(L, H - 10, [
    { label: t(lang, 'customer_share'), color: PALETTE[0]! },
    { label: t(lang, 'revenue_share'), color: PALETTE[1]! },
  ]);
  return s + '</svg>';
}
