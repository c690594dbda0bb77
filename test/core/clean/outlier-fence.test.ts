import { describe, it, expect } from 'vitest';
import { exceedsFence, OutlierFence } from '../../../src/core/clean/outlier-fence.js';

describe('OutlierFence (modified z on ln amount, Iglewicz & Hoaglin 1993)', () => {
  it('hand example: 5 ordinary amounts and 2 large ones', () => {
    // ln values 0.0005, 0.1005, 0.2005, 0.3005, 0.4005, 1.5005, 3.0005 → bins 14000, 14100,
    // 14200, 14300, 14400, 15500, 17000. n = 7, lower-median rank ⌈7/2⌉ = 4 → bin 14300,
    // median = −14 + 14300.5/1000 = 0.3005. |bin − 14300| = 300, 200, 100, 0, 100, 1200, 2700 →
    // sorted 0, 100, 100, 200, 300, 1200, 2700 → 4th = 200 bins → MAD = 0.2.
    // Fence = median + 3.5·MAD/0.6745 = 0.3005 + 1.0378057820607858 = 1.3383057820607858;
    // in bins 14300.5 + 1037.8057820607858 = 15338.305… → snapped up to bin 15339, ln edge
    // −14 + 15.339 = 1.339, threshold e^1.339 = 3.8153…; bins ≥ 15339: 15500 and 17000 → 2.
    const f = new OutlierFence();
    for (const x of [0.0005, 0.1005, 0.2005, 0.3005, 0.4005, 1.5005, 3.0005]) f.add(Math.exp(x));
    f.add(0); // ignored: not in the log domain
    f.add(-50);
    const r = f.fence();
    expect(r.n).toBe(7);
    expect(r.median).toBeCloseTo(0.3005, 12);
    expect(r.mad).toBeCloseTo(0.2, 12);
    expect(r.lnFence).toBeCloseTo(1.3383057820607858, 10);
    expect(r.edgeBin).toBe(15339);
    expect(r.threshold).toBeCloseTo(Math.exp(1.339), 10);
    expect(r.expected).toBe(2);
    // z of ln 1.5005 = 0.6745·1.2/0.2 = 4.047 > 3.5 → outlier; e^1.3385 (bin 15338) is just under the snapped edge.
    expect(exceedsFence(r, Math.exp(1.5005))).toBe(true);
    expect(exceedsFence(r, Math.exp(1.3395))).toBe(true);
    expect(exceedsFence(r, Math.exp(1.3385))).toBe(false);
    expect(exceedsFence(r, Math.exp(0.4005))).toBe(false);
    expect(exceedsFence(r, -1e9)).toBe(false);
  });
  it('MAD = 0 (over half the amounts in one bin): no fence', () => {
    // 10, 10, 10, 1000: median bin = bin of 10, 3 of 4 deviations are 0 → MAD 0 → z undefined.
    const f = new OutlierFence();
    for (const a of [10, 10, 10, 1000]) f.add(a);
    const r = f.fence();
    expect([r.mad, r.threshold, r.expected]).toEqual([0, Infinity, 0]);
    expect(exceedsFence(r, 1e6)).toBe(false);
  });
  it('no amounts: no fence', () => {
    expect(new OutlierFence().fence()).toMatchObject({ n: 0, threshold: Infinity, expected: 0 });
  });
  it('expected equals the number of added amounts that exceed the fence', () => {
    // Deterministic skewed sample: a_i = 20·1.01^(i mod 97) plus every 50th amount ×100.
    const f = new OutlierFence();
    const xs: number[] = [];
    for (let i = 0; i < 2000; i++) xs.push(20 * Math.pow(1.01, i % 97) * (i % 50 === 0 ? 100 : 1));
    xs.forEach((x) => f.add(x));
    const r = f.fence();
    expect(r.expected).toBe(xs.filter((x) => exceedsFence(r, x)).length);
    expect(r.expected).toBe(40); // the 40 ×100 amounts: ln 100 = 4.6 ≫ 3.5·MAD/0.6745 (MAD ≈ 0.24)
  });
});
