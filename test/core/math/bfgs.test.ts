import { describe, expect, it } from 'vitest';
import { bfgs } from '../../../src/core/math/bfgs.js';
import { numericGradient } from '../../../src/core/math/numeric-gradient.js';

describe('bfgs', () => {
  it('minimises Rosenbrock from (−1.2, 1) to (1, 1)', () => {
    // Rosenbrock (1960): minimum 0 at (1, 1); Nocedal & Wright use it as their BFGS example.
    const r = bfgs((v) => 100 * (v[1]! - v[0]! ** 2) ** 2 + (1 - v[0]!) ** 2, [-1.2, 1], { maxIterations: 500 });
    expect(r.x[0]).toBeCloseTo(1, 5);
    expect(r.x[1]).toBeCloseTo(1, 5);
    expect(r.fx).toBeLessThan(1e-10);
    expect(r.converged).toBe(true);
  });
  it('minimises a 4-d quadratic exactly', () => {
    // Σ i·(x_i − i)²: minimum 0 at (1, 2, 3, 4).
    const r = bfgs((v) => v.reduce((s, x, i) => s + (i + 1) * (x - (i + 1)) ** 2, 0), [0, 0, 0, 0]);
    r.x.forEach((x, i) => expect(x).toBeCloseTo(i + 1, 6));
  });
});

describe('numericGradient', () => {
  it('agrees with the analytic gradient', () => {
    // ∇(x² y + sin y) = (2xy, x² + cos y); at (1.5, 0.5): (1.5, 2.25 + cos 0.5).
    const g = numericGradient((v) => v[0]! ** 2 * v[1]! + Math.sin(v[1]!), [1.5, 0.5]);
    expect(g[0]).toBeCloseTo(1.5, 8);
    expect(g[1]).toBeCloseTo(2.25 + Math.cos(0.5), 8);
  });
});

describe('bfgs with a starting inverse Hessian', () => {
  // f = ½ xᵀAx − bᵀx with A = [[40, 3], [3, 2]]: badly scaled, minimum at A⁻¹b.
  const f = (v: number[]): number => 0.5 * (40 * v[0]! ** 2 + 6 * v[0]! * v[1]! + 2 * v[1]! ** 2) - (v[0]! + v[1]!);
  const det = 40 * 2 - 3 * 3;
  const inv = [[2 / det, -3 / det], [-3 / det, 40 / det]];
  const xStar = [(2 - 3) / det, (40 - 3) / det];
  it('the exact inverse Hessian of a quadratic gives the minimum in one Newton step', () => {
    const r = bfgs(f, [0.5, 0], { initialInverseHessian: inv, gradTol: 1e-6 }); // within the first step cap (max |step| ≤ 2)
    expect(r.converged).toBe(true);
    expect(r.iterations).toBe(1);
    expect(r.x[0]).toBeCloseTo(xStar[0]!, 6);
    expect(r.x[1]).toBeCloseTo(xStar[1]!, 6);
  });
  it('from the identity it needs more iterations to the same minimum; a malformed matrix is ignored', () => {
    const plain = bfgs(f, [0.5, 0], { gradTol: 1e-6 });
    expect(plain.iterations).toBeGreaterThan(1);
    expect(plain.x[0]).toBeCloseTo(xStar[0]!, 6);
    const bad = bfgs(f, [0.5, 0], { gradTol: 1e-6, initialInverseHessian: [[NaN, 0], [0, 1]] });
    expect(bad.iterations).toBe(plain.iterations);
  });
});

describe('bfgs with an analytic gradient', () => {
  const rosen = (v: number[]): number => 100 * (v[1]! - v[0]! ** 2) ** 2 + (1 - v[0]!) ** 2;
  // ∇ = (−400 x (y − x²) − 2(1 − x), 200 (y − x²)).
  const rosenGrad = (v: number[]): { f: number; g: number[] } => ({
    f: rosen(v),
    g: [-400 * v[0]! * (v[1]! - v[0]! ** 2) - 2 * (1 - v[0]!), 200 * (v[1]! - v[0]! ** 2)],
  });
  it('minimises Rosenbrock to (1, 1) with far fewer evaluations than central differences', () => {
    const numeric = bfgs(rosen, [-1.2, 1], { maxIterations: 500 });
    const analytic = bfgs(rosen, [-1.2, 1], { maxIterations: 500, gradient: rosenGrad });
    expect(analytic.converged).toBe(true);
    expect(analytic.x[0]).toBeCloseTo(1, 6);
    expect(analytic.x[1]).toBeCloseTo(1, 6);
    expect(analytic.fx).toBeLessThan(1e-12);
    expect(analytic.gradNorm).toBeLessThanOrEqual(1e-6);
    // Each central-difference gradient costs 4 more evaluations (n = 2); the line searches are alike.
    expect(analytic.evaluations).toBeLessThan(numeric.evaluations / 2);
    // f itself is not called when the gradient function supplies the values.
    let calls = 0;
    bfgs(() => (calls++, 0), [-1.2, 1], { maxIterations: 500, gradient: rosenGrad });
    expect(calls).toBe(0);
  });
  it('takes the one Newton step on a quadratic from its exact inverse Hessian', () => {
    const f = (v: number[]): number => 0.5 * (40 * v[0]! ** 2 + 6 * v[0]! * v[1]! + 2 * v[1]! ** 2) - (v[0]! + v[1]!);
    const grad = (v: number[]): { f: number; g: number[] } => ({ f: f(v), g: [40 * v[0]! + 3 * v[1]! - 1, 3 * v[0]! + 2 * v[1]! - 1] });
    const det = 71;
    const r = bfgs(f, [0.5, 0], { initialInverseHessian: [[2 / det, -3 / det], [-3 / det, 40 / det]], gradTol: 1e-9, gradient: grad });
    expect(r.iterations).toBe(1);
    expect(r.x[0]).toBeCloseTo(-1 / det, 12);
    expect(r.x[1]).toBeCloseTo(37 / det, 12);
  });
});
