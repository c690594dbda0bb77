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
