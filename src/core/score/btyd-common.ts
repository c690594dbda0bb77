/**
 * Small pieces shared by the BG/NBD-family formulas.
 */
import { lnGamma } from '../math/special.js';
import { logHyp2f1 } from '../math/hyp2f1.js';

/** ln(Γ(r + x) / Γ(r)). */
export function logGammaRatio(r: number, x: number): number {
  return x === 0 ? 0 : lnGamma(r + x) - lnGamma(r);
}

/**
 * ln[(1 − z)^{k} ₂F₁(a, b; c; z)] — the "power × hypergeometric" product in the BG/NBD and
 * MBG/NBD expectations (FHL 2005 eqs. 9–10; Batislam et al. 2007), with k = r + x. logHyp2f1
 * applies Euler's transformation, so for k = a the product becomes
 * (1 − z)^{c−b} ₂F₁(c−a, c−b; c; z), which stays O(1) even for x in the thousands.
 */
export function hyp2f1Product(k: number, a: number, b: number, c: number, z: number): number {
  if (z === 0) return 0;
  return k * Math.log1p(-z) + logHyp2f1(a, b, c, z);
}

/**
 * a = 1 makes the BG/NBD and MBG/NBD factor (a+b+x−1)/(a−1) · [1 − …] a 0/0 limit; the
 * function is smooth there, so step off it by 1e-9.
 */
export function nudgeFromOne(a: number): number {
  return Math.abs(a - 1) < 1e-9 ? 1 + 1e-9 : a;
}
