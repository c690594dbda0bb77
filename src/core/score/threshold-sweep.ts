/**
 * Churn-flag threshold sweep: flag "will not buy again in the holdout" when p_alive < t, for
 * t = 0.05, 0.10, …, 0.95, and score each flag against what happened (backtest.ts churnMetrics).
 * Pure functions over parallel arrays (index i = customer i).
 */
import { churnMetrics, type ChurnMetrics } from './backtest.js';

/** 0.05 … 0.95 in steps of 0.05, written as k/20 so that every value prints exactly. */
export const SWEEP_THRESHOLDS: readonly number[] = Array.from({ length: 19 }, (_, k) => (k + 1) / 20);

export interface SweepRow extends ChurnMetrics {
  threshold: number;
}

/**
 * Metrics of the flag p_alive < t at each threshold. NaN p_alive (no model) is never flagged.
 * O(n × thresholds).
 */
export function thresholdSweep(pAlive: ArrayLike<number>, boughtAgain: ArrayLike<boolean | number>, thresholds: readonly number[] = SWEEP_THRESHOLDS): SweepRow[] {
  const flags = new Uint8Array(pAlive.length);
  return thresholds.map((t) => {
    for (let i = 0; i < pAlive.length; i++) flags[i] = pAlive[i]! < t ? 1 : 0;
    return { threshold: t, ...churnMetrics(flags, boughtAgain) };
  });
}

/** The row with the highest F1 (the lowest threshold among equals); null when no row has one. */
export function bestByF1<T extends { f1: number | null }>(rows: readonly T[]): T | null {
  let best: T | null = null;
  for (const r of rows) if (r.f1 !== null && (best === null || r.f1 > best.f1!)) best = r;
  return best;
}
