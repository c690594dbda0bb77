/**
 * Numerical Hessian by central differences and standard errors from its inverse.
 * From f: step h_i = ε^{1/4}·max(1, |x_i|) ≈ 1.2e-4·max(1, |x_i|) (second differences: truncation
 * O(h²) vs rounding O(ε/h²); Nocedal & Wright 2006, §8.1, eq. 8.21). Costs 2n² + 1 evaluations.
 * From an analytic gradient: central differences of the gradient with h_j = ε^{1/3}·max(1, |x_j|)
 * (first differences, as numeric-gradient.ts; N&W 2006 §8.1), symmetrised. Costs 2n
 * gradient evaluations.
 * For a negative log-likelihood at its minimum, the inverse Hessian is the asymptotic covariance
 * matrix of the maximum-likelihood estimates (observed information; e.g. Pawitan 2001, §2.7).
 */

/** Symmetric matrix of second partial derivatives of f at x. */
export function numericHessian(f: (x: number[]) => number, x: number[]): number[][] {
  const n = x.length;
  const h = x.map((v) => Math.pow(Number.EPSILON, 0.25) * Math.max(1, Math.abs(v)));
  const at = (di: number, si: number, dj: number, sj: number): number => {
    const y = x.slice();
    y[di] = y[di]! + si * h[di]!;
    y[dj] = y[dj]! + sj * h[dj]!;
    return f(y);
  };
  const f0 = f(x);
  const H = Array.from({ length: n }, () => new Array<number>(n).fill(0));
  for (let i = 0; i < n; i++) {
    const yp = x.slice();
    const ym = x.slice();
    yp[i] = yp[i]! + h[i]!;
    ym[i] = ym[i]! - h[i]!;
    H[i]![i] = (f(yp) - 2 * f0 + f(ym)) / (h[i]! * h[i]!);
    for (let j = 0; j < i; j++) {
      const v = (at(i, 1, j, 1) - at(i, 1, j, -1) - at(i, -1, j, 1) + at(i, -1, j, -1)) / (4 * h[i]! * h[j]!);
      H[i]![j] = v;
      H[j]![i] = v;
    }
  }
  return H;
}

/**
 * Symmetric Hessian from a gradient function: column j is (∇f(x + h_j e_j) − ∇f(x − h_j e_j)) / (2h_j),
 * then H ← ½(H + Hᵀ).
 */
export function gradientHessian(grad: (x: number[]) => number[], x: number[]): number[][] {
  const n = x.length;
  const h0 = Math.cbrt(Number.EPSILON);
  const H = Array.from({ length: n }, () => new Array<number>(n).fill(0));
  for (let j = 0; j < n; j++) {
    const h = h0 * Math.max(1, Math.abs(x[j]!));
    const xp = x.slice();
    const xm = x.slice();
    xp[j] = x[j]! + h;
    xm[j] = x[j]! - h;
    const gp = grad(xp);
    const gm = grad(xm);
    const step = xp[j]! - xm[j]!;
    for (let i = 0; i < n; i++) H[i]![j] = (gp[i]! - gm[i]!) / step;
  }
  for (let i = 0; i < n; i++)
    for (let j = 0; j < i; j++) {
      const v = 0.5 * (H[i]![j]! + H[j]![i]!);
      H[i]![j] = v;
      H[j]![i] = v;
    }
  return H;
}

/**
 * Inverse of a symmetric positive-definite matrix by Cholesky factorisation; null when the
 * matrix is not positive definite (or has non-finite entries).
 */
export function invertSpd(A: number[][]): number[][] | null {
  const n = A.length;
  const L = Array.from({ length: n }, () => new Array<number>(n).fill(0));
  for (let i = 0; i < n; i++) {
    for (let j = 0; j <= i; j++) {
      let s = A[i]![j]!;
      for (let k = 0; k < j; k++) s -= L[i]![k]! * L[j]![k]!;
      if (i === j) {
        if (!(s > 0) || !Number.isFinite(s)) return null;
        L[i]![i] = Math.sqrt(s);
      } else L[i]![j] = s / L[j]![j]!;
    }
  }
  // inv(A) = inv(L)ᵀ inv(L)
  const Li = Array.from({ length: n }, () => new Array<number>(n).fill(0));
  for (let i = 0; i < n; i++) {
    Li[i]![i] = 1 / L[i]![i]!;
    for (let j = 0; j < i; j++) {
      let s = 0;
      for (let k = j; k < i; k++) s -= L[i]![k]! * Li[k]![j]!;
      Li[i]![j] = s / L[i]![i]!;
    }
  }
  const inv = Array.from({ length: n }, () => new Array<number>(n).fill(0));
  for (let i = 0; i < n; i++)
    for (let j = 0; j < n; j++) {
      let s = 0;
      for (let k = Math.max(i, j); k < n; k++) s += Li[k]![i]! * Li[k]![j]!;
      inv[i]![j] = s;
    }
  return inv;
}

/**
 * Standard errors sqrt(diag(H⁻¹)) of the minimiser x of f (f = a negative log-likelihood, not
 * divided by n). Each entry is null when the Hessian is not positive definite there. With
 * `gradient` (∇f), H comes from gradientHessian instead of numericHessian(f).
 */
export function standardErrors(f: (x: number[]) => number, x: number[], gradient?: (x: number[]) => number[]): (number | null)[] {
  const inv = invertSpd(gradient ? gradientHessian(gradient, x) : numericHessian(f, x));
  if (!inv) return x.map(() => null);
  return inv.map((row, i) => {
    const v = row[i]!;
    return v > 0 && Number.isFinite(v) ? Math.sqrt(v) : null;
  });
}
