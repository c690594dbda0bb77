/** The score stage's typed options from the parsed flags (and config): score and run build them alike. */
import { usageError } from '../../errors.js';
import { parseDuration, parseRate, type Rate } from '../../core/score/units.js';
import type { TimeUnit } from '../../core/score/units.js';
import type { ScoreOptions } from '../../pipeline/score-stage.js';

export function scoreOptionsFrom(o: Record<string, unknown>): ScoreOptions {
  const unit = String(o.unit ?? 'week') as TimeUnit;
  const horizonText = String(o.horizon ?? '12m');
  const discountText = String(o.discountRate ?? '10%/yr');
  let horizonDays: number;
  let discount: Rate;
  try {
    horizonDays = parseDuration(horizonText);
  } catch (e) {
    throw usageError(`--horizon: ${(e as Error).message}`, 'write it like 90d, 12w, 6m or 1y');
  }
  try {
    discount = parseRate(discountText);
  } catch (e) {
    throw usageError(`--discount-rate: ${(e as Error).message}`, 'write it like 10%/yr or 1%/month');
  }
  const margin = Number(o.margin ?? 1);
  if (!(margin >= 0 && margin <= 1)) throw usageError(`--margin ${String(o.margin)} is not a share between 0 and 1`, 'e.g. --margin 0.3 for 30 %');
  const th = String(o.churnThresholds ?? '0.3,0.7').split(',').map(Number);
  if (th.length !== 2 || th.some((x) => !(x >= 0 && x <= 1)) || th[0]! > th[1]!) {
    throw usageError(`--churn-thresholds "${String(o.churnThresholds)}"`, 'two p_alive values low,high between 0 and 1, e.g. 0.3,0.7');
  }
  return {
    model: String(o.model ?? 'bgnbd') as ScoreOptions['model'],
    unit,
    horizonDays,
    horizonText,
    discount,
    discountText,
    margin,
    penalizer: Number(o.penalizer ?? 0),
    churn: { medium: th[0]!, low: th[1]! },
  };
}
