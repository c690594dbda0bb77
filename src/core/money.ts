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
  return String(roundMoney(x));
}
