/**
 * Worker thread of the parallel aggregation (parallel-aggregate.ts): aggregates the canonical
 * rows in bytes [start, end) of a file (a range that begins at a line start) with its own
 * CustomerAccumulator, and posts the accumulator back as plain data. Gives up (the main thread
 * then reads the file sequentially) on a quote character — a quoted field could hide a line
 * break at a range boundary — or on any row error, whose exact line only the sequential
 * reader can name.
 */
import { createReadStream } from 'node:fs';
import { parentPort, workerData } from 'node:worker_threads';
import { CustomerAccumulator } from '../core/aggregate/customer-accumulator.js';
import type { AttrSpec } from '../core/aggregate/customer-attributes.js';
import { CsvTokenizer } from '../io/csv-tokenizer.js';
import { canonicalLayout, parseCanonicalRow } from './canonical.js';
import type { CohortGrain } from '../core/cohort/periods.js';

interface Job {
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

const job = workerData as Job;

async function work(): Promise<void> {
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
      if (chunk.indexOf(34) !== -1) {
        parentPort!.postMessage({ fallback: 'a quoted field' });
        return;
      }
      tok.push(dec.decode(chunk, { stream: true }));
    }
  }
  tok.push(dec.decode());
  tok.end();
  const state = acc.toState();
  const l = state.cohorts?.ledger;
  const transfer = [state.orderCount, state.revenue, state.firstRev, state.len, state.days, ...(l ? [l.slots, l.period, l.revenue, l.bought, l.next, state.cohorts!.firstSize] : [])].map((a) => a.buffer as ArrayBuffer);
  parentPort!.postMessage({ state, rows, afterAsOf }, transfer);
}

work().catch((e: Error) => parentPort!.postMessage({ fallback: e.message }));
