/**
 * Aggregation of a large canonical transactions file in byte ranges: the file is split at line
 * boundaries into one range per thread, each range is aggregated by a worker thread with its
 * own CustomerAccumulator (range-aggregate-job.ts), and the shares are merged exactly
 * (CustomerAccumulator.merge: the result equals one sequential pass, tested). Used by
 * `segment` when the policy gives it threads (policy.ts: rangeThreads). Returns null — read
 * sequentially instead — for stdin, small files, non-canonical or quoted input, and on any row
 * error (the sequential reader then reports it with its line number).
 */
import { closeSync, openSync, statSync } from 'node:fs';
import { CustomerAccumulator } from '../core/aggregate/customer-accumulator.js';
import type { AttrSpec } from '../core/aggregate/customer-attributes.js';
import type { CohortGrain } from '../core/cohort/periods.js';
import { canonicalLayout } from '../pipeline/canonical.js';
import { headerAt, nextLineStart } from '../pipeline/canonical-header.js';
import type { RangeAggregate } from '../pipeline/parallelism.js';
import { startJob } from './protocol.js';
import { rangeThreads, type ThreadPolicy } from './policy.js';
import type { RangeAggregateJob, RangeAggregateReply } from './range-aggregate-job.js';

/** The header and the range bounds (line starts) of `threads` ranges of the file, or null when its header is not plain canonical. */
function splitFile(path: string, size: number, threads: number): { header: string[]; bounds: number[] } | null {
  const fd = openSync(path, 'r');
  try {
    const bodyStart = nextLineStart(fd, 0, size);
    const header = headerAt(fd, bodyStart);
    if (header === null) return null;
    const bounds = [bodyStart];
    for (let k = 1; k < threads; k++) bounds.push(Math.max(bounds[k - 1]!, nextLineStart(fd, bodyStart + Math.floor(((size - bodyStart) * k) / threads), size)));
    bounds.push(size);
    return { header, bounds };
  } finally {
    closeSync(fd);
  }
}

/** One range's share on a worker thread; a failed thread means: read sequentially. */
function aggregateOnThread(job: RangeAggregateJob): Promise<RangeAggregateReply> {
  return new Promise((resolve) => {
    const thread = startJob<RangeAggregateJob, RangeAggregateReply>(job, [], {
      name: 'aggregation thread',
      until: 'its share',
      prefixErrors: true,
      isLast: () => true,
      onReply(r) {
        resolve(r);
        thread.terminate();
      },
      onFail: (e) => resolve({ fallback: e.message }),
    });
  });
}

/** `specsOf` gives the kept attributes of the header's kept columns (customer-attributes.ts); every share carries them. */
export async function aggregateRanges(path: string, asOf: number | null, policy: ThreadPolicy, specsOf: (dimNames: string[]) => AttrSpec[] = () => [], cohorts: CohortGrain | null = null): Promise<RangeAggregate | null> {
  if (path === '-') return null;
  let size: number;
  try {
    size = statSync(path).size;
  } catch {
    return null;
  }
  const threads = rangeThreads(policy, size);
  if (threads < 2) return null;
  const split = splitFile(path, size, threads);
  if (split === null) return null;
  const { header, bounds } = split;
  const attrs = specsOf(canonicalLayout(header, path).schema.dimNames);
  const shares = await Promise.all(bounds.slice(0, -1).map((start, k) => aggregateOnThread({ kind: 'aggregate-range', path, start, end: bounds[k + 1]!, header, asOf, attrs, cohorts })));
  const states = [];
  for (const s of shares) if ('fallback' in s) return null; else states.push(s);
  // Shares merge in file order: the attributes' first/last ties break as in one pass.
  const acc = CustomerAccumulator.fromState(states[0]!.state);
  for (const s of states.slice(1)) acc.merge(CustomerAccumulator.fromState(s.state));
  return {
    acc,
    rows: states.reduce((n, s) => n + s.rows, 0),
    afterAsOf: states.reduce((n, s) => n + s.afterAsOf, 0),
    threads,
  };
}
