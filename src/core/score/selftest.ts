/**
 * Self-test of the scoring core on small embedded cases with published answers, so a user (or
 * `custkit doctor`) can check that this build computes the models correctly. Each case cites
 * its source; see REFERENCE.md §1–§4 for the originals.
 */
import { bgnbdConditionalExpected, bgnbdExpected, bgnbdLogLikelihood, bgnbdProbabilityAlive, bgnbdProbabilityOfN } from './bgnbd.js';
import { pnbdConditionalExpected, pnbdProbabilityAlive } from './pnbd.js';
import { gammaGammaConditionalValue } from './gamma-gamma.js';
import { fitBtyd } from './fit.js';
import { nelderMead } from '../math/nelder-mead.js';
import { bfgs } from '../math/bfgs.js';
import { lnGamma } from '../math/special.js';
import { hyp2f1 } from '../math/hyp2f1.js';
import { sampleBgnbdPopulation } from './btyd-population.js';

export interface SelfTestCase {
  name: string;
  expected: number;
  actual: number;
  /** Absolute tolerance. */
  tolerance: number;
  pass: boolean;
}

/** Runs every case (the small simulated fit is most of the cost). Never throws. */
export function runSelfTest(): SelfTestCase[] {
  const out: SelfTestCase[] = [];
  const check = (name: string, expected: number, f: () => number, tolerance: number): void => {
    let actual = NaN;
    try {
      actual = f();
    } catch {
      actual = NaN;
    }
    out.push({ name, expected, actual, tolerance, pass: Math.abs(actual - expected) <= tolerance });
  };
  // Special functions: Γ(1/2) = √π; ₂F₁(1, 1; 2; z) = −ln(1 − z)/z (A&S 15.1.3).
  check('lnGamma(0.5) = ln √π', 0.5 * Math.log(Math.PI), () => lnGamma(0.5), 1e-13);
  check('2F1(1,1;2;0.9) = −ln(0.1)/0.9', -Math.log(0.1) / 0.9, () => hyp2f1(1, 1, 2, 0.9), 1e-12);

  // BG/NBD at the published CDNOW parameters (FHL 2005; lifetimes tests).
  const pub = { r: 0.243, alpha: 4.414, a: 0.793, b: 2.426 };
  check('BG/NBD E[Y(39) | 2, 30.43, 38.86] (lifetimes test)', 1.226, () => bgnbdConditionalExpected(pub, 39, 2, 30.43, 38.86), 0.001);
  check('BG/NBD P(X(39) = 0) (lifetimes test)', 0.5737864, () => bgnbdProbabilityOfN(pub, 39, 0), 1e-4);
  check('BG/NBD P(alive | 1000, 10, 100) = 0 (underflow guard)', 0, () => bgnbdProbabilityAlive(pub, 1000, 10, 100), 0);
  // Figure 1 of FHL 2005, per-customer log-likelihood at the full-precision fit (REFERENCE §1).
  const fit = { r: 0.2425929, alpha: 4.4135313, a: 0.7928863, b: 2.4257539 };
  const fig1: [string, number, number, number, number][] = [
    ['0001', 2, 30.43, 38.86, -9.4597],
    ['0002', 1, 1.71, 38.86, -4.4704],
    ['0003', 0, 0, 38.86, -0.5538],
    ['0006', 7, 29.43, 38.86, -21.8648],
    ['2356', 4, 26.57, 27.0, -14.1284],
    ['2357', 0, 0, 27.0, -0.4761],
  ];
  for (const [id, x, tx, T, ll] of fig1) check(`BG/NBD log-likelihood customer ${id} (FHL 2005 Fig. 1)`, ll, () => bgnbdLogLikelihood(fit, x, tx, T), 1e-4);
  check('BG/NBD E[X(52)] (R BTYD walkthrough 1.444004)', 1.44402, () => bgnbdExpected(fit, 52), 1e-4);

  // Pareto/NBD (lifetimes tests; R BTYD walkthrough).
  check('Pareto/NBD P(alive | 26, 30.86, 31)', 0.9979, () => pnbdProbabilityAlive({ r: 0.5534, alpha: 10.5802, s: 0.6061, beta: 11.6562 }, 26, 30.86, 31), 0.001);
  const p2 = { r: 0.55, alpha: 10.58, s: 0.61, beta: 11.67 };
  check('Pareto/NBD E[Y(10) | 132, 200, 200]', 6.2061, () => pnbdConditionalExpected(p2, 10, 132, 200, 200), 0.001);
  check('Pareto/NBD E[Y(10) | 133, 200, 200]', 6.2529, () => pnbdConditionalExpected(p2, 10, 133, 200, 200), 0.001);

  // Gamma-Gamma E[M | x, m_x] (lifetimes test, "from Hardie spreadsheet", atol 0.1).
  const gg = { p: 6.25, q: 3.74, gamma: 15.44 };
  check('Gamma-Gamma E[M | 2, 22.35]', 24.65, () => gammaGammaConditionalValue(gg, 2, 22.35), 0.1);
  check('Gamma-Gamma E[M | 7, 73.74]', 71.46, () => gammaGammaConditionalValue(gg, 7, 73.74), 0.1);

  // Optimisers on Rosenbrock's function, minimum 0 at (1, 1).
  const rosen = (v: number[]): number => 100 * (v[1]! - v[0]! ** 2) ** 2 + (1 - v[0]!) ** 2;
  check('Nelder-Mead + BFGS on Rosenbrock: x₁ at the optimum', 1, () => bfgs(rosen, nelderMead(rosen, [-1.2, 1]).x).x[0]!, 1e-5);

  // A small simulated population (seed 7, 3,000 customers, 2 years) and its refit: true b = 2.5.
  const truth = { r: 0.5, alpha: 20, a: 0.8, b: 2.5 };
  let refit: Record<string, number> | null = null;
  const getFit = (): Record<string, number> => (refit ??= fitBtyd('bgnbd', sampleBgnbdPopulation(3000, truth, 730, 7)).params);
  for (const k of ['r', 'alpha', 'a', 'b'] as const)
    check(`BG/NBD refit of a simulated population recovers ${k} within 25 %`, truth[k], () => getFit()[k]!, 0.25 * truth[k]);
  return out;
}
