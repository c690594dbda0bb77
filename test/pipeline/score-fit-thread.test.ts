/**
 * `run --threads 2` fits the models on a second thread while it segments (score-fit-thread.ts);
 * test/cli/run.test.ts checks that the output files are the same as fitting on one.
 */
import { availableParallelism } from 'node:os';
import { describe, expect, it } from 'vitest';
import { fitThreadWanted } from '../../src/pipeline/score-fit-thread.js';
import { fitScoreModels } from '../../src/pipeline/score-stage.js';
import { fitOnThread } from '../../src/pipeline/score-fit-thread.js';
import { sampleBgnbdPopulation } from '../../src/gen/btyd-population.js';

describe('fitThreadWanted', () => {
  it('fits on a second thread only when --threads / CUSTKIT_THREADS asks for two or more (memory: see score-fit-thread.ts)', () => {
    const multi = availableParallelism() >= 2;
    expect(fitThreadWanted(1_000_000, {})).toBe(false);
    expect(fitThreadWanted(1_000_000, { CUSTKIT_THREADS: '2' })).toBe(multi);
    expect(fitThreadWanted(1_000_000, { CUSTKIT_THREADS: '2' }, 1)).toBe(false);
    expect(fitThreadWanted(1_000_000, {}, 4)).toBe(multi);
    expect(fitThreadWanted(0, {}, 4)).toBe(false);
  });
});

describe('fitOnThread', () => {
  it('gives the fits fitScoreModels gives in-process (BG/NBD and Gamma-Gamma on 5,000 simulated customers)', async () => {
    const pop = sampleBgnbdPopulation(5000, { r: 0.5, alpha: 30, a: 0.8, b: 4 }, 400, 11);
    const inp = {
      frequency: pop.x,
      recencyDays: pop.tx,
      TDays: pop.T,
      repeatAvg: Float64Array.from(pop.x, (x, i) => (x > 0 ? 20 + (i % 17) * 3.5 : NaN)),
    };
    const opts = { model: 'bgnbd' as const, unit: 'day' as const, penalizer: 0 };
    const here = fitScoreModels(inp, opts);
    const there = await fitOnThread(inp, opts);
    expect(here.candidates[0]!.converged).toBe(true);
    expect(here.gg?.converged).toBe(true);
    expect(there).toEqual(here);
  });
});
