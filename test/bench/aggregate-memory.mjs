// Heap bytes per customer of CustomerAccumulator: 1M customers × 10 orders (chronological days,
// a few same-day repeats). Not a test. Run after `npm run build`:
//   node --expose-gc test/bench/aggregate-memory.mjs [customers] [ordersPerCustomer]
// DIST=/path/to/dist overrides the compiled-code location.
import { pathToFileURL } from 'node:url';
import { resolve } from 'node:path';

const dist = process.env.DIST ?? resolve(import.meta.dirname, '../../dist');
const { CustomerAccumulator } = await import(pathToFileURL(resolve(dist, 'core/aggregate/customer-accumulator.js')).href);
const { createRng } = await import(pathToFileURL(resolve(dist, 'core/math/rng.js')).href);

const N = Number(process.argv[2] ?? 1_000_000);
const K = Number(process.argv[3] ?? 10);
if (!global.gc) throw new Error('run with node --expose-gc');
// ids built up front (flat strings, as a CSV parser would hand them over) so they count in both snapshots
const ids = Array.from({ length: N }, (_, i) => 'C' + String(i).padStart(7, '0'));
const rng = createRng(42);
global.gc();
const before = process.memoryUsage().heapUsed;
const t0 = performance.now();
const acc = new CustomerAccumulator();
// interleaved customers, day advancing: the shape of a chronological order export
for (let o = 0; o < K; o++) {
  for (let i = 0; i < N; i++) acc.add(ids[i], 10000 + o * 30 + (rng.next() < 0.1 ? 0 : rng.int(30)), Math.round(rng.next() * 10000) / 100);
}
const t1 = performance.now();
global.gc();
const after = process.memoryUsage().heapUsed;
const ab = process.memoryUsage().arrayBuffers;
console.log(`${N} customers × ${K} orders: add ${(t1 - t0).toFixed(0)} ms (${((N * K) / ((t1 - t0) / 1000) / 1e6).toFixed(1)} M rows/s)`);
console.log(`heapUsed growth ${((after - before) / N).toFixed(1)} B/customer; arrayBuffers now ${(ab / N).toFixed(1)} B/customer (typed arrays live outside heapUsed)`);
console.log(`total (heap growth + typed arrays) ≈ ${((after - before + ab) / N).toFixed(1)} B/customer; ids themselves not counted`);
const t2 = performance.now();
const s = acc.summaries(10000 + K * 30);
console.log(`summaries: ${s.length} in ${(performance.now() - t2).toFixed(0)} ms`);
