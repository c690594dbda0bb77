/**
 * Central-difference gradient: ∂f/∂x_i ≈ (f(x + h_i e_i) − f(x − h_i e_i)) / (2 h_i) with
 * h_i = ε^{1/3}·max(1, |x_i|) ≈ 6e-6·max(1, |x_i|), the step that balances truncation error
 * O(h²) against rounding error O(ε/h) (Nocedal & Wright 2006, §8.1). Costs 2n evaluations.
 */
export function numericGradient(f: (x: number[]) => number, x: number[]): number[] {
  const g = new Array<number>(x.length);
  const h0 = Math.cbrt(Number.EPSILON);
  for (let i = 0; i < x.length; i++) {
    const h = h0 * Math.max(1, Math.abs(x[i]!));
    const xp = x.slice();
    const xm = x.slice();
    xp[i] = x[i]! + h;
    xm[i] = x[i]! - h;
    g[i] = (f(xp) - f(xm)) / (xp[i]! - xm[i]!);
  }
  return g;
}
