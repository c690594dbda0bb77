/**
 * Money arithmetic. Amounts are JavaScript numbers; every sum is rounded to six decimal
 * places so that 6 × 2.55 prints as 15.3, not 15.299999999999999. Six places keep cents
 * (and fractional unit prices) exact for totals below 9e9.
 */
export function roundMoney(x: number): number {
  const r = Math.round(x * 1e6) / 1e6;
  return r === 0 ? 0 : r; // no negative zero
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
  return String(roundMoney(x));
}
