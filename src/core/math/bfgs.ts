/**
 * BFGS quasi-Newton minimisation (Nocedal & Wright 2006, Algorithm 6.1) with central-difference
 * gradients (numeric-gradient.ts) or an analytic gradient when one is given (opts.gradient), and a
 * backtracking Armijo line search (sufficient-decrease constant 1e-4, halving). The
 * inverse-Hessian update is skipped when the curvature condition sᵀy > 0 fails, and the
 * approximation is reset to the identity when a search direction is not a descent direction.
 * Non-finite objective values count as +Infinity.
 */
import type { MinimizeResult } from './nelder-mead.js';
import { numericGradient } from './numeric-gradient.js';

export interface BfgsOptions {
  /** Maximum iterations (default 200). */
  maxIterations?: number;
  /** Converged when max |∂f/∂x_i| ≤ gradTol (default 1e-6). */
  gradTol?: number;
  /** Also converged when an accepted step lowers f by less than fTol·(1 + |f|) (default 1e-14). */
  fTol?: number;
  /**
   * Starting inverse-Hessian approximation (default the identity), e.g. the inverse of the
   * Hessian measured on a subsample near the optimum: BFGS then takes Newton-like steps from
   * the first iteration instead of learning the curvature over many gradient evaluations.
   */
  initialInverseHessian?: number[][];
  /**
   * Value and gradient of f together (f must equal f(x)). When given, every evaluation, line
   * search trials included, goes through it, and the gradient of the accepted point is reused:
   * one evaluation per trial instead of a trial plus 2n for the central differences.
   */
  gradient?: (x: number[]) => { f: number; g: number[] };
}

export interface BfgsResult extends MinimizeResult {
  /** max |∂f/∂x_i| at the returned point. */
  gradNorm: number;
}

const dot = (a: number[], b: number[]): number => a.reduce((s, ai, i) => s + ai * b[i]!, 0);
const normInf = (a: number[]): number => a.reduce((m, v) => Math.max(m, Math.abs(v)), 0);

/**
 * Minimises f from x0. Each iteration costs 2n evaluations for the gradient plus the line search
 * (with opts.gradient: the line search only).
 */
export function bfgs(f: (x: number[]) => number, x0: number[], opts: BfgsOptions = {}): BfgsResult {
  const n = x0.length;
  const maxIt = opts.maxIterations ?? 200;
  const gradTol = opts.gradTol ?? 1e-6;
  const fTol = opts.fTol ?? 1e-14;
  let evaluations = 0;
  const cost = (x: number[]): number => {
    evaluations++;
    const v = f(x);
    return Number.isFinite(v) ? v : Infinity;
  };
  const gradient = opts.gradient;
  /** Gradient at the point of the last `trial` (with opts.gradient). */
  let gTrial: number[] = [];
  const trial = (x: number[]): number => {
    if (!gradient) return cost(x);
    evaluations++;
    const r = gradient(x);
    gTrial = r.g;
    return Number.isFinite(r.f) ? r.f : Infinity;
  };
  const identity = (): number[][] => Array.from({ length: n }, (_, i) => Array.from({ length: n }, (_, j) => (i === j ? 1 : 0)));
  let x = x0.slice();
  let fx = trial(x);
  let g = gradient ? gTrial : numericGradient(cost, x);
  const H0 = opts.initialInverseHessian;
  let H = H0 && H0.length === n && H0.every((row) => row.length === n && row.every(Number.isFinite)) ? H0.map((row) => row.slice()) : identity();
  let it = 0;
  let converged = false;
  let smallSteps = 0;
  for (; it < maxIt; it++) {
    if (!g.every(Number.isFinite)) break;
    if (normInf(g) <= gradTol) {
      converged = true;
      break;
    }
    let d = H.map((row) => -dot(row, g));
    let slope = dot(d, g);
    if (!(slope < 0)) {
      H = identity();
      d = g.map((v) => -v);
      slope = dot(d, g);
    }
    // Keep the first trial step moderate in parameter space.
    let t = Math.min(1, 2 / Math.max(1e-300, normInf(d)));
    let xNew = x;
    let fNew = Infinity;
    let accepted = false;
    for (let k = 0; k < 60; k++) {
      xNew = x.map((xi, i) => xi + t * d[i]!);
      fNew = trial(xNew);
      if (fNew <= fx + 1e-4 * t * slope) {
        accepted = true;
        break;
      }
      t *= 0.5;
    }
    if (!accepted) {
      // No decrease along this direction: retry once along steepest descent, else stop.
      if (H.some((row, i) => row.some((v, j) => v !== (i === j ? 1 : 0)))) {
        H = identity();
        continue;
      }
      break;
    }
    const gNew = gradient ? gTrial : numericGradient(cost, xNew);
    const s = xNew.map((v, i) => v - x[i]!);
    const y = gNew.map((v, i) => v - g[i]!);
    const sy = dot(s, y);
    const decrease = fx - fNew;
    x = xNew;
    fx = fNew;
    g = gNew;
    if (sy > 1e-12 * Math.sqrt(dot(s, s) * dot(y, y))) {
      const rho = 1 / sy;
      const Hy = H.map((row) => dot(row, y));
      const yHy = dot(y, Hy);
      // H ← (I − ρ s yᵀ) H (I − ρ y sᵀ) + ρ s sᵀ, expanded.
      for (let i = 0; i < n; i++)
        for (let j = 0; j < n; j++)
          H[i]![j] = H[i]![j]! - rho * (s[i]! * Hy[j]! + Hy[i]! * s[j]!) + (rho * rho * yHy + rho) * s[i]! * s[j]!;
    }
    smallSteps = decrease <= fTol * (1 + Math.abs(fx)) ? smallSteps + 1 : 0;
    if (smallSteps >= 3) {
      converged = normInf(g) <= Math.sqrt(gradTol);
      it++;
      break;
    }
  }
  return { x, fx, iterations: it, evaluations, converged, gradNorm: normInf(g) };
}
