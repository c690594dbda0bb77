/**
 * The seeded customer simulation behind `npm run gen`, the benchmarks and the
 * sleeping-customer ground truth. Pure: randomness only from createRng(seed).
 *
 * Each customer (Pareto/NBD-style heterogeneity, Schmittlein, Morrison & Colombo 1987):
 * - birth (first purchase) uniform over the first 80 % of the window;
 * - purchase rate λ ~ Gamma(shape 1.5, mean λ̄) per day, purchases a Poisson process while alive;
 * - lifetime τ ~ Exponential(rate μ), μ ~ Gamma(shape 2, mean 1/365 per day): some customers
 *   truly stop buying (the ground truth "stopped" = death before the window end);
 * - spend per order ~ Gamma(shape 6, mean m), m ~ Gamma(shape 3, mean 60) per customer
 *   (Gamma-Gamma style), quantity 1–5.
 * λ̄ is calibrated on a pilot sample so that customers make `ordersPerCustomer` orders on average
 * inside the window.
 */
import { createRng, type Rng } from '../core/math/rng.js';

export interface SimOptions {
  seed: number;
  /** Window start and end (day numbers, inclusive). */
  start: number;
  end: number;
  /** Target mean orders per customer inside the window (default 10). */
  ordersPerCustomer?: number;
}

export interface SimCustomer {
  index: number;
  birth: number;
  /** Death day (fractional day number); may be after the window end (alive at end). */
  death: number;
  rate: number;
  meanSpend: number;
  /** Purchase days inside the window, ascending (integers; several purchases can share a day). */
  days: number[];
  /** Amount in cents per purchase. */
  cents: number[];
  quantity: number[];
}

/** Marsaglia & Tsang (2000) gamma sampler, shape k > 0, scale θ. */
export function gamma(rng: Rng, k: number, theta: number): number {
  if (k < 1) return gamma(rng, k + 1, theta) * Math.pow(rng.next() || 1e-12, 1 / k);
  const d = k - 1 / 3;
  const c = 1 / Math.sqrt(9 * d);
  for (;;) {
    let x: number;
    let v: number;
    do {
      x = normal(rng);
      v = 1 + c * x;
    } while (v <= 0);
    v = v * v * v;
    const u = rng.next();
    if (u < 1 - 0.0331 * x * x * x * x) return d * v * theta;
    if (Math.log(u || 1e-300) < 0.5 * x * x + d * (1 - v + Math.log(v))) return d * v * theta;
  }
}

/** Standard normal by Box–Muller. */
export function normal(rng: Rng): number {
  const u = rng.next() || 1e-12;
  const v = rng.next();
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
}

const exponential = (rng: Rng, rate: number): number => -Math.log(1 - rng.next()) / rate;

/** One customer with purchase rate mean `meanRate` (per day). */
function customer(rng: Rng, index: number, o: SimOptions, meanRate: number): SimCustomer {
  const span = o.end - o.start + 1;
  const birth = o.start + Math.floor(rng.next() * span * 0.8);
  const rate = gamma(rng, 1.5, meanRate / 1.5);
  const mu = gamma(rng, 2, 1 / 365 / 2);
  const death = birth + exponential(rng, mu);
  const meanSpend = gamma(rng, 3, 60 / 3);
  const days: number[] = [];
  const cents: number[] = [];
  const quantity: number[] = [];
  let t = birth;
  const stop = Math.min(death, o.end + 1);
  while (t < stop) {
    const day = Math.floor(t);
    if (day > o.end) break;
    days.push(day);
    cents.push(Math.max(1, Math.round(gamma(rng, 6, meanSpend / 6) * 100)));
    quantity.push(1 + rng.int(5));
    t += exponential(rng, rate);
  }
  return { index, birth, death, rate, meanSpend, days, cents, quantity };
}

/** Mean purchase rate that gives `target` orders per customer on average (pilot of 4,000). */
export function calibrateRate(o: SimOptions): number {
  const target = o.ordersPerCustomer ?? 10;
  let lo = 1e-4;
  let hi = 2;
  for (let it = 0; it < 30; it++) {
    const mid = Math.sqrt(lo * hi);
    const rng = createRng(o.seed ^ 0x5eed);
    let tot = 0;
    const n = 4000;
    for (let i = 0; i < n; i++) tot += customer(rng, i, o, mid).days.length;
    if (tot / n < target) lo = mid;
    else hi = mid;
  }
  return Math.sqrt(lo * hi);
}

/** A stream of simulated customers (deterministic for the seed). */
export function* simulateCustomers(o: SimOptions, meanRate = calibrateRate(o)): Generator<SimCustomer> {
  const rng = createRng(o.seed);
  for (let i = 0; ; i++) yield customer(rng, i, o, meanRate);
}
