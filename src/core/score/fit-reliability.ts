/**
 * Is a BTYD fit worth trusting? A maximum-likelihood fit on a handful of customers "converges"
 * happily to a degenerate optimum (r and α running off to 10⁶, b to 10⁻¹²): the likelihood is
 * flat there and the optimiser stops where the gradient vanishes. Such a fit is flagged
 * `reliable: false` with the reasons; scoring still runs (the numbers are what the fit gives).
 *
 * Reasons (docs/definitions.md, "Fit reliability"):
 * - few_customers: fewer than MIN_FIT_CUSTOMERS customers in the fit;
 * - few_repeat_buyers: fewer than MIN_REPEAT_BUYERS customers with frequency ≥ 1 (the repeat
 *   purchases are what identify the purchase and dropout processes);
 * - parameter_at_bound: a parameter of the chosen model (or of Gamma-Gamma, when its values are
 *   used) whose value in the optimiser's scaled units (data rescaled to mean T = 1, mean spend =
 *   1, see fit.ts) is outside [PARAM_MIN, PARAM_MAX]. The optimiser works on unbounded
 *   log-parameters, so a parameter heading for 0 or ∞ is the sign of a boundary optimum;
 * - not_converged: no model converged (the scores fall back to historic rates).
 */
import type { FitResult } from './fit.js';

export const MIN_FIT_CUSTOMERS = 100;
export const MIN_REPEAT_BUYERS = 30;
export const PARAM_MIN = 1e-5;
export const PARAM_MAX = 1e5;

export type UnreliableReason =
  | { reason: 'few_customers'; value: number; minimum: number }
  | { reason: 'few_repeat_buyers'; value: number; minimum: number }
  | { reason: 'parameter_at_bound'; model: string; parameter: string; value: number }
  | { reason: 'not_converged' };

export interface FitReliability {
  reliable: boolean;
  reasons: UnreliableReason[];
}

/** True when a parameter in the optimiser's scaled units lies outside [PARAM_MIN, PARAM_MAX]. */
export const atBound = (scaled: number): boolean => !(scaled >= PARAM_MIN && scaled <= PARAM_MAX);

/**
 * The reliability of a scoring: `fit` the chosen BTYD fit (null: none converged), `gg` the
 * Gamma-Gamma fit when its parameters are used, `customers` and `repeatBuyers` counted on the input.
 */
export function fitReliability(fit: FitResult | null, gg: FitResult | null, customers: number, repeatBuyers: number): FitReliability {
  const reasons: UnreliableReason[] = [];
  if (!fit) reasons.push({ reason: 'not_converged' });
  if (customers < MIN_FIT_CUSTOMERS) reasons.push({ reason: 'few_customers', value: customers, minimum: MIN_FIT_CUSTOMERS });
  if (repeatBuyers < MIN_REPEAT_BUYERS) reasons.push({ reason: 'few_repeat_buyers', value: repeatBuyers, minimum: MIN_REPEAT_BUYERS });
  for (const f of [fit, gg]) {
    if (!f) continue;
    for (const p of f.atBound) reasons.push({ reason: 'parameter_at_bound', model: f.model, parameter: p, value: f.params[p]! });
  }
  return { reliable: reasons.length === 0, reasons };
}

const num = (v: number): string => (Math.abs(v) >= 1e4 || (Math.abs(v) < 1e-3 && v !== 0) ? v.toExponential(2) : String(Number(v.toPrecision(4))));

/** The reasons in one English phrase (stderr), e.g. "3 customers (need 100); bgnbd r = 1.57e+6 at a bound". */
export function reliabilityText(r: FitReliability): string {
  return r.reasons
    .map((x) => {
      switch (x.reason) {
        case 'few_customers': return `${x.value} customers (need ${x.minimum})`;
        case 'few_repeat_buyers': return `${x.value} repeat buyers (need ${x.minimum})`;
        case 'parameter_at_bound': return `${x.model} ${x.parameter} = ${num(x.value)} at a bound`;
        case 'not_converged': return 'no model converged';
      }
    })
    .join('; ');
}
