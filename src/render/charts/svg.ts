/** Small helpers shared by the inline SVG charts: escaping, number text, ticks, colours. */

/** Escapes text for HTML/XML content and attribute values (& < > " '). */
export function escapeXml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

/** Coordinates with at most 2 decimals (keeps SVG small and stable). */
export const n2 = (x: number): string => String(Math.round(x * 100) / 100);

/** Categorical palette (colour-blind friendly, Okabe & Ito 2008), then greys. */
export const PALETTE = ['#0072B2', '#E69F00', '#009E73', '#CC79A7', '#56B4E9', '#D55E00', '#F0E442', '#000000', '#999999', '#666666'];

/** Sequential blue scale for t in [0, 1] (light → dark). */
export function blueScale(t: number): string {
  const c = Math.max(0, Math.min(1, t));
  const mix = (a: number, b: number): number => Math.round(a + (b - a) * c);
  return `rgb(${mix(239, 8)},${mix(243, 69)},${mix(255, 148)})`;
}

/** About `count` round tick values covering [0, max] (steps 1, 2, 2.5, 5 × 10^k). */
export function ticks(max: number, count = 5): number[] {
  if (!(max > 0)) return [0, 1];
  const raw = max / count;
  const p = Math.pow(10, Math.floor(Math.log10(raw)));
  const step = [1, 2, 2.5, 5, 10].map((m) => m * p).find((s) => s >= raw)!;
  const out: number[] = [];
  for (let v = 0; v <= max + step * 1e-9; v += step) out.push(Math.round(v / step) * step);
  if (out[out.length - 1]! < max) out.push(out[out.length - 1]! + step);
  return out;
}

/** Short number text for axes: 1200 → "1.2k", 2500000 → "2.5M". */
export function shortNum(x: number): string {
  const a = Math.abs(x);
  const f = (v: number, s: string): string => String(Math.round(v * 10) / 10) + s;
  if (a >= 1e9) return f(x / 1e9, 'G');
  if (a >= 1e6) return f(x / 1e6, 'M');
  if (a >= 1e3) return f(x / 1e3, 'k');
  return String(Math.round(x * 100) / 100);
}

/** Opening <svg> tag with a viewBox, an accessible title and a class. */
export function svgOpen(w: number, h: number, title: string, cls: string): string {
  return `<svg class="chart ${cls}" viewBox="0 0 ${w} ${h}" role="img" aria-label="${escapeXml(title)}" xmlns="http://www.w3.org/2000/svg"><title>${escapeXml(title)}</title>`;
}

/** A text element. */
export function text(x: number, y: number, s: string, attrs = ''): string {
  return `<text x="${n2(x)}" y="${n2(y)}"${attrs ? ' ' + attrs : ''}>${escapeXml(s)}</text>`;
}

export interface LegendItem {
  label: string;
  color: string;
}

/** Height of one legend row. */
export const LEGEND_ROW = 18;

/** Left edge and row of each item when items wrap to rows of at most `width` (a long label is cut with "…"). */
function legendLayout(items: LegendItem[], width: number): { x: number; row: number; label: string }[] {
  let cx = 0, row = 0;
  return items.map((it) => {
    let label = it.label;
    while (label.length > 1 && 14 + approxTextWidth(label, 12) > width) label = label.slice(0, -2) + '…';
    const w = 14 + approxTextWidth(label, 12);
    if (cx > 0 && cx + w > width) { cx = 0; row++; }
    const at = { x: cx, row, label };
    cx += w + 18;
    return at;
  });
}

/** Rows a legend takes within `width`. */
export const legendRows = (items: LegendItem[], width = Infinity): number => (items.length ? legendLayout(items, width).at(-1)!.row + 1 : 0);

/** Coloured squares with labels from (x, y), wrapping to further rows below within `width`. */
export function legend(x: number, y: number, items: LegendItem[], width = Infinity): string {
  let out = '';
  for (const [i, at] of legendLayout(items, width).entries()) {
    const cx = x + at.x, cy = y + at.row * LEGEND_ROW;
    out += `<rect x="${n2(cx)}" y="${n2(cy - 9)}" width="10" height="10" fill="${items[i]!.color}"/>` + text(cx + 14, cy, at.label, 'class="legend"');
  }
  return out;
}

/** Rough rendered width of text at a font size (CJK ≈ 1 em, other ≈ 0.58 em). */
export function approxTextWidth(s: string, size: number): number {
  let w = 0;
  for (const ch of s) w += ch.codePointAt(0)! >= 0x2e80 ? size : size * 0.58;
  return w;
}
