/**
 * Cramér's V of a groups × {yes, no} table (Cramér 1946, "Mathematical Methods of Statistics",
 * §21.9): V = √(χ² / (n · (min(r, c) − 1))), with Pearson's χ² = Σ (O − E)² / E and
 * E = row total · column total / n. With two outcome columns min(r, c) − 1 = 1, so V = √(χ²/n)
 * (the φ coefficient): 0 when the outcome rate is the same in every group, 1 when the group
 * decides it.
 */
export function cramersV(groups: readonly { n: number; yes: number }[]): number {
  let n = 0, yes = 0;
  for (const g of groups) { n += g.n; yes += g.yes; }
  const no = n - yes;
  if (groups.length < 2 || n === 0 || yes === 0 || no === 0) return 0;
  let chi2 = 0;
  for (const g of groups) {
    const eYes = (g.n * yes) / n, eNo = (g.n * no) / n;
    chi2 += (g.yes - eYes) ** 2 / eYes + (g.n - g.yes - eNo) ** 2 / eNo;
  }
  return Math.sqrt(chi2 / n);
}
