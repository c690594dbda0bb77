import { describe, it, expect } from 'vitest';
import { sleepStates } from '../../../src/core/segment/sleep-states.js';
import { makeSummary, type CustomerSummary } from '../../../src/core/aggregate/customer-summary.js';

/** Every customer's reason text, in order. */
const reasons = (r: ReturnType<typeof sleepStates>): string[] => r.state.map((_, i) => r.reasonAt(i));

/** A customer with `days` purchase days evenly `gap` apart, last purchase `dsl` days before as-of 1000. */
function cust(id: string, days: number, gap: number, dsl: number, revenue: number): CustomerSummary {
  const last = 1000 - dsl;
  return makeSummary(id, days, days, revenue, last - (days - 1) * gap, last, 1000, null);
}

describe('sleepStates, days rule', () => {
  it('inclusive thresholds 30/60/90/180 and reasons; no overdue factor', () => {
    const s = [29, 30, 60, 89, 90, 180].map((d, i) => cust(`c${i}`, 1, 0, d, 100));
    const r = sleepStates(s, { rule: 'days' });
    expect(r.state).toEqual(['active', 'drowsy', 'half-asleep', 'half-asleep', 'deep-sleep', 'lost']);
    expect(reasons(r)).toEqual(['days: 29 < 30', 'days: 30 ≥ 30', 'days: 60 ≥ 60', 'days: 89 ≥ 60', 'days: 90 ≥ 90', 'days: 180 ≥ 180']);
    expect(Array.from(r.overdueFactor).every(Number.isNaN)).toBe(true);
    // Value at risk is no sleep figure (score-stage.ts: (1 − p_alive) × clv): no run rate here.
    expect('valueAtRisk' in r).toBe(false);
  });
});

describe('sleepStates, cycle rule', () => {
  // repeaters' mean intervals: 10 (x = 4), 20 (x = 1), 30 (x = 2), 40 (x = 1) → P = median 25, O = 75th pct:
  // type 7 on [10, 20, 30, 40] at 0.75: h = 2.25 → 30 + 0.25·10 = 32.5
  const pop = [cust('a', 5, 10, 12, 500), cust('b', 2, 20, 100, 200), cust('c', 3, 30, 0, 300), cust('d', 2, 40, 400, 80), cust('e', 1, 0, 65, 50)];
  it('population interval, shrunk expected intervals, factors and states', () => {
    const r = sleepStates(pop);
    expect([r.rule, r.populationInterval, r.oneTimeInterval]).toEqual(['cycle', 25, 32.5]);
    // a: E = (4·10 + 2·25)/6 = 15, factor 12/15 = 0.8 → active
    // default factor thresholds 1.5 / 2 / 3 / 6
    // b: E = (1·20 + 50)/3 = 23.333…, 100/23.33 = 4.2857 → deep-sleep (≥ 3, < 6)
    // c: E = (2·30 + 50)/4 = 27.5, 0 → active
    // d: E = (40 + 50)/3 = 30, 400/30 = 13.33 → lost
    // e: one-time, E = O = 32.5, 65/32.5 = 2 → half-asleep (≥ 2, < 3)
    expect(Array.from(r.overdueFactor)).toEqual([0.8, 4.285714, 0, 13.333333, 2]);
    expect(r.state).toEqual(['active', 'deep-sleep', 'active', 'lost', 'half-asleep']);
    expect(reasons(r)).toEqual([
      'cycle: 0.8× expected 15 d < 1.5',
      'cycle: 4.29× expected 23 d ≥ 3',
      'cycle: 0× expected 28 d < 1.5',
      'cycle: 13.33× expected 30 d ≥ 6',
      'cycle: 2× expected 33 d ≥ 2',
    ]);
  });
  it('options: k0, one-time quantile, custom factor thresholds, overrides', () => {
    // k0 = 0: b's own interval 20 → 100/20 = 5 → deep-sleep; one-time quantile 0.5 → O = 25 → e 65/25 = 2.6 → half-asleep
    const r = sleepStates(pop, { k0: 0, oneTimeQuantile: 0.5 });
    expect([r.state[1], r.overdueFactor[1], r.state[4], r.overdueFactor[4]]).toEqual(['deep-sleep', 5, 'half-asleep', 2.6]);
    const q = sleepStates(pop, { populationInterval: 100, oneTimeInterval: 10, factorThresholds: [1, 2, 3, 4] });
    // a: (40 + 200)/6 = 40 → 0.3 active; e: 65/10 = 6.5 → lost
    expect([q.state[0], q.state[4]]).toEqual(['active', 'lost']);
    expect(() => sleepStates(pop, { factorThresholds: [2, 1, 3, 4] })).toThrow(RangeError);
  });
  it('falls back to the days rule when nobody repeated', () => {
    const r = sleepStates([cust('x', 1, 0, 45, 10)]);
    expect([r.rule, r.state[0], r.reasonAt(0)]).toEqual(['days', 'drowsy', 'days (no repeat customers): 45 ≥ 30']);
  });
});
