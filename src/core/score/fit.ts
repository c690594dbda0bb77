/**
 * Maximum-likelihood fitting of the BTYD transaction models (BG/NBD, MBG/NBD, Pareto/NBD) and
 * the Gamma-Gamma spend model, with no native code.
 *
 * Method, in order:
 * 1. Group identical rows with weights (grouped-summary.ts) — the likelihood is a weighted sum.
 * 2. Rescale: times are divided by c = mean T (money by c = mean m_x) so the data are O(1); the rate
 *    (scale) parameters α, β (γ) are multiplied back by c afterwards. The log-likelihood reported
 *    is recomputed on the unscaled data, in the caller's units.
 * 3. Optimise over log-parameters (all parameters are positive): Nelder–Mead from a start, then a
 *    BFGS polish. If that does not converge, further starts are tried; the best optimum wins.
 *    BG/NBD and Gamma-Gamma have analytic gradients (value and gradient in one pass; bgnbd.ts,
 *    gamma-gamma.ts), chained into log-parameters: ∂f/∂ln θ_j = θ_j ∂f/∂θ_j, the penalty adding
 *    2·penalizer·u_j² (u_j = θ_j in the caller's units). MBG/NBD and Pareto/NBD use central
 *    differences.
 * 4. Standard errors from the Hessian of the total negative log-likelihood at the optimum
 *    (log-parameters, delta method: se(θ) = θ·se(ln θ)); null when not positive definite. The
 *    Hessian is the central difference of the analytic gradient where there is one (2n gradient
 *    evaluations), else of the function (numericHessian, 2n² + 1 evaluations).
 *
 * Objective minimised: −LL/n + penalizer · Σ θ_j², θ in the caller's units — the L2 penalty of
 * lifetimes (BetaGeoFitter et al., `penalizer_coef * sum(params ** 2)` on the mean negative
 * log-likelihood). With penalizer > 0 the standard errors are those of the penalised objective.
 * Non-finite likelihood values count as +∞ cost, so the optimiser never returns NaN parameters.
 */
import { bfgs } from '../math/bfgs.js';
import { nelderMead } from '../math/nelder-mead.js';
import { gradientHessian, invertSpd, numericHessian, standardErrors } from '../math/hessian.js';
import { bgnbdLogLikelihoodSum, bgnbdLogLikelihoodSumWithGradient } from './bgnbd.js';
import { gammaGammaLogLikelihoodGrouped, gammaGammaLogLikelihoodGroupedWithGradient, type GammaGammaGroups } from './gamma-gamma.js';
import { mbgnbdLogLikelihoodSum } from './mbgnbd.js';
import { pnbdLogLikelihoodSum } from './pnbd.js';
import { FloatKeyIndex } from './float-key-index.js';
import { groupSummary, type BtydSummary, type GroupedSummary } from './grouped-summary.js';
import { atBound } from './fit-reliability.js';

export type BtydModel = 'bgnbd' | 'mbgnbd' | 'pnbd';

export interface FitOptions {
  /** L2 penalty coefficient on the parameters (lifetimes' `penalizer_coef`); default 0. */
  penalizer?: number;
  /** Iteration cap for each Nelder–Mead run (default 1000); BFGS gets min(this, 200). */
  maxIterations?: number;
  /** Optional per-row weights (e.g. counts of already-collapsed rows). */
  weights?: Float64Array;
  /**
   * Warm start: above twice this many distinct rows, optimise on a subsample of about this many
   * first, then polish on all data (default 20,000; 0 always searches on all data, slower).
   */
  warmStartGroups?: number;
  /**
   * `groupSummary(data, weights)` when the caller already has it (it is then not recomputed:
   * scoring a million customers groups once for every model fitted and for the scoring).
   */
  grouped?: GroupedSummary;
}

export interface FitResult {
  model: BtydModel | 'gamma-gamma';
  /** In the caller's units: r, alpha, a, b | r, alpha, s, beta | p, q, gamma. */
  params: Record<string, number>;
  stdErrors: Record<string, number | null>;
  /** Σ log-likelihood at params on the caller's data and units (never NaN/Infinity: −Number.MAX_VALUE if the fit failed). */
  logLik: number;
  converged: boolean;
  /** Total optimiser iterations over all runs. */
  iterations: number;
  /** What was attempted, one human-readable line per optimiser run. */
  tried: string[];
  /** Number of customers used (Σ weights). */
  n: number;
  /** Distinct rows after grouping. */
  groups: number;
  /**
   * Parameters whose value in the optimiser's scaled units lies outside [1e-5, 1e5]: a boundary
   * optimum (fit-reliability.ts).
   */
  atBound: string[];
}

interface ModelSpec {
  names: string[];
  /** Indices of the parameters that carry the time unit (multiplied by the scale). */
  scaled: number[];
  ll(v: number[], g: GroupedSummary): number;
  /** ll and its gradient with respect to v (written to grad), in one pass; absent: numeric. */
  llGrad?(v: number[], g: GroupedSummary, grad: Float64Array): number;
  starts: number[][];
}

const MODELS: Record<BtydModel, ModelSpec> = {
  bgnbd: {
    names: ['r', 'alpha', 'a', 'b'],
    scaled: [1],
    ll: (v, g) => bgnbdLogLikelihoodSum({ r: v[0]!, alpha: v[1]!, a: v[2]!, b: v[3]! }, g),
    llGrad: (v, g, grad) => bgnbdLogLikelihoodSumWithGradient({ r: v[0]!, alpha: v[1]!, a: v[2]!, b: v[3]! }, g, grad),
    starts: [
      [1, 1, 1, 1],
      [0.3, 0.2, 0.5, 2],
      [2, 5, 3, 3],
    ],
  },
  mbgnbd: {
    names: ['r', 'alpha', 'a', 'b'],
    scaled: [1],
    ll: (v, g) => mbgnbdLogLikelihoodSum({ r: v[0]!, alpha: v[1]!, a: v[2]!, b: v[3]! }, g),
    starts: [
      [1, 1, 1, 1],
      [0.3, 0.2, 0.5, 2],
      [2, 5, 3, 3],
    ],
  },
  pnbd: {
    names: ['r', 'alpha', 's', 'beta'],
    scaled: [1, 3],
    ll: (v, g) => pnbdLogLikelihoodSum({ r: v[0]!, alpha: v[1]!, s: v[2]!, beta: v[3]! }, g),
    starts: [
      [1, 1, 1, 1],
      [0.5, 0.3, 0.5, 0.3],
      [2, 5, 2, 5],
    ],
  },
};

const fmt = (v: number): string => (Math.abs(v) >= 1e4 || (Math.abs(v) < 1e-3 && v !== 0) ? v.toExponential(3) : v.toPrecision(4));

/** What the objective over log-parameters is built from. */
export interface ObjectiveSpec {
  /** Indices of the parameters that carry the unit (multiplied by the scale). */
  scaled: number[];
  scale: number;
  /** −LL/n on the scaled data at scaled parameters (may be non-finite). */
  meanNll(v: number[]): number;
  /** meanNll and its gradient with respect to v (written to grad), when the model has one. */
  meanNllGrad?: (v: number[], grad: Float64Array) => number;
}

interface Problem extends ObjectiveSpec {
  names: string[];
  n: number;
  starts: number[][];
  /** A subsample of the same data (every k-th group) for a cheap warm start on large inputs. */
  warm?: Problem;
}

/** Groups above which the fit first runs on a subsample of about this many groups. */
const WARM_START_GROUPS = 20_000;

/**
 * The objective minimised, over θ = ln v (v: scaled parameters): cost(θ) = meanNll(e^θ) +
 * penalizer·Σ u_j² with u the parameters in the caller's units (+∞ when not finite), and, when
 * the model has a gradient, costGrad(θ) = the same value and ∂cost/∂θ_j = v_j ∂meanNll/∂v_j +
 * 2·penalizer·u_j² (chain rule through v = e^θ and u = scale·v). Exported for tests.
 */
export function logParamObjective(pr: ObjectiveSpec, penalizer: number) {
  const toUser = (theta: number[]): number[] =>
    theta.map((t, j) => Math.exp(t) * (pr.scaled.includes(j) ? pr.scale : 1));
  const cost = (theta: number[]): number => {
    const v = pr.meanNll(theta.map(Math.exp));
    if (!Number.isFinite(v)) return Infinity;
    if (penalizer === 0) return v;
    return v + penalizer * toUser(theta).reduce((s, u) => s + u * u, 0);
  };
  const meanNllGrad = pr.meanNllGrad;
  const costGrad = meanNllGrad
    ? (theta: number[]): { f: number; g: number[] } => {
        const v = theta.map(Math.exp);
        const gv = new Float64Array(theta.length);
        const f = meanNllGrad(v, gv);
        if (!Number.isFinite(f)) return { f: Infinity, g: theta.map(() => NaN) };
        const g = v.map((vj, j) => vj * gv[j]!);
        if (penalizer === 0) return { f, g };
        const u = toUser(theta);
        u.forEach((uj, j) => (g[j]! += 2 * penalizer * uj * uj));
        return { f: f + penalizer * u.reduce((s, uj) => s + uj * uj, 0), g };
      }
    : undefined;
  return { toUser, cost, costGrad };
}

/** Optimises a problem; returns log-parameters (scaled units) of the best run. */
function optimise(pr: Problem, penalizer: number, maxIterations: number) {
  const { toUser, cost, costGrad } = logParamObjective(pr, penalizer);
  const tried: string[] = [];
  let best: { theta: number[]; f: number; converged: boolean } | null = null;
  let iterations = 0;
  if (pr.warm) {
    // Large input: optimise on the subsample first, then polish on all data with BFGS only.
    const w = optimise(pr.warm, penalizer, maxIterations);
    iterations += w.iterations;
    tried.push(...w.tried.map((t) => `warm start on a subsample of ${pr.warm!.n} customers: ${t}`));
    // The subsample's curvature at its optimum (both costs are means per customer, so on one
    // scale) starts BFGS with Newton-like steps: 10M lines, 17 → 3 full-data iterations.
    // (From the analytic gradient where there is one: 2n gradient evaluations instead of 2n² + 1.)
    const wGrad = w.costGrad;
    const wH = !Number.isFinite(w.best.f) ? null : wGrad ? gradientHessian((th) => wGrad(th).g, w.best.theta) : numericHessian(w.cost, w.best.theta);
    const h = wH ? invertSpd(wH) : null;
    const bf = bfgs(cost, w.best.theta, { maxIterations: Math.min(maxIterations, 200), gradTol: 1e-7, initialInverseHessian: h ?? undefined, gradient: costGrad });
    iterations += bf.iterations;
    const converged = bf.converged && Number.isFinite(bf.fx);
    tried.push(
      `BFGS on all data from the subsample optimum: ${bf.iterations} iterations, max|gradient| ${fmt(bf.gradNorm)}, ` +
        `${converged ? 'converged' : 'not converged'}, mean −LL ${fmt(bf.fx)} (scaled units)`,
    );
    best = { theta: bf.x, f: bf.fx, converged };
    if (converged) return { best, tried, iterations, cost, costGrad, toUser };
  }
  for (const start of pr.starts) {
    const theta0 = start.map(Math.log);
    const startText = pr.names.map((nm, j) => `${nm}=${fmt(toUser(theta0)[j]!)}`).join(', ');
    const nm = nelderMead(cost, theta0, { maxIterations, step: 0.5 });
    const bf = bfgs(cost, nm.x, { maxIterations: Math.min(maxIterations, 200), gradTol: 1e-7, gradient: costGrad });
    iterations += nm.iterations + bf.iterations;
    const converged = bf.converged && Number.isFinite(bf.fx);
    tried.push(
      `Nelder-Mead from (${startText}): ${nm.iterations} iterations${nm.converged ? '' : ' (not converged)'}; ` +
        `BFGS polish: ${bf.iterations} iterations, max|gradient| ${fmt(bf.gradNorm)}, ` +
        `${converged ? 'converged' : 'not converged'}, mean −LL ${fmt(bf.fx)} (scaled units)`,
    );
    if (!best || bf.fx < best.f) best = { theta: bf.x, f: bf.fx, converged };
    if (converged) break;
  }
  return { best: best!, tried, iterations, cost, costGrad, toUser };
}

function finish(
  model: FitResult['model'],
  pr: Problem,
  penalizer: number,
  maxIterations: number,
  userLogLik: (params: number[]) => number,
  groups: number,
): FitResult {
  const { best, tried, iterations, cost, costGrad, toUser } = optimise(pr, penalizer, maxIterations);
  const user = toUser(best.theta);
  const params: Record<string, number> = {};
  const stdErrors: Record<string, number | null> = {};
  const totalGrad = costGrad ? (th: number[]): number[] => costGrad(th).g.map((v) => pr.n * v) : undefined;
  const se = Number.isFinite(best.f) ? standardErrors((th) => pr.n * cost(th), best.theta, totalGrad) : user.map(() => null);
  pr.names.forEach((nm, j) => {
    params[nm] = Number.isFinite(user[j]!) ? user[j]! : pr.scaled.includes(j) ? pr.scale : 1;
    const s = se[j];
    stdErrors[nm] = s != null && Number.isFinite(s * user[j]!) ? s * user[j]! : null;
  });
  let logLik = userLogLik(pr.names.map((nm) => params[nm]!));
  const converged = best.converged && Number.isFinite(logLik);
  if (!Number.isFinite(logLik)) logLik = -Number.MAX_VALUE;
  // The scaled parameters are e^θ: the data are O(1) there, whatever the units.
  const bound = pr.names.filter((_, j) => atBound(Math.exp(best.theta[j]!)));
  return { model, params, stdErrors, logLik, converged, iterations, tried, n: pr.n, groups, atBound: bound };
}

function scaleGroups(g: GroupedSummary, c: number): GroupedSummary {
  const div = (a: Float64Array): Float64Array => a.map((v) => v / c);
  return {
    ...g,
    tx: div(g.tx),
    T: div(g.T),
    uniqueTx: div(g.uniqueTx),
    uniqueT: div(g.uniqueT),
    pairXT: { x: g.pairXT.x, t: div(g.pairXT.t) },
    pairXTx: { x: g.pairXTx.x, t: div(g.pairXTx.t) },
  };
}

/**
 * Fits a BTYD transaction model to per-customer (x, t_x, T) by maximum likelihood.
 * Throws RangeError on empty or invalid input (see groupSummary). Cost: O(n) to group plus
 * O(groups) per likelihood evaluation (about 1,000–3,000 evaluations per fit).
 */
export function fitBtyd(model: BtydModel, data: BtydSummary, opts: FitOptions = {}): FitResult {
  const spec = MODELS[model];
  if (!spec) throw new RangeError(`unknown model ${String(model)}`);
  const g = opts.grouped ?? groupSummary(data, opts.weights);
  if (g.rowGroup.length !== data.x.length) throw new RangeError('grouped: not the grouping of these rows');
  if (g.groups === 0 || !(g.n > 0)) throw new RangeError('no customers to fit');
  let meanT = 0;
  for (let k = 0; k < g.groups; k++) meanT += g.w[k]! * g.T[k]!;
  meanT /= g.n;
  const scale = meanT > 0 && Number.isFinite(meanT) ? meanT : 1;
  const gs = scaleGroups(g, scale);
  const llGrad = spec.llGrad;
  /** −LL/n and its gradient on grouped data h (n customers). */
  const meanNllGradOn = (h: GroupedSummary, n: number) =>
    llGrad
      ? (v: number[], grad: Float64Array): number => {
          const s = llGrad(v, h, grad);
          for (let j = 0; j < grad.length; j++) grad[j] = -grad[j]! / n;
          return -s / n;
        }
      : undefined;
  const pr: Problem = {
    names: spec.names,
    scaled: spec.scaled,
    scale,
    n: g.n,
    meanNll: (v) => -spec.ll(v, gs) / g.n,
    meanNllGrad: meanNllGradOn(gs, g.n),
    starts: spec.starts,
  };
  const warmGroups = opts.warmStartGroups ?? WARM_START_GROUPS;
  if (warmGroups > 0 && g.groups > 2 * warmGroups) {
    // Every k-th group (groups are in order of first appearance, i.e. input order) with its weight.
    const k = Math.ceil(g.groups / warmGroups);
    const m = Math.ceil(g.groups / k);
    const pick = (a: Float64Array): Float64Array => Float64Array.from({ length: m }, (_, i) => a[i * k]!);
    const sub = groupSummary({ x: pick(gs.x), tx: pick(gs.tx), T: pick(gs.T) }, pick(g.w));
    pr.warm = { ...pr, n: sub.n, meanNll: (v) => -spec.ll(v, sub) / sub.n, meanNllGrad: meanNllGradOn(sub, sub.n), warm: undefined };
  }
  return finish(model, pr, opts.penalizer ?? 0, opts.maxIterations ?? 1000, (u) => spec.ll(u, g), g.groups);
}

/**
 * Fits the Gamma-Gamma spend model to repeat customers: x = number of repeat purchases, mx = their
 * mean value. Rows with x ≤ 0 or mx ≤ 0 are ignored (the model is defined for repeaters only).
 * Identical (x, mx) rows are grouped; ln Γ(px) and ln Γ(px+q) (and ψ of them for the analytic
 * gradient) are computed once per distinct x.
 */
export function fitGammaGamma(x: Float64Array, mx: Float64Array, opts: FitOptions = {}): FitResult {
  if (x.length !== mx.length) throw new RangeError('x and mx must have the same length');
  // Group identical (x, mx) pairs in first-seen order. Keys are the pair of indexes of the
  // distinct x and mx values (typed hash indexes, SameValueZero like a Map; the earlier string
  // key `${x} ${mx}` boxed and printed every double).
  const n0 = x.length;
  const ixv = new FloatKeyIndex(1024);
  const imv = new FloatKeyIndex(1024);
  const rowX = new Int32Array(n0);
  const rowM = new Int32Array(n0);
  const valid = new Int32Array(n0);
  let nValid = 0;
  for (let i = 0; i < n0; i++) {
    const xi = x[i]!;
    const mi = mx[i]!;
    if (!(xi > 0 && mi > 0 && Number.isFinite(xi) && Number.isFinite(mi))) continue;
    valid[nValid++] = i;
    rowX[i] = ixv.id(xi);
    rowM[i] = imv.id(mi);
  }
  const nM = imv.size;
  const pairIndex = new FloatKeyIndex(1024);
  const gFirst: number[] = [];
  const gw: number[] = [];
  let n = 0;
  let sumM = 0;
  for (let v = 0; v < nValid; v++) {
    const i = valid[v]!;
    // Exact while (distinct x) × (distinct m_x) < 2^53; x is a purchase count, so its distinct
    // values number in the hundreds or thousands.
    const gi = pairIndex.id(rowX[i]! * nM + rowM[i]!);
    if (gi === gw.length) {
      gFirst.push(i);
      gw.push(0);
    }
    const w = opts.weights ? opts.weights[i]! : 1;
    gw[gi]! += w;
    n += w;
    sumM += w * mx[i]!;
  }
  const gx = gFirst.map((i) => x[i]!);
  const gm = gFirst.map((i) => mx[i]!);
  if (gx.length === 0 || !(n > 0)) throw new RangeError('no repeat customers (x > 0, m_x > 0) to fit Gamma-Gamma');
  const scale = sumM / n;
  // A new x always opens a new group, so the distinct x in group order are ixv's keys.
  const ux = ixv.keys();
  const xIdx = Int32Array.from(gFirst, (i) => rowX[i]!);
  const X = Float64Array.from(gx);
  const W = Float64Array.from(gw);
  const M = Float64Array.from(gm);
  const logX = X.map(Math.log);
  const groups: GammaGammaGroups = { ux, xIdx, x: X, logX, w: W };
  /** Σ weight × log-likelihood over every `step`-th group (step 1: all of them); lm = ln m. */
  const ll = (v: number[], m: Float64Array, lm: Float64Array, step = 1): number =>
    gammaGammaLogLikelihoodGrouped({ p: v[0]!, q: v[1]!, gamma: v[2]! }, groups, m, lm, step);
  const Ms = M.map((v) => v / scale);
  const logM = M.map(Math.log);
  const logMs = Ms.map(Math.log);
  /** −ll/n over every `step`-th group (n customers in them) and its gradient (p, q, γ), on the scaled data. */
  const meanNllGrad =
    (step: number, n: number) =>
    (v: number[], grad: Float64Array): number => {
      const s = gammaGammaLogLikelihoodGroupedWithGradient({ p: v[0]!, q: v[1]!, gamma: v[2]! }, groups, Ms, logMs, step, grad);
      for (let j = 0; j < grad.length; j++) grad[j] = -grad[j]! / n;
      return -s / n;
    };
  const pr: Problem = {
    names: ['p', 'q', 'gamma'],
    scaled: [2],
    scale,
    n,
    meanNll: (v) => -ll(v, Ms, logMs) / n,
    meanNllGrad: meanNllGrad(1, n),
    starts: [
      [1, 1, 1],
      [5, 3, 2],
      [0.5, 5, 5],
    ],
  };
  const warmGroups = opts.warmStartGroups ?? WARM_START_GROUPS;
  if (warmGroups > 0 && X.length > 2 * warmGroups) {
    // As for the transaction models: every k-th group with its weight, in input order.
    const k = Math.ceil(X.length / warmGroups);
    let subN = 0;
    for (let i = 0; i < X.length; i += k) subN += W[i]!;
    pr.warm = { ...pr, n: subN, meanNll: (v) => -ll(v, Ms, logMs, k) / subN, meanNllGrad: meanNllGrad(k, subN), warm: undefined };
  }
  return finish('gamma-gamma', pr, opts.penalizer ?? 0, opts.maxIterations ?? 1000, (u) => ll(u, M, logM), X.length);
}
