import { describe, expect, it } from 'vitest';
import { nelderMead } from '../../../src/core/math/nelder-mead.js';

describe('nelderMead', () => {
  it('finds the minimum of a shifted quadratic', () => {
    // f = (x − 3)² + 2(y + 1)² + 5: minimum 5 at (3, −1) by inspection.
    const r = nelderMead((v) => (v[0]! - 3) ** 2 + 2 * (v[1]! + 1) ** 2 + 5, [0, 0], { maxIterations: 1000 });
    expect(r.converged).toBe(true);
    expect(r.x[0]).toBeCloseTo(3, 4);
    expect(r.x[1]).toBeCloseTo(-1, 4);
    expect(r.fx).toBeCloseTo(5, 8);
  });
  it('solves Rosenbrock from the classic start (−1.2, 1)', () => {
    // Rosenbrock (1960): minimum 0 at (1, 1).
    const r = nelderMead((v) => 100 * (v[1]! - v[0]! ** 2) ** 2 + (1 - v[0]!) ** 2, [-1.2, 1], { maxIterations: 2000 });
    expect(r.x[0]).toBeCloseTo(1, 3);
    expect(r.x[1]).toBeCloseTo(1, 3);
  });
  it('treats non-finite values as +Infinity and walks away from them', () => {
    // NaN for x < 0; the minimum of x² + (y−2)² on x ≥ 0 is at (0, 2): start inside, it must stay finite.
    const r = nelderMead((v) => (v[0]! < 0 ? NaN : v[0]! ** 2 + (v[1]! - 2) ** 2), [1, 0]);
    expect(Number.isFinite(r.fx)).toBe(true);
    expect(r.x[1]).toBeCloseTo(2, 3);
    expect(r.x[0]!).toBeGreaterThanOrEqual(0);
  });
});
