/**
 * `custkit score` end to end (in-process through main()) on the CDNOW sample:
 * `ingest lifetimes_CDNOW_sample.txt --delimiter whitespace --map customer_id=2,order_date=3,amount=5
 *  | segment --as-of 1997-09-30 | score`, checked against /work/shared/REFERENCE.md §1, §3, §4, §6
 * (skipped when ../shared is absent), plus unit/horizon consistency, `--model auto` and the
 * `--holdout` backtest (calibration ≤ 1997-09-30, holdout to 1998-06-30).
 * A small hand-made case (fixtures/cli/transactions.csv) checks the CLI contract without ../shared.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixture, runCli } from '../helpers/cli.js';
import { HAS_SHARED, SKIP_SHARED_REASON, sharedFile } from '../helpers/shared.js';
import { csvHeader, csvRecords, tempDir } from './cli-test-utils.js';

const tmp = tempDir('custkit-score-');
afterAll(() => tmp.cleanup());

const SCORE_COLS = ['p_alive', 'expected_orders', 'expected_avg_value', 'clv', 'historic_value', 'churn_risk', 'value_at_risk'];

async function ok(args: string[]): Promise<{ stdout: string; stderr: string }> {
  const r = await runCli(args);
  expect(r.code, r.stderr).toBe(0);
  return r;
}

/** |actual / expected − 1| ≤ rel. */
const within = (actual: number, expected: number, rel: number): void => {
  expect(Math.abs(actual / expected - 1), `${actual} vs ${expected}`).toBeLessThanOrEqual(rel);
};

describe('score: CLI contract on a small hand-made table', () => {
  let seg = '';
  beforeAll(async () => {
    seg = tmp.path('small-seg.csv');
    await ok(['segment', fixture('cli', 'transactions.csv'), '--as-of', '2024-06-30', '-o', seg]);
  });
  it('appends the seven score columns to segment\'s table, rows and cells unchanged', async () => {
    const r = await ok(['score', seg]);
    const segText = readFileSync(seg, 'utf8');
    const segHeader = csvHeader(segText);
    expect(csvHeader(r.stdout)).toEqual([...segHeader, ...SCORE_COLS]);
    const before = csvRecords(segText);
    const after = csvRecords(r.stdout);
    expect(after.length).toBe(18);
    for (let i = 0; i < after.length; i++) for (const c of segHeader) expect(after[i]![c]).toBe(before[i]![c]);
    // historic_value = revenue (2 decimals): K06 1800, K14 12.34.
    expect(after.find((x) => x.customer_id === 'K06')!.historic_value).toBe('1800');
    expect(after.find((x) => x.customer_id === 'K14')!.historic_value).toBe('12.34');
    // value_at_risk = (1 − p_alive) × clv, from the cells as written (to the cent), never above clv.
    for (const x of after) {
      expect(Number(x.value_at_risk)).toBeCloseTo((1 - Number(x.p_alive)) * Number(x.clv), 2);
      expect(Number(x.value_at_risk)).toBeLessThanOrEqual(Number(x.clv));
    }
    expect(r.stdout).not.toMatch(/NaN|Infinity/);
  });
  it('refuses transactions (exit 2, names the missing columns) and an already scored table', async () => {
    const tx = await runCli(['score', fixture('cli', 'transactions.csv')]);
    expect(tx.code).toBe(2);
    expect(tx.stderr).toContain('not a customer table from segment: no orders, revenue, frequency, recency, T, repeat_avg_value column');
    const scored = tmp.path('small-scored.csv');
    await ok(['score', seg, '-o', scored]);
    const again = await runCli(['score', scored]);
    expect(again.code).toBe(2);
    expect(again.stderr).toContain('already scored');
  });
  it('a customer table without first-order dates (recency/T empty) is a data error that says why', async () => {
    // segment writes empty first_order, recency and T for aggregated inputs like the R rfm customer table.
    const agg = tmp.path('aggregated.csv');
    writeFileSync(agg, 'customer_id,revenue,number_of_orders,recency_days\nA,100,3,10\nB,50,1,40\n');
    const seg = tmp.path('aggregated-seg.csv');
    await ok(['segment', agg, '--as-of', '2024-06-30', '--only', 'abc', '-o', seg]);
    expect(csvRecords(readFileSync(seg, 'utf8'))[0]).toMatchObject({ customer_id: 'A', first_order: '', recency: '', T: '' });
    const r = await runCli(['score', seg]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('customer A: recency and T are empty (the table has no first-order dates)');
    expect(r.stderr).toContain('run `custkit segment` on transactions');
  });
  it('bad --horizon / --discount-rate / --margin exit 1 with an example', async () => {
    const h = await runCli(['score', seg, '--horizon', '12 parsecs']);
    expect(h.code).toBe(1);
    expect(h.stderr).toContain('--horizon');
    const d = await runCli(['score', seg, '--discount-rate', 'ten']);
    expect(d.code).toBe(1);
    expect(d.stderr).toContain('--discount-rate');
    const m = await runCli(['score', seg, '--margin', '1.5']);
    expect(m.code).toBe(1);
    expect(m.stderr).toContain('--margin 1.5 is out of range (hint: allowed: 0 to 1)');
  });
});

describe.skipIf(!HAS_SHARED)(HAS_SHARED ? 'score on the CDNOW sample (REFERENCE.md §1, §3, §4, §6)' : SKIP_SHARED_REASON, () => {
  let tx = '';
  let seg = '';
  let base: { stdout: string; stderr: string; fit: Record<string, any> };
  beforeAll(async () => {
    tx = tmp.path('cdnow_tx.csv');
    seg = tmp.path('cdnow_seg.csv');
    await ok(['ingest', sharedFile('lifetimes_CDNOW_sample.txt'), '--delimiter', 'whitespace', '--map', 'customer_id=2,order_date=3,amount=5', '-o', tx]);
    await ok(['segment', tx, '--as-of', '1997-09-30', '-o', seg]);
    const fitFile = tmp.path('fit.json');
    const r = await ok(['score', seg, '--unit', 'week', '--model-out', fitFile]);
    base = { ...r, fit: JSON.parse(readFileSync(fitFile, 'utf8')) };
  });

  it('BG/NBD parameters and LL in fit.json = FHL 2005 / CLVTools (§1, §3)', () => {
    const f = base.fit;
    expect(f.model).toBe('bgnbd');
    expect(f.time_unit).toBe('week');
    expect(f.customers).toBe(2357);
    expect(f.converged).toBe(true);
    // §3 CLVTools on exact weeks from transactions: r 0.2425945, α 4.4136019, a 0.7929199, b 2.4258881, LL −9,582.429.
    within(f.parameters.r, 0.2426, 0.005);
    within(f.parameters.alpha, 4.4136, 0.005);
    within(f.parameters.a, 0.7929, 0.005);
    within(f.parameters.b, 2.4259, 0.005);
    expect(f.log_likelihood).toBeCloseTo(-9582.43, 1);
    // §1: the 946 customers with ≥ 1 repeat purchase; p 6.25, q 3.74, γ 15.44.
    expect(f.gamma_gamma.customers).toBe(946);
    within(f.gamma_gamma.parameters.p, 6.25, 0.005);
    within(f.gamma_gamma.parameters.q, 3.74, 0.005);
    within(f.gamma_gamma.parameters.gamma, 15.44, 0.005);
    expect(base.stderr).toContain('gamma-gamma p 6.250, q 3.744, gamma 15.44 on 946 repeaters');
  });

  it('p_alive of customer 0001 ≈ 0.7266 (§6: 0.726609 with the 2-decimal fit); no NaN/Infinity anywhere', () => {
    const rows = csvRecords(base.stdout);
    expect(rows.length).toBe(2357);
    const c1 = rows.find((r) => r.customer_id === '0001')!;
    // §2: customer 1 is x = 2, t_x = 30.43, T = 38.86 weeks → 213 and 272 days here.
    expect(c1).toMatchObject({ frequency: '2', recency: '213', T: '272' });
    expect(Number(c1.p_alive)).toBeCloseTo(0.7266, 3);
    // §6 customer 2: P(alive) 0.212227.
    expect(Number(rows.find((r) => r.customer_id === '0002')!.p_alive)).toBeCloseTo(0.2122, 3);
    // §2: E[M | x=2, m_x=22.35] = 24.65 (GG at 6.25/3.74/15.44).
    expect(Number(c1.expected_avg_value)).toBeCloseTo(24.65, 1);
    expect(base.stdout).not.toMatch(/NaN|Infinity/);
    for (const r of rows) {
      const p = Number(r.p_alive);
      expect(p >= 0 && p <= 1).toBe(true);
      expect(Number.isFinite(Number(r.clv))).toBe(true);
      expect(['low', 'medium', 'high']).toContain(r.churn_risk);
    }
  });

  it('--model pnbd: r 0.5532, α 10.576, s 0.6062, β 11.67, LL −9594.98 (§3 CLVTools, §4 BTYD)', async () => {
    const fitFile = tmp.path('fit-pnbd.json');
    await ok(['score', seg, '--model', 'pnbd', '--model-out', fitFile]);
    const f = JSON.parse(readFileSync(fitFile, 'utf8'));
    expect(f.model).toBe('pnbd');
    within(f.parameters.r, 0.5532, 0.005);
    within(f.parameters.alpha, 10.576, 0.005);
    within(f.parameters.s, 0.6062, 0.005);
    within(f.parameters.beta, 11.67, 0.005);
    expect(f.log_likelihood).toBeCloseTo(-9594.98, 1);
  });

  it('--model auto states on stderr which model it chose and writes that model', async () => {
    const fitFile = tmp.path('fit-auto.json');
    const r = await ok(['score', seg, '--model', 'auto', '--model-out', fitFile]);
    const f = JSON.parse(readFileSync(fitFile, 'utf8'));
    // The highest LL of the three: MBG/NBD −9582.14 (§2: r, α, a, b = 0.525, 6.183, 0.891, 1.614) > BG/NBD −9582.43 > Pareto/NBD −9594.98.
    expect(f.model).toBe('mbgnbd');
    expect(r.stderr).toMatch(/auto: chose mbgnbd by the highest log-likelihood \(mbgnbd -9582\.1\d, bgnbd -9582\.43, pnbd -9594\.98\)/);
    expect(f.candidates.map((c: { model: string }) => c.model)).toEqual(['mbgnbd', 'bgnbd', 'pnbd']);
    within(f.parameters.r, 0.525, 0.005);
    within(f.parameters.b, 1.614, 0.005);
  });

  it('the horizon carries its unit: 12m = 365.25d = 1y give identical tables; 6m = 182.625d', async () => {
    // months are 30.4375 days (README / options.ts), years 365.25.
    const d = await ok(['score', seg, '--horizon', '365.25d']);
    const y = await ok(['score', seg, '--horizon', '1y']);
    expect(d.stdout).toBe(base.stdout);
    expect(y.stdout).toBe(base.stdout);
    const m6 = await ok(['score', seg, '--horizon', '6m']);
    const d6 = await ok(['score', seg, '--horizon', '182.625d']);
    expect(m6.stdout).toBe(d6.stdout);
    expect(m6.stdout).not.toBe(base.stdout); // a shorter horizon does change expected orders
    expect(d.stderr).toContain('horizon 365.25d (365.25 days)');
  });

  it('unit safety: --unit day and --unit week give the same CLV (to rounding) and the same p_alive', async () => {
    const day = await ok(['score', seg, '--unit', 'day']);
    const w = csvRecords(base.stdout);
    const dd = csvRecords(day.stdout);
    let sumW = 0;
    let sumD = 0;
    for (let i = 0; i < w.length; i++) {
      // BG/NBD is invariant to the time unit (α scales by 7, r, a, b unchanged — §2 vs the daily fit),
      // so per-customer values agree up to optimizer tolerance and the 2-decimal rounding of clv.
      expect(Math.abs(Number(w[i]!.clv) - Number(dd[i]!.clv))).toBeLessThanOrEqual(0.02 + 1e-4 * Number(w[i]!.clv));
      expect(Math.abs(Number(w[i]!.p_alive) - Number(dd[i]!.p_alive))).toBeLessThan(1e-4);
      sumW += Number(w[i]!.clv);
      sumD += Number(dd[i]!.clv);
    }
    within(sumD, sumW, 1e-4);
    // α in days = 7 × α in weeks: 4.4136 × 7 = 30.895.
    expect(day.stderr).toContain('alpha 30.89');
  });

  describe('backtest: score --holdout 1997-09-30 --as-of 1998-06-30 on the sample transactions', () => {
    let json: Record<string, any>;
    let text = '';
    beforeAll(async () => {
      const j = await ok(['score', tx, '--holdout', '1997-09-30', '--as-of', '1998-06-30', '--format', 'json']);
      json = JSON.parse(j.stdout);
      text = (await ok(['score', tx, '--holdout', '1997-09-30', '--as-of', '1998-06-30'])).stdout;
    });
    it('2,357 customers; actual holdout repeat purchase-days 1,882; predicted ≈ Σ E[Y(39)] = 1,653.42 (§6)', () => {
      expect(json.customers).toBe(2357);
      expect(json.calibration_end).toBe('1997-09-30');
      expect(json.as_of).toBe('1998-06-30');
      expect(json.holdout_days).toBe(273); // 39 weeks
      // §6: "1,882 repeat purchase-days in weeks 40–78".
      expect(json.purchases.actualTotal).toBe(1882);
      within(json.purchases.predictedTotal, 1653.42, 0.01);
      expect(text).toContain('repeat purchases in the holdout (actual 1882)');
      expect(text).toMatch(/bgnbd +yes +-9582\.43 +1653\.4 /);
    });
    it('calibration table by x = 0…7+: sizes and actual means of §4 (BTYD walkthrough)', () => {
      const cal = json.purchases.calibration as { bin: string; count: number; meanActual: number; meanPredicted: number }[];
      expect(cal.map((c) => c.bin)).toEqual(['0', '1', '2', '3', '4', '5', '6', '7+']);
      expect(cal.map((c) => c.count)).toEqual([1411, 439, 214, 100, 62, 38, 29, 64]);
      const actual = [0.237, 0.697, 1.393, 1.56, 2.532, 2.947, 3.862, 6.359];
      cal.forEach((c, i) => expect(c.meanActual).toBeCloseTo(actual[i]!, 3));
      // §4 BG/NBD expected: 0.2250893, 0.5231364, 1.044126, 1.520256, 2.163824, 2.653789, 3.503957, 6.157036.
      const expected = [0.2250893, 0.5231364, 1.044126, 1.520256, 2.163824, 2.653789, 3.503957, 6.157036];
      cal.forEach((c, i) => expect(c.meanPredicted).toBeCloseTo(expected[i]!, 2));
      // §1: the 1,411 zeros made 334 holdout purchases.
      expect(Math.round(cal[0]!.meanActual * 1411)).toBe(334);
    });
    it('churn flags: error and miss rates for the chosen threshold and the rules, consistent with the counts', () => {
      const rules = json.churn as { rule: string; metrics: Record<string, number> }[];
      expect(rules.map((r) => r.rule)).toEqual([
        'bgnbd p_alive < 0.85',
        'sleeping rule (cycle): deep-sleep or lost',
        'no purchase in the last 30 days',
        'no purchase in the last 60 days',
        'no purchase in the last 90 days',
        'no purchase in the last 180 days',
        'no purchase in the last 365 days',
      ]);
      // Churners = customers with no holdout purchase: 2,357 − buyers; the same for every rule.
      for (const r of rules) {
        const m = r.metrics;
        expect(m.n).toBe(2357);
        expect(m.actualChurners).toBe(rules[0]!.metrics.actualChurners);
        if (m.flagged === 0) expect(m.errorRate).toBeNull(); // the 365-day rule: nobody in a 273-day calibration
        else expect(m.errorRate).toBeCloseTo(m.falseAlarms / m.flagged, 12);
        expect(m.missRate).toBeCloseTo(m.missed / m.actualChurners, 12);
      }
      // Churners recounted from the canonical transactions: customers with no order dated 1997-10-01…1998-06-30
      // (every sample customer first bought in 1997 Q1, so all 2,357 are in the calibration period).
      const buyers = new Set<string>();
      for (const t of csvRecords(readFileSync(tx, 'utf8'))) if (t.order_date! > '1997-09-30' && t.order_date! <= '1998-06-30') buyers.add(t.customer_id!);
      expect(rules[0]!.metrics.actualChurners).toBe(2357 - buyers.size);
      expect(text).toContain('error rate 错误率');
      expect(text).toContain('miss rate 遗漏率');
    });
    it('comparison: BG/NBD and Pareto/NBD rows reproduce the walkthrough calibration tables and the CLVTools fits (§3, §4)', () => {
      const rows = json.comparison as { model: string; converged: boolean; log_likelihood: number; parameters: Record<string, number>; purchases: { calibration: { bin: string; count: number; meanPredicted: number; meanActual: number }[]; mae: number } }[];
      expect(rows.map((r) => [r.model, r.converged])).toEqual([['bgnbd', true], ['mbgnbd', true], ['pnbd', true]]);
      const bg = rows[0]!;
      const pn = rows[2]!;
      expect(bg.log_likelihood).toBeCloseTo(-9582.43, 1);
      expect(pn.log_likelihood).toBeCloseTo(-9594.98, 1);
      within(pn.parameters.r!, 0.55315, 0.005);
      within(pn.parameters.beta!, 11.6715, 0.005);
      // §4 BTYD walkthrough, holdout by x = 0…7+: BG/NBD and Pareto/NBD expected.
      const bgExp = [0.2250893, 0.5231364, 1.044126, 1.520256, 2.163824, 2.653789, 3.503957, 6.157036];
      const pnExp = [0.138, 0.6, 1.196, 1.714, 2.399, 2.907, 3.819, 6.403];
      bg.purchases.calibration.forEach((c, i) => expect(c.meanPredicted).toBeCloseTo(bgExp[i]!, 2));
      pn.purchases.calibration.forEach((c, i) => expect(c.meanPredicted).toBeCloseTo(pnExp[i]!, 2));
      for (const r of rows) expect(r.purchases.calibration.map((c) => c.count)).toEqual([1411, 439, 214, 100, 62, 38, 29, 64]);
      // --model bgnbd (default) stays the chosen model; its threshold is the highest F1 of its sweep.
      expect(json.selection.model).toBe('bgnbd');
      expect(json.selection.why).toMatch(/^--model bgnbd \(per-customer MAE: bgnbd 0\.78\d\d, mbgnbd 0\.76\d\d, pnbd 0\.75\d\d\)$/);
      expect(json.selection.churn_threshold).toBe(0.85);
      expect(text).toContain('Model comparison');
      expect(text).toContain('Threshold sweep');
    });
  });

  describe('backtest with --model auto, --model-out and --backtest-out; --model-in reuses the choice', () => {
    let json: Record<string, any>;
    let fit: Record<string, any>;
    let per: Record<string, string>[];
    let r: { stdout: string; stderr: string };
    beforeAll(async () => {
      const fitFile = tmp.path('bt-fit.json');
      const bt = tmp.path('bt-customers.csv');
      r = await ok(['score', tx, '--holdout', '1997-09-30', '--as-of', '1998-06-30', '--format', 'json', '--model', 'auto', '--model-out', fitFile, '--backtest-out', bt]);
      json = JSON.parse(r.stdout);
      fit = JSON.parse(readFileSync(fitFile, 'utf8'));
      per = csvRecords(readFileSync(bt, 'utf8'));
    });
    it('auto picks the lowest per-customer MAE (Pareto/NBD here, MBG/NBD by log-likelihood) and says why', () => {
      const maes = (json.comparison as { model: string; purchases: { mae: number } }[]).map((c) => [c.model, c.purchases.mae] as const);
      const min = maes.reduce((a, b) => (b[1] < a[1] ? b : a));
      expect(min[0]).toBe('pnbd');
      expect(json.selection.model).toBe('pnbd');
      expect(json.model).toBe('pnbd');
      expect(r.stderr).toMatch(/auto: chose pnbd by the lowest per-customer MAE of holdout purchases \(bgnbd 0\.\d{4}, mbgnbd 0\.\d{4}, pnbd 0\.\d{4}\)/);
    });
    it('the sweep is recomputed from the per-customer file: flagged, error rate, miss rate, F1 at every threshold', () => {
      expect(per.length).toBe(2357);
      const sweep = (json.comparison as { model: string; sweep: any[] }[]).find((c) => c.model === 'pnbd')!.sweep;
      expect(sweep.map((s) => s.threshold)).toEqual(Array.from({ length: 19 }, (_, k) => (k + 1) / 20));
      const churned = per.map((p) => p.churned === '1');
      // churned = no holdout purchase, recounted from actual_orders.
      per.forEach((p) => expect(p.churned).toBe(p.actual_orders === '0' ? '1' : '0'));
      for (const s of sweep) {
        let flagged = 0, fa = 0, missed = 0;
        const churners = churned.filter(Boolean).length;
        per.forEach((p, i) => {
          const f = Number(p.p_alive) < s.threshold;
          if (f) flagged++;
          if (f && !churned[i]) fa++;
          if (!f && churned[i]) missed++;
        });
        expect(s.flagged).toBe(flagged);
        expect(s.errorRate).toBeCloseTo(fa / flagged, 12);
        expect(s.missRate).toBeCloseTo(missed / churners, 12);
        const prec = 1 - fa / flagged;
        const rec = 1 - missed / churners;
        expect(s.f1).toBeCloseTo((2 * prec * rec) / (prec + rec), 12);
      }
      const best = sweep.reduce((a, b) => (b.f1 > a.f1 ? b : a));
      expect(json.selection.churn_threshold).toBe(best.threshold);
    });
    it('the default churn flag is the better (F1) of p_alive at its threshold and the sleeping rule; the file flags by it', () => {
      const sel = json.selection;
      const sleep = (json.churn as { rule: string; metrics: { f1: number } }[]).find((c) => c.rule.startsWith('sleeping rule'))!;
      const model = json.churn[0] as { rule: string; metrics: { f1: number; flagged: number } };
      expect(model.rule).toBe(`pnbd p_alive < ${sel.churn_threshold}`);
      expect(sel.churn_flag).toBe(model.metrics.f1 > sleep.metrics.f1 ? 'p_alive' : 'sleeping');
      expect(sel.churn_flag).toBe('p_alive');
      expect(per.filter((p) => p.churn_flag === '1').length).toBe(model.metrics.flagged);
      // Per-customer calibration summary: customer 0001 is x 2, t_x 213 days, T 272 days.
      expect(per[0]).toMatchObject({ customer_id: '0001', frequency: '2', recency: '213', T: '272', actual_orders: '1' });
      expect(Number(per[0]!.actual_value)).toBeGreaterThan(0);
    });
    it('fit.json holds the chosen model, threshold and flag; score --model-in applies them to a customer table', async () => {
      expect(fit.model).toBe('pnbd');
      expect(fit.backtest).toMatchObject({ calibration_end: '1997-09-30', as_of: '1998-06-30', churn_threshold: json.selection.churn_threshold, churn_flag: 'p_alive' });
      expect(fit.backtest.models.map((m: { model: string }) => m.model)).toEqual(['bgnbd', 'mbgnbd', 'pnbd']);
      expect(fit.churn_thresholds.high_below).toBe(json.selection.churn_threshold);
      const fitFile = tmp.path('bt-fit.json');
      const out = tmp.path('reused-fit.json');
      const s = await ok(['score', seg, '--model-in', fitFile, '--model-out', out]);
      const reused = JSON.parse(readFileSync(out, 'utf8'));
      expect(reused.model).toBe('pnbd');
      expect(reused.churn_thresholds.high_below).toBe(json.selection.churn_threshold);
      expect(s.stderr).toContain(`score: model pnbd from ${fitFile}`);
      // churn_risk high exactly below the reused threshold.
      for (const row of csvRecords(s.stdout)) expect(row.churn_risk === 'high').toBe(Number(row.p_alive) < json.selection.churn_threshold);
    });
  });

  it('--holdout on a customer table (not transactions) is a data error', async () => {
    const r = await runCli(['score', seg, '--holdout', '1997-06-30']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('not canonical transactions');
  });
});

describe('score: options of the other mode are usage errors, not silently ignored', () => {
  it('--as-of/--format without --holdout, --model-out with --holdout, a bad --format', async () => {
    const table = fixture('report', 'customers_small.csv');
    for (const [args, text] of [
      [['score', table, '--format', 'json'], '--as-of and --format apply to backtests only'],
      [['score', table, '--as-of', '2024-06-30'], '--as-of and --format apply to backtests only'],
      [['score', table, '--backtest-out', 'x.csv'], '--backtest-out applies to backtests only'],
      [['score', table, '--holdout', '2024-01-01', '--model-in', 'x.json'], '--model-in reuses a backtest'],
      [['score', table, '--holdout', '2024-01-01', '--format', 'xml'], '--format xml is not valid'],
    ] as const) {
      const r = await runCli([...args]);
      expect(r.code).toBe(1);
      expect(r.stderr).toContain(text);
      expect(r.stdout).toBe('');
    }
  });
});
