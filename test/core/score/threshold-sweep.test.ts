import { describe, expect, it } from 'vitest';
import { bgnbdProbabilityAlive } from '../../../src/core/score/bgnbd.js';
import { fitBtyd } from '../../../src/core/score/fit.js';
import { bestByF1, SWEEP_THRESHOLDS, thresholdSweep } from '../../../src/core/score/threshold-sweep.js';
import { HAS_SHARED, SKIP_SHARED_REASON } from '../../helpers/shared.js';
import { cdnowFromTransactions } from './cdnow.js';

/** The rates of one flag, counted the plain way (churned = no holdout purchase). */
function plainRates(flag: boolean[], churned: boolean[]) {
  let flagged = 0, churners = 0, falseAlarm = 0, missed = 0;
  flag.forEach((f, i) => {
    if (f) flagged++;
    if (churned[i]) churners++;
    if (f && !churned[i]) falseAlarm++;
    if (!f && churned[i]) missed++;
  });
  const precision = (flagged - falseAlarm) / flagged;
  const recall = (churners - missed) / churners;
  return { flagged, errorRate: falseAlarm / flagged, missRate: missed / churners, f1: (2 * precision * recall) / (precision + recall) };
}

describe('thresholdSweep', () => {
  it('thresholds are 0.05 … 0.95 exactly', () => {
    expect(SWEEP_THRESHOLDS.length).toBe(19);
    expect(SWEEP_THRESHOLDS[0]).toBe(0.05);
    expect(SWEEP_THRESHOLDS[9]).toBe(0.5);
    expect(SWEEP_THRESHOLDS[18]).toBe(0.95);
  });
  it('by hand: five customers, two thresholds', () => {
    // p_alive 0.1 0.3 0.6 0.2 0.9; bought again: no yes no no yes.
    // t = 0.25 flags #1, #4 → both churned: error 0, miss 1/3 (#3 missed), F1 = 2·2/(4+0+1) = 0.8.
    // t = 0.65 flags #1 #2 #3 #4 → #2 bought: error 1/4, miss 0, F1 = 2·3/(6+1+0) = 6/7.
    const rows = thresholdSweep([0.1, 0.3, 0.6, 0.2, 0.9], [false, true, false, false, true], [0.25, 0.65]);
    expect(rows.map((r) => [r.threshold, r.flagged, r.errorRate, r.missRate, r.f1])).toEqual([
      [0.25, 2, 0, 1 / 3, 0.8],
      [0.65, 4, 0.25, 0, 6 / 7],
    ]);
    expect(bestByF1(rows)!.threshold).toBe(0.65);
    // NaN p_alive (no model) is never flagged.
    expect(thresholdSweep([NaN], [false], [0.5])[0]!.flagged).toBe(0);
  });
  it('bestByF1: the lowest threshold among equal F1; null without any F1', () => {
    expect(bestByF1([{ f1: 0.5, t: 1 }, { f1: 0.5, t: 2 }])!.t).toBe(1);
    expect(bestByF1([{ f1: null }])).toBeNull();
  });
});

describe.skipIf(!HAS_SHARED)(HAS_SHARED ? 'threshold sweep on the CDNOW 39-week holdout, recomputed independently' : SKIP_SHARED_REASON, () => {
  it('every row equals plain counting of p_alive < t against "no holdout purchase"', () => {
    const t = cdnowFromTransactions();
    const p = fitBtyd('bgnbd', t).params as { r: number; alpha: number; a: number; b: number };
    const pa = Array.from(t.x, (x, i) => bgnbdProbabilityAlive(p, x, t.tx[i]!, t.T[i]!));
    const churned = Array.from(t.holdout, (h) => h === 0);
    const rows = thresholdSweep(pa, churned.map((c) => !c));
    for (const r of rows) {
      const e = plainRates(pa.map((v) => v < r.threshold), churned);
      expect(r.flagged).toBe(e.flagged);
      expect(r.errorRate).toBeCloseTo(e.errorRate, 12);
      expect(r.missRate).toBeCloseTo(e.missRate, 12);
      expect(r.f1).toBeCloseTo(e.f1, 12);
    }
    // Issue #27: BG/NBD p_alive < 0.5 misses most churners (every one-time buyer has p_alive 1).
    expect(rows[9]!.missRate).toBeGreaterThan(0.8);
  });
});
