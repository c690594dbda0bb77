import { describe, expect, it } from 'vitest';
import { gradientHessian, invertSpd, numericHessian, standardErrors } from '../../../src/core/math/hessian.js';

describe('numericHessian / invertSpd / standardErrors', () => {
  it('recovers the Hessian of a quadratic', () => {
    // f = 2x² + 3xy + 5y²: Hessian [[4, 3], [3, 10]] exactly.
    const H = numericHessian((v) => 2 * v[0]! ** 2 + 3 * v[0]! * v[1]! + 5 * v[1]! ** 2, [0.3, -0.7]);
    expect(H[0]![0]).toBeCloseTo(4, 5);
    expect(H[0]![1]).toBeCloseTo(3, 5);
    expect(H[1]![0]).toBeCloseTo(3, 5);
    expect(H[1]![1]).toBeCloseTo(10, 5);
  });
  it('inverts an SPD matrix and rejects an indefinite one', () => {
    // inv([[4, 3], [3, 10]]) = [[10, −3], [−3, 4]] / 31.
    const inv = invertSpd([
      [4, 3],
      [3, 10],
    ])!;
    expect(inv[0]![0]).toBeCloseTo(10 / 31, 14);
    expect(inv[0]![1]).toBeCloseTo(-3 / 31, 14);
    expect(inv[1]![1]).toBeCloseTo(4 / 31, 14);
    expect(invertSpd([[1, 2], [2, 1]])).toBeNull();
  });
  it('gives the textbook standard error of a normal mean', () => {
    // −LL of n = 100 observations with known σ = 2 as a function of μ: n(μ − m)²/(2σ²) + c,
    // so se(μ̂) = σ/√n = 0.2.
    const se = standardErrors((v) => (100 * (v[0]! - 1.7) ** 2) / (2 * 4), [1.7]);
    expect(se[0]).toBeCloseTo(0.2, 6);
    // A maximum instead of a minimum: not positive definite → null.
    expect(standardErrors((v) => -(v[0]! ** 2), [0])[0]).toBeNull();
  });
});

describe('gradientHessian (central differences of an analytic gradient)', () => {
  it('recovers the Hessian of a quadratic and of a non-quadratic', () => {
    // f = 2x² + 3xy + 5y²: ∇f = (4x + 3y, 3x + 10y), Hessian [[4, 3], [3, 10]].
    const H = gradientHessian((v) => [4 * v[0]! + 3 * v[1]!, 3 * v[0]! + 10 * v[1]!], [0.3, -0.7]);
    expect(H).toEqual([
      [expect.closeTo(4, 8), expect.closeTo(3, 8)],
      [expect.closeTo(3, 8), expect.closeTo(10, 8)],
    ]);
    // f = eˣ + x y² + sin z: ∇f = (eˣ + y², 2xy, cos z), Hessian [[eˣ, 2y, 0], [2y, 2x, 0], [0, 0, −sin z]].
    const p = [0.4, -1.3, 2.1];
    const G = gradientHessian((v) => [Math.exp(v[0]!) + v[1]! ** 2, 2 * v[0]! * v[1]!, Math.cos(v[2]!)], p);
    const want = [
      [Math.exp(0.4), -2.6, 0],
      [-2.6, 0.8, 0],
      [0, 0, -Math.sin(2.1)],
    ];
    for (let i = 0; i < 3; i++) for (let j = 0; j < 3; j++) expect(Math.abs(G[i]![j]! - want[i]![j]!)).toBeLessThan(1e-8);
    // Symmetrised: an asymmetric "gradient" Jacobian [[1, 2], [0, 1]] gives off-diagonals 1.
    const S = gradientHessian((v) => [v[0]! + 2 * v[1]!, v[1]!], [0, 0]);
    expect(S[0]![1]).toBeCloseTo(1, 10);
    expect(S[1]![0]).toBeCloseTo(1, 10);
  });
  it('standardErrors with a gradient: the normal-mean standard error, and the same as from f', () => {
    // −LL = n(μ − m)²/(2σ²), n = 100, σ = 2: gradient n(μ − m)/σ², se(μ̂) = 0.2.
    const f = (v: number[]): number => (100 * (v[0]! - 1.7) ** 2) / 8;
    const se = standardErrors(f, [1.7], (v) => [(100 * (v[0]! - 1.7)) / 4]);
    expect(se[0]).toBeCloseTo(0.2, 10);
    // A 2-d non-quadratic −LL (Poisson rates in log space): Σ (e^θ_i·t_i − k_i θ_i) + ½ θ₀θ₁.
    const g = (v: number[]): number => Math.exp(v[0]!) * 50 - 120 * v[0]! + Math.exp(v[1]!) * 30 - 45 * v[1]! + 0.5 * v[0]! * v[1]!;
    const grad = (v: number[]): number[] => [Math.exp(v[0]!) * 50 - 120 + 0.5 * v[1]!, Math.exp(v[1]!) * 30 - 45 + 0.5 * v[0]!];
    const at = [Math.log(2.4), Math.log(1.5)];
    const a = standardErrors(g, at, grad);
    const b = standardErrors(g, at);
    for (let i = 0; i < 2; i++) expect(Math.abs(a[i]! - b[i]!) / b[i]!).toBeLessThan(1e-6);
    expect(standardErrors((v) => -(v[0]! ** 2), [0], (v) => [-2 * v[0]!])[0]).toBeNull();
  });
});
