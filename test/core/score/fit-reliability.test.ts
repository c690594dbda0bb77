/** Degenerate BTYD fits are flagged (issue #24 item 8): thresholds, parameters at a bound, healthy fits pass. */
import { describe, expect, it } from 'vitest';
import { fitReliability, reliabilityText, MIN_FIT_CUSTOMERS, MIN_REPEAT_BUYERS } from '../../../src/core/score/fit-reliability.js';
import { fitBtyd } from '../../../src/core/score/fit.js';
import { sampleBgnbdPopulation } from '../../../src/core/score/btyd-population.js';
import { scoreCustomerTable, type ScoreInput } from '../../../src/pipeline/score-stage.js';
import { scoreOptionsFrom } from '../../../src/cli/stage-options/score.js';

/** Score inputs (in days) of per-customer (x, t_x, T); revenue 10 per order, repeat spend 10. */
function input(x: ArrayLike<number>, tx: ArrayLike<number>, T: ArrayLike<number>): ScoreInput {
  const n = x.length;
  const f = (g: (i: number) => number): Float64Array => Float64Array.from({ length: n }, (_, i) => g(i));
  return {
    frequency: f((i) => x[i]!),
    recencyDays: f((i) => tx[i]!),
    TDays: f((i) => T[i]!),
    repeatAvg: f((i) => (x[i]! > 0 ? 10 : NaN)),
    revenue: f((i) => 10 * (x[i]! + 1)),
    orders: f((i) => x[i]! + 1),
  };
}

describe('fit reliability', () => {
  it('two customers over five days: converged, but unreliable with every reason', () => {
    // One customer bought on days 0, 2, 4 (x 2, t_x 4, T 5), the other once on day 3 (T 2).
    const res = scoreCustomerTable(input([2, 0], [4, 0], [5, 2]), scoreOptionsFrom({ unit: 'day' }));
    expect(res.fit?.converged).toBe(true);
    expect(res.reliability.reliable).toBe(false);
    const reasons = res.reliability.reasons.map((r) => r.reason);
    expect(reasons.slice(0, 2)).toEqual(['few_customers', 'few_repeat_buyers']);
    expect(res.reliability.reasons[0]).toEqual({ reason: 'few_customers', value: 2, minimum: MIN_FIT_CUSTOMERS });
    expect(res.reliability.reasons[1]).toEqual({ reason: 'few_repeat_buyers', value: 1, minimum: MIN_REPEAT_BUYERS });
    // The optimum on two customers runs off to the boundary: at least one parameter is flagged.
    expect(reasons).toContain('parameter_at_bound');
    expect(res.notes.filter((n) => n.startsWith('fit unreliable: 2 customers (need 100); 1 repeat buyers (need 30); bgnbd '))).toHaveLength(1);
  });

  it('a parameter is at a bound when its scaled value leaves [1e-5, 1e5]', () => {
    // Three customers: r, α and b run off (orders_basic.csv's fit: r 1.6e6, b 1e-12).
    const f = fitBtyd('bgnbd', { x: Float64Array.of(1, 1, 0), tx: Float64Array.of(2.9, 1.3, 0), T: Float64Array.of(3, 1.9, 3.1) });
    expect(f.atBound.length).toBeGreaterThan(0);
    for (const p of f.atBound) expect(f.params[p]! > 1e4 || f.params[p]! < 1e-4).toBe(true);
    const rel = fitReliability(f, null, 200, 50);
    expect(rel.reasons.every((r) => r.reason === 'parameter_at_bound')).toBe(true);
    expect(reliabilityText(rel)).toMatch(/^bgnbd \w+ = [\d.e+-]+ at a bound/);
  });

  it('no converged model is unreliable', () => {
    expect(fitReliability(null, null, 500, 200)).toEqual({ reliable: false, reasons: [{ reason: 'not_converged' }] });
  });

  it('a generated BG/NBD population of 2,000 customers is reliable', () => {
    // r 0.25, α 4 days, a 0.8, b 2.5 over a year: the CDNOW-like shape.
    const pop = sampleBgnbdPopulation(2000, { r: 0.25, alpha: 4, a: 0.8, b: 2.5 }, 365, 7);
    const res = scoreCustomerTable(input(pop.x, pop.tx, pop.T), scoreOptionsFrom({ unit: 'day' }));
    expect(res.fit?.converged).toBe(true);
    expect(res.fit?.atBound).toEqual([]);
    expect(res.reliability).toEqual({ reliable: true, reasons: [] });
    expect(res.notes.some((n) => n.startsWith('fit unreliable'))).toBe(false);
  });
});
