/**
 * The seeded customer simulation behind `npm run gen`, the benchmarks and the
 * sleeping-customer ground truth. Pure: randomness only from createRng(seed).
 *
 * Each customer (Pareto/NBD-style heterogeneity, Schmittlein, Morrison & Colombo 1987):
 * - birth (first purchase) day uniform over the first 80 % of the window:
 *   birth = start + ⌊U · span · 0.8⌋, span = end − start + 1;
 * - purchase rate λ ~ Gamma(shape 1.5, mean λ̄) per day; purchases are a Poisson process
 *   while alive, the first one at the birth day (t₀ = birth, t_{k+1} = t_k + Exp(λ));
 * - lifetime τ ~ Exponential(rate μ), μ ~ Gamma(shape 2, mean 1/365 per day): death = birth + τ
 *   (fractional day). Some customers truly stop; the ground truth "stopped" = death ≤ end;
 * - spend per order ~ Gamma(shape 6, mean m) (coefficient of variation 1/√6), m ~ Gamma(shape 3,
 *   mean 60) per customer (Gamma-Gamma style, Fader, Hardie & Lee 2005 "RFM and CLV", §3),
 *   rounded to cents (at least 1 cent); quantity uniform on 1–5.
 * A purchase at fractional time t is dated ⌊t⌋; purchases are kept while t < min(death, end + 1).
 * λ̄ is set so that customers make `ordersPerCustomer` orders on average inside the window,
 * exactly (in expectation), by {@link calibrateRate}.
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
  /** 0-based draw index (the generated id is C + (index + 1) zero-padded to 7 digits). */
  index: number;
  birth: number;
  /** Death day (fractional day number); may be after the window end (alive at end). */
  death: number;
  /** True purchase rate λ per day. */
  rate: number;
  /** Customer's mean spend per order m (currency units). */
  meanSpend: number;
  /** Purchase days inside the window, ascending (integers; several purchases can share a day). */
  days: number[];
  /** Amount in cents per purchase. */
  cents: number[];
  quantity: number[];
}

/** Marsaglia & Tsang (2000) gamma sampler, shape k > 0, scale θ (k < 1: U^{1/k} boost). */
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

/** Standard normal by Box–Muller (cosine branch only). */
export function normal(rng: Rng): number {
  const u = rng.next() || 1e-12;
  const v = rng.next();
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
}

/** Lifetime rate μ ~ Gamma(shape MU_SHAPE, rate MU_RATE per day): mean μ = 2/730 = 1/365. */
const MU_SHAPE = 2;
const MU_RATE = 730;
/** Births fall in the first BIRTH_SHARE of the window. */
const BIRTH_SHARE = 0.8;

const exponential = (rng: Rng, rate: number): number => -Math.log(1 - rng.next()) / rate;

/**
 * One customer drawn into reusable typed buffers (no per-customer arrays: the generator draws
 * millions). Fields hold the last draw; `days/cents/quantity[0 .. count)` its purchases.
 */
export class CustomerDraw {
  birth = 0;
  death = 0;
  rate = 0;
  meanSpend = 0;
  count = 0;
  days = new Int32Array(64);
  cents = new Int32Array(64);
  quantity = new Uint8Array(64);

  /** Draws the next customer from `rng` (the order of random draws is part of the output contract). */
  draw(rng: Rng, o: SimOptions, meanRate: number): void {
    const span = o.end - o.start + 1;
    const birth = o.start + Math.floor(rng.next() * span * BIRTH_SHARE);
    const rate = gamma(rng, 1.5, meanRate / 1.5);
    const mu = gamma(rng, MU_SHAPE, 1 / MU_RATE);
    const death = birth + exponential(rng, mu);
    const meanSpend = gamma(rng, 3, 60 / 3);
    const theta = meanSpend / 6;
    let n = 0;
    let t = birth;
    const stop = Math.min(death, o.end + 1);
    while (t < stop) {
      const day = Math.floor(t);
      if (day > o.end) break;
      if (n === this.days.length) this.grow();
      this.days[n] = day;
      this.cents[n] = Math.max(1, Math.round(gamma(rng, 6, theta) * 100));
      this.quantity[n] = 1 + rng.int(5);
      n++;
      t += exponential(rng, rate);
    }
    this.birth = birth;
    this.death = death;
    this.rate = rate;
    this.meanSpend = meanSpend;
    this.count = n;
  }

  private grow(): void {
    const d = new Int32Array(this.days.length * 2);
    d.set(this.days);
    this.days = d;
    const c = new Int32Array(this.cents.length * 2);
    c.set(this.cents);
    this.cents = c;
    const q = new Uint8Array(this.quantity.length * 2);
    q.set(this.quantity);
    this.quantity = q;
  }
}

/**
 * Expected time a customer is observed alive in the window, E[min(τ, R)], R = end + 1 − birth.
 * τ's marginal (Exponential(μ) mixed over μ ~ Gamma(2, rate β = 730)) is Lomax with survival
 * S(t) = (β/(β + t))², so E[min(τ, R)] = ∫₀^R S(t) dt = β·R/(β + R); averaged over the birth
 * offset k = ⌊U·0.8·span⌋, P(k) = min(1, 0.8·span − k)/(0.8·span).
 */
export function expectedExposure(o: SimOptions): number {
  const span = o.end - o.start + 1;
  const L = span * BIRTH_SHARE;
  let e = 0;
  for (let k = 0; k < L; k++) {
    const R = span - k;
    e += (Math.min(1, L - k) / L) * ((MU_RATE * R) / (MU_RATE + R));
  }
  return e;
}

/**
 * Mean purchase rate λ̄ (per day) that makes the expected orders per customer inside the window
 * equal `ordersPerCustomer` (default 10): a customer makes 1 + N orders, N ~ Poisson(λ·exposure)
 * with λ independent of the exposure, so E[orders] = 1 + λ̄·E[exposure] ({@link expectedExposure})
 * and λ̄ = (target − 1)/E[exposure]. Targets below 1 give λ̄ = 0 (one order each).
 */
export function calibrateRate(o: SimOptions): number {
  const target = o.ordersPerCustomer ?? 10;
  return Math.max(0, target - 1) / expectedExposure(o);
}

/** An endless stream of simulated customers (deterministic for the seed); stop with `break`. */
export function* simulateCustomers(o: SimOptions, meanRate = calibrateRate(o)): Generator<SimCustomer> {
  const rng = createRng(o.seed);
  const c = new CustomerDraw();
  for (let i = 0; ; i++) {
    c.draw(rng, o, meanRate);
    yield {
      index: i,
      birth: c.birth,
      death: c.death,
      rate: c.rate,
      meanSpend: c.meanSpend,
      days: Array.from(c.days.subarray(0, c.count)),
      cents: Array.from(c.cents.subarray(0, c.count)),
      quantity: Array.from(c.quantity.subarray(0, c.count)),
    };
  }
}
