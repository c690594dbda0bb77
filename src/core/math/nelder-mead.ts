/**
 * Nelder–Mead downhill simplex minimisation (Nelder & Mead 1965), with the standard
 * coefficients reflection 1, expansion 2, contraction 0.5, shrink 0.5 and the
 * accept/contract rules of Lagarias, Reeds, Wright & Wright (1998), SIAM J. Optim. 9(1).
 * Non-finite objective values are treated as +Infinity, so the simplex simply moves away.
 */

export interface NelderMeadOptions {
  /** Maximum number of iterations (default 200 × dimension). */
  maxIterations?: number;
  /** Initial simplex step along each axis (default 0.5; for log-parameters this is a factor e^0.5). */
  step?: number;
  /** Stop when the simplex's function values differ by at most this much (default 1e-10)… */
  fTol?: number;
  /** …and its vertices by at most this much in every coordinate (default 1e-7). */
  xTol?: number;
}

export interface MinimizeResult {
  x: number[];
  fx: number;
  iterations: number;
  /** Number of objective evaluations. */
  evaluations: number;
  converged: boolean;
}

/** Minimises f from x0; returns the best vertex found. O(iterations × (dimension + few) evaluations). */
export function nelderMead(f: (x: number[]) => number, x0: number[], opts: NelderMeadOptions = {}): MinimizeResult {
  const n = x0.length;
  const maxIt = opts.maxIterations ?? 200 * n;
  const step = opts.step ?? 0.5;
  const fTol = opts.fTol ?? 1e-10;
  const xTol = opts.xTol ?? 1e-7;
  let evaluations = 0;
  const cost = (x: number[]): number => {
    evaluations++;
    const v = f(x);
    return Number.isFinite(v) ? v : Infinity;
  };
  let simplex: number[][] = [x0.slice()];
  for (let i = 0; i < n; i++) {
    const v = x0.slice();
    v[i] = v[i]! + step;
    simplex.push(v);
  }
  let values = simplex.map(cost);
  let it = 0;
  let converged = false;
  const combine = (c: number[], w: number[], t: number): number[] => c.map((ci, j) => ci + t * (w[j]! - ci));
  for (; it < maxIt; it++) {
    const order = values.map((_, i) => i).sort((i, j) => values[i]! - values[j]!);
    simplex = order.map((i) => simplex[i]!);
    values = order.map((i) => values[i]!);
    const fBest = values[0]!;
    const fWorst = values[n]!;
    let xSpread = 0;
    for (let i = 1; i <= n; i++)
      for (let j = 0; j < n; j++) xSpread = Math.max(xSpread, Math.abs(simplex[i]![j]! - simplex[0]![j]!));
    if (Number.isFinite(fWorst) && fWorst - fBest <= fTol * (1 + Math.abs(fBest)) && xSpread <= xTol) {
      converged = true;
      break;
    }
    // Centroid of all but the worst vertex.
    const centroid = new Array<number>(n).fill(0);
    for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) centroid[j]! += simplex[i]![j]! / n;
    const worst = simplex[n]!;
    const xr = combine(centroid, worst, -1);
    const fr = cost(xr);
    if (fr < values[0]!) {
      const xe = combine(centroid, worst, -2);
      const fe = cost(xe);
      if (fe < fr) {
        simplex[n] = xe;
        values[n] = fe;
      } else {
        simplex[n] = xr;
        values[n] = fr;
      }
      continue;
    }
    if (fr < values[n - 1]!) {
      simplex[n] = xr;
      values[n] = fr;
      continue;
    }
    // Contraction: outside if the reflected point beats the worst, inside otherwise.
    const outside = fr < fWorst;
    const xc = combine(centroid, worst, outside ? -0.5 : 0.5);
    const fc = cost(xc);
    if (outside ? fc <= fr : fc < fWorst) {
      simplex[n] = xc;
      values[n] = fc;
      continue;
    }
    // Shrink towards the best vertex.
    for (let i = 1; i <= n; i++) {
      simplex[i] = combine(simplex[0]!, simplex[i]!, 0.5);
      values[i] = cost(simplex[i]!);
    }
  }
  let best = 0;
  for (let i = 1; i <= n; i++) if (values[i]! < values[best]!) best = i;
  return { x: simplex[best]!, fx: values[best]!, iterations: it, evaluations, converged };
}
