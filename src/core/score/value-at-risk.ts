/**
 * value_at_risk = (1 − p_alive) × clv, from the cells as written (p_alive to 6 places, clv to
 * 2), so that anyone can check it from the table: the part of the expected value over the
 * horizon (clv: model, horizon, discount rate and margin as in fit.json) that belongs to
 * customers the model thinks may have left. Bounded by clv; NaN when there is no p_alive
 * (historic fallback: no model to say).
 */
export function valueAtRisk(pAlive: number, clv: number): number {
  if (!Number.isFinite(pAlive) || !Number.isFinite(clv)) return NaN;
  const pa = Math.round(pAlive * 1e6) / 1e6;
  const c = Math.round(clv * 100) / 100;
  return Math.round((1 - pa) * c * 100) / 100;
}
