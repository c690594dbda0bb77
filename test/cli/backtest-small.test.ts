/**
 * `score --holdout` on the small hand-made transactions (fixtures/cli/transactions.csv), no
 * ../shared needed: the per-customer file's actual holdout purchases and value are recounted
 * from the fixture, the threshold sweep and the rules' rates recomputed from the file, and the
 * choices written into fit.json are the ones the comparison reports.
 */
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixture, runCli } from '../helpers/cli.js';
import { csvRecords, tempDir } from './cli-test-utils.js';

const tmp = tempDir('custkit-backtest-small-');
afterAll(() => tmp.cleanup());

const TX = fixture('cli', 'transactions.csv');
const CAL_END = '2024-03-31';
const AS_OF = '2024-06-30';

describe('score --holdout on fixtures/cli/transactions.csv (calibration to 2024-03-31, holdout to 2024-06-30)', () => {
  let json: Record<string, any>;
  let per: Record<string, string>[];
  let fit: Record<string, any>;
  beforeAll(async () => {
    const out = tmp.path('bt.csv');
    const fitFile = tmp.path('fit.json');
    const r = await runCli(['score', TX, '--holdout', CAL_END, '--as-of', AS_OF, '--format', 'json', '--backtest-out', out, '--model-out', fitFile]);
    expect(r.code, r.stderr).toBe(0);
    json = JSON.parse(r.stdout);
    per = csvRecords(readFileSync(out, 'utf8'));
    fit = JSON.parse(readFileSync(fitFile, 'utf8'));
  });

  it('actual holdout purchase days and value per customer, recounted from the fixture', () => {
    const rows = csvRecords(readFileSync(TX, 'utf8'));
    const first = new Map<string, string>();
    const holdDays = new Map<string, Set<string>>();
    const holdValue = new Map<string, number>();
    for (const t of rows) {
      const id = t.customer_id!;
      const d = t.order_date!;
      // Evaluated: customers with a purchase (amount ≥ 0) in the calibration period; refund-only ones have no purchase day.
      if (d <= CAL_END && Number(t.amount) >= 0 && (!first.has(id) || d < first.get(id)!)) first.set(id, d);
      if (d > CAL_END && d <= AS_OF) {
        if (Number(t.amount) >= 0) (holdDays.get(id) ?? holdDays.set(id, new Set()).get(id)!).add(d);
        holdValue.set(id, (holdValue.get(id) ?? 0) + Number(t.amount));
      }
    }
    expect(per.map((p) => p.customer_id).sort()).toEqual([...first.keys()].sort());
    expect(json.customers).toBe(first.size);
    for (const p of per) {
      const id = p.customer_id!;
      expect(Number(p.actual_orders), id).toBe(holdDays.get(id)?.size ?? 0);
      expect(Number(p.actual_value), id).toBeCloseTo(holdValue.get(id) ?? 0, 9);
      expect(p.churned, id).toBe(holdDays.has(id) ? '0' : '1');
    }
    // Customers first seen in the holdout are not evaluated.
    expect(json.purchases.actualTotal).toBe([...first.keys()].reduce((a, id) => a + (holdDays.get(id)?.size ?? 0), 0));
  });

  it('three models compared; the chosen model\'s sweep and its rule recomputed from the per-customer file', () => {
    expect(json.comparison.map((c: { model: string }) => c.model)).toEqual(['bgnbd', 'mbgnbd', 'pnbd']);
    const chosen = json.comparison.find((c: { model: string }) => c.model === json.selection.model);
    const churned = per.map((p) => p.churned === '1');
    const churners = churned.filter(Boolean).length;
    for (const s of chosen.sweep) {
      let flagged = 0, fa = 0, missed = 0;
      per.forEach((p, i) => {
        const f = Number(p.p_alive) < s.threshold;
        if (f) flagged++;
        if (f && !churned[i]) fa++;
        if (!f && churned[i]) missed++;
      });
      const tp = flagged - fa;
      expect([s.flagged, s.falseAlarms, s.missed]).toEqual([flagged, fa, missed]);
      expect(s.errorRate).toBe(flagged ? fa / flagged : null);
      expect(s.missRate).toBe(churners ? missed / churners : null);
      expect(s.f1).toBe(2 * tp + fa + missed ? (2 * tp) / (2 * tp + fa + missed) : null);
    }
    // The threshold is the sweep's highest F1 (lowest t among equals).
    const best = chosen.sweep.reduce((a: any, b: any) => (b.f1 > a.f1 ? b : a));
    expect(json.selection.churn_threshold).toBe(best.threshold);
    // The file's churn_flag is the default flag the selection names.
    const flags = per.map((p) => p.churn_flag === '1');
    const rule = json.churn.find((c: { rule: string }) => (json.selection.churn_flag === 'p_alive' ? c.rule.includes('p_alive') : c.rule.startsWith('sleeping rule')));
    expect(flags.filter(Boolean).length).toBe(rule.metrics.flagged);
    // Fixed-days rules, recounted: days since the last calibration purchase > N.
    const days = (d: string): number => Date.parse(d) / 86_400_000;
    const last = new Map<string, string>();
    for (const t of csvRecords(readFileSync(TX, 'utf8'))) if (t.order_date! <= CAL_END && Number(t.amount) >= 0 && (!last.has(t.customer_id!) || t.order_date! > last.get(t.customer_id!)!)) last.set(t.customer_id!, t.order_date!);
    const r90 = json.churn.find((c: { rule: string }) => c.rule === 'no purchase in the last 90 days');
    expect(r90.metrics.flagged).toBe(per.filter((p) => days(CAL_END) - days(last.get(p.customer_id!)!) > 90).length);
  });

  it('fit.json carries the choice; score --model-in reuses it on the segment table', async () => {
    expect(fit.model).toBe(json.selection.model);
    expect(fit.backtest).toMatchObject({ calibration_end: CAL_END, as_of: AS_OF, churn_threshold: json.selection.churn_threshold, churn_flag: json.selection.churn_flag });
    const seg = tmp.path('seg.csv');
    expect((await runCli(['segment', TX, '--as-of', AS_OF, '-o', seg])).code).toBe(0);
    const again = tmp.path('fit2.json');
    const r = await runCli(['score', seg, '--model-in', tmp.path('fit.json'), '--model-out', again]);
    expect(r.code, r.stderr).toBe(0);
    expect(JSON.parse(readFileSync(again, 'utf8')).model).toBe(json.selection.model);
    const bad = await runCli(['score', seg, '--model-in', seg]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('--model-in: cannot read a fit.json');
  });
});
