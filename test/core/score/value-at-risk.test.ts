/**
 * Value at risk (#25 item 6): (1 − p_alive) × clv, checked on a case computed by hand from the
 * BG/NBD closed forms with the published CDNOW parameters (Fader, Hardie & Lee 2005, "Counting
 * your customers the easy way", §5: the customer with x = 2, t_x = 30.43, T = 38.86 weeks
 * expects 1.226 purchases in the next 39 weeks).
 */
import { describe, expect, it } from 'vitest';
import { customerClv, probabilityAlive, type FittedBtyd } from '../../../src/core/score/clv.js';
import { valueAtRisk } from '../../../src/pipeline/score-stage.js';

const m: FittedBtyd = { model: 'bgnbd', params: { r: 0.2426, alpha: 4.4136, a: 0.7929, b: 2.4259 }, unitDays: 7 };

describe('value at risk', () => {
  it('hand case: (1 − P(alive)) × expected value over 39 weeks, undiscounted, 10 per order, margin 1', () => {
    const [x, tx, T] = [2, 30.43, 38.86];
    // P(alive) = 1 / (1 + a/(b + x − 1) · ((α + T)/(α + t_x))^(r + x))
    //          = 1 / (1 + 0.7929/3.4259 · (43.2736/34.8436)^2.2426) = 1 / (1 + 0.23144 · 1.62566) = 0.72660
    const paHand = 1 / (1 + (0.7929 / 3.4259) * Math.pow(43.2736 / 34.8436, 2.2426));
    expect(paHand).toBeCloseTo(0.7266, 4);
    const pa = probabilityAlive(m, x, tx, T);
    expect(pa).toBeCloseTo(paHand, 10);
    // clv = 10 × E[Y(39) | x, t_x, T] = 10 × 1.226 (published), one step, no discount.
    const { clv } = customerClv(m, x, tx, T, 10, { horizonDays: 39 * 7, stepDays: 39 * 7, discount: { rate: 0, perDays: 365.25 } });
    expect(clv).toBeCloseTo(12.26, 2);
    // value at risk = (1 − 0.72660) × 12.26 = 3.35 (to the cent, from the cells as written).
    const v = valueAtRisk(pa, clv);
    expect(v).toBe(Math.round((1 - Math.round(pa * 1e6) / 1e6) * (Math.round(clv * 100) / 100) * 100) / 100);
    expect(v).toBeCloseTo(3.35, 2);
  });

  it('is never more than clv, 0 for a customer surely alive, all of clv for one surely gone, empty without p_alive', () => {
    expect(valueAtRisk(1, 500)).toBe(0);
    expect(valueAtRisk(0, 500)).toBe(500);
    expect(valueAtRisk(0.25, 100)).toBe(75);
    expect(valueAtRisk(NaN, 100)).toBeNaN();
    for (const [pa, clv] of [[0.1234567, 999.999], [0.5, 0.01], [0.999999, 1e6]] as const) expect(valueAtRisk(pa, clv)).toBeLessThanOrEqual(Math.round(clv * 100) / 100);
  });
});
