/**
 * Back-test metrics: compare per-customer predictions for a holdout period with what happened.
 * Pure functions over parallel arrays (index i = customer i).
 */

export interface CalibrationRow {
  /** Calibration-period repeat purchases: '0', '1', …, and the last bin 'k+' (default '7+'). */
  bin: string;
  count: number;
  meanPredicted: number;
  meanActual: number;
}

export interface ForecastMetrics {
  n: number;
  predictedTotal: number;
  actualTotal: number;
  /** Mean absolute error (1/n) Σ |pred − actual|. */
  mae: number;
  /** Root mean squared error sqrt((1/n) Σ (pred − actual)²). */
  rmse: number;
  /** Holdout purchases by calibration frequency, as in FHL 2005 Figure 4 / BTYD walkthrough. */
  calibration: CalibrationRow[];
}

/**
 * Forecast accuracy of expected holdout purchases against actual holdout purchases, with the
 * conditional-expectation table by calibration frequency x = 0 … maxBin−1 and maxBin+ (default
 * 7 → bins 0…6 and '7+'). Empty bins are omitted. O(n).
 */
export function forecastMetrics(predicted: ArrayLike<number>, actual: ArrayLike<number>, calibrationX: ArrayLike<number>, maxBin = 7): ForecastMetrics {
  const n = predicted.length;
  if (actual.length !== n || calibrationX.length !== n) throw new RangeError('predicted, actual and calibrationX must have the same length');
  let pt = 0, at = 0, ae = 0, se = 0;
  const cnt = new Float64Array(maxBin + 1);
  const sp = new Float64Array(maxBin + 1);
  const sa = new Float64Array(maxBin + 1);
  for (let i = 0; i < n; i++) {
    const p = predicted[i]!;
    const a = actual[i]!;
    pt += p;
    at += a;
    ae += Math.abs(p - a);
    se += (p - a) * (p - a);
    const b = Math.min(maxBin, Math.max(0, Math.floor(calibrationX[i]!)));
    cnt[b]!++;
    sp[b]! += p;
    sa[b]! += a;
  }
  const calibration: CalibrationRow[] = [];
  for (let b = 0; b <= maxBin; b++)
    if (cnt[b]! > 0)
      calibration.push({ bin: b === maxBin ? `${b}+` : String(b), count: cnt[b]!, meanPredicted: sp[b]! / cnt[b]!, meanActual: sa[b]! / cnt[b]! });
  return { n, predictedTotal: pt, actualTotal: at, mae: n ? ae / n : 0, rmse: n ? Math.sqrt(se / n) : 0, calibration };
}

export interface ChurnMetrics {
  n: number;
  /** Customers the rule flags as "will not buy again in the holdout". */
  flagged: number;
  /** Customers who in fact made no holdout purchase. */
  actualChurners: number;
  /** Flagged but bought again. */
  falseAlarms: number;
  /** Not flagged but did not buy. */
  missed: number;
  /** 错误率 = falseAlarms / flagged; null when nobody is flagged. */
  errorRate: number | null;
  /** 遗漏率 = missed / actualChurners; null when nobody churned. */
  missRate: number | null;
  /**
   * F1 of the flag with "churned" as the positive class: with TP = flagged − falseAlarms,
   * F1 = 2·TP / (2·TP + falseAlarms + missed), the harmonic mean of precision (1 − error rate)
   * and recall (1 − miss rate); null when nobody is flagged and nobody churned.
   */
  f1: number | null;
}

/**
 * Error and miss rates of any boolean churn predictor (P(alive) < threshold, a sleeping-segment
 * rule, "no purchase for 90 days", …): flagged[i] = predicted not to buy again, boughtAgain[i] =
 * at least one holdout purchase. O(n).
 */
export function churnMetrics(flagged: ArrayLike<boolean | number>, boughtAgain: ArrayLike<boolean | number>): ChurnMetrics {
  const n = flagged.length;
  if (boughtAgain.length !== n) throw new RangeError('flagged and boughtAgain must have the same length');
  let f = 0, c = 0, fa = 0, mi = 0;
  for (let i = 0; i < n; i++) {
    const fl = !!flagged[i];
    const churned = !boughtAgain[i];
    if (fl) f++;
    if (churned) c++;
    if (fl && !churned) fa++;
    if (!fl && churned) mi++;
  }
  const tp = f - fa;
  const f1d = 2 * tp + fa + mi;
  return { n, flagged: f, actualChurners: c, falseAlarms: fa, missed: mi, errorRate: f ? fa / f : null, missRate: c ? mi / c : null, f1: f1d ? (2 * tp) / f1d : null };
}
