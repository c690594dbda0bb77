import { describe, expect, it } from 'vitest';
import { churnMetrics, forecastMetrics } from '../../../src/core/score/backtest.js';
import { bgnbdConditionalExpected } from '../../../src/core/score/bgnbd.js';
import { fitBtyd } from '../../../src/core/score/fit.js';
import { HAS_SHARED, SKIP_SHARED_REASON } from '../../helpers/shared.js';
import { cdnowFromTransactions } from './cdnow.js';

describe('forecastMetrics', () => {
  it('computes totals, MAE, RMSE and the calibration table by hand', () => {
    // pred (1, 2, 0.5, 4), actual (0, 3, 0, 8), calibration x (0, 1, 0, 9) with maxBin 2:
    // errors 1, −1, 0.5, −4 → MAE = 6.5/4 = 1.625, RMSE = sqrt((1+1+0.25+16)/4) = sqrt(4.5625) = 2.13600…
    const m = forecastMetrics([1, 2, 0.5, 4], [0, 3, 0, 8], [0, 1, 0, 9], 2);
    expect(m.predictedTotal).toBe(7.5);
    expect(m.actualTotal).toBe(11);
    expect(m.mae).toBe(1.625);
    expect(m.rmse).toBeCloseTo(Math.sqrt(4.5625), 14);
    expect(m.calibration).toEqual([
      { bin: '0', count: 2, meanPredicted: 0.75, meanActual: 0 },
      { bin: '1', count: 1, meanPredicted: 2, meanActual: 3 },
      { bin: '2+', count: 1, meanPredicted: 4, meanActual: 8 },
    ]);
    expect(() => forecastMetrics([1], [1, 2], [0])).toThrow(RangeError);
  });
});

describe('churnMetrics', () => {
  it('error rate (错误率) and miss rate (遗漏率) by hand', () => {
    // flagged: T T T F F; bought again: T F F F T → flagged 3, of which 1 bought (error 1/3);
    // churners (no purchase) are #2, #3, #4 = 3, of which #4 not flagged (miss 1/3).
    const m = churnMetrics([true, true, true, false, false], [true, false, false, false, true]);
    // F1 with churned as positive: TP = 2 → 2·2 / (4 + 1 + 1) = 2/3.
    expect(m).toEqual({ n: 5, flagged: 3, actualChurners: 3, falseAlarms: 1, missed: 1, errorRate: 1 / 3, missRate: 1 / 3, f1: 2 / 3 });
    const none = churnMetrics([false, false], [1, 1]);
    expect(none.errorRate).toBeNull();
    expect(none.missRate).toBeNull();
    expect(none.f1).toBeNull();
  });
});

describe.skipIf(!HAS_SHARED)('CDNOW 39-week holdout (FHL 2005 Fig. 4; R BTYD walkthrough §4)', () => {
  if (!HAS_SHARED) console.warn(SKIP_SHARED_REASON);
  it('conditional expectations by calibration frequency match the walkthrough', () => {
    const t = cdnowFromTransactions();
    const f = fitBtyd('bgnbd', t);
    const p = f.params as { r: number; alpha: number; a: number; b: number };
    const pred = Float64Array.from(t.x, (x, i) => bgnbdConditionalExpected(p, 39, x, t.tx[i]!, t.T[i]!));
    const m = forecastMetrics(pred, t.holdout, t.x);
    // Walkthrough: bin sizes 1411, 439, 214, 100, 62, 38, 29, 64; actual means 0.237, 0.697, 1.393,
    // 1.560, 2.532, 2.947, 3.862, 6.359; BG/NBD expected 0.2250893, 0.5231364, 1.044126, 1.520256,
    // 2.163824, 2.653789, 3.503957, 6.157036.
    expect(m.calibration.map((c) => c.count)).toEqual([1411, 439, 214, 100, 62, 38, 29, 64]);
    const actual = [0.237, 0.697, 1.393, 1.56, 2.532, 2.947, 3.862, 6.359];
    const expected = [0.2250893, 0.5231364, 1.044126, 1.520256, 2.163824, 2.653789, 3.503957, 6.157036];
    m.calibration.forEach((c, i) => {
      expect(c.meanActual).toBeCloseTo(actual[i]!, 3);
      expect(c.meanPredicted).toBeCloseTo(expected[i]!, 3);
    });
    // 1,882 holdout repeat purchase-days (REFERENCE §6); the 1,411 zeros made 334 of them.
    expect(m.actualTotal).toBe(1882);
    expect(m.calibration[0]!.meanActual * 1411).toBeCloseTo(334, 9);
  });
});
