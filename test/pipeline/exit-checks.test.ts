import { describe, expect, it } from 'vitest';
import { EXIT } from '../../src/errors.js';
import { createMessages } from '../../src/io/messages.js';
import { failIfExit, rejectBudgetExit } from '../../src/pipeline/exit-checks.js';
import { parseFailIf } from '../../src/core/report/fail-if.js';
import type { ReportModel } from '../../src/core/report/report-model.js';

function capture(): { msgs: ReturnType<typeof createMessages>; text: () => string } {
  let text = '';
  const stream = { write: (s: string) => { text += s; return true; }, isTTY: false } as unknown as NodeJS.WritableStream;
  return { msgs: createMessages({ quiet: false, stream, env: {} }), text: () => text };
}

describe('reject budget', () => {
  it('exits 3 above the budget only, naming where the rows are', () => {
    const c = capture();
    expect(rejectBudgetExit(c.msgs, 0.05, 0.05, 'r.csv')).toBe(EXIT.OK); // at the budget: fine
    expect(c.text()).toBe('');
    expect(rejectBudgetExit(c.msgs, 0.1, 0.05, 'r.csv')).toBe(EXIT.REJECT_BUDGET);
    expect(c.text()).toBe('custkit: reject rate 10.00% is above --max-reject-rate 5.00% (rows in r.csv)\n');
    const d = capture();
    expect(rejectBudgetExit(d.msgs, 0.25, 0.2, null)).toBe(EXIT.REJECT_BUDGET);
    expect(d.text()).toBe('custkit: reject rate 25.00% is above --max-reject-rate 20.00% (use --rejects FILE to see them)\n');
  });
});

describe('--fail-if', () => {
  // metrics() reads the overview's customer count (4) and leaves out the absent sections.
  const model = { overview: { customers: 4 } } as unknown as ReportModel;
  it('exits 4 when a condition holds, with one line per condition held; 0 with none', () => {
    const c = capture();
    expect(failIfExit(c.msgs, [], model)).toBe(EXIT.OK);
    expect(failIfExit(c.msgs, parseFailIf('customers>10'), model)).toBe(EXIT.OK);
    expect(c.text()).toBe('');
    expect(failIfExit(c.msgs, parseFailIf(['customers>3', 'customers<2', 'customers==4']), model)).toBe(EXIT.ALERT);
    expect(c.text()).toBe('custkit: alert: customers>3 (value 4)\ncustkit: alert: customers==4 (value 4)\n');
  });
});
