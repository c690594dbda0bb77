/**
 * `custkit segment` end to end (in-process through main()).
 *
 * fixtures/cli/transactions.csv is a hand-made canonical file (45 rows, 20 ids): its
 * per-customer numbers are computed by hand in the comments below (as-of 2024-06-30; 2024 is
 * a leap year, so February has 29 days). The reference-data tests reproduce
 * /work/shared/REFERENCE.md §5 (R rfm package) and §6 (CDNOW master) and skip when ../shared
 * is absent.
 */
import { existsSync, writeFileSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { fixture, runCli } from '../helpers/cli.js';
import { HAS_SHARED, SKIP_SHARED_REASON, sharedFile } from '../helpers/shared.js';
import { csvHeader, csvRecords, tempDir } from './cli-test-utils.js';

const tmp = tempDir('custkit-segment-');
afterAll(() => tmp.cleanup());

const TX = fixture('cli', 'transactions.csv');
const AS_OF = ['--as-of', '2024-06-30'];

/** Runs segment and parses its table; fails the test on a non-zero exit. */
async function segment(args: string[], env?: NodeJS.ProcessEnv): Promise<{ rows: Record<string, string>[]; header: string[]; stdout: string; stderr: string }> {
  const r = await runCli(['segment', ...args], env);
  expect(r.code, r.stderr).toBe(0);
  return { rows: csvRecords(r.stdout), header: csvHeader(r.stdout), stdout: r.stdout, stderr: r.stderr };
}

const byId = (rows: Record<string, string>[], id: string): Record<string, string> => {
  const row = rows.find((r) => r.customer_id === id);
  if (!row) throw new Error(`no row for ${id}`);
  return row;
};

/** The summary columns (the first 14 of the table). */
const SUMMARY = ['customer_id', 'orders', 'purchase_days', 'revenue', 'avg_order_value', 'first_order', 'last_order', 'days_since_last', 'tenure_days', 'mean_interval_days', 'frequency', 'recency', 'T', 'repeat_avg_value'];
const pick = (r: Record<string, string>): Record<string, string> => Object.fromEntries(SUMMARY.map((k) => [k, r[k]!]));

describe('segment: summary columns equal hand computation (fixtures/cli/transactions.csv, --as-of 2024-06-30)', () => {
  it('K01: same-day orders merged, a refund netted, last order on the (inclusive) as-of day, a later row ignored', async () => {
    const { rows } = await segment([TX, ...AS_OF]);
    // K01 rows: 01-10 100 + 01-10 50 (same day), 03-15 80, 04-20 −30 (refund), 06-30 20, 07-05 999 (after as-of).
    // orders = 4 (refund is no order), purchase days = 3 (01-10, 03-15, 06-30),
    // revenue = 100 + 50 + 80 − 30 + 20 = 220, avg = 220 / 4 = 55,
    // days since last = 06-30 − 06-30 = 0 (inclusive as-of), T = tenure = 01-10 → 06-30
    // = 21 (to 01-31) + 29 + 31 + 30 + 31 + 30 = 172, recency = 172, frequency = 3 − 1 = 2,
    // mean interval = 172 / 2 = 86, repeat avg = (220 − 150 first day) / 2 = 35.
    expect(pick(byId(rows, 'K01'))).toEqual({
      customer_id: 'K01', orders: '4', purchase_days: '3', revenue: '220', avg_order_value: '55', first_order: '2024-01-10', last_order: '2024-06-30',
      days_since_last: '0', tenure_days: '172', mean_interval_days: '86', frequency: '2', recency: '172', T: '172', repeat_avg_value: '35',
    });
  });
  it('K02: one-time buyer — frequency 0, empty mean interval and repeat value', async () => {
    const { rows } = await segment([TX, ...AS_OF]);
    // 05-01 45.50; 05-01 → 06-30 = 30 + 30 = 60 days.
    expect(pick(byId(rows, 'K02'))).toEqual({
      customer_id: 'K02', orders: '1', purchase_days: '1', revenue: '45.5', avg_order_value: '45.5', first_order: '2024-05-01', last_order: '2024-05-01',
      days_since_last: '60', tenure_days: '60', mean_interval_days: '', frequency: '0', recency: '0', T: '60', repeat_avg_value: '',
    });
  });
  it('K03: a refund dated before the first purchase lowers the first day, not the repeat value', async () => {
    const { rows } = await segment([TX, ...AS_OF]);
    // 02-10 −5 (refund), 02-20 100, 05-20 50. revenue 145, avg 145 / 2 = 72.5.
    // recency 02-20 → 05-20 = 9 + 31 + 30 + 20 = 90; T 02-20 → 06-30 = 9 + 31 + 30 + 31 + 30 = 131;
    // days since last 05-20 → 06-30 = 11 + 30 = 41; repeat avg = (145 − (100 − 5)) / 1 = 50.
    expect(pick(byId(rows, 'K03'))).toEqual({
      customer_id: 'K03', orders: '2', purchase_days: '2', revenue: '145', avg_order_value: '72.5', first_order: '2024-02-20', last_order: '2024-05-20',
      days_since_last: '41', tenure_days: '131', mean_interval_days: '90', frequency: '1', recency: '90', T: '131', repeat_avg_value: '50',
    });
  });
  it('K04 (a zero-amount order counts) and K05 (rows out of date order)', async () => {
    const { rows } = await segment([TX, ...AS_OF]);
    // K04: 02-01 0.00, 02-15 30. orders 2, revenue 30, avg 15, recency 14, T 02-01 → 06-30 = 28 + 31 + 30 + 31 + 30 = 150,
    // days since last 02-15 → 06-30 = 14 + 122 = 136, mean interval 14, repeat avg 30.
    expect(pick(byId(rows, 'K04'))).toEqual({
      customer_id: 'K04', orders: '2', purchase_days: '2', revenue: '30', avg_order_value: '15', first_order: '2024-02-01', last_order: '2024-02-15',
      days_since_last: '136', tenure_days: '150', mean_interval_days: '14', frequency: '1', recency: '14', T: '150', repeat_avg_value: '30',
    });
    // K05 rows in the file: 06-01 40, 03-01 60, 04-15 25. revenue 125, avg 125 / 3 = 41.666667 (6 decimals),
    // recency 03-01 → 06-01 = 31 + 30 + 31 = 92, T 03-01 → 06-30 = 121, days since last 29,
    // mean interval 92 / 2 = 46, repeat avg (25 + 40) / 2 = 32.5 (first purchase by date excluded, not first row).
    expect(pick(byId(rows, 'K05'))).toEqual({
      customer_id: 'K05', orders: '3', purchase_days: '3', revenue: '125', avg_order_value: '41.666667', first_order: '2024-03-01', last_order: '2024-06-01',
      days_since_last: '29', tenure_days: '121', mean_interval_days: '46', frequency: '2', recency: '92', T: '121', repeat_avg_value: '32.5',
    });
  });
  it('sorted by customer_id; refund-only K19 and after-as-of-only K20 are absent; ignored rows are counted on stderr', async () => {
    const { rows, stderr } = await segment([TX, ...AS_OF]);
    const ids = rows.map((r) => r.customer_id!);
    // K01…K18 (file order is by date, not by id).
    expect(ids).toEqual(Array.from({ length: 18 }, (_, i) => `K${String(i + 1).padStart(2, '0')}`));
    expect(stderr).toContain('segment: as of 2024-06-30 (inclusive) · 45 input rows (transactions) → 18 customers');
    // K01's 999 on 07-05 and K20's 60 on 07-10.
    expect(stderr).toContain('segment: 2 transactions after the as-of date were ignored');
    expect(stderr).toContain('segment: 1 customers with only refunds'); // K19
    // Σ revenue of K01…K18 = 220 + 45.5 + 145 + 30 + 125 + 1800 + 20 + 150 + 15 + 400 + 1000 + 210 + 150 + 12.34 + 330 + 165 + 150 + 420 = 5387.84.
    expect(stderr).toContain('segment: 18 customers, revenue 5387.84');
    const sum = rows.reduce((a, r) => a + Math.round(Number(r.revenue) * 100), 0) / 100;
    expect(sum).toBe(5387.84);
  });
  it('without --as-of the as-of is the latest transaction (K20 on 2024-07-10) and nothing is ignored', async () => {
    const { rows, stderr } = await segment([TX]);
    expect(stderr).toContain('as of 2024-07-10 (inclusive)');
    expect(stderr).not.toContain('after the as-of date');
    expect(rows.length).toBe(19); // K01…K18 + K20
    // K01 now also has 07-05 999: orders 5, revenue 1219, days since last 07-05 → 07-10 = 5.
    expect(byId(rows, 'K01')).toMatchObject({ orders: '5', purchase_days: '4', revenue: '1219', days_since_last: '5', T: '182' });
  });
  it('stderr prints the RFM thresholds (type-7 quantiles + 1, REFERENCE §0) and the scores follow them', async () => {
    const { rows, stderr } = await segment([TX, ...AS_OF]);
    // orders of the 18 customers sorted: 1×6, 2×7, 3×2, 4×2, 6×1. Type-7 quantile at p has h = 17p:
    // q.2 = x[3.4] = 1, q.4 = x[6.8] = 2, q.6 = x[10.2] = 2, q.8 = x[13.6] = 3; +1 → 2, 3, 3, 4; upper = max + 1 = 7.
    // days since last sorted: 0,1,2,5,10,29,29,41,56,60,87,100,119,136,189,213,232,320:
    // q.2 = 5 + .4·5 = 7, q.4 = 29 + .8·12 = 38.6, q.6 = 87 + .2·13 = 89.6, q.8 = 136 + .6·53 = 167.8; +1 each; upper 321.
    expect(stderr).toContain('recency days [0, 8, 39.6, 90.6, 168.8 | 321), orders [1, 2, 3, 3, 4 | 7)');
    // K01: 0 days → [0, 8) → R 5; 4 orders → [4, 7) → F 5. K07: 320 days → [168.8, 321) → R 1; 1 order → F 1.
    expect(byId(rows, 'K01')).toMatchObject({ r_score: '5', f_score: '5' });
    expect(byId(rows, 'K07')).toMatchObject({ r_score: '1', f_score: '1' });
  });
  it('same input and --seed twice → byte-identical output', async () => {
    const a = await segment([TX, ...AS_OF, '--seed', '7']);
    const b = await segment([TX, ...AS_OF, '--seed', '7']);
    expect(a.stdout).toBe(b.stdout);
    expect(a.rows.length).toBe(18);
    expect(a.rows.every((r) => r.cluster !== '')).toBe(true); // k-means ran
  });
  it('--only rfm leaves the other classification columns empty', async () => {
    const { rows, header } = await segment([TX, ...AS_OF, '--only', 'rfm']);
    const others = ['abc_class', 'value_tier', 'cluster', 'cluster_label', 'sleep_state', 'overdue_factor', 'sleep_reason'];
    for (const c of others) expect(header).toContain(c);
    for (const r of rows) {
      for (const c of others) expect(r[c], `${r.customer_id}.${c}`).toBe('');
      expect(r.r_score).toMatch(/^[1-5]$/);
      expect(r.rfm_segment).not.toBe('');
    }
  });
  it('--segments zh8 adds rfm_segment_en; K01 is 一般价值客户 by the mean split', async () => {
    const { rows, header, stderr } = await segment([TX, ...AS_OF, '--only', 'rfm', '--segments', 'zh8']);
    expect(header.indexOf('rfm_segment_en')).toBe(header.indexOf('rfm_segment') + 1);
    // Means: days since last Σ 1629 / 18 = 90.5; orders Σ 40 / 18 = 2.22; revenue 5387.84 / 18 = 299.32.
    expect(stderr).toContain('zh8 split at days_since_last 90.5, orders 2.22, revenue 299.32');
    // K01: 0 days (recent), 4 orders (high), 220 revenue (low) → 一般价值客户 (general value).
    expect(byId(rows, 'K01')).toMatchObject({ rfm_segment: '一般价值客户', rfm_segment_en: 'General value' });
    // K06: 10 days, 4 orders, 1800 → all high → 重要价值客户.
    expect(byId(rows, 'K06').rfm_segment).toBe('重要价值客户');
  });
  it('a JSON segment map that misses cells exits 1 naming the uncovered cells', async () => {
    const map = tmp.path('bad-map.json');
    // "Top" covers 55 and 54; "Mid" covers R 1–4 × FM 1–5: R5 × FM 1–3 stay uncovered.
    writeFileSync(map, JSON.stringify({ basis: 'r_fm', segments: [{ name: 'Top', cells: ['55', '54'] }, { name: 'Mid', r: [1, 4], fm: [1, 5] }] }));
    const r = await runCli(['segment', TX, ...AS_OF, '--segments', map]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('uncovered cells: 51 52 53');
    expect(r.stdout).toBe('');
  });
  it('a valid JSON map names the segments', async () => {
    const map = tmp.path('good-map.json');
    writeFileSync(map, JSON.stringify({ basis: 'r_fm', segments: [{ name: 'Top', cells: ['55', '54'] }, { name: 'Rest', r: [1, 5], fm: [1, 5] }], overlap: 'first' }));
    const { rows } = await segment([TX, ...AS_OF, '--only', 'rfm', '--segments', map]);
    // K01: R 5, F 5, M 4 → FM = half-up mean of 5 and 4 = 5 → cell 55 → Top. K07: R1 → Rest.
    expect(byId(rows, 'K01').rfm_segment).toBe('Top');
    expect(byId(rows, 'K07').rfm_segment).toBe('Rest');
  });
  it('a header-only input exits 2; with --allow-empty it gives a header-only table and exit 0 (no internal error)', async () => {
    const empty = tmp.path('empty.csv');
    writeFileSync(empty, 'customer_id,order_id,order_date,amount,quantity,status\n');
    const refused = await runCli(['segment', empty, '-o', tmp.path('empty-seg.csv')]);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain(`custkit: ${empty}: no data rows (the input is empty or only a header)`);
    expect(existsSync(tmp.path('empty-seg.csv'))).toBe(false);
    const r = await runCli(['segment', empty, '--allow-empty']);
    expect(r.stderr).not.toContain('internal error');
    expect(r.code).toBe(0);
    expect(csvHeader(r.stdout)).toEqual(expect.arrayContaining(SUMMARY));
    expect(csvRecords(r.stdout)).toEqual([]);
    // No rows → no latest transaction; the note must not claim day 0 (1970-01-01).
    expect(r.stderr).toContain('segment: as of unknown (no input rows) · 0 input rows (transactions) → 0 customers');
  });
  it('an aggregated table without dates needs --as-of, and the message says which kind of table it is', async () => {
    const rec = tmp.path('recency-table.csv');
    writeFileSync(rec, 'customer_id,revenue,number_of_orders,recency_days\nA,100,3,10\n');
    const r = await runCli(['segment', rec]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('gives days since the last order (recency_days) but no dates');
    expect(r.stderr).toContain('give --as-of YYYY-MM-DD');
    const last = tmp.path('last-order-table.csv');
    writeFileSync(last, 'customer_id,revenue,number_of_orders,last_order\nA,100,3,2024-01-01\n');
    const l = await runCli(['segment', last]);
    expect(l.code).toBe(1);
    expect(l.stderr).toContain('has dates but no days-since-last column');
    // With --as-of: days since last = 2024-01-01 → 2024-06-30 = 31 + 29 + 31 + 30 + 31 + 29 = 181.
    const ok = await segment([last, '--as-of', '2024-06-30', '--only', 'abc']);
    expect(ok.rows[0]).toMatchObject({ customer_id: 'A', orders: '3', revenue: '100', last_order: '2024-01-01', days_since_last: '181', first_order: '' });
    const okr = await segment([rec, '--as-of', '2024-06-30', '--only', 'abc']);
    expect(okr.rows[0]).toMatchObject({ last_order: '2024-06-20', days_since_last: '10' }); // 06-30 − 10 days
  });
  it('re-segmenting segment\'s own table at the same as-of reproduces it byte for byte', async () => {
    const first = await segment([TX, ...AS_OF]);
    const file = tmp.path('customers.csv');
    writeFileSync(file, first.stdout);
    const again = await segment([file]);
    expect(again.stderr).toContain('as of 2024-06-30'); // last_order + days_since_last
    expect(again.stdout).toBe(first.stdout);
  });
});

const scoreCounts = (rows: Record<string, string>[], col: string, bins = 5): number[] => {
  const c = new Array<number>(bins).fill(0);
  for (const r of rows) c[Number(r[col]) - 1]!++;
  return c;
};

describe.skipIf(!HAS_SHARED)(HAS_SHARED ? 'segment on reference data (REFERENCE.md §5, §6)' : SKIP_SHARED_REASON, () => {
  it('R rfm customer table, --as-of 2007-01-01 --only rfm: §5 customer-level score counts', async () => {
    const { rows, stderr } = await segment([sharedFile('rfm_data_customer.csv'), '--as-of', '2007-01-01', '--only', 'rfm']);
    expect(rows.length).toBe(39_999);
    // §5: "R 7994, 7957, 7889, 8108, 8051; F 9427, 9764, 4945, 8204, 7659; M 8016, 7998, 8008, 7997, 7980".
    expect(scoreCounts(rows, 'r_score')).toEqual([7994, 7957, 7889, 8108, 8051]);
    expect(scoreCounts(rows, 'f_score')).toEqual([9427, 9764, 4945, 8204, 7659]);
    expect(scoreCounts(rows, 'm_score')).toEqual([8016, 7998, 8008, 7997, 7980]);
    // §5 break points: recency (2 | 77, 126, 177, 266 | 1033), frequency (1 | 8, 10, 11, 13 | 25), monetary (11 | 641, 827, 1003, 1226 | 2594).
    expect(stderr).toContain('recency days [2, 77, 126, 177, 266 | 1033), orders [1, 8, 10, 11, 13 | 25), revenue [11, 641, 827, 1003, 1226 | 2594)');
    // Σ number_of_orders = 393,223 [test], revenue 37,537,400 [computed].
    expect(rows.reduce((a, r) => a + Number(r.orders), 0)).toBe(393_223);
    expect(stderr).toContain('revenue 37537400.00');
  });

  it('R rfm orders: ingest | segment --as-of 2006-12-31 --only rfm → §5 score counts and first rows', async () => {
    const tx = tmp.path('rfm_orders.csv');
    const ing = await runCli(['ingest', sharedFile('rfm_data_orders.csv'), '-o', tx]);
    expect(ing.code, ing.stderr).toBe(0);
    const { rows } = await segment([tx, '--as-of', '2006-12-31', '--only', 'rfm']);
    expect(rows.length).toBe(995); // §5: 995 customers
    expect(scoreCounts(rows, 'r_score')).toEqual([197, 200, 199, 199, 200]);
    expect(scoreCounts(rows, 'f_score')).toEqual([268, 187, 176, 244, 120]);
    expect(scoreCounts(rows, 'm_score')).toEqual([200, 200, 198, 202, 195]);
    // §5 [doc] first rows: Abbey O'Reilly 205 days, 6 orders, 472 → 343; Add Senger 140, 3, 340 → 412;
    // Aden Lesch 194, 4, 405 → 323; Aden Murphy 98, 7, 596 → 544; Admiral Senger 132, 5, 448 → 433.
    const first = rows.slice(0, 5).map((r) => [r.customer_id, r.days_since_last, r.orders, r.revenue, r.rfm_score]);
    expect(first).toEqual([
      ["Abbey O'Reilly", '205', '6', '472', '343'],
      ['Add Senger', '140', '3', '340', '412'],
      ['Aden Lesch', '194', '4', '405', '323'],
      ['Aden Murphy', '98', '7', '596', '544'],
      ['Admiral Senger', '132', '5', '448', '433'],
    ]);
  });

  it('CDNOW master (ingest --delimiter whitespace): 23,570 customers, revenue 2,500,315.63, ABC 80/15/5 → 7,695 / 8,044 / 7,831, top-20 % share 67.7774 %', async () => {
    const tx = tmp.path('cdnow_master.csv');
    const ing = await runCli(['ingest', sharedFile('lifetimes_CDNOW_master.txt'), '--delimiter', 'whitespace', '-o', tx]);
    expect(ing.code, ing.stderr).toBe(0);
    const { rows, stderr } = await segment([tx, '--only', 'abc']);
    // §6 master: 23,570 customers, total revenue $2,500,315.63, as-of 1998-06-30 (the last date).
    expect(rows.length).toBe(23_570);
    expect(stderr).toContain('as of 1998-06-30 (inclusive)');
    const cents = rows.map((r) => Math.round(Number(r.revenue) * 100));
    const total = cents.reduce((a, b) => a + b, 0);
    expect(total).toBe(250_031_563);
    // §6: cuts 80 %/95 % → A 7,695, B 8,044, C 7,831.
    const abc = { A: 0, B: 0, C: 0 } as Record<string, number>;
    for (const r of rows) abc[r.abc_class!]!++;
    expect(abc).toEqual({ A: 7695, B: 8044, C: 7831 });
    expect(stderr).toContain('segment: ABC A 7695, B 8044, C 7831');
    // §6: top 20 % of customers by revenue (top 4,714) = $1,694,648.50 = 67.7774 % — recomputed here from the revenue column.
    const top = [...cents].sort((a, b) => b - a).slice(0, Math.round(rows.length * 0.2)).reduce((a, b) => a + b, 0);
    expect(top).toBe(169_464_850);
    expect(Math.round((top / total) * 1e6) / 1e4).toBe(67.7774);
  });
});

describe('segment --threads', () => {
  it('--threads 3 aggregates byte ranges in parallel (any size with CUSTKIT_PARALLEL_MIN_MB=0) with the same table; the flag overrides CUSTKIT_THREADS', async () => {
    const one = await segment([TX, ...AS_OF]);
    // main()'s environment steers the threads (an in-process run's own, else process.env).
    const env = { NO_COLOR: '1', CUSTKIT_PARALLEL_MIN_MB: '0', CUSTKIT_THREADS: '2' };
    const three = await segment([TX, ...AS_OF, '--threads', '3'], env);
    expect(three.stderr).toContain('3 threads');
    expect(three.stdout).toBe(one.stdout);
    const two = await segment([TX, ...AS_OF], env);
    expect(two.stderr).toContain('2 threads');
    expect(two.stdout).toBe(one.stdout);
    const forcedOff = await segment([TX, ...AS_OF, '--threads', '1'], env);
    expect(forcedOff.stderr).not.toMatch(/\d threads/);
    expect(forcedOff.stdout).toBe(one.stdout);
  });
});
