/**
 * Worker side of range-aggregate.ts: aggregates the canonical rows in bytes [start, end) of a
 * file (a range that begins at a line start) with its own CustomerAccumulator, and replies
 * with the accumulator as plain data. Gives up (the main thread then reads the file
 * sequentially) on a quote character — a quoted field could hide a line break at a range
 * boundary — or on any row error, whose exact line only the sequential reader can name.
 */
import { createReadStream } from 'node:fs';
import { CustomerAccumulator, type AccumulatorState } from '../core/aggregate/customer-accumulator.js';
import type { AttrSpec } from '../core/aggregate/customer-attributes.js';
import type { CohortGrain } from '../core/cohort/periods.js';
import { CsvTokenizer } from '../io/csv-tokenizer.js';
import { canonicalLayout, parseCanonicalRow } from '../pipeline/canonical.js';
import type { JobPort } from './protocol.js';

export interface RangeAggregateJob {
  kind: 'aggregate-range';
  path: string;
  start: number;
  end: number;
  header: string[];
  asOf: number | null;
  /** Kept attributes to carry (customer-attributes.ts). */
  attrs: AttrSpec[];
  /** Cohort grain to track (cohort tables must merge too), or null. */
  cohorts: CohortGrain | null;
}

/** The range's share, or why the file must be read sequentially. */
export type RangeAggregateReply = { state: AccumulatorState; rows: number; afterAsOf: number } | { fallback: string };

export async function runRangeAggregateJob(job: RangeAggregateJob, port: JobPort<RangeAggregateReply>): Promise<void> {
  try {
    const r = await aggregateRange(job);
    if ('fallback' in r) port.reply(r);
    else port.reply(r, stateBuffers(r.state));
  } catch (e) {
    port.reply({ fallback: (e as Error).message });
  }
}

async function aggregateRange(job: RangeAggregateJob): Promise<RangeAggregateReply> {
  const layout = canonicalLayout(job.header, job.path);
  const acc = new CustomerAccumulator(1 << 16).keepAttributes(job.attrs);
  const attrs = acc.attributes;
  if (job.cohorts) acc.trackCohorts(job.cohorts);
  let rows = 0;
  let afterAsOf = 0;
  const tok = new CsvTokenizer(',', (cells, line) => {
    rows++;
    const t = parseCanonicalRow(cells, line, layout, job.path);
    if (job.asOf !== null && t.day > job.asOf) {
      afterAsOf++;
      return;
    }
    attrs?.check(t.dims); // a bad value: the sequential reader names its line
    acc.add(t.customerId, t.day, t.amount, t.dims, t.quantity ?? NaN);
  });
  const dec = new TextDecoder('utf-8', { fatal: true });
  if (job.end > job.start) {
    for await (const chunk of createReadStream(job.path, { start: job.start, end: job.end - 1, highWaterMark: 1 << 20 }) as AsyncIterable<Buffer>) {
      if (chunk.indexOf(34) !== -1) return { fallback: 'a quoted field' };
      tok.push(dec.decode(chunk, { stream: true }));
    }
  }
  tok.push(dec.decode());
  tok.end();
  return { state: acc.toState(), rows, afterAsOf };
}

/** The accumulator state's typed arrays, to transfer. */
function stateBuffers(state: AccumulatorState): ArrayBuffer[] {
  const l = state.cohorts?.ledger;
  return [state.orderCount, state.revenue, state.firstRev, state.len, state.days, ...(l ? [l.slots, l.nodes, state.cohorts!.firstQuantity] : [])].map((a) => a.buffer as ArrayBuffer);
}
