/**
 * The value of a plain decimal text, `[-]digits[.digits]` (`.5` and `5.` included, at least one
 * digit), computed while it is checked, or NaN for any other text.
 *
 * The result is exactly `Number(s)`. With at most 15 digits the digits form an integer m < 2⁵³,
 * exact as a double, and 10^k (k ≤ 15) is exact too, so m / 10^k is one correctly rounded
 * division: the double nearest the decimal's value, which is what `Number` returns (the fast
 * path of Clinger, "How to Read Floating Point Numbers Accurately", PLDI 1990). Longer texts go
 * to `Number`. This is the hot path of reading amounts and quantities: V8's general
 * string-to-double conversion (and, for canonical files, a validating regular expression) cost
 * more than this loop.
 */
const POW10 = [1, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15];

export function plainDecimal(s: string): number {
  const n = s.length;
  let i = n > 0 && s.charCodeAt(0) === 45 ? 1 : 0;
  const negative = i === 1;
  let m = 0;
  let digits = 0;
  let frac = 0;
  let dot = false;
  for (; i < n; i++) {
    const c = s.charCodeAt(i);
    if (c >= 48 && c <= 57) {
      m = m * 10 + (c - 48);
      digits++;
      if (dot) frac++;
    } else if (c === 46 && !dot) dot = true;
    else return NaN;
  }
  if (digits === 0) return NaN;
  if (digits > 15) return Number(s);
  const v = frac === 0 ? m : m / POW10[frac]!;
  return negative ? -v : v;
}
