/**
 * Parallel aggregation of a large canonical transactions file: the file is split at line
 * boundaries into one byte range per core, each range is aggregated by a worker thread with
 * its own CustomerAccumulator, and the shares are merged exactly (CustomerAccumulator.merge:
 * the result equals one sequential pass, tested). Used by `segment` (and so by `score
 * --holdout`-free paths) when --threads (or CUSTKIT_THREADS) ≥ 2 and the input is a file of at least
 * CUSTKIT_PARALLEL_MIN_MB (default 64) MB. Off by default: faster but with a
 * much higher peak (docs/performance.md), because every thread holds most customers (they buy throughout the file). Returns
 * null — read sequentially instead — for stdin, small files, non-canonical or quoted input,
 * and on any row error (the sequential reader then reports it with its line number).
 */
import { closeSync, fstatSync, openSync, readSync, statSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { startWorker } from './live-workers.js';
import { CustomerAccumulator, type AccumulatorState } from '../core/aggregate/customer-accumulator.js';
import type { AttrSpec } from '../core/aggregate/customer-attributes.js';
import { canonicalLayout } from './canonical.js';
import type { CohortGrain } from '../core/cohort/periods.js';
import { isCanonicalHeader } from '../core/types.js';

export interface ParallelAggregate {
  acc: CustomerAccumulator;
  rows: number;
  afterAsOf: number;
  threads: number;
}

const WORKER = new URL('../../dist/pipeline/aggregate-worker.js', import.meta.url);

/** Thread count (`--threads`, else CUSTKIT_THREADS, else 1) and the minimum file size. */
export function parallelSettings(env: NodeJS.ProcessEnv = process.env, threadsOpt: number | null = null): { threads: number; minBytes: number } {
  const t = threadsOpt ?? Number(env.CUSTKIT_THREADS);
  const m = Number(env.CUSTKIT_PARALLEL_MIN_MB);
  return {
    threads: Number.isInteger(t) && t >= 1 ? Math.min(t, availableParallelism() * 2) : 1,
    minBytes: (Number.isFinite(m) && m >= 0 ? m : 64) * 1e6,
  };
}

/** Byte offset just after the first '\n' at or after `pos` (or the file size). */
function nextLineStart(fd: number, pos: number, size: number): number {
  const buf = Buffer.alloc(1 << 16);
  while (pos < size) {
    const n = readSync(fd, buf, 0, buf.length, pos);
    if (n <= 0) break;
    const i = buf.subarray(0, n).indexOf(10);
    if (i !== -1) return pos + i + 1;
    pos += n;
  }
  return size;
}

/** The header cells of an open file whose body starts at `bodyStart`, when it is a plain (unquoted) canonical header; else null. */
function headerAt(fd: number, bodyStart: number): string[] | null {
  const head = Buffer.alloc(Math.min(bodyStart, 1 << 16));
  readSync(fd, head, 0, head.length, 0);
  const line = head.toString('utf8').replace(/^\uFEFF/, '').replace(/\r?\n$/, '');
  if (line.includes('"')) return null;
  const header = line.split(',');
  return isCanonicalHeader(header) ? header : null;
}

/** Whether `path` is a file that starts with a plain canonical header (not a customer table). */
export function hasCanonicalHeader(path: string): boolean {
  return canonicalHeaderOf(path) !== null;
}

/** The header of a file that starts with a plain canonical header, else null. */
export function canonicalHeaderOf(path: string): string[] | null {
  let fd: number;
  try {
    fd = openSync(path, 'r');
  } catch {
    return null;
  }
  try {
    const size = fstatSync(fd).size;
    return size > 0 ? headerAt(fd, nextLineStart(fd, 0, size)) : null;
  } finally {
    closeSync(fd);
  }
}

/** `specsOf` gives the kept attributes of the header's kept columns (customer-attributes.ts); every share carries them. */
export async function aggregateParallel(path: string, asOf: number | null, env: NodeJS.ProcessEnv = process.env, threadsOpt: number | null = null, specsOf: (dimNames: string[]) => AttrSpec[] = () => [], cohorts: CohortGrain | null = null): Promise<ParallelAggregate | null> {
  if (path === '-') return null;
  const { threads, minBytes } = parallelSettings(env, threadsOpt);
  let size: number;
  try {
    size = statSync(path).size;
  } catch {
    return null;
  }
  if (threads < 2 || size < minBytes || size === 0) return null;
  const fd = openSync(path, 'r');
  let header: string[];
  let bodyStart: number;
  const bounds: number[] = [];
  try {
    bodyStart = nextLineStart(fd, 0, size);
    const h = headerAt(fd, bodyStart);
    if (h === null) return null;
    header = h;
    bounds.push(bodyStart);
    for (let k = 1; k < threads; k++) bounds.push(Math.max(bounds[k - 1]!, nextLineStart(fd, bodyStart + Math.floor(((size - bodyStart) * k) / threads), size)));
    bounds.push(size);
  } finally {
    closeSync(fd);
  }
  const attrs = specsOf(canonicalLayout(header, path).schema.dimNames);
  const results = await Promise.all(
    bounds.slice(0, -1).map(
      (start, k) =>
        new Promise<{ state?: AccumulatorState; rows?: number; afterAsOf?: number; fallback?: string }>((resolve) => {
          const w = startWorker(WORKER, { workerData: { path, start, end: bounds[k + 1]!, header, asOf, attrs, cohorts } });
          w.once('message', (m) => {
            resolve(m);
            void w.terminate();
          });
          w.once('error', (e) => resolve({ fallback: e.message }));
        }),
    ),
  );
  if (results.some((r) => r.fallback !== undefined || !r.state)) return null;
  // Shares merge in file order: the attributes' first/last ties break as in one pass.
  const acc = CustomerAccumulator.fromState(results[0]!.state!);
  for (const r of results.slice(1)) acc.merge(CustomerAccumulator.fromState(r.state!));
  return {
    acc,
    rows: results.reduce((s, r) => s + r.rows!, 0),
    afterAsOf: results.reduce((s, r) => s + r.afterAsOf!, 0),
    threads,
  };
}
