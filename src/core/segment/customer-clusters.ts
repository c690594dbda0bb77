/**
 * k-means segmentation of customers: features, choice of k, numbering and profiles.
 *
 * - Features (default days_since_last, orders, revenue): x ↦ log1p(max(x, 0)) (negative net
 *   revenue counts as 0), then z-scored with the population mean and standard deviation
 *   (divide by n; a constant feature becomes 0).
 * - k = 'auto': k in 2…10 (at most n − 1) chosen by the highest mean silhouette (silhouette.ts).
 *   For speed every candidate k is fitted on a fixed-seed sample of at most 20,000 customers and
 *   scored on at most 2,000 of them; the curve is returned; then the chosen k is fitted on all.
 * - Clusters are numbered 1…k by descending total revenue (ties by fitted index).
 * - Profile label: "recent"/"lapsed" (cluster mean days since last below / not below the
 *   overall mean), "frequent"/"infrequent" (mean orders above / not above the overall mean),
 *   "high spend"/"low spend" (mean revenue above / not above the overall mean), joined by " · ".
 *   Clusters whose labels coincide get the feature that tells them apart best (largest spread
 *   of their means relative to the overall mean) appended as its rounded mean: "revenue ≈ 812",
 *   "orders ≈ 4.2" or "last ≈ 37 d"; then the next feature if that still repeats.
 * - Reported silhouette: on a fixed-seed sample of at most 2,000 customers of the final fit.
 */
import type { CustomerSummary } from '../aggregate/customer-summary.js';
import { createRng } from '../math/rng.js';
import { roundMoney } from '../money.js';
import { fitKmeans, type KmeansFit } from './kmeans.js';
import { meanSilhouette, sampleIndices } from './silhouette.js';

/** Summary fields usable as clustering features. */
export const CLUSTER_FEATURES = {
  days_since_last: (s: CustomerSummary) => s.daysSinceLast,
  orders: (s: CustomerSummary) => s.orders,
  revenue: (s: CustomerSummary) => s.revenue,
  purchase_days: (s: CustomerSummary) => s.purchaseDays,
  frequency: (s: CustomerSummary) => s.frequency,
  avg_order_value: (s: CustomerSummary) => s.avgOrderValue,
  tenure_days: (s: CustomerSummary) => s.tenureDays ?? 0,
  mean_interval_days: (s: CustomerSummary) => s.meanIntervalDays ?? 0,
} as const;
export type ClusterFeature = keyof typeof CLUSTER_FEATURES;

export interface ClusterOptions {
  k?: number | 'auto';
  seed?: number;
  features?: readonly ClusterFeature[];
  maxIterations?: number;
}

export interface ClusterProfile {
  cluster: number;
  size: number;
  revenue: number;
  revenueShare: number;
  meanDaysSinceLast: number;
  meanOrders: number;
  meanRevenue: number;
  label: string;
}

export interface ClusterResult {
  k: number;
  /** Cluster number 1…k per customer (input order). */
  cluster: Int32Array;
  profiles: ClusterProfile[];
  inertia: number;
  silhouette: number;
  iterations: number;
  /** Silhouette (and inertia of the sample fit) for every candidate k when k = 'auto'. */
  curve: { k: number; silhouette: number; inertia: number }[] | null;
  features: ClusterFeature[];
}

/** log1p then z-score of the chosen features: flat n × d. */
export function standardizedFeatures(summaries: readonly CustomerSummary[], features: readonly ClusterFeature[]): Float64Array {
  const n = summaries.length, d = features.length;
  const x = new Float64Array(n * d);
  for (let j = 0; j < d; j++) {
    const get = CLUSTER_FEATURES[features[j]!];
    let mean = 0;
    for (let i = 0; i < n; i++) {
      const v = Math.log1p(Math.max(get(summaries[i]!), 0));
      x[i * d + j] = v;
      mean += v;
    }
    mean /= n || 1;
    let ss = 0;
    for (let i = 0; i < n; i++) ss += (x[i * d + j]! - mean) ** 2;
    const sd = Math.sqrt(ss / (n || 1));
    for (let i = 0; i < n; i++) x[i * d + j] = sd > 0 ? (x[i * d + j]! - mean) / sd : 0;
  }
  return x;
}

/**
 * The fit of a clustering on standardized features, before numbering: the heavy part of
 * {@link clusterCustomers} (the choice of k, the final fit, its silhouette), on plain arrays only,
 * so that `run` can do it on a thread of its own (parallel/kmeans-thread.ts) while the main thread classifies.
 */
export interface ClusterFit {
  k: number;
  /** Fitted cluster index 0…k−1 per customer (input order). */
  labels: Int32Array;
  inertia: number;
  iterations: number;
  silhouette: number;
  curve: ClusterResult['curve'];
}

/** The k-means options {@link fitClusters} reads (no features: its input is the feature matrix). */
export type ClusterFitOptions = Pick<ClusterOptions, 'k' | 'seed' | 'maxIterations'>;

/** The features a clustering uses (default days_since_last, orders, revenue). */
export const clusterFeatures = (opts: ClusterOptions): ClusterFeature[] => [...(opts.features ?? (['days_since_last', 'orders', 'revenue'] as const))];

/** Chooses k (module comment), fits it on all n rows of `data` (n × d, standardized) and samples its silhouette. */
export function fitClusters(data: Float64Array, n: number, d: number, opts: ClusterFitOptions = {}): ClusterFit {
  const seed = opts.seed ?? 1;
  const kopts = { seed, maxIterations: opts.maxIterations };
  let curve: ClusterResult['curve'] = null;
  let k: number;
  if (opts.k === 'auto' || opts.k === undefined) {
    const fitIdx = sampleIndices(n, 20000, createRng(seed ^ 0x5eed));
    const m = fitIdx.length;
    const sub = new Float64Array(m * d);
    for (let a = 0; a < m; a++) for (let j = 0; j < d; j++) sub[a * d + j] = data[fitIdx[a]! * d + j]!;
    const silIdx = sampleIndices(m, 2000, createRng(seed ^ 0x511));
    curve = [];
    for (let kk = 2; kk <= Math.min(10, m - 1); kk++) {
      const f = fitKmeans(sub, m, d, kk, kopts);
      curve.push({ k: kk, silhouette: meanSilhouette(sub, d, f.labels, kk, silIdx), inertia: f.inertia });
    }
    k = curve.length ? curve.reduce((b, c) => (c.silhouette > b.silhouette ? c : b)).k : 1;
  } else {
    k = opts.k;
  }
  const fit: KmeansFit = fitKmeans(data, n, d, k, kopts);
  const silhouette = meanSilhouette(data, d, fit.labels, fit.k, sampleIndices(n, 2000, createRng(seed ^ 0x511)));
  return { k: fit.k, labels: fit.labels, inertia: fit.inertia, iterations: fit.iterations, silhouette, curve };
}

/** The clusters of a fit numbered 1…k by descending total revenue (ties by fitted index), with their profiles. */
export function numberClusters(summaries: readonly CustomerSummary[], fit: ClusterFit, features: ClusterFeature[]): ClusterResult {
  const { k, labels } = fit;
  const n = summaries.length;
  const rev = new Float64Array(k);
  for (let i = 0; i < n; i++) rev[labels[i]!]! += summaries[i]!.revenue;
  const order = Array.from({ length: k }, (_, c) => c).sort((a, b) => rev[b]! - rev[a]! || a - b);
  const number = new Int32Array(k);
  order.forEach((c, r) => (number[c] = r + 1));
  const cluster = new Int32Array(n);
  for (let i = 0; i < n; i++) cluster[i] = number[labels[i]!]!;
  return { k, cluster, profiles: clusterProfiles(summaries, cluster, k), inertia: fit.inertia, silhouette: fit.silhouette, iterations: fit.iterations, curve: fit.curve, features };
}

/** Runs the segmentation described in the module comment. Deterministic for a seed. */
export function clusterCustomers(summaries: readonly CustomerSummary[], opts: ClusterOptions = {}): ClusterResult {
  const features = clusterFeatures(opts);
  const data = standardizedFeatures(summaries, features);
  return numberClusters(summaries, fitClusters(data, summaries.length, features.length, opts), features);
}

/** Per-cluster size, revenue share, means and label (rule in the module comment). */
export function clusterProfiles(summaries: readonly CustomerSummary[], cluster: ArrayLike<number>, k: number): ClusterProfile[] {
  const size = new Float64Array(k + 1), rev = new Float64Array(k + 1), days = new Float64Array(k + 1), ord = new Float64Array(k + 1);
  let tR = 0, tD = 0, tO = 0;
  summaries.forEach((s, i) => {
    const c = cluster[i]!;
    size[c]!++; rev[c]! += s.revenue; days[c]! += s.daysSinceLast; ord[c]! += s.orders;
    tR += s.revenue; tD += s.daysSinceLast; tO += s.orders;
  });
  const n = summaries.length || 1;
  const mR = tR / n, mD = tD / n, mO = tO / n;
  const out: ClusterProfile[] = [];
  for (let c = 1; c <= k; c++) {
    const z = size[c]! || 1;
    const md = days[c]! / z, mo = ord[c]! / z, mr = rev[c]! / z;
    out.push({
      cluster: c,
      size: size[c]!,
      revenue: roundMoney(rev[c]!),
      revenueShare: tR !== 0 ? rev[c]! / tR : 0,
      meanDaysSinceLast: md,
      meanOrders: mo,
      meanRevenue: roundMoney(mr),
      label: [md < mD ? 'recent' : 'lapsed', mo > mO ? 'frequent' : 'infrequent', mr > mR ? 'high spend' : 'low spend'].join(' · '),
    });
  }
  distinguishLabels(out, { revenue: mR, orders: mO, last: mD });
  return out;
}

/** The mean a distinguishing label part shows, and how it is written. */
const MEASURES = [
  { key: 'revenue', of: (p: ClusterProfile) => p.meanRevenue, text: (x: number) => `revenue ≈ ${Math.round(x)}` },
  { key: 'orders', of: (p: ClusterProfile) => p.meanOrders, text: (x: number) => `orders ≈ ${Math.round(x * 10) / 10}` },
  { key: 'last', of: (p: ClusterProfile) => p.meanDaysSinceLast, text: (x: number) => `last ≈ ${Math.round(x)} d` },
] as const;

/** Makes repeated labels unique (rule in the module comment); a last resort appends "#cluster". */
function distinguishLabels(profiles: ClusterProfile[], overall: Record<(typeof MEASURES)[number]['key'], number>): void {
  const groups = new Map<string, ClusterProfile[]>();
  for (const p of profiles) groups.set(p.label, [...(groups.get(p.label) ?? []), p]);
  for (const group of groups.values()) {
    if (group.length < 2) continue;
    const spread = (m: (typeof MEASURES)[number]): number => {
      const xs = group.map(m.of);
      return (Math.max(...xs) - Math.min(...xs)) / (Math.abs(overall[m.key]) || 1);
    };
    const ranked = [...MEASURES].sort((a, b) => spread(b) - spread(a));
    for (const p of group) p.label += ' · ' + ranked[0]!.text(ranked[0]!.of(p));
    if (new Set(group.map((p) => p.label)).size === group.length) continue;
    for (const p of group) p.label += ' · ' + ranked[1]!.text(ranked[1]!.of(p));
    if (new Set(group.map((p) => p.label)).size === group.length) continue;
    for (const p of group) p.label += ` · #${p.cluster}`;
  }
}
