/**
 * Transactions without amounts (issue #27 item 5): customer and date only. ingest writes an empty
 * amount cell (--no-amount, or no amount column maps, with a note); segment and score work on
 * counts and dates, every money output is absent (empty), never 0. A hand-made fixture
 * (fixtures/cli/visits.csv) and lifetimes' example transactions (REFERENCE.md §2, skipped
 * without ../shared).
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixture, runCli } from '../helpers/cli.js';
import { HAS_SHARED, SKIP_SHARED_REASON, sharedFile } from '../helpers/shared.js';
import { csvRecords, tempDir } from './cli-test-utils.js';

const tmp = tempDir('custkit-no-amount-');
afterAll(() => tmp.cleanup());

async function ok(args: string[]): Promise<{ stdout: string; stderr: string }> {
  const r = await runCli(args);
  expect(r.code, r.stderr).toBe(0);
  return r;
}


/** BG/NBD in days on lifetimes' example transactions (REFERENCE.md): r, α, a, b, LL; no Gamma-Gamma. */
function expectLifetimesExampleFit(f: { parameters: Record<string, number>; log_likelihood: number; gamma_gamma: unknown }): void {
  expect(f.parameters.r).toBeCloseTo(0.163851, 4);
  expect(f.parameters.alpha).toBeCloseTo(1.86428, 3);
  expect(f.parameters.a).toBeCloseTo(1.850343, 3);
  expect(f.parameters.b).toBeCloseTo(3.181058, 3);
  expect(f.log_likelihood).toBeCloseTo(-39248.63, 1);
  expect(f.gamma_gamma).toBeNull();
}
describe('transactions without amounts: hand-made visits (A: 2024-01-01, 01-05 ×2; B: 02-10; C: 01-20, 03-01)', () => {
  let tx = '';
  let seg: Record<string, string>[] = [];
  let segErr = '';
  beforeAll(async () => {
    tx = tmp.path('visits-tx.csv');
    await ok(['ingest', fixture('cli', 'visits.csv'), '--no-amount', '-o', tx]);
    const s = await ok(['segment', tx, '--as-of', '2024-03-31', '-o', tmp.path('visits-seg.csv')]);
    segErr = s.stderr;
    seg = csvRecords(readFileSync(tmp.path('visits-seg.csv'), 'utf8'));
  });
  it('ingest writes every amount cell empty; without --no-amount the same rows and a note saying why', async () => {
    const rows = csvRecords(readFileSync(tx, 'utf8'));
    expect(rows.length).toBe(6);
    for (const r of rows) expect(r.amount).toBe('');
    const auto = await ok(['ingest', fixture('cli', 'visits.csv')]);
    expect(auto.stdout).toBe(readFileSync(tx, 'utf8'));
    expect(auto.stderr).toContain('amount←(none)');
    expect(auto.stderr).toContain('no amount column maps (nor quantity × unit price): transactions without amounts');
    const both = await runCli(['ingest', fixture('cli', 'visits.csv'), '--no-amount', '--map', 'amount=date']);
    expect(both.code).toBe(1);
    expect(both.stderr).toContain('--no-amount with --map amount');
  });
  it('segment: counts and dates by hand; revenue, averages, M score empty, no value at risk column; ABC by orders; no k-means', () => {
    const by = Object.fromEntries(seg.map((r) => [r.customer_id!, r]));
    // A: 3 orders on 2 days; x = 1, t_x = 4 days, T = 2024-01-01 → 03-31 = 90 days.
    expect(by.A).toMatchObject({ orders: '3', purchase_days: '2', frequency: '1', recency: '4', T: '90', revenue: '', avg_order_value: '', repeat_avg_value: '' });
    // B: one visit, T = 02-10 → 03-31 = 50 days. C: x = 1, t_x = 01-20 → 03-01 = 41, T = 71.
    expect(by.B).toMatchObject({ orders: '1', frequency: '0', recency: '0', T: '50' });
    expect(by.C).toMatchObject({ orders: '2', frequency: '1', recency: '41', T: '71' });
    for (const r of seg) {
      expect(r.m_score).toBe('');
      expect(r.rfm_score).toBe('');
      expect('value_at_risk' in r).toBe(false); // a score column ((1 − p_alive) × clv), not segment's
      expect(r.cluster).toBe('');
      expect(r.r_score).not.toBe('');
      expect(r.f_score).not.toBe('');
    }
    // ABC by orders (3, 2, 1 of 6): A alone is 50 % < 70 %, A + C = 83 % → both A; B is not.
    expect([by.A!.abc_class, by.C!.abc_class]).toEqual(['A', 'A']);
    expect(by.B!.abc_class).not.toBe('A');
    expect(segErr).toContain('transactions without amounts: revenue, average values, M score and value at risk are absent');
  });
  it('score: p_alive and expected orders; expected value, CLV and historic value empty, not 0', async () => {
    const r = await ok(['score', tmp.path('visits-seg.csv')]);
    const rows = csvRecords(r.stdout);
    expect(rows.length).toBe(3);
    for (const x of rows) {
      expect(x.expected_avg_value).toBe('');
      expect(x.clv).toBe('');
      expect(x.historic_value).toBe('');
      expect(x.value_at_risk).toBe(''); // (1 − p_alive) × clv, and clv is absent
      expect(Number.isFinite(Number(x.expected_orders))).toBe(true);
    }
    expect(r.stderr).toContain('no amounts: Gamma-Gamma, expected average value and CLV are absent');
  });
  it('report: counts and RFM without M; revenue null (not 0), money-only sections absent and the reason stated (en, zh, HTML)', async () => {
    const scored = tmp.path('visits-scored.csv');
    writeFileSync(scored, (await ok(['score', tmp.path('visits-seg.csv')])).stdout);
    const j = JSON.parse((await ok(['report', scored, '--format', 'json'])).stdout);
    expect(j.meta.sections).toEqual(['overview', 'rfm']);
    expect(j.overview).toMatchObject({ customers: 3, orders: 6, repeat_customers: 2, revenue: null, avg_order_value: null, revenue_per_customer: null });
    expect(j.no_amount.omitted).toEqual(['pareto', 'pyramid', 'clusters', 'sleeping', 'clv', 'changes']);
    for (const k of ['pareto', 'pyramid', 'clusters', 'sleeping', 'clv', 'changes']) expect(j[k], k).toBeNull();
    // segment's rfm_segment (FM read as F): A at risk, B promising, C new; no revenue in any row.
    const seg11 = Object.fromEntries(j.rfm.segments11.map((x: { key: string }) => [x.key, x]));
    expect([seg11.at_risk.customers, seg11.promising.customers, seg11.new.customers]).toEqual([1, 1, 1]);
    for (const x of j.rfm.segments11) expect([x.revenue, x.revenue_share, x.mean_revenue]).toEqual([null, null, null]);
    expect(j.rfm.heatmap.counts.flat().reduce((a: number, b: number) => a + b, 0)).toBe(3);
    const md = (await ok(['report', scored, '--format', 'md'])).stdout;
    expect(md).toContain('Transactions without amounts (ingest --no-amount): revenue, averages and value are absent, not 0');
    expect(md).toContain('Left out because they need amounts: Revenue concentration (Pareto), Customer pyramid');
    expect(md).not.toContain('NaN');
    const zh = (await ok(['report', scored, '--format', 'md', '--lang', 'zh'])).stdout;
    expect(zh).toContain('交易无金额（ingest --no-amount）');
    expect(zh).toContain('因此省略：销售额集中度（帕累托）、客户金字塔');
    const html = tmp.path('visits-report.html');
    await ok(['report', scored, '--format', 'html', '-o', html]);
    const h = readFileSync(html, 'utf8');
    expect(h).toContain('<p class="lead">Transactions without amounts');
    expect(h).not.toContain('NaN');
    // Money metrics are absent, not 0: --fail-if on one says so.
    const fi = await runCli(['report', scored, '--fail-if', 'revenue<10']);
    expect(fi.code).not.toBe(0);
    expect(fi.stderr).toContain('metric revenue is not available in this report (hint: it needs a section this input lacks (amounts,');
        // Revenue on some rows but not others is a damaged table.
    const lines = readFileSync(scored, 'utf8').split('\n');
    const cols = lines[0]!.split(',');
    const at = cols.indexOf('revenue');
    const cells = lines[1]!.split(',');
    cells[at] = '10';
    lines[1] = cells.join(',');
    writeFileSync(tmp.path('visits-mixed-rev.csv'), lines.join('\n'));
    const bad = await runCli(['report', tmp.path('visits-mixed-rev.csv')]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('column revenue is empty on 2 of 3 rows');
  });
  it('clean: duplicates and guests as usual; netting, fully refunded and outliers skipped with one note; audit sums null', async () => {
    // Two extra lines: an exact repeat of A's first visit (same order id: folded) and a guest.
    const extra = tmp.path('visits-extra.csv');
    const lines = readFileSync(tx, 'utf8').trimEnd().split('\n');
    writeFileSync(extra, [...lines, lines[1]!, lines[1]!.replace(/^A,/, 'guest,')].join('\n') + '\n');
    const audit = tmp.path('visits-audit.json');
    for (const outliers of ['flag', 'cap', 'drop']) {
      const r = await ok(['clean', extra, '--outliers', outliers, '--audit', audit]);
      const rows = csvRecords(r.stdout);
      expect(rows.map((x) => x.customer_id)).toEqual(['A', 'A', 'A', 'B', 'C', 'C']);
      for (const x of rows) expect(x.amount).toBe('');
      const a = JSON.parse(readFileSync(audit, 'utf8'));
      expect(a).toMatchObject({ rows_in: 8, rows_out: 6, folded: 1, removed: { guest: 1 }, amount_in: null, amount_out: null, amount_removed: null, amount_negated: null, amount_capped: null, outliers_flagged: 0, outliers_capped: 0 });
      expect(a.outlier_rule.applied).toBe(false);
      expect(r.stderr.match(/transactions without amounts: returns netting, fully refunded orders and outliers need amounts and were skipped/g)?.length).toBe(1);
    }
    // The cleaned rows segment as the ingested ones do.
    const cleaned = tmp.path('visits-clean.csv');
    await ok(['clean', tx, '-o', cleaned]);
    expect((await ok(['segment', cleaned, '--as-of', '2024-03-31'])).stdout).toBe(readFileSync(tmp.path('visits-seg.csv'), 'utf8'));
    // The reader thread parses canonical rows itself: it refuses visibly, naming --threads 1.
    const t = await runCli(['clean', tx, '--threads', '2']);
    expect(t.code).toBe(2);
    expect(t.stderr).toContain('on one thread (--threads 1)');
  });
  it('amounts are all present or all absent: a mixed file is a data error naming the line (segment, clean)', async () => {
    const mixed = tmp.path('mixed.csv');
    const lines = readFileSync(tx, 'utf8').split('\n');
    lines[3] = lines[3]!.replace(/^(A,[^,]*,2024-01-05,)/, '$112.5');
    expect(lines[3]).toContain(',12.5,');
    writeFileSync(mixed, lines.join('\n'));
    const m = await runCli(['segment', mixed]);
    expect(m.code).toBe(2);
    expect(m.stderr).toContain(`${mixed}:4:amount: this row has an amount, but earlier rows have none`);
    const c = await runCli(['clean', mixed]);
    expect(c.code).toBe(2);
    expect(c.stderr).toContain(`${mixed}:4:amount: this row has an amount, but earlier rows have none`);
  });
  it('run --no-amount: customers.csv byte-identical to ingest | clean | segment | score; reports without money sections; fit.json without Gamma-Gamma', async () => {
    const piped = tmp.path('visits-piped.csv');
    const cleaned = tmp.path('visits-cleaned.csv');
    await ok(['clean', tx, '-o', cleaned]);
    const seg2 = tmp.path('visits-seg2.csv');
    await ok(['segment', cleaned, '--as-of', '2024-03-31', '-o', seg2]);
    await ok(['score', seg2, '-o', piped]);
    const want = readFileSync(piped, 'utf8');
    const out = tmp.path('run-na');
    const r = await ok(['run', fixture('cli', 'visits.csv'), '--no-amount', '--as-of', '2024-03-31', '--out', out]);
    expect(readFileSync(`${out}/customers.csv`, 'utf8')).toBe(want);
    expect(r.stderr).toContain('run: --no-amount: transactions without amounts');
    expect(r.stderr).toContain('run: clean: transactions without amounts: returns netting, fully refunded orders and outliers need amounts and were skipped');
    const fit = JSON.parse(readFileSync(`${out}/fit.json`, 'utf8'));
    expect(fit.gamma_gamma).toBeNull();
    const audit = JSON.parse(readFileSync(`${out}/audit.json`, 'utf8'));
    expect(audit.clean).toMatchObject({ rows_in: 6, rows_out: 6, amount_in: null, amount_out: null });
    const j = JSON.parse(readFileSync(`${out}/report.json`, 'utf8'));
    expect(j.meta.sections).toEqual(['overview', 'rfm', 'cohorts', 'data_quality']);
    for (const c of j.cohorts.cohorts ?? []) expect(JSON.stringify(c)).not.toContain('NaN');
    expect(j.cohorts.revenue).toBeNull();
    expect(j.overview).toMatchObject({ customers: 3, orders: 6, revenue: null });
    expect(j.no_amount.omitted).toContain('clv');
    expect(readFileSync(`${out}/report.md`, 'utf8')).toContain('Left out because they need amounts:');
    expect(readFileSync(`${out}/report.html`, 'utf8')).toContain('<p class="lead">Transactions without amounts');
    // actions.csv: value at risk and CLV absent, not NaN or 0.
    for (const a of csvRecords(readFileSync(`${out}/actions.csv`, 'utf8'))) expect([a.value_at_risk, a.clv]).toEqual(['', '']);
    for (const f of ['report.md', 'report.json', 'report.html', 'actions.csv', 'customers.csv']) expect(readFileSync(`${out}/${f}`, 'utf8'), f).not.toContain('NaN');
    // The reader thread (--threads 2: scoring then stays on this thread, with a note), no amount
    // column mapping (a note), and --engine duckdb (runs in JavaScript, with a note): same table.
    const t = await ok(['run', fixture('cli', 'visits.csv'), '--no-amount', '--as-of', '2024-03-31', '--threads', '2', '--out', tmp.path('run-na-t')]);
    expect(readFileSync(`${tmp.path('run-na-t')}/customers.csv`, 'utf8')).toBe(want);
    expect(t.stderr).toContain('run: transactions without amounts: scoring on this thread');
    const auto = await ok(['run', fixture('cli', 'visits.csv'), '--as-of', '2024-03-31', '--out', tmp.path('run-na-auto')]);
    expect(readFileSync(`${tmp.path('run-na-auto')}/customers.csv`, 'utf8')).toBe(want);
    expect(auto.stderr).toContain('run: no amount column maps (nor quantity × unit price): transactions without amounts');
    const db = await ok(['run', fixture('cli', 'visits.csv'), '--no-amount', '--as-of', '2024-03-31', '--engine', 'duckdb', '--out', tmp.path('run-na-db')]);
    expect(readFileSync(`${tmp.path('run-na-db')}/customers.csv`, 'utf8')).toBe(want);
    expect(db.stderr).toContain('run: --no-amount: transactions without amounts run in the JavaScript engine, not DuckDB');
  });
});

describe.skipIf(!HAS_SHARED)(HAS_SHARED ? "lifetimes' example transactions end to end with --no-amount (REFERENCE.md §2)" : SKIP_SHARED_REASON, () => {
  let tx = '';
  let seg = '';
  beforeAll(async () => {
    tx = tmp.path('ex-tx.csv');
    seg = tmp.path('ex-seg.csv');
    await ok(['ingest', sharedFile('lifetimes_example_transactions.csv'), '--no-amount', '-o', tx]);
    await ok(['segment', tx, '-o', seg]);
  });
  it('summary at 2014-12-31 (days): id0 (0, 0, 298), id1 (0, 0, 224), id2 (6, 142, 292), id3 (0, 0, 147), id4 (2, 9, 183)', () => {
    const by = Object.fromEntries(csvRecords(readFileSync(seg, 'utf8')).map((r) => [r.customer_id!, r]));
    const want: [string, string, string, string][] = [['0', '0', '0', '298'], ['1', '0', '0', '224'], ['2', '6', '142', '292'], ['3', '0', '0', '147'], ['4', '2', '9', '183']];
    for (const [id, x, tx_, T] of want) expect(by[id], id).toMatchObject({ frequency: x, recency: tx_, T, revenue: '' });
    expect(Object.keys(by).length).toBe(5000);
  });
  it('BG/NBD in days: r 0.163851, α 1.864280, a 1.850343, b 3.181058, LL −39,248.63; E[Y(30)] of the first five', async () => {
    const fitFile = tmp.path('ex-fit.json');
    const r = await ok(['score', seg, '--unit', 'day', '--horizon', '30d', '--model-out', fitFile]);
    const f = JSON.parse(readFileSync(fitFile, 'utf8'));
    expectLifetimesExampleFit(f);
    const by = Object.fromEntries(csvRecords(r.stdout).map((x) => [x.customer_id!, x]));
    // [test] lifetimes: 0.016053, 0.021171, 0.030461, 0.031686, 0.001607 (decimal 5).
    [0.016053, 0.021171, 0.030461, 0.031686, 0.001607].forEach((e, i) => expect(Number(by[String(i)]!.expected_orders)).toBeCloseTo(e, 5));
    for (const x of Object.values(by)) expect([x.clv, x.expected_avg_value, x.historic_value]).toEqual(['', '', '']);
  });
  it('run --no-amount --unit day --horizon 30d: the same summary, BG/NBD parameters and E[Y(30)]; fit.json without Gamma-Gamma', async () => {
    const out = tmp.path('ex-run');
    await ok(['run', sharedFile('lifetimes_example_transactions.csv'), '--no-amount', '--unit', 'day', '--horizon', '30d', '--out', out]);
    const f = JSON.parse(readFileSync(`${out}/fit.json`, 'utf8'));
    expect(f.model).toBe('bgnbd');
    expectLifetimesExampleFit(f);
    const rows = csvRecords(readFileSync(`${out}/customers.csv`, 'utf8'));
    expect(rows.length).toBe(5000);
    const by = Object.fromEntries(rows.map((r) => [r.customer_id!, r]));
    const want: [string, string, string, string][] = [['0', '0', '0', '298'], ['1', '0', '0', '224'], ['2', '6', '142', '292'], ['3', '0', '0', '147'], ['4', '2', '9', '183']];
    for (const [id, x, tx_, T] of want) expect(by[id], id).toMatchObject({ frequency: x, recency: tx_, T, revenue: '', clv: '', value_at_risk: '' });
    [0.016053, 0.021171, 0.030461, 0.031686, 0.001607].forEach((e, i) => expect(Number(by[String(i)]!.expected_orders)).toBeCloseTo(e, 5));
  });
  it('backtest to 2014-09-01: calibration (x, t_x, T) and holdout purchases of ids 0–4; holdout 121 days; values empty', async () => {
    const per = tmp.path('ex-bt.csv');
    const r = await ok(['score', tx, '--holdout', '2014-09-01', '--as-of', '2014-12-31', '--format', 'json', '--backtest-out', per]);
    const j = JSON.parse(r.stdout);
    expect(j.holdout_days).toBe(121);
    expect(j.notes).toContain('transactions without amounts: predicted and actual holdout value are absent (no Gamma-Gamma); purchases, p_alive and churn flags need no money');
    const by = Object.fromEntries(csvRecords(readFileSync(per, 'utf8')).map((x) => [x.customer_id!, x]));
    const want: [string, string, string, string][] = [['0', '0', '0', '177'], ['1', '0', '0', '103'], ['2', '6', '142', '171'], ['3', '0', '0', '26'], ['4', '2', '9', '62']];
    for (const [id, x, tx_, T] of want) expect(by[id], id).toMatchObject({ frequency: x, recency: tx_, T, actual_orders: '0', revenue: '', predicted_value: '', actual_value: '' });
  });
});
