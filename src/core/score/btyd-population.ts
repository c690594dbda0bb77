/**
 * Simulates a customer base from the BG/NBD process (Fader, Hardie & Lee 2005, §2): each
 * customer draws λ ~ Gamma(r, rate α) and p ~ Beta(a, b); the first purchase is at time 0;
 * inter-purchase times are Exponential(λ); after each repeat purchase the customer dies with
 * probability p (so nobody dies at time 0, matching P(alive | x = 0) = 1). Observation of
 * customer i ends at T_i. Times are in days, so α is in days. All randomness comes from
 * createRng(seed): the same seed gives the same population.
 */
import { createRng, type Rng } from '../math/rng.js';
import type { BgnbdParams } from './bgnbd.js';

export interface SampledPopulation {
  /** Purchase times per customer, days since that customer's first purchase (first entry 0). */
  purchases: Float64Array[];
  /** Time of death in days (ground truth "stopped"); Infinity when still alive at T. */
  deathTime: Float64Array;
  /** The (x, t_x, T) summary in days. */
  x: Float64Array;
  tx: Float64Array;
  T: Float64Array;
  /** True λ and p per customer. */
  lambda: Float64Array;
  p: Float64Array;
}

/** Standard normal by Box–Muller. */
function normal(rng: Rng): number {
  const u = 1 - rng.next();
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * rng.next());
}

/** Gamma(shape, scale 1) by Marsaglia & Tsang (2000), with U^{1/k} boosting for shape < 1. */
export function sampleGamma(rng: Rng, shape: number): number {
  if (shape < 1) return sampleGamma(rng, shape + 1) * Math.pow(1 - rng.next(), 1 / shape);
  const d = shape - 1 / 3;
  const c = 1 / Math.sqrt(9 * d);
  for (;;) {
    let x: number, v: number;
    do {
      x = normal(rng);
      v = 1 + c * x;
    } while (v <= 0);
    v = v * v * v;
    const u = 1 - rng.next();
    if (Math.log(u) < 0.5 * x * x + d - d * v + d * Math.log(v)) return d * v;
  }
}

/**
 * n customers with BG/NBD parameters (α in days) and observation lengths T (one number for all
 * customers, or one per customer), deterministic in seed. O(total purchases).
 */
export function sampleBgnbdPopulation(n: number, params: BgnbdParams, T: number | Float64Array, seed: number): SampledPopulation {
  const rng = createRng(seed);
  const out: SampledPopulation = {
    purchases: [],
    deathTime: new Float64Array(n),
    x: new Float64Array(n),
    tx: new Float64Array(n),
    T: new Float64Array(n),
    lambda: new Float64Array(n),
    p: new Float64Array(n),
  };
  for (let i = 0; i < n; i++) {
    const Ti = typeof T === 'number' ? T : T[i]!;
    const lambda = sampleGamma(rng, params.r) / params.alpha;
    const ga = sampleGamma(rng, params.a);
    const p = ga / (ga + sampleGamma(rng, params.b));
    const times = [0];
    let t = 0;
    let death = Infinity;
    for (;;) {
      t += -Math.log(1 - rng.next()) / lambda;
      if (!(t <= Ti)) break;
      times.push(t);
      if (rng.next() < p) {
        death = t;
        break;
      }
    }
    out.purchases.push(Float64Array.from(times));
    out.deathTime[i] = death;
    out.x[i] = times.length - 1;
    out.tx[i] = times[times.length - 1]!;
    out.T[i] = Ti;
    out.lambda[i] = lambda;
    out.p[i] = p;
  }
  return out;
}
