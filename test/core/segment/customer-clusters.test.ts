import { describe, it, expect } from 'vitest';
import { clusterCustomers, clusterProfiles, standardizedFeatures } from '../../../src/core/segment/customer-clusters.js';
import { makeSummary, type CustomerSummary } from '../../../src/core/aggregate/customer-summary.js';
import { createRng } from '../../../src/core/math/rng.js';

/** Three well-separated synthetic groups (first day 0, as-of 400). */
function groups(): CustomerSummary[] {
  const rng = createRng(11);
  const out: CustomerSummary[] = [];
  const spec = [
    { n: 40, last: 395, orders: 20, rev: 2000 }, // recent, frequent, high spend
    { n: 60, last: 200, orders: 5, rev: 300 },
    { n: 100, last: 10, orders: 1, rev: 20 }, // lapsed one-timers
  ];
  let id = 0;
  for (const g of spec)
    for (let i = 0; i < g.n; i++) {
      const orders = Math.max(1, Math.round(g.orders * (0.9 + 0.2 * rng.next())));
      const last = Math.min(400, Math.round(g.last + 5 * rng.next()));
      out.push(makeSummary(`c${String(id++).padStart(3, '0')}`, orders, orders, g.rev * (0.9 + 0.2 * rng.next()), 0, last, 400, null));
    }
  return out;
}

describe('standardizedFeatures', () => {
  it('log1p then z-score (population sd): orders 0, e − 1, e² − 1 → logs 0, 1, 2 → −√1.5, 0, √1.5', () => {
    const s = [0, Math.E - 1, Math.E ** 2 - 1].map((o, i) => ({ ...makeSummary(`${i}`, 1, 1, -5, 0, 0, 0, null), orders: o }));
    const x = standardizedFeatures(s, ['orders', 'revenue']);
    // orders: mean 1, sd sqrt(2/3) → ±1/sqrt(2/3) = ±1.224745; revenue −5 → log1p(0) = 0 everywhere → constant → 0
    expect(Array.from(x).map((v) => +v.toFixed(6))).toEqual([-1.224745, 0, 0, 0, 1.224745, 0]);
  });
});

describe('clusterCustomers', () => {
  it("k = 'auto' finds the three groups; clusters numbered by total revenue with profiles and labels", () => {
    const s = groups();
    const r = clusterCustomers(s, { k: 'auto', seed: 5 });
    expect(r.k).toBe(3);
    expect(r.curve!.map((c) => c.k)).toEqual([2, 3, 4, 5, 6, 7, 8, 9, 10]);
    const best = r.curve!.reduce((a, b) => (b.silhouette > a.silhouette ? b : a));
    expect(best.k).toBe(3);
    // group sizes 40 / 60 / 100 with group totals ≈ 80,000 / 18,000 / 2,000 → numbering 1, 2, 3
    expect(r.profiles.map((p) => p.size)).toEqual([40, 60, 100]);
    expect(Array.from(r.cluster.slice(0, 40)).every((c) => c === 1)).toBe(true);
    expect(Array.from(r.cluster.slice(100)).every((c) => c === 3)).toBe(true);
    // overall means: days since last ≈ (40·3 + 60·198 + 100·388)/200 ≈ 254, orders ≈ 5.5, revenue ≈ 500
    expect(r.profiles.map((p) => p.label)).toEqual([
      'recent · frequent · high spend', 'recent · infrequent · low spend', 'lapsed · infrequent · low spend',
    ]);
    expect(r.profiles.reduce((a, p) => a + p.revenueShare, 0)).toBeCloseTo(1, 12);
    expect(r.silhouette).toBeGreaterThan(0.7);
    expect(r.inertia).toBeGreaterThan(0);
  });
  it('fixed k and determinism: same input + seed → identical result', () => {
    const s = groups();
    const a = clusterCustomers(s, { k: 4, seed: 3 });
    const b = clusterCustomers(s, { k: 4, seed: 3 });
    expect(a).toEqual(b);
    expect(a.curve).toBeNull();
    expect(a.profiles.length).toBe(4);
    expect(a.profiles.map((p) => p.revenue)).toEqual([...a.profiles.map((p) => p.revenue)].sort((x, y) => y - x));
  });
});

describe('clusterProfiles labels', () => {
  it('two clusters with the same profile words get the feature that tells them apart (revenue here)', () => {
    // Cluster 1: one customer, 20 orders, 5,000; cluster 2: 20 orders, 1,000; cluster 3: ten one-time buyers of 10.
    // Overall means: revenue 6,100/12 ≈ 508, orders 50/12 ≈ 4.2, days since last (5 + 5 + 10·400)/12 ≈ 334:
    // clusters 1 and 2 are both "recent · frequent · high spend"; only revenue differs (orders and days are equal).
    const s = [
      makeSummary('a', 20, 20, 5000, 0, 395, 400, null),
      makeSummary('b', 20, 20, 1000, 0, 395, 400, null),
      ...Array.from({ length: 10 }, (_, i) => makeSummary(`z${i}`, 1, 1, 10, 0, 0, 400, null)),
    ];
    const labels = clusterProfiles(s, [1, 2, ...Array(10).fill(3)], 3).map((p) => p.label);
    expect(labels).toEqual([
      'recent · frequent · high spend · revenue ≈ 5000',
      'recent · frequent · high spend · revenue ≈ 1000',
      'lapsed · infrequent · low spend',
    ]);
  });

  it('falls back to the cluster number when every mean is equal', () => {
    const s = [makeSummary('a', 2, 2, 50, 0, 300, 400, null), makeSummary('b', 2, 2, 50, 0, 300, 400, null)];
    expect(clusterProfiles(s, [1, 2], 2).map((p) => p.label)).toEqual([
      'lapsed · infrequent · low spend · revenue ≈ 50 · orders ≈ 2 · #1',
      'lapsed · infrequent · low spend · revenue ≈ 50 · orders ≈ 2 · #2',
    ]);
  });
});
