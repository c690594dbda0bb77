/**
 * `run` on too little data: the fit converges to a degenerate optimum; fit.json, stderr and every
 * report format say it is unreliable, and `--fail-if 'fit_unreliable > 0'` exits 4 (issue #24 item 8).
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { fixture, runCli } from '../helpers/cli.js';
import { tempDir } from './cli-test-utils.js';

const tmp = tempDir('custkit-fit-rel-');
afterAll(() => tmp.cleanup());

/** Two customers over five days: A buys on days 1, 3 and 5, B once on day 2. */
const TINY = 'order_id,customer_id,order_date,amount\n1,A,2026-01-01,10\n2,B,2026-01-02,25\n3,A,2026-01-03,12\n4,A,2026-01-05,9\n';

describe('run: unreliable fit', () => {
  const input = tmp.path('tiny.csv');
  writeFileSync(input, TINY);

  it('two customers over five days: reliable false with reasons, one warning, shown in every report, --fail-if exits 4', async () => {
    const out = tmp.path('tiny');
    const r = await runCli(['run', input, '--out', out, '--fail-if', 'fit_unreliable > 0']);
    expect(r.code, r.stderr).toBe(4);
    const warnings = r.stderr.split('\n').filter((l) => l.startsWith('warning: fit unreliable:'));
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(/^warning: fit unreliable: 2 customers \(need 100\); 1 repeat buyers \(need 30\)/);
    expect(r.stderr).toContain('custkit: alert: fit_unreliable > 0 (value 1)');

    const fit = JSON.parse(readFileSync(join(out, 'fit.json'), 'utf8'));
    expect(fit.converged).toBe(true);
    expect(fit.reliable).toBe(false);
    expect(fit.unreliable_reasons.slice(0, 2)).toEqual([
      { reason: 'few_customers', value: 2, minimum: 100 },
      { reason: 'few_repeat_buyers', value: 1, minimum: 30 },
    ]);

    const json = JSON.parse(readFileSync(join(out, 'report.json'), 'utf8'));
    expect(json.model_fit.model).toBe('bgnbd');
    expect(json.model_fit.reliable).toBe(false);
    expect(json.model_fit.reasons).toEqual(fit.unreliable_reasons);
    expect(json.metrics.fit_unreliable).toBe(1);
    const md = readFileSync(join(out, 'report.md'), 'utf8');
    expect(md).toContain('Warning: the model fit behind these numbers is unreliable; treat P(alive), expected orders and CLV as rough: only 2 customers (at least 100 needed); only 1 repeat buyers (at least 30 needed)');
    const html = readFileSync(join(out, 'report.html'), 'utf8');
    expect(html).toContain('<p>Warning: the model fit behind these numbers is unreliable;');
  });

  it('the warning in Chinese with --lang zh; without --fail-if the run exits 0', async () => {
    const out = tmp.path('tiny-zh');
    const r = await runCli(['run', input, '--out', out, '--lang', 'zh']);
    expect(r.code, r.stderr).toBe(0);
    expect(readFileSync(join(out, 'report.md'), 'utf8')).toContain('警告：这些数值所依据的模型拟合不可靠，存活概率、预期订单数和 CLV 仅供粗略参考：仅 2 位客户（至少需要 100 位）；仅 1 位复购客户（至少需要 30 位）');
  });

  it('the demo input (503 customers) is a reliable fit: no warning, fit_unreliable 0', async () => {
    const out = tmp.path('demo');
    const r = await runCli(['run', fixture('demo', 'orders.csv'), '--out', out, '--fail-if', 'fit_unreliable > 0']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).not.toContain('fit unreliable');
    expect(JSON.parse(readFileSync(join(out, 'fit.json'), 'utf8'))).toMatchObject({ reliable: true, unreliable_reasons: [] });
    const json = JSON.parse(readFileSync(join(out, 'report.json'), 'utf8'));
    expect(json.model_fit).toMatchObject({ model: 'bgnbd', reliable: true, reasons: [] });
    expect(json.model_fit.basis).toEqual({ spend_model: 'gamma-gamma', horizon: '12m', horizon_days: 365.25, discount_rate: '10%/yr', margin: 1 });
    expect(json.metrics.fit_unreliable).toBe(0);
    expect(readFileSync(join(out, 'report.md'), 'utf8')).not.toContain('unreliable');
  });

  it('report --fit fit.json (as written by run or score --model-out): the same warning and metric', async () => {
    const out = tmp.path('tiny');
    const fit = join(out, 'fit.json');
    const r = await runCli(['report', join(out, 'customers.csv'), '--format', 'json', '--fit', fit, '--fail-if', 'fit_unreliable == 1']);
    expect(r.code, r.stderr).toBe(4);
    const json = JSON.parse(r.stdout);
    expect(json.model_fit).toEqual(JSON.parse(readFileSync(join(out, 'report.json'), 'utf8')).model_fit);
    const md = await runCli(['report', join(out, 'customers.csv'), '--format', 'md', '--fit', fit]);
    const warning = (text: string): string[] => text.split('\n').filter((l) => l.startsWith('Warning: the model fit'));
    expect(warning(md.stdout)).toHaveLength(1);
    expect(warning(md.stdout)).toEqual(warning(readFileSync(join(out, 'report.md'), 'utf8')));
    const bad = tmp.path('bad-fit.json');
    writeFileSync(bad, JSON.stringify({ model: 'bgnbd', converged: true }));
    const e = await runCli(['report', join(out, 'customers.csv'), '--fit', bad]);
    expect(e.code).toBe(2);
    expect(e.stderr).toBe(`custkit: ${bad}: not a fit summary: needs model, reliable and unreliable_reasons (hint: give the fit.json written by \`custkit run\` or \`custkit score --model-out\`)\n`);
  });

  it('custkit report on a customer table has no fit: fit_unreliable is a usage error naming what is missing', async () => {
    const r = await runCli(['report', join(tmp.path('demo'), 'customers.csv'), '--format', 'json', '--fail-if', 'fit_unreliable > 0']);
    expect(r.code).toBe(1);
    expect(r.stderr.trim().split('\n').at(-1)).toBe('custkit: --fail-if: metric fit_unreliable is not available in this report (hint: it needs a section this input lacks (amounts, score columns, sleep_state, --audit, --compare or --fit))');
  });
});
