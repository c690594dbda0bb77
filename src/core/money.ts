/**
 * Money arithmetic. Amounts are JavaScript numbers; every sum is rounded to six decimal
 * places so that 6 × 2.55 prints as 15.3, not 15.299999999999999. Six places keep cents
 * (and fractional unit prices) exact for totals below 9e9.
 */
export function roundMoney(x: number): number {
  // From 2^53 / 1e6 (≈ 9.007e9) on, x · 1e6 is no longer an exact integer and the round trip
  // through it moves x (999999999999 became 999999999999.0001); there a double's spacing is
  // already ≥ 1e-6, so x is as rounded as it can be.
  if (!(x < MICRO_EXACT && x > -MICRO_EXACT)) return x;
  const r = Math.round(x * 1e6) / 1e6;
  return r === 0 ? 0 : r; // no negative zero
}

/** |x| below which x · 1e6 rounds to an exact integer (2^53 / 1e6). */
const MICRO_EXACT = 2 ** 53 / 1e6;

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
  if (!(Math.abs(x) * scale < 2 ** 53)) return x; // see formatRounded
  const v = Math.round(x * scale) / scale;
  return v === 0 ? 0 : v;
}

const POW10 = [1, 10, 100, 1e3, 1e4, 1e5, 1e6];

/**
 * `String(Math.round(x · 10^places) / 10^places)` (−0 printed as 0), without V8's
 * shortest-round-trip double printing, which costs ~0.3 µs a value and dominated writing a
 * million-customer table. With c = round(x · 10^p) and |c| < 10^15 (so |value| < 10^9 for p = 6),
 * the double c / 10^p is the nearest one to the decimal c·10^−p and neighbouring p-place
 * decimals map to different doubles, so that decimal with trailing zeros trimmed is exactly
 * what String prints (no exponent form: the smallest non-zero value, 10^−6, prints as
 * 0.000001). Larger magnitudes and non-finite values fall back to String. Tested against
 * String on random and edge values.
 */
export function formatRounded(x: number, places: number): string {
  const scale = POW10[places]!;
  const c = Math.round(x * scale);
  if (!(c < 1e15 && c > -1e15)) {
    // From |x · 10^p| ≥ 2^53 on, c is inexact and c / 10^p moves x; the double's spacing is
    // then ≥ 10^-p, so String(x) (shortest round trip) has at most p decimals.
    const v = Math.abs(x) * scale < 2 ** 53 ? c / scale : x;
    return String(v === 0 ? 0 : v);
  }
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
