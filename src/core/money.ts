/**
 * Money arithmetic. Amounts are JavaScript numbers; every sum is rounded to six decimal
 * places so that 6 × 2.55 prints as 15.3, not 15.299999999999999. Six places keep cents
 * (and fractional unit prices) exact for totals below 9e9; beyond, a value keeps the precision
 * a double has (formatLarge), and ingest accepts at most 15 significant digits.
 */
export function roundMoney(x: number): number {
  if (x < 1e9 && x > -1e9) {
    const r = Math.round(x * 1e6) / 1e6;
    return r === 0 ? 0 : r; // no negative zero
  }
  return roundedValue(x, 6); // large magnitudes: see formatRounded
}

/** Plain decimal text with a dot, shortest round-trip form ("12.5", "-3", "0.01"). */
export function formatMoney(x: number): string {
  // Fast path for whole cents (most amounts): integer formatting is much cheaper than
  // the shortest-round-trip double formatting V8 does for String(x).
  const c = Math.round(x * 100);
  if (Math.abs(x * 100 - c) < 1e-7 && Math.abs(c) < 9e15) {
    if (c === 0) return '0';
    const neg = c < 0;
    const a = neg ? -c : c;
    const whole = Math.floor(a / 100);
    const cents = a - whole * 100;
    const s = cents === 0 ? String(whole) : cents % 10 === 0 ? `${whole}.${cents / 10}` : `${whole}.${cents < 10 ? '0' : ''}${cents}`;
    return neg ? '-' + s : s;
  }
  return formatRounded(x, 6);
}

/**
 * The number that {@link formatMoney}'s text reads back as (`+formatMoney(x)`), without printing
 * or parsing: the same branches, c / 100 for whole cents, else {@link roundedValue} at 6 places.
 * A decimal with at most 6 places parses to the double nearest to it, which is the correctly
 * rounded quotient c / 10^p. Property-tested against the round trip.
 */
export function moneyValue(x: number): number {
  const c = Math.round(x * 100);
  if (Math.abs(x * 100 - c) < 1e-7 && Math.abs(c) < 9e15) {
    const v = c / 100;
    return v === 0 ? 0 : v;
  }
  return roundedValue(x, 6);
}

/** The number {@link formatRounded}'s text reads back as: round(x · 10^p) / 10^p, −0 as 0. */
export function roundedValue(x: number, places: number): number {
  const scale = POW10[places]!;
  const c = Math.round(x * scale);
  if (!(c < 1e15 && c > -1e15)) return x === 0 ? 0 : +formatLarge(x, places);
  const v = c / scale;
  return v === 0 ? 0 : v;
}

const POW10 = [1, 10, 100, 1e3, 1e4, 1e5, 1e6];
/** COARSE[p]: the magnitude (a power of two, 2^⌈52 − p·log2 10⌉) from which doubles are 10^-p or more apart. */
const COARSE = [2 ** 52, 2 ** 49, 2 ** 46, 2 ** 43, 2 ** 39, 2 ** 36, 2 ** 33];

/**
 * formatRounded for |x · 10^p| ≥ 10^15, where x · 10^p is itself rounded (its spacing reaches
 * 0.5 at 2^52) and Math.round of it can land one unit off: 4300000000.86 printed as
 * 4300000000.859999, 999999999999 as 999999999999.0001. Below COARSE[p], toFixed rounds the
 * double's exact value (ECMA-262 Number.prototype.toFixed); from COARSE[p] on, doubles are at
 * least 10^-p apart, so String(x), the shortest text that reads back as x, has at most p
 * decimals and is the decimal x was read from (for at most 15 significant digits).
 */
function formatLarge(x: number, places: number): string {
  if (!(x < COARSE[places]! && x > -COARSE[places]!)) return String(x); // NaN and ±Infinity too
  let s = x.toFixed(places);
  if (places > 0) s = s.replace(/\.?0+$/, '');
  return s === '-0' ? '0' : s;
}

/**
 * `String(Math.round(x · 10^places) / 10^places)` (−0 printed as 0), without V8's
 * shortest-round-trip double printing, which dominated writing a million-customer table. With c = round(x · 10^p) and |c| < 10^15 (so |value| < 10^9 for p = 6),
 * the double c / 10^p is the nearest one to the decimal c·10^−p and neighbouring p-place
 * decimals map to different doubles, so that decimal with trailing zeros trimmed is exactly
 * what String prints (no exponent form: the smallest non-zero value, 10^−6, prints as
 * 0.000001). Larger magnitudes: formatLarge; non-finite values print as String does. Tested
 * against String on random and edge values, and on large decimals of up to 15 digits.
 */
export function formatRounded(x: number, places: number): string {
  const scale = POW10[places]!;
  const c = Math.round(x * scale);
  if (!(c < 1e15 && c > -1e15)) return formatLarge(x, places);
  if (c === 0) return '0';
  const neg = c < 0;
  const a = neg ? -c : c;
  const whole = Math.floor(a / scale);
  let frac = a - whole * scale;
  let s: string;
  if (frac === 0) s = String(whole);
  else {
    let width = places;
    while (frac % 10 === 0) {
      frac /= 10;
      width--;
    }
    const f = String(frac);
    s = `${whole}.${f.length < width ? '0'.repeat(width - f.length) + f : f}`;
  }
  return neg ? '-' + s : s;
}
