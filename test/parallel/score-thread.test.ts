/**
 * `run` scores on a second thread while it segments (score-thread.ts). The thread must give the
 * very scores of scoring in-process: same fit, same notes, every cell equal, on a sampled
 * BG/NBD population with repeat spend (so Gamma-Gamma is fitted too) and on one too small for
 * Gamma-Gamma. And it must turn on only when it pays and when threads are allowed.
 */
import { describe, expect, it } from 'vitest';
import { sampleBgnbdPopulation } from '../../src/core/score/btyd-population.js';
import { makeSummary, type CustomerSummary } from '../../src/core/aggregate/customer-summary.js';
import { CsvRecordBytes } from '../../src/io/csv-record-bytes.js';
import { scoreCustomerTable, scoreInputFromSummaries, type ScoreInput } from '../../src/pipeline/score-stage.js';
import { scoreOptionsFrom } from '../../src/cli/stage-options/score.js';
import { scoreOnThread } from '../../src/parallel/score-thread.js';
import { scoreHere, type RowCells } from '../../src/pipeline/pending-score.js';
import { POLICY, cellsThreadWanted, scoreThreadWanted as scoreWanted, threadPolicy } from '../../src/parallel/policy.js';

const SCORE_THREAD_MIN_CUSTOMERS = POLICY.scoreThreadMinCustomers.default;
const THREAD_CELLS_MIN_CUSTOMERS = POLICY.cellsThreadMinCustomers.default;
const policy = (env: Record<string, string>, threads: number | null = null) => threadPolicy(env, threads, availableParallelism());
const scoreThreadWanted = (n: number, env: Record<string, string>, threads: number | null = null): boolean => scoreWanted(policy(env, threads), n);
const threadCellsWanted = (n: number, env: Record<string, string>, threads: number | null = null): boolean => cellsThreadWanted(policy(env, threads), n);
import { summaryCellsOf, writeScoreCells, writeSummaryCells } from '../../src/pipeline/customer-table-writer.js';
import { scoreCells } from '../../src/core/customer-table/cells.js';
import { availableParallelism } from 'node:os';

/** A population of n customers over 365 days with repeat values on a cent grid. */
function population(n: number, seed: number): ScoreInput {
  const pop = sampleBgnbdPopulation(n, { r: 0.24, alpha: 4.4 * 7, a: 0.79, b: 2.4 }, 365, seed);
  const repeatAvg = new Float64Array(n);
  const revenue = new Float64Array(n);
  const orders = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const x = pop.x[i]!;
    repeatAvg[i] = x > 0 ? Math.round(1000 + ((i * 7919) % 9000)) / 100 : NaN;
    orders[i] = x + 1;
    revenue[i] = Math.round((x + 1) * (2000 + ((i * 104729) % 5000))) / 100;
  }
  return { frequency: pop.x, recencyDays: pop.tx, TDays: pop.T, repeatAvg, revenue, orders };
}

describe('scoring on a second thread', () => {
  for (const [n, what] of [[3000, 'with Gamma-Gamma'], [8, 'too few repeaters for Gamma-Gamma']] as const) {
    it(`gives the in-process scores, cell for cell (${n} customers, ${what})`, async () => {
      const inp = population(n, 11);
      const opts = scoreOptionsFrom({});
      const here = scoreCustomerTable(inp, opts);
      const moved = structuredClone(inp);
      const pending = scoreOnThread(moved, opts);
      expect(moved.revenue.length).toBe(0); // transferred to the worker, not copied
      const { scores: there, threaded } = await pending.result;
      expect(threaded).toBe(true);
      expect(there.model).toBe(here.model);
      expect(there.fit).toEqual(here.fit);
      expect(there.gg).toEqual(here.gg);
      expect(there.notes).toEqual(here.notes);
      expect(there.info).toEqual(here.info);
      for (let i = 0; i < n; i++) expect(scoreCells(there, i)).toEqual(scoreCells(here, i));
      if (n > 100) expect(here.gg?.converged).toBe(true);
      else expect(here.notes.join(' ')).toMatch(/gamma-gamma: only/);
    });
  }

  it('writes the summary and score cells of each block of rows asked for, the bytes of writing them here', async () => {
    const asOf = 20_000;
    const summaries: CustomerSummary[] = [];
    for (let i = 0; i < 2500; i++) {
      const days = 1 + ((i * 7) % 9);
      const first = 19_000 + (i % 300);
      const last = Math.min(asOf, first + ((i * 13) % 400));
      summaries.push(makeSummary(`c${i}`, days + (i % 3), days, Math.round(days * (1500 + ((i * 104729) % 9000))) / 100, i % 97 === 0 ? null : first, last, asOf, days > 1 ? Math.round(days * 1234.5) / 100 : null));
    }
    const opts = scoreOptionsFrom({});
    const here = scoreCustomerTable(scoreInputFromSummaries(summaries), opts);
    /** Row i's two parts as the thread writes them, each ended by LF. */
    const parts = (i: number): [string, string] => {
      const rec = new CsvRecordBytes();
      writeSummaryCells(summaries[i]!, rec);
      rec.end();
      const a = rec.length;
      writeScoreCells(here, i, rec);
      rec.end();
      const text = (from: number, to: number): string => new TextDecoder().decode(rec.bytes.subarray(from, to));
      return [text(0, a), text(a, rec.length)];
    };
    const pending = scoreOnThread(scoreInputFromSummaries(summaries), opts, true);
    const cells = pending.cells!;
    expect((await cells.fitted).meta.fit).toEqual(here.fit);
    cells.columns(summaryCellsOf(summaries)!);
    /** Checks a block against `parts` and gives it back. */
    const check = (block: RowCells, from: number, to: number): RowCells => {
      let start = 0;
      for (let i = from, k = 0; i < to; i++, k += 2) {
        const text = (a: number, b: number): string => new TextDecoder().decode(block.bytes.subarray(a, b));
        expect([i, text(start, block.ends[k]!), text(block.ends[k]!, block.ends[k + 1]!)]).toEqual([i, ...parts(i)]);
        start = block.ends[k + 1]!;
      }
      expect(start).toBe(block.bytes.length);
      return block;
    };
    // Three blocks asked ahead, then one filled into the buffers of the first, which moves back.
    const asked = [cells.rows(0, 1000), cells.rows(1000, 1700), cells.rows(1700, 1800)];
    const first = check(await asked[0]!, 0, 1000);
    check(await asked[1]!, 1000, 1700);
    check(await asked[2]!, 1700, 1800);
    const again = cells.rows(1800, 2500, first);
    expect(first.bytes.length).toBe(0); // transferred
    check(await again, 1800, 2500);
    cells.done();
    const { scores: there } = await pending.result;
    for (let i = 0; i < summaries.length; i += 7) expect(scoreCells(there, i)).toEqual(scoreCells(here, i));
  });

  it('sends the scores back when the table is done without columns (the main thread then writes every cell)', async () => {
    // run's fallback when a summary value does not fit the columns: done() right away.
    const inp = population(400, 9);
    const opts = scoreOptionsFrom({});
    const here = scoreCustomerTable(inp, opts);
    const pending = scoreOnThread(structuredClone(inp), opts, true);
    pending.cells!.done();
    const { scores: there } = await pending.result;
    expect(there.fit).toEqual(here.fit);
    for (let i = 0; i < 400; i++) expect(scoreCells(there, i)).toEqual(scoreCells(here, i));
  });

  it('fails the rows asked for before the summary columns, and the scores with them', async () => {
    const pending = scoreOnThread(population(300, 5), scoreOptionsFrom({}), true);
    await expect(pending.cells!.rows(0, 10)).rejects.toThrow('score thread: rows asked for before the summary columns');
    await expect(pending.result).rejects.toThrow('rows asked for before the summary columns');
    pending.cancel();
  });

  it(`writes cells from ${THREAD_CELLS_MIN_CUSTOMERS} customers, or always with threads set to 2 or more`, () => {
    expect(threadCellsWanted(THREAD_CELLS_MIN_CUSTOMERS, {})).toBe(true);
    expect(threadCellsWanted(THREAD_CELLS_MIN_CUSTOMERS - 1, {})).toBe(false);
    expect(threadCellsWanted(10, { CUSTKIT_THREADS: '2' })).toBe(true);
    expect(threadCellsWanted(10, {}, 4)).toBe(true);
    expect(threadCellsWanted(10, { CUSTKIT_THREADS: '2' }, 1)).toBe(false);
  });

  it('in-process scoring resolves with the same scores and threaded = false', async () => {
    const inp = population(500, 3);
    const opts = scoreOptionsFrom({});
    const { scores, threaded } = await scoreHere(inp, opts).result;
    expect(threaded).toBe(false);
    const here = scoreCustomerTable(inp, opts);
    for (let i = 0; i < 500; i++) expect(scoreCells(scores, i)).toEqual(scoreCells(here, i));
  });

  it(`is wanted from ${SCORE_THREAD_MIN_CUSTOMERS} customers on two cores or more; threads set to 1 turns it off, 2 or more on`, () => {
    const two = availableParallelism() >= 2;
    expect(scoreThreadWanted(SCORE_THREAD_MIN_CUSTOMERS, {})).toBe(two);
    expect(scoreThreadWanted(SCORE_THREAD_MIN_CUSTOMERS - 1, {})).toBe(false);
    expect(scoreThreadWanted(SCORE_THREAD_MIN_CUSTOMERS, { CUSTKIT_THREADS: '1' })).toBe(false);
    expect(scoreThreadWanted(10, { CUSTKIT_THREADS: '2' })).toBe(two);
    expect(scoreThreadWanted(10, { CUSTKIT_THREADS: '1' }, 2)).toBe(two); // --threads beats the environment
    expect(scoreThreadWanted(SCORE_THREAD_MIN_CUSTOMERS, {}, 1)).toBe(false);
    expect(scoreThreadWanted(0, { CUSTKIT_THREADS: '2' })).toBe(false);
  });
});
