/**
 * Number formatting for people-facing output, independent of the machine's locale
 * (no Intl, so golden files are stable): "," thousands separator, "." decimal point.
 */

/** Groups the integer part with commas: 1234567.5 → "1,234,567.5". */
function group(s: string): string {
  const neg = s.startsWith('-');
  const body = neg ? s.slice(1) : s;
  const dot = body.indexOf('.');
  const int = dot < 0 ? body : body.slice(0, dot);
  const frac = dot < 0 ? '' : body.slice(dot);
  const g = int.replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  return (neg ? '-' : '') + g + frac;
}

/** Fixed decimals with grouping; −0 prints as 0. */
export function fmtFixed(x: number, decimals: number): string {
  const s = x.toFixed(decimals);
  return group(/^-0(\.0*)?$/.test(s) ? s.slice(1) : s);
}

/** Whole number with grouping: 23570 → "23,570". */
export const fmtInt = (x: number): string => fmtFixed(x, 0);
/** Money, two decimals: 2500315.63 → "2,500,315.63". */
export const fmtMoney = (x: number): string => fmtFixed(x, 2);
/** Fraction as a percentage with one decimal: 0.677774 → "67.8%". */
export const fmtPct = (x: number): string => fmtFixed(x * 100, 1) + '%';
/** A mean or ratio with `d` decimals (default 1); null → the given placeholder. */
export const fmtNum = (x: number | null, d = 1, na = '–'): string => (x === null ? na : fmtFixed(x, d));

/** Terminal display width: East Asian wide and full-width characters count 2. */
export function displayWidth(s: string): number {
  let w = 0;
  for (const ch of s) {
    const c = ch.codePointAt(0)!;
    w +=
      (c >= 0x1100 && c <= 0x115f) ||
      (c >= 0x2e80 && c <= 0xa4cf) ||
      (c >= 0xac00 && c <= 0xd7a3) ||
      (c >= 0xf900 && c <= 0xfaff) ||
      (c >= 0xfe30 && c <= 0xfe4f) ||
      (c >= 0xff00 && c <= 0xff60) ||
      (c >= 0xffe0 && c <= 0xffe6) ||
      (c >= 0x20000 && c <= 0x3fffd)
        ? 2
        : 1;
  }
  return w;
}

/** Cuts text to at most `width` display columns, ending with "…" when cut. */
export function truncate(s: string, width: number): string {
  if (displayWidth(s) <= width) return s;
  let out = '';
  let w = 0;
  for (const ch of s) {
    const cw = displayWidth(ch);
    if (w + cw > width - 1) break;
    out += ch;
    w += cw;
  }
  return out + '…';
}
