/**
 * Customer value pyramid: VIP top 1 %, key next 4 %, medium next 15 %, ordinary the rest
 * (percentages configurable), by rank of value (e.g. revenue) descending, ties by id.
 *
 * Rounding rule: with cumulative percentages P1 = 1, P2 = 5, P3 = 20 of n customers, tier k holds
 * ranks below ceil(Pk × n / 100) (so VIP = the ceil(1 % × n) best customers: at least one
 * customer for any n >= 1; n = 250 → 3 VIP, 13 VIP+key, 50 VIP+key+medium).
 * Ties are kept together by default: a run of equal values straddling a boundary goes wholly to
 * the higher tier ('group'); 'split' cuts it in id order. Customers with value <= 0 are ordinary.
 * O(n log n).
 */
import { groupTies, rankOrderVia, type RankCache, type TieRule } from './rank-order.js';

/** Tier keys, top first (the report reads these: core/report/segment-keys.ts TIER_KEYS). */
export const VALUE_TIERS = ['vip', 'key', 'medium', 'ordinary'] as const;
export type ValueTier = (typeof VALUE_TIERS)[number];

export interface PyramidOptions {
  /** Shares of vip, key, medium in percent (ordinary = the rest). Default [1, 4, 15]. */
  percents?: readonly [number, number, number];
  ties?: TieRule;
}

/** Tier of every customer by the rule in the module comment. */
export function valueTiers(ids: readonly string[], values: ArrayLike<number>, opts: PyramidOptions = {}, ranks?: RankCache): ValueTier[] {
  const p = opts.percents ?? [1, 4, 15];
  if (p.some((x) => !(x >= 0)) || p[0] + p[1] + p[2] > 100) throw new RangeError('pyramid percentages must be >= 0 and sum to at most 100');
  const n = ids.length;
  const bounds: number[] = [];
  let cum = 0;
  for (const x of p) bounds.push(Math.ceil(((cum += x) * n) / 100 - 1e-9));
  const order = rankOrderVia(ranks, ids, values);
  const cls = new Int32Array(n);
  let k = 0;
  for (let r = 0; r < n; r++) {
    const i = order[r]!;
    while (k < 3 && r >= bounds[k]!) k++;
    cls[i] = values[i]! > 0 ? k : 3;
  }
  if ((opts.ties ?? 'group') === 'group') groupTies(order, values, cls);
  return Array.from(cls, (c) => VALUE_TIERS[c]!);
}
