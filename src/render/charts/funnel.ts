/** Sleeping funnel: one centred bar per state (width ∝ customers), labelled with count and value at risk. */
import type { Sleeping } from '../../core/report/report-model.js';
import { t, sleepName, type Lang } from '../../core/report/i18n.js';
import { n2, svgOpen, text } from './svg.js';
import { fmtInt, fmtMoney } from '../format.js';

const STATE_COLORS = ['#009E73', '#56B4E9', '#E69F00', '#D55E00', '#7f7f7f'];

export function sleepFunnelChart(sl: Sleeping, lang: Lang): string {
  const W = 720, T = 14, rowH = 46, L = 150, R = 190;
  const H = T + sl.states.length * rowH + 10;
  const pw = W - L - R;
  const max = Math.max(1, ...sl.states.map((s) => s.customers));
  let s = svgOpen(W, H, t(lang, 'sleep_funnel'), 'funnel');
  sl.states.forEach((st, i) => {
    const y = T + i * rowH;
    const w = Math.max(2, (st.customers / max) * pw);
    s += text(L - 10, y + rowH / 2 + 2, sleepName(lang, st.state), 'class="tick" text-anchor="end"');
    s += `<rect x="${n2(L + (pw - w) / 2)}" y="${y + 4}" width="${n2(w)}" height="${rowH - 10}" rx="4" fill="${STATE_COLORS[i % STATE_COLORS.length]}"/>`;
    s += text(L + pw + 10, y + rowH / 2 - 4, `${fmtInt(st.customers)} ${t(lang, 'customers').toLowerCase()}`, 'class="val"');
    if (st.value_at_risk !== null) s += text(L + pw + 10, y + rowH / 2 + 12, `${t(lang, 'value_at_risk')}: ${fmtMoney(st.value_at_risk)}`, 'class="valsub"');
  });
  return s + '</svg>';
}
