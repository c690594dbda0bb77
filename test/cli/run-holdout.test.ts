/**
 * `run --holdout DATE` backtests on the cleaned transactions of the same pass (issue #27 item 3):
 * backtest.json/txt in the folder, the chosen model and churn threshold used for scoring and
 * written into fit.json, a model-comparison section in the report; equal to `clean | score --holdout`.
 * CDNOW reads ../shared/data and skips when it is absent.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { fixture, runCli } from '../helpers/cli.js';
import { HAS_SHARED, SKIP_SHARED_REASON, sharedFile } from '../helpers/shared.js';
import { csvRecords, tempDir } from './cli-test-utils.js';

const tmp = tempDir('custkit-run-holdout-');
afterAll(() => tmp.cleanup());

describe('run --holdout', () => {
  it('--backtest-out or --model-in without/with --holdout are usage errors', async () => {
    const a = await runCli(['run', fixture('ingest', 'orders_basic.csv'), '--out', tmp.path('u1'), '--backtest-out', tmp.path('x.csv')]);
    expect(a.code).toBe(1);
    expect(a.stderr).toContain('--backtest-out applies to backtests only');
    const b = await runCli(['run', fixture('ingest', 'orders_basic.csv'), '--out', tmp.path('u2'), '--holdout', '2024-01-01', '--model-in', 'fit.json']);
    expect(b.code).toBe(1);
    expect(b.stderr).toContain('--model-in reuses a backtest');
  });

  it.skipIf(!HAS_SHARED)(HAS_SHARED ? 'CDNOW sample: backtest files, the choice applied to scoring, fit.json and the report section' : SKIP_SHARED_REASON, async () => {
    const ing = ['--delimiter', 'whitespace', '--map', 'customer_id=2,order_date=3,amount=5'];
    const out = tmp.path('cdnow');
    const per = tmp.path('cdnow-bt.csv');
    const r = await runCli(['run', sharedFile('lifetimes_CDNOW_sample.txt'), ...ing, '--out', out, '--holdout', '1997-09-30', '--as-of', '1998-06-30', '--model', 'auto', '--backtest-out', per]);
    expect(r.code, r.stderr).toBe(0);
    const bt = JSON.parse(readFileSync(join(out, 'backtest.json'), 'utf8'));
    expect(bt.customers).toBe(2357);
    expect(bt.purchases.actualTotal).toBe(1882);
    expect(bt.selection.model).toBe('pnbd');
    expect(readFileSync(join(out, 'backtest.txt'), 'utf8')).toContain('Threshold sweep');
    expect(csvRecords(readFileSync(per, 'utf8')).length).toBe(2357);

    // The same backtest as `ingest | clean | score --holdout` on the same options.
    const tx = tmp.path('cdnow-tx.csv');
    const cl = tmp.path('cdnow-clean.csv');
    expect((await runCli(['ingest', sharedFile('lifetimes_CDNOW_sample.txt'), ...ing, '-o', tx])).code).toBe(0);
    expect((await runCli(['clean', tx, '-o', cl])).code).toBe(0);
    const s = await runCli(['score', cl, '--holdout', '1997-09-30', '--as-of', '1998-06-30', '--model', 'auto', '--format', 'json']);
    expect(s.code, s.stderr).toBe(0);
    expect(bt).toEqual(JSON.parse(s.stdout));

    // Scoring of the full period used the chosen model and threshold; fit.json says so.
    const fit = JSON.parse(readFileSync(join(out, 'fit.json'), 'utf8'));
    expect(fit.model).toBe('pnbd');
    expect(fit.backtest.churn_threshold).toBe(bt.selection.churn_threshold);
    expect(fit.backtest.churn_flag).toBe('p_alive');
    expect(fit.churn_thresholds.high_below).toBe(bt.selection.churn_threshold);
    for (const row of csvRecords(readFileSync(join(out, 'customers.csv'), 'utf8'))) {
      expect(row.churn_risk === 'high').toBe(Number(row.p_alive) < bt.selection.churn_threshold);
    }
    expect(r.stderr).toContain('run: backtest to 1997-09-30: auto: chose pnbd by the lowest per-customer MAE');

    const rep = JSON.parse(readFileSync(join(out, 'report.json'), 'utf8'));
    expect(rep.meta.sections).toContain('model_comparison');
    expect(rep.model_comparison.chosen_model).toBe('pnbd');
    expect(rep.model_comparison.models.map((m: { model: string }) => m.model)).toEqual(['bgnbd', 'mbgnbd', 'pnbd']);
    expect(rep.model_comparison.rules[0]).toMatchObject({ rule: `pnbd p_alive < ${bt.selection.churn_threshold}` });
    expect(readFileSync(join(out, 'report.md'), 'utf8')).toContain('## Model comparison on a holdout');
  });
});
