import { describe, expect, it } from 'vitest';
import { invertSpd, numericHessian, standardErrors } from '../../../src/core/math/hessian.js';

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
