/** R × F heatmap: rows R5 (top) … R1, columns F1 … F5; colour = customers; text = count and average revenue. */
import type { Rfm } from '../../core/report/report-model.js';
import { t, type Lang } from '../../core/report/i18n.js';
import { blueScale, n2, svgOpen, text, shortNum } from './svg.js';

export function heatmapChart(h: NonNullable<Rfm['heatmap']>, lang: Lang): string {
  const W = 460, H = 360, L = 70, T = 20, cw = 72, ch = 52;
  const max = Math.max(1, ...h.counts.flat());
  let s = svgOpen(W, H, t(lang, 'heatmap'), 'heatmap');
  [5, 4, 3, 2, 1].forEach((r, row) => {
    s += text(L - 8, T + row * ch + ch / 2 + 4, `R${r}`, 'class="tick" text-anchor="end"');
    for (let f = 1; f <= 5; f++) {
      const c = h.counts[r - 1]![f - 1]!;
      const mr = h.mean_revenue[r - 1]![f - 1]!;
      const x = L + (f - 1) * cw, y = T + row * ch;
      const frac = c / max;
      s += `<rect x="${x}" y="${y}" width="${cw - 2}" height="${ch - 2}" rx="3" fill="${blueScale(frac)}"><title>R${r} F${f}: ${c}</title></rect>`;
      const fill = frac > 0.55 ? '#fff' : '#1a1a1a';
      s += text(x + cw / 2 - 1, y + 22, String(c), `class="cell" text-anchor="middle" style="fill:${fill}"`);
      if (mr !== null) s += text(x + cw / 2 - 1, y + 38, mr < 1000 ? String(Math.round(mr)) : shortNum(mr), `class="cellsub" text-anchor="middle" style="fill:${fill}"`);
    }
  });
  for (let f = 1; f <= 5; f++) s += text(L + (f - 1) * cw + cw / 2, T + 5 * ch + 16, `F${f}`, 'class="tick" text-anchor="middle"');
  s += text(L + (5 * cw) / 2, T + 5 * ch + 40, t(lang, 'f_score'), 'class="label" text-anchor="middle"');
  s += text(16, T + (5 * ch) / 2, t(lang, 'r_score'), `class="label" text-anchor="middle" transform="rotate(-90 16 ${n2(T + (5 * ch) / 2)})"`);
  s += text(L, H - 6, t(lang, 'heatmap_note'), 'class="legend"');
  return s + '</svg>';
}
