/**
 * Retention triangle: rows = cohorts (oldest on top), columns = period offsets; colour and
 * text = share of the cohort active at that offset. Offset 0 is 100 % by definition and is
 * drawn grey so the scale shows the later offsets. Cells past the as-of date stay empty.
 */
import type { CohortReport } from '../../core/cohort/cohort-table.js';
import { t, type Lang } from '../../core/report/i18n.js';
import { fmtPct } from '../format.js';
import { shownCohorts } from '../cohort-sections.js';
import { blueScale, escapeXml, svgOpen, text } from './svg.js';

export function retentionChart(c: CohortReport, lang: Lang): string {
  const { rows, offsets } = shownCohorts(c);
  const L = 86, T = 26, cw = 48, ch = 22;
  const W = L + (offsets + 1) * cw + 10, H = T + rows.length * ch + 34;
  let max = 0;
  for (const r of rows) for (const o of r.offsets.slice(1, offsets + 1)) max = Math.max(max, o.retention);
  let s = svgOpen(W, H, t(lang, 'retention_triangle'), 'retention');
  for (let k = 0; k <= offsets; k++) s += text(L + k * cw + cw / 2, T - 8, `+${k}`, 'class="tick" text-anchor="middle"');
  rows.forEach((r, i) => {
    const y = T + i * ch;
    s += text(L - 6, y + ch / 2 + 4, r.cohort, 'class="tick" text-anchor="end"');
    for (let k = 0; k <= offsets && k < r.offsets.length; k++) {
      const v = r.offsets[k]!.retention;
      const frac = k === 0 || max === 0 ? 0 : v / max;
      const fill = k === 0 ? '#e3e6eb' : blueScale(frac);
      s += `<rect x="${L + k * cw}" y="${y}" width="${cw - 2}" height="${ch - 2}" fill="${fill}"><title>${escapeXml(r.cohort)} +${k}: ${fmtPct(v)} (${r.offsets[k]!.active})</title></rect>`;
      s += text(L + k * cw + cw / 2 - 1, y + ch / 2 + 3, fmtPct(v), `class="cellsub" text-anchor="middle" style="fill:${frac > 0.55 ? '#fff' : '#1a1a1a'}"`);
    }
  });
  s += text(L, H - 8, t(lang, 'offset'), 'class="label"');
  return s + '</svg>';
}
