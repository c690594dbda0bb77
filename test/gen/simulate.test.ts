/**
 * The generator's customer process (src/gen/simulate.ts): samplers, per-customer invariants and
 * the population moments against the closed forms the module comment states.
 * Tolerances are 4 standard errors of the sample mean (SE = SD/√n, SD from the model).
 */
import { describe, expect, it } from 'vitest';
import { createRng } from '../../src/core/math/rng.js';
import { dayFromCivil } from '../../src/core/time/day.js';
import { calibrateRate, CustomerDraw, expectedExposure, gamma, normal, simulateCustomers, type SimCustomer, type SimOptions } from '../../src/gen/simulate.js';

const WINDOW: SimOptions = { seed: 42, start: dayFromCivil(2023, 1, 1), end: dayFromCivil(2025, 12, 31), ordersPerCustomer: 10 };

function take(o: SimOptions, n: number): SimCustomer[] {
  const out: SimCustomer[] = [];
  for (const c of simulateCustomers(o)) {
    out.push(c);
    if (out.length === n) break;
  }
  return out;
}

const mean = (xs: number[]): number => xs.reduce((a, b) => a + b, 0) / xs.length;
const variance = (xs: number[]): number => {
  const m = mean(xs);
  return xs.reduce((a, b) => a + (b - m) ** 2, 0) / (xs.length - 1);
};

describe('samplers', () => {
  it('Gamma(k = 6, θ = 2): mean kθ = 12, variance kθ² = 24', () => {
    const rng = createRng(1);
    const xs = Array.from({ length: 20000 }, () => gamma(rng, 6, 2));
    // SE of the mean = √24/√20000 = 0.0346; 4 SE = 0.14.
    expect(Math.abs(mean(xs) - 12)).toBeLessThan(0.14);
    // Var of the sample variance ≈ σ⁴(2/(n−1) + κ/n), excess kurtosis κ = 6/k = 1 → SE ≈ 24·√(3/20000) = 0.29; 4 SE ≈ 1.2.
    expect(Math.abs(variance(xs) - 24)).toBeLessThan(1.2);
    expect(Math.min(...xs)).toBeGreaterThan(0);
  });

  it('Gamma(k = 0.5, θ = 1) (shape < 1 branch): mean 0.5, variance 0.5', () => {
    const rng = createRng(2);
    const xs = Array.from({ length: 20000 }, () => gamma(rng, 0.5, 1));
    // SE = √0.5/√20000 = 0.005; 4 SE = 0.02.
    expect(Math.abs(mean(xs) - 0.5)).toBeLessThan(0.02);
    // κ = 6/k = 12 → SE of the variance ≈ 0.5·√(14/20000) = 0.013; 4 SE ≈ 0.053.
    expect(Math.abs(variance(xs) - 0.5)).toBeLessThan(0.053);
  });

  it('normal: mean 0, variance 1', () => {
    const rng = createRng(3);
    const xs = Array.from({ length: 20000 }, () => normal(rng));
    // SE of the mean 1/√20000 = 0.0071 (4 SE 0.028); of the variance √(2/20000) = 0.01 (4 SE 0.04).
    expect(Math.abs(mean(xs))).toBeLessThan(0.028);
    expect(Math.abs(variance(xs) - 1)).toBeLessThan(0.04);
  });
});

describe('calibration', () => {
  it('expectedExposure: hand-computed on a 5-day window', () => {
    // span 5, 0.8·span = 4: birth offsets k = 0..3 with P = 1/4 each (k = 4 has weight 0);
    // R = 5 − k ∈ {5, 4, 3, 2}; E[min(τ, R)] = 730R/(730 + R):
    // 3650/735 = 4.965986, 2920/734 = 3.978202, 2190/733 = 2.987722, 1460/732 = 1.994536;
    // sum 13.926446 / 4 = 3.481612.
    const o: SimOptions = { seed: 1, start: 100, end: 104 };
    expect(expectedExposure(o)).toBeCloseTo(3.481612, 5);
    // λ̄ = (10 − 1)/3.481612 = 2.585010.
    expect(calibrateRate(o)).toBeCloseTo(2.58501, 5);
  });

  it('expectedExposure: partial last birth offset (span 6, 0.8·span = 4.8)', () => {
    // k = 0..3 weight 1/4.8, k = 4 weight 0.8/4.8; R = 6 − k ∈ {6, 5, 4, 3, 2}:
    // 730R/(730+R) = 5.951087, 4.965986, 3.978202, 2.987722, 1.994536;
    // (17.882997 + 0.8·1.994536)/4.8 = 19.478626/4.8 = 4.058047.
    expect(expectedExposure({ seed: 1, start: 0, end: 5 })).toBeCloseTo(4.058047, 5);
  });

  it('target 1 order per customer gives rate 0 and exactly one order each', () => {
    const o = { ...WINDOW, ordersPerCustomer: 1 };
    expect(calibrateRate(o)).toBe(0);
    expect(take(o, 200).every((c) => c.days.length === 1)).toBe(true);
  });
});

describe('simulateCustomers', () => {
  const customers = take(WINDOW, 20000);

  it('is deterministic for the seed and differs between seeds', () => {
    expect(take(WINDOW, 50)).toEqual(customers.slice(0, 50));
    const other = take({ ...WINDOW, seed: 43 }, 50);
    expect(other.map((c) => c.birth)).not.toEqual(customers.slice(0, 50).map((c) => c.birth));
  });

  it('every customer: first purchase on the birth day, ascending days inside [birth, min(end, ⌊death⌋)], cents ≥ 1, quantity 1–5', () => {
    // Birth offsets are ⌊U · 0.8 · 1096⌋ ≤ 876.
    const lastBirth = WINDOW.start + 876;
    const bad: number[] = [];
    for (const c of customers) {
      const n = c.days.length;
      let ok = n >= 1 && c.days[0] === c.birth && c.birth >= WINDOW.start && c.birth <= lastBirth && c.death > c.birth;
      ok &&= c.days[n - 1]! <= Math.min(WINDOW.end, Math.floor(c.death));
      ok &&= c.cents.length === n && c.quantity.length === n;
      for (let j = 0; ok && j < n; j++) {
        if (j > 0 && c.days[j]! < c.days[j - 1]!) ok = false;
        if (!(Number.isInteger(c.cents[j]) && c.cents[j]! >= 1)) ok = false;
        if (!(Number.isInteger(c.quantity[j]) && c.quantity[j]! >= 1 && c.quantity[j]! <= 5)) ok = false;
      }
      if (!ok) bad.push(c.index);
    }
    expect(bad).toEqual([]);
    // The bounds are reached: births up to the last allowed offset, quantities 1 and 5.
    expect(Math.max(...customers.map((c) => c.birth))).toBe(lastBirth);
    expect(new Set(customers.flatMap((c) => c.quantity))).toEqual(new Set([1, 2, 3, 4, 5]));
  });

  it('mean orders per customer = the target 10', () => {
    // SD of orders per customer ≈ 12.1 (this sample) → SE = 12.1/√20000 = 0.085; 4 SE = 0.34.
    expect(Math.abs(mean(customers.map((c) => c.days.length)) - 10)).toBeLessThan(0.34);
  });

  it('purchases after the first are Poisson with mean λ·exposure: Σ(orders − 1) ≈ Σ λ·(min(death, end + 1) − birth)', () => {
    let further = 0;
    let expected = 0;
    for (const c of customers) {
      further += c.days.length - 1;
      expected += c.rate * (Math.min(c.death, WINDOW.end + 1) - c.birth);
    }
    // A sum of independent Poissons is Poisson: SD = √expected ≈ √180,000 ≈ 424; 4 SD ≈ 0.95 % of it.
    expect(Math.abs(further - expected)).toBeLessThan(4 * Math.sqrt(expected));
  });

  it('share truly stopped (death ≤ end) = 1 − E_k[(730/(730 + R_k − 1))²] = 0.6923', () => {
    // τ is Lomax: S(t) = (730/(730 + t))²; alive at end ⇔ τ > end − birth = 1095 − k.
    // Averaged over the birth offsets k (weights as in expectedExposure), computed here:
    const L = 1096 * 0.8;
    let alive = 0;
    for (let k = 0; k < L; k++) alive += (Math.min(1, L - k) / L) * (730 / (730 + 1095 - k)) ** 2;
    expect(1 - alive).toBeCloseTo(0.6923, 4);
    const stopped = customers.filter((c) => c.death <= WINDOW.end).length / customers.length;
    // Binomial SE = √(0.69·0.31/20000) = 0.0033; 4 SE = 0.013.
    expect(Math.abs(stopped - (1 - alive))).toBeLessThan(0.013);
  });

  it('heterogeneity: mean λ = λ̄ (Gamma shape 1.5), mean of m = 60 (Gamma shape 3)', () => {
    const lambdaBar = calibrateRate(WINDOW);
    // SD(λ) = λ̄/√1.5 → SE = λ̄·0.816/√20000 = 0.0058·λ̄; 4 SE = 2.3 %.
    expect(Math.abs(mean(customers.map((c) => c.rate)) / lambdaBar - 1)).toBeLessThan(0.023);
    // SD(m) = 60/√3 = 34.6 → SE = 0.245; 4 SE = 0.98.
    expect(Math.abs(mean(customers.map((c) => c.meanSpend)) - 60)).toBeLessThan(0.98);
    // Heterogeneous: the rates are not all the same (coefficient of variation 1/√1.5 = 0.82).
    const rates = customers.map((c) => c.rate);
    expect(Math.sqrt(variance(rates)) / mean(rates)).toBeGreaterThan(0.7);
  });

  it('spend per order is Gamma around the customer mean: E[amount/m] = 1, CV 1/√6', () => {
    const ratios: number[] = [];
    for (const c of customers) for (const x of c.cents) ratios.push(x / 100 / c.meanSpend);
    // SD of amount/m = 1/√6 = 0.408 per order; ~200k orders → SE 0.0009; 4 SE = 0.0037.
    expect(Math.abs(mean(ratios) - 1)).toBeLessThan(0.0037);
    expect(Math.sqrt(variance(ratios))).toBeCloseTo(1 / Math.sqrt(6), 2);
  });

  it('CustomerDraw.draw grows its buffers past 64 purchases and matches simulateCustomers', () => {
    const o = { ...WINDOW, ordersPerCustomer: 200 };
    const rng = createRng(o.seed);
    const d = new CustomerDraw();
    const rate = calibrateRate(o);
    const stream = take(o, 30);
    let maxCount = 0;
    for (const c of stream) {
      d.draw(rng, o, rate);
      maxCount = Math.max(maxCount, d.count);
      expect(Array.from(d.days.subarray(0, d.count))).toEqual(c.days);
      expect(Array.from(d.cents.subarray(0, d.count))).toEqual(c.cents);
    }
    expect(maxCount).toBeGreaterThan(64);
  });
});
