/** run's closing lines at a terminal (run-summary.ts), read from the report.json it wrote. */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runSummaryLines } from '../../src/pipeline/run-summary.js';

const dir = mkdtempSync(join(tmpdir(), 'custkit-run-summary-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('runSummaryLines', () => {
  it('revenue as written; without amounts (revenue null) a dash and why, never 0', () => {
    writeFileSync(join(dir, 'report.json'), JSON.stringify({ overview: { customers: 1234, revenue: 5678.5, as_of: '2024-03-31' } }));
    expect(runSummaryLines(dir, []).slice(1)).toEqual(['Customers: 1,234 (as of 2024-03-31)', 'Revenue: 5,678.50', 'Alerts: none']);
    writeFileSync(join(dir, 'report.json'), JSON.stringify({ overview: { customers: 3, revenue: null, as_of: '2024-03-31' } }));
    expect(runSummaryLines(dir, [])[2]).toBe('Revenue: – (transactions without amounts)');
  });
});
