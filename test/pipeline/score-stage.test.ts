/** Score inputs: from summary facts (run, before the summaries exist) as from the summaries they make. */
import { describe, expect, it } from 'vitest';
import { CustomerAccumulator } from '../../src/core/aggregate/customer-accumulator.js';
import { summariesFromFacts } from '../../src/core/aggregate/summary-facts.js';
import { scoreInputFromFacts, scoreInputFromSummaries } from '../../src/pipeline/score-stage.js';

describe('score inputs', () => {
  it('from summary facts equal those from the summaries the facts make (refunds, one-time and repeat buyers)', () => {
    const acc = new CustomerAccumulator();
    for (let i = 0; i < 3000; i++) acc.add(`c${i % 700}`, 19_000 + ((i * 37) % 500), i % 53 === 0 ? -12.5 : 10 + (i % 91) * 1.01);
    acc.add('one-time', 19_100, 5);
    const asOf = 19_600;
    const f = acc.facts();
    const inp = scoreInputFromFacts(f, asOf);
    expect(inp).toEqual(scoreInputFromSummaries(summariesFromFacts(f, asOf)));
    const k = f.ids.indexOf('one-time');
    expect([inp.frequency[k], inp.recencyDays[k], inp.TDays[k], inp.repeatAvg[k], inp.revenue[k], inp.orders[k]]).toEqual([0, 0, 500, NaN, 5, 1]);
  });
});
