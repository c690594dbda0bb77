/**
 * `run` scores on a second thread while it segments (score-thread.ts). The thread must give the
 * very scores of scoring in-process: same fit, same notes, every cell equal, on a sampled
 * BG/NBD population with repeat spend (so Gamma-Gamma is fitted too) and on one too small for
 * Gamma-Gamma. And it must turn on only when it pays and when threads are allowed.
 */
import { describe, expect, it } from 'vitest';
import { sampleBgnbdPopulation } from '../../src/gen/btyd-population.js';
import { scoreCustomerTable, scoreOptionsFrom, type ScoreInput } from '../../src/pipeline/score-stage.js';
import { SCORE_THREAD_MIN_CUSTOMERS, scoreThreadWanted, startScoring } from '../../src/pipeline/score-thread.js';
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
      const pending = startScoring(moved, opts, true);
      expect(moved.revenue.length).toBe(0); // transferred to the worker, not copied
      const { scores: there, threaded } = await pending.result;
      expect(threaded).toBe(true);
      expect(there.model).toBe(here.model);
      expect(there.fit).toEqual(here.fit);
      expect(there.gg).toEqual(here.gg);
      expect(there.notes).toEqual(here.notes);
      expect(there.info).toEqual(here.info);
      for (let i = 0; i < n; i++) expect(there.cells(i)).toEqual(here.cells(i));
      if (n > 100) expect(here.gg?.converged).toBe(true);
      else expect(here.notes.join(' ')).toMatch(/gamma-gamma: only/);
    });
  }

  it('in-process scoring resolves with the same scores and threaded = false', async () => {
    const inp = population(500, 3);
    const opts = scoreOptionsFrom({});
    const { scores, threaded } = await startScoring(inp, opts, false).result;
    expect(threaded).toBe(false);
    const here = scoreCustomerTable(inp, opts);
    for (let i = 0; i < 500; i++) expect(scores.cells(i)).toEqual(here.cells(i));
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
