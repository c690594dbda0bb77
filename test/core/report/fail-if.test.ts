import { describe, it, expect } from 'vitest';
import { parseFailIf, evaluateFailIf } from '../../../src/core/report/fail-if.js';
import { METRIC_NAMES } from '../../../src/core/report/metrics.js';
import { CustkitError, EXIT } from '../../../src/errors.js';

describe('parseFailIf', () => {
  it('reads comma-separated and repeated conditions, every operator, and a % suffix', () => {
    const c = parseFailIf(['sleeping_share > 0.3, rejected_rate>=5%', 'customers<100', 'gini <= .9', 'new_customers == 0', 'clv_total != -1e3']);
    expect(c.map((x) => [x.metric, x.op, x.value])).toEqual([
      ['sleeping_share', '>', 0.3],
      ['rejected_rate', '>=', 0.05], // 5 % = 0.05
      ['customers', '<', 100],
      ['gini', '<=', 0.9],
      ['new_customers', '==', 0],
      ['clv_total', '!=', -1000],
    ]);
    expect(parseFailIf('top20_share > 0.8').length).toBe(1);
    expect(parseFailIf(' , ')).toEqual([]);
  });

  it('rejects an unknown metric with the list of known ones', () => {
    try {
      parseFailIf('sleepy > 1');
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(CustkitError);
      expect((e as CustkitError).exitCode).toBe(EXIT.USAGE);
      expect((e as CustkitError).message).toBe('--fail-if: unknown metric "sleepy"');
      expect((e as CustkitError).hint).toBe(`known metrics: ${METRIC_NAMES.join(', ')}`);
    }
  });

  it('rejects malformed conditions', () => {
    for (const bad of ['customers', 'customers >', 'customers => 3', '> 3', 'customers > abc', 'customers = 3']) {
      expect(() => parseFailIf(bad)).toThrow(/cannot read/);
    }
  });
});

describe('evaluateFailIf', () => {
  it('reports which conditions held', () => {
    const r = evaluateFailIf(parseFailIf('customers > 10, gini >= 0.5, sleeping_share < 0.1, repeat_rate != 0.8'), {
      customers: 30,
      gini: 0.5,
      sleeping_share: 0.53,
      repeat_rate: 0.8,
    });
    expect(r.map((x) => [x.condition.text, x.actual, x.held])).toEqual([
      ['customers > 10', 30, true],
      ['gini >= 0.5', 0.5, true], // equal counts for >=
      ['sleeping_share < 0.1', 0.53, false],
      ['repeat_rate != 0.8', 0.8, false],
    ]);
  });

  it('a metric the report lacks is a usage error', () => {
    expect(() => evaluateFailIf(parseFailIf('clv_total < 5'), { customers: 1 })).toThrow('--fail-if: metric clv_total is not available in this report');
  });
});
