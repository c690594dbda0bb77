/**
 * Golden files for the markdown and JSON reports of the fixture (fixtures/report/expected/).
 * Regenerate after an intended change with `UPDATE_GOLDEN=1 npx vitest run test/render` and
 * review the diff with git. Numbers inside the goldens are also checked against values
 * computed independently from the fixture CSV (below), so a golden cannot pin a wrong number.
 */
import { describe, it, expect } from 'vitest';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { EXPECTED_DIR, fixtureModel, fixtureRows } from './report-fixture.js';
import { renderMarkdown } from '../../src/render/markdown.js';
import { renderJson } from '../../src/render/json.js';
import { fmtMoney } from '../../src/render/format.js';

const UPDATE = process.env.UPDATE_GOLDEN === '1';

function golden(name: string, actual: string): void {
  const file = resolve(EXPECTED_DIR, name);
  if (UPDATE || !existsSync(file)) writeFileSync(file, actual);
  expect(actual).toBe(readFileSync(file, 'utf8'));
}

const [HEADER, ...ROWS] = fixtureRows('customers_small.csv');
const revenue = ROWS.map((r) => Number(r[HEADER!.indexOf('revenue')]));
const total = revenue.reduce((a, b) => a + b, 0); // 34,458.70

describe('golden reports', () => {
  it('markdown (en) matches fixtures/report/expected/report.en.md', () => {
    const md = renderMarkdown(fixtureModel('en'));
    golden('report.en.md', md);
    expect(md).toContain(`| Customers | ${ROWS.length} |`);
    expect(md).toContain(`| Revenue | ${fmtMoney(total)} |`);
    expect(md).toContain('| Champions | 4 | 13.3% |'); // 4 of 30 = 13.33 %
    // The <script> id is inert in markdown, the pipe-free text stays readable.
    expect(md).not.toContain('<script>');
    expect(md).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
  });

  it('markdown (zh) matches fixtures/report/expected/report.zh.md', () => {
    const md = renderMarkdown(fixtureModel('zh'));
    golden('report.zh.md', md);
    expect(md).toContain('| 冠军客户 | 4 |');
    expect(md).toContain('## 沉睡客户');
  });

  it('JSON matches fixtures/report/expected/report.json and carries the same numbers', () => {
    const json = renderJson(fixtureModel('en'));
    golden('report.json', json);
    const doc = JSON.parse(json);
    expect(Object.keys(doc).slice(0, 3)).toEqual(['schema_version', 'meta', 'overview']);
    expect(doc.schema_version).toBe(1);
    expect(doc.overview.customers).toBe(30);
    expect(doc.overview.revenue).toBeCloseTo(total, 6);
    expect(doc.metrics.revenue).toBeCloseTo(total, 6);
    expect(doc.pareto.lorenz.length).toBeLessThanOrEqual(200);
    expect(typeof doc.pareto.gini).toBe('number');
  });
});
