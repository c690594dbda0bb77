/**
 * Refund and paid_at columns end to end (issue #26 item 6): ingest writes them only when the
 * source has them, clean nets and drops them, run and the piped commands agree; on the Tmall
 * reference export the audit reconciles to the file's own sums (skipped without ../shared/data).
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';
import { HAS_SHARED, SKIP_SHARED_REASON, sharedFile } from '../helpers/shared.js';
import { csvHeader, csvRecords, tempDir } from './cli-test-utils.js';

const tmp = tempDir('custkit-refunds-');
afterAll(() => tmp.cleanup());

// C1: 100 paid, 30 refunded → 70; C1: 40 refunded in full; C2: unpaid; C2: 25 paid.
const ORDERS = [
  '客户ID,订单编号,订单创建时间,总金额,买家实际支付金额,订单付款时间,退款金额',
  'C1,1,2024-03-01 09:00:00,100,70,2024-03-01 09:01:00,30',
  'C1,2,2024-03-05 10:00:00,40,0,2024-03-05 10:00:30,40',
  'C2,3,2024-03-06 11:00:00,80,0,,0',
  'C2,4,2024-03-07 12:00:00,25,25,2024-03-07 12:00:05,0',
].join('\n') + '\n';

describe('refund and paid_at columns', () => {
  const src = tmp.path('orders.csv');
  writeFileSync(src, ORDERS);

  it('ingest writes refund and paid_at; clean nets, removes, and writes neither', async () => {
    const tx = tmp.path('tx.csv'), clean = tmp.path('clean.csv'), audit = tmp.path('audit.json');
    expect((await runCli(['ingest', src, '-o', tx])).code).toBe(0);
    const text = readFileSync(tx, 'utf8');
    expect(csvHeader(text)).toEqual(['customer_id', 'order_id', 'order_date', 'amount', 'quantity', 'status', 'order_time', 'refund', 'paid_at']);
    expect(csvRecords(text).map((r) => [r.amount, r.refund, r.paid_at])).toEqual([['100', '30', '2024-03-01 09:01:00'], ['40', '40', '2024-03-05 10:00:30'], ['80', '0', ''], ['25', '0', '2024-03-07 12:00:05']]);
    const r = await runCli(['clean', tx, '-o', clean, '--audit', audit, '--outliers', 'off']);
    expect(r.code, r.stderr).toBe(0);
    const out = readFileSync(clean, 'utf8');
    expect(csvHeader(out)).toEqual(['customer_id', 'order_id', 'order_date', 'amount', 'quantity', 'status', 'order_time']);
    expect(csvRecords(out).map((x) => [x.customer_id, x.order_id, x.amount])).toEqual([['C1', '1', '70'], ['C2', '4', '25']]);
    const a = JSON.parse(readFileSync(audit, 'utf8'));
    expect([a.removed.unpaid, a.removed.fully_refunded, a.amount_in, a.amount_out, a.amount_removed, a.amount_refunded]).toEqual([1, 1, 245, 95, 120, 30]);
    // Cleaning the cleaned file changes nothing (the refund is not netted twice).
    const again = tmp.path('again.csv');
    expect((await runCli(['clean', clean, '-o', again, '--outliers', 'off'])).code).toBe(0);
    expect(readFileSync(again, 'utf8')).toBe(out);
  });

  it('run: the same net revenue per customer as the rows clean writes, and the same audit', async () => {
    const out = tmp.path('run');
    const r = await runCli(['run', src, '--out', out, '--outliers', 'off']);
    expect(r.code, r.stderr).toBe(0);
    const rows = csvRecords(readFileSync(join(out, 'customers.csv'), 'utf8'));
    expect(rows.map((x) => [x.customer_id, x.orders, x.revenue])).toEqual([['C1', '1', '70'], ['C2', '1', '25']]);
    const a = JSON.parse(readFileSync(join(out, 'audit.json'), 'utf8'));
    expect([a.clean.removed.unpaid, a.clean.removed.fully_refunded, a.clean.amount_refunded]).toEqual([1, 1, 30]);
    // The reader thread hands refunds and payment times over too.
    const threaded = tmp.path('run-threads');
    expect((await runCli(['run', src, '--out', threaded, '--outliers', 'off', '--threads', '2'])).code).toBe(0);
    expect(readFileSync(join(threaded, 'customers.csv'), 'utf8')).toBe(readFileSync(join(out, 'customers.csv'), 'utf8'));
    expect(readFileSync(join(threaded, 'audit.json'), 'utf8')).toBe(readFileSync(join(out, 'audit.json'), 'utf8'));
  });

  it('a refund that is not a number is a reject with its reason', async () => {
    const bad = tmp.path('bad.csv');
    writeFileSync(bad, ORDERS + 'C3,5,2024-03-08 10:00:00,10,10,2024-03-08 10:00:01,n/a?\n');
    const rejects = tmp.path('bad-rejects.csv');
    const r = await runCli(['ingest', bad, '-o', tmp.path('bad-tx.csv'), '--rejects', rejects, '--max-reject-rate', '1']);
    expect(r.code).toBe(0);
    expect(csvRecords(readFileSync(rejects, 'utf8')).map((x) => [x.line, x.reason, x.detail])).toEqual([['6', 'bad_refund', '退款金额: "n/a?" is not a number']]);
  });
});

describe.skipIf(!HAS_SHARED)(`Tmall order report: the audit reconciles to the file's own sums${HAS_SHARED ? '' : ` (${SKIP_SHARED_REASON})`}`, () => {
  it('unpaid and fully refunded orders removed, net revenue = Σ paid − Σ refunds = Σ 买家实际支付金额', async () => {
    const file = sharedFile('tmall_order_report_zh.csv');
    // The file's own sums, in cents: paid orders have a payment time; 总金额 = 买家实际支付金额 + 退款金额 on each.
    const rows = csvRecords(readFileSync(file, 'utf8')).map((r) => Object.fromEntries(Object.entries(r).map(([k, v]) => [k.trim(), v])));
    const cents = (s: string): number => Math.round(Number(s) * 100);
    const paid = rows.filter((r) => r['订单付款时间']!.trim() !== '');
    const unpaid = rows.filter((r) => r['订单付款时间']!.trim() === '');
    const full = paid.filter((r) => cents(r['退款金额']!) > 0 && cents(r['退款金额']!) >= cents(r['总金额']!));
    const sum = (rs: typeof rows, k: string): number => rs.reduce((s, r) => s + cents(r[k]!), 0);
    expect([rows.length, unpaid.length, full.length]).toEqual([28010, 3923, 5132]);
    const net = sum(paid, '总金额') - sum(paid, '退款金额');
    expect(net).toBe(sum(rows, '买家实际支付金额'));

    const out = tmp.path('tmall');
    const r = await runCli(['run', file, '--out', out, '--map', 'customer_id=收货地址', '--outliers', 'off']);
    expect(r.code, r.stderr).toBe(0);
    const a = JSON.parse(readFileSync(join(out, 'audit.json'), 'utf8')).clean;
    expect([a.rows_in, a.rows_out, a.removed.unpaid, a.removed.fully_refunded, a.rows_removed]).toEqual([28010, 28010 - 3923 - 5132, 3923, 5132, 3923 + 5132]);
    expect(Math.round(a.amount_in * 100)).toBe(sum(rows, '总金额'));
    expect(Math.round(a.amount_out * 100)).toBe(net);
    // Removed: the unpaid orders' totals and the fully refunded ones'; netted: the partial refunds.
    expect(Math.round(a.amount_removed * 100)).toBe(sum(unpaid, '总金额') + sum(full, '总金额'));
    expect(Math.round(a.amount_refunded * 100)).toBe(sum(paid, '退款金额') - sum(full, '退款金额'));
    const customers = csvRecords(readFileSync(join(out, 'customers.csv'), 'utf8'));
    expect(customers.reduce((s, c) => s + cents(c.revenue!), 0)).toBe(net);
  });
});
