// k-means time on 1M customers × 3 features (days since last, orders, revenue), k = 5, typed-array
// path, plus classifyCustomers end to end. Not a test. Run after `npm run build`:
//   node test/bench/kmeans-speed.mjs [n]
import { pathToFileURL } from 'node:url';
import { resolve } from 'node:path';

const dist = process.env.DIST ?? resolve(import.meta.dirname, '../../dist');
const imp = (p) => import(pathToFileURL(resolve(dist, p)).href);
const { clusterCustomers } = await imp('core/segment/customer-clusters.js');
const { classifyCustomers } = await imp('core/segment/classify.js');
const { makeSummary } = await imp('core/aggregate/customer-summary.js');
const { createRng } = await imp('core/math/rng.js');

const N = Number(process.argv[2] ?? 1_000_000);
const rng = createRng(7);
const s = [];
for (let i = 0; i < N; i++) {
  const orders = 1 + Math.floor(-Math.log(1 - rng.next()) * 3);
  const first = rng.int(700);
  const last = Math.min(730, first + (orders > 1 ? rng.int(730 - first) : 0));
  s.push(makeSummary('C' + String(i).padStart(7, '0'), orders, orders, Math.round(orders * 4000 * rng.next()) / 100 + 1, first, last, 730, null));
}
let t = performance.now();
const r = clusterCustomers(s, { k: 5, seed: 1 });
console.log(`k-means n=${N} d=3 k=5: ${(performance.now() - t).toFixed(0)} ms, ${r.iterations} iterations, inertia ${r.inertia.toFixed(1)}, silhouette ${r.silhouette.toFixed(3)}`);
t = performance.now();
const a = clusterCustomers(s, { k: 'auto', seed: 1 });
console.log(`k-means auto (curve on a 20,000 sample): ${(performance.now() - t).toFixed(0)} ms, chose k=${a.k}`);
t = performance.now();
classifyCustomers(s, { kmeans: { k: 5, seed: 1 } });
console.log(`classifyCustomers (abc, pyramid, rfm, kmeans k=5, sleep): ${(performance.now() - t).toFixed(0)} ms`);
