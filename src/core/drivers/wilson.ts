/**
 * Wilson score interval for a binomial proportion (Wilson 1927, "Probable inference, the law
 * of succession, and statistical inference", JASA 22): with p̂ = k/n and z = 1.959964 (95 %),
 * centre (p̂ + z²/2n) / (1 + z²/n), half-width z·√(p̂(1−p̂)/n + z²/4n²) / (1 + z²/n).
 * Unlike p̂ ± z·√(p̂(1−p̂)/n) it stays inside [0, 1] and is not zero-width at k = 0 or n.
 */
export const Z95 = 1.959963984540054;

export function wilsonInterval(k: number, n: number, z = Z95): [number, number] {
  if (n <= 0) return [0, 1];
  const p = k / n, z2 = z * z;
  const d = 1 + z2 / n;
  const centre = (p + z2 / (2 * n)) / d;
  const half = (z * Math.sqrt((p * (1 - p)) / n + z2 / (4 * n * n))) / d;
  return [Math.max(0, centre - half), Math.min(1, centre + half)];
}
