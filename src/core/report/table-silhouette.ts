/**
 * The k-means silhouette recomputed from a customer table, for reports made from `segment`'s
 * output (the fit's own silhouette is printed on stderr only). Same recipe as
 * customer-clusters.ts with its default features: log1p(max(x, 0)) of days_since_last, orders
 * and revenue, z-scored over the clustered rows, mean silhouette (Rousseeuw 1987) on a
 * fixed-seed sample of at most 2,000 of them (segment's default seed 42). With other
 * --features or --seed it describes the clusters in these three features instead.
 */
import { createRng } from '../math/rng.js';
import { meanSilhouette, sampleIndices } from '../segment/silhouette.js';
import type { CustomerTable } from './customer-record.js';

const SEED = 42;

/** Mean silhouette of the table's clusters, or null without at least 2 clusters. */
export function tableSilhouette(tab: CustomerTable): number | null {
  const { cluster, daysSinceLast, orders, revenue } = tab.num;
  const rows: number[] = [];
  for (let i = 0; i < tab.length; i++) if (!Number.isNaN(cluster[i]!)) rows.push(i);
  const ids = [...new Set(rows.map((i) => cluster[i]!))].sort((a, b) => a - b);
  if (ids.length < 2) return null;
  const n = rows.length, d = 3;
  const data = new Float64Array(n * d);
  [daysSinceLast, orders, revenue].forEach((col, j) => {
    let mean = 0;
    for (let a = 0; a < n; a++) mean += (data[a * d + j] = Math.log1p(Math.max(col[rows[a]!]! || 0, 0)));
    mean /= n;
    let ss = 0;
    for (let a = 0; a < n; a++) ss += (data[a * d + j]! - mean) ** 2;
    const sd = Math.sqrt(ss / n);
    for (let a = 0; a < n; a++) data[a * d + j] = sd > 0 ? (data[a * d + j]! - mean) / sd : 0;
  });
  const index = new Map(ids.map((c, k) => [c, k]));
  const labels = Int32Array.from(rows, (i) => index.get(cluster[i]!)!);
  return meanSilhouette(data, d, labels, ids.length, sampleIndices(n, 2000, createRng(SEED ^ 0x511)));
}
