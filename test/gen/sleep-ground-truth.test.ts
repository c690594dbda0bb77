/**
 * Sleeping-customer detection against the generator's ground truth: customers who truly
 * stopped buying (simulated death before the as-of date). Predicted "stopped" = sleep state
 * deep-sleep or lost. Compares the cycle rule with every single fixed days threshold.
 */
import { describe, expect, it } from 'vitest';
import { CustomerAccumulator } from '../../src/core/aggregate/customer-accumulator.js';
import { sleepStates } from '../../src/core/segment/sleep-states.js';
import { dayFromCivil } from '../../src/core/time/day.js';
import { simulateCustomers, calibrateRate, type SimOptions } from '../../src/gen/simulate.js';

function f1(pred: boolean[], truth: boolean[]): { precision: number; recall: number; f1: number } {
  let tp = 0, fp = 0, fn = 0;
  for (let i = 0; i < pred.length; i++) {
    if (pred[i] && truth[i]) tp++;
    else if (pred[i]) fp++;
    else if (truth[i]) fn++;
  }
  const precision = tp + fp ? tp / (tp + fp) : 0;
  const recall = tp + fn ? tp / (tp + fn) : 0;
  return { precision, recall, f1: precision + recall ? (2 * precision * recall) / (precision + recall) : 0 };
}

describe('sleeping rules vs simulated ground truth', () => {
  const o: SimOptions = { seed: 11, start: dayFromCivil(2023, 1, 1), end: dayFromCivil(2025, 12, 31), ordersPerCustomer: 10 };
  const rate = calibrateRate(o);
  const acc = new CustomerAccumulator();
  const dead = new Map<string, boolean>();
  let n = 0;
  for (const c of simulateCustomers(o, rate)) {
    if (n++ >= 20000) break;
    const id = 'C' + String(c.index).padStart(6, '0');
    for (let j = 0; j < c.days.length; j++) acc.add(id, c.days[j]!, c.cents[j]! / 100);
    if (c.days.length) dead.set(id, c.death <= o.end);
  }
  const summaries = acc.summaries(o.end);
  const truth = summaries.map((s) => dead.get(s.customerId)!);

  it('the cycle rule beats the best single fixed threshold in F1', () => {
    const rows: string[] = [];
    let best = { t: 0, f1: 0, precision: 0, recall: 0 };
    for (let t = 30; t <= 720; t += 15) {
      const r = f1(summaries.map((s) => s.daysSinceLast >= t), truth);
      if (r.f1 > best.f1) best = { t, ...r };
    }
    const cyc = sleepStates(summaries, { rule: 'cycle' });
    const rc = f1(cyc.state.map((s) => s === 'deep-sleep' || s === 'lost'), truth);
    const dys = sleepStates(summaries, { rule: 'days' });
    const rd = f1(dys.state.map((s) => s === 'deep-sleep' || s === 'lost'), truth);
    rows.push(`customers ${summaries.length}, truly stopped ${truth.filter(Boolean).length}`);
    rows.push(`cycle rule (deep-sleep|lost): precision ${rc.precision.toFixed(3)} recall ${rc.recall.toFixed(3)} F1 ${rc.f1.toFixed(3)}`);
    rows.push(`days rule default (≥ 90 d): precision ${rd.precision.toFixed(3)} recall ${rd.recall.toFixed(3)} F1 ${rd.f1.toFixed(3)}`);
    rows.push(`best single threshold ${best.t} d: precision ${best.precision.toFixed(3)} recall ${best.recall.toFixed(3)} F1 ${best.f1.toFixed(3)}`);
    console.log(rows.join('\n'));
    expect(truth.filter(Boolean).length).toBeGreaterThan(1000);
    expect(rc.f1).toBeGreaterThan(best.f1);
  });
});
