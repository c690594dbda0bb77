/**
 * `run`'s machine and people files (#25 items 2 and 4): customers.csv is exact, byte-equal to
 * the piped stages' table also for ids a spreadsheet guard would rewrite; customers.excel.csv
 * (--excel) is guarded and protects ids a spreadsheet would change; the report's data quality
 * counts every input row once, in JSON, markdown and HTML; value at risk is (1 − p_alive) × clv
 * with its basis stated (item 6; the CDNOW part reads ../shared/data and skips when it is absent).
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { fixture, runCli } from '../helpers/cli.js';
import { HAS_SHARED, SKIP_SHARED_REASON, sharedFile } from '../helpers/shared.js';
import { csvRecords, tempDir } from './cli-test-utils.js';

const tmp = tempDir('custkit-run-exact-');
afterAll(() => tmp.cleanup());

/** ingest → clean → segment → score through files. */
async function piped(input: string, name: string): Promise<string> {
  let from = input;
  for (const cmd of ['ingest', 'clean', 'segment', 'score']) {
    const to = tmp.path(`${name}.${cmd}.csv`);
    const r = await runCli([cmd, from, '-o', to]);
    expect(r.code, `${cmd}: ${r.stderr}`).toBe(0);
    from = to;
  }
  return readFileSync(from, 'utf8');
}

const IDS = ['=1+1', "'=1+1", '+8613812345678', '000123', '123456789012345678', '42', '-x', 'plain'];

function ordersWithIds(): string {
  const lines = ['customer_id,order_id,order_date,amount'];
  IDS.forEach((id, k) => {
    const cell = id.includes(',') || id.includes('"') ? `"${id.replace(/"/g, '""')}"` : id;
    lines.push(`${cell},${k}a,2024-0${1 + (k % 5)}-10,${10 + k}`, `${cell},${k}b,2024-06-2${k % 9},${20 + k}`);
  });
  return lines.join('\n') + '\n';
}

describe('run: customers.csv is exact, customers.excel.csv is for people', () => {
  for (const threads of ['1', '2']) {
    it(`customers.csv is byte-equal to the piped table for formula-like and numeric ids (--threads ${threads})`, async () => {
      const input = tmp.path(`ids-${threads}.csv`);
      writeFileSync(input, ordersWithIds());
      const out = tmp.path(`ids-out-${threads}`);
      const r = await runCli(['run', input, '--out', out, '--excel', '--threads', threads]);
      expect(r.code, r.stderr).toBe(0);
      const table = readFileSync(join(out, 'customers.csv'), 'utf8');
      expect(table).toBe(await piped(input, `ids-${threads}`));
      expect(csvRecords(table).map((x) => x.customer_id).sort()).toEqual([...IDS].sort());

      const excel = readFileSync(join(out, 'customers.excel.csv'), 'utf8');
      expect(excel.startsWith('\uFEFF')).toBe(true);
      const ids = csvRecords(excel.slice(1)).map((x) => x.customer_id).sort();
      // Formulas guarded by an apostrophe; ids a spreadsheet would turn into numbers as ="…" (a text value).
      expect(ids).toEqual(["'+8613812345678", "'-x", "'=1+1", "'=1+1", '42', '="000123"', '="123456789012345678"', 'plain'].sort());
      // Every other cell is the machine table's.
      const strip = (t: string): string[] => t.split('\n').map((l) => l.slice(l.indexOf(',')));
      expect(strip(excel.slice(1))).toEqual(strip(table));
    });
  }
});

/** LibreOffice, when installed: opens the --excel CSV as a person would and shows its cells. */
const SOFFICE = ['/usr/bin/soffice', '/usr/local/bin/soffice', '/Applications/LibreOffice.app/Contents/MacOS/soffice'].find((p) => existsSync(p));

describe('customers.excel.csv opened in LibreOffice', () => {
  it.skipIf(!SOFFICE)(SOFFICE ? 'shows 000123 and the 18-digit id exactly, as text, and evaluates no formula' : 'LibreOffice not installed: skipped', async () => {
    const input = tmp.path('lo.csv');
    writeFileSync(input, ordersWithIds());
    const out = tmp.path('lo-out');
    expect((await runCli(['run', input, '--out', out, '--excel'])).code).toBe(0);
    const html = tmp.path('lo-html');
    mkdirSync(html, { recursive: true });
    // The CSV import as a double-click does it (comma, quote, UTF-8), exported as the cells' shown text.
    const r = spawnSync(SOFFICE!, [`-env:UserInstallation=file://${tmp.path('lo-profile')}`, '--headless', '--infilter=CSV:44,34,76,1', '--convert-to', 'html', '--outdir', html, join(out, 'customers.excel.csv')], { timeout: 120_000 });
    expect(r.status, r.stderr?.toString()).toBe(0);
    const page = readFileSync(join(html, 'customers.excel.html'), 'utf8');
    const cells = [...page.matchAll(/<td[^>]*>(?:<[^>]+>)*([^<]*)</g)].map((m) => m[1]!.replace(/&#39;/g, "'").replace(/&quot;/g, '"').replace(/&amp;/g, '&'));
    for (const id of ['000123', '123456789012345678', '42', 'plain']) expect(cells, id).toContain(id);
    expect(cells.filter((c) => c.endsWith('=1+1')).length).toBe(2); // shown as text, not evaluated to 2
  }, 150_000);
});

describe('run: data quality counts every input row once', () => {
  it('rows read = rejected + removed + folded + order rows, the same in report.json, report.md and report.html', async () => {
    // 8 rows: 1 bad date (rejected), 1 guest (removed), 1 exact duplicate line of an order with
    // an item column (removed), 2 lines of one order (1 folded), 3 more orders; customers A, B, C.
    const input = tmp.path('dq.csv');
    writeFileSync(input, [
      'customer_id,order_id,order_date,sku,amount',
      'A,1,2024-01-05,x,10',
      'A,1,2024-01-05,y,5',
      'A,2,not-a-date,x,7',
      'B,3,2024-02-01,x,20',
      'B,3,2024-02-01,x,20',
      'guest,4,2024-02-03,x,9',
      'C,5,2024-03-01,x,30',
      'C,6,2024-04-01,x,40',
    ].join('\n') + '\n');
    const out = tmp.path('dq-out');
    const r = await runCli(['run', input, '--out', out, '--max-reject-rate', '1']);
    expect(r.code, r.stderr).toBe(0);
    const q = JSON.parse(readFileSync(join(out, 'report.json'), 'utf8')).data_quality;
    expect(q).toMatchObject({ rows_read: 8, rows_rejected: 1, rows_in: 7, rows_removed: 2, folded: 1, rows_out: 4, orders: 4, customers: 3, reconciles: true });
    expect(q.rows_read).toBe(q.rows_rejected + q.rows_removed + q.folded + q.rows_out);
    const removed = Object.fromEntries(q.removed.filter((x: { rows: number }) => x.rows > 0).map((x: { reason: string; rows: number }) => [x.reason, x.rows]));
    expect(removed).toEqual({ guest: 1, duplicate: 1 });
    const md = readFileSync(join(out, 'report.md'), 'utf8');
    for (const [label, v] of [['Rows read', 8], ['Rows rejected', 1], ['Rows into cleaning', 7], ['Rows removed', 2], ['Lines folded into orders', 1], ['Order rows out of cleaning', 4], ['Orders', 4]] as const) {
      expect(md).toContain(`| ${label} | ${v} |`);
    }
    const html = readFileSync(join(out, 'report.html'), 'utf8');
    expect(html).toContain('Order rows out of cleaning');
    expect(html).not.toContain('do not add up');
  });
});

describe('run: value at risk from the fitted models', () => {
  it('report --fit states the basis run used; without --fit it says where to find it; unscored tables have no value at risk', async () => {
    const out = tmp.path('basis');
    expect((await runCli(['run', fixture('cli', 'transactions.csv'), '--out', out, '--horizon', '6m', '--margin', '0.4', '--discount-rate', '5%/yr'])).code).toBe(0);
    const withFit = await runCli(['report', join(out, 'customers.csv'), '--fit', join(out, 'fit.json'), '--format', 'md']);
    expect(withFit.code, withFit.stderr).toBe(0);
    expect(withFit.stdout).toContain('CLV = expected orders over 6m × expected value per order');
    expect(withFit.stdout).toContain('× margin 0.4, discounted at 5%/yr; model bgnbd.');
    const without = await runCli(['report', join(out, 'customers.csv'), '--format', 'json']);
    expect(JSON.parse(without.stdout).value_basis).toMatchObject({ model: null, horizon: null, margin: null });
    // Unscored: no value at risk, the call list by revenue.
    const seg = tmp.path('basis-seg.csv');
    const steps = [['ingest', fixture('cli', 'transactions.csv'), tmp.path('b.tx.csv')], ['clean', tmp.path('b.tx.csv'), tmp.path('b.clean.csv')], ['segment', tmp.path('b.clean.csv'), seg]] as const;
    for (const [cmd, from, to] of steps) expect((await runCli([cmd, from, '-o', to])).code).toBe(0);
    const j = JSON.parse((await runCli(['report', seg, '--format', 'json'])).stdout);
    expect(j.sleeping.value_at_risk).toBeNull();
    expect(j.sleeping.call_list_ranked_by).toBe('revenue');
    expect(j.value_basis).toBeNull();
  });

  it('report.csv of --excel writes customer ids a spreadsheet would change as ="…"', async () => {
    const input = tmp.path('csv-ids.csv');
    writeFileSync(input, 'customer_id,order_id,order_date,amount\n000123,1,2023-01-01,500\n000123,2,2023-02-01,700\nB,3,2024-06-01,5\nB,4,2024-06-20,6\nB,5,2024-06-30,7\n');
    const out = tmp.path('csv-ids-out');
    expect((await runCli(['run', input, '--out', out, '--excel', '--top', '5'])).code).toBe(0);
    const csv = readFileSync(join(out, 'report.csv'), 'utf8');
    expect(csv).toContain(',"=""000123""",');
    expect(csv).not.toMatch(/,000123,/);
  });

  it.skipIf(!HAS_SHARED)(HAS_SHARED ? 'CDNOW sample: customer 1901 (one month of 1997) no longer tops the call list; every figure is (1 − p_alive) × clv' : SKIP_SHARED_REASON, async () => {
    const out = tmp.path('cdnow');
    const r = await runCli(['run', sharedFile('lifetimes_CDNOW_sample.txt'), '--delimiter', 'whitespace', '--map', 'customer_id=2,order_date=3,amount=5', '--out', out]);
    expect(r.code, r.stderr).toBe(0);
    const rows = csvRecords(readFileSync(join(out, 'customers.csv'), 'utf8'));
    const byId = new Map(rows.map((x) => [x.customer_id!, x]));
    const c1901 = byId.get('1901')!;
    expect(c1901.revenue).toBe('6552.7');
    expect(Number(c1901.p_alive)).toBeLessThan(1e-3);
    expect(Number(c1901.value_at_risk)).toBeLessThan(1); // was 57,905 "a year"
    let total = 0, clvTotal = 0;
    for (const x of rows) {
      const v = Number(x.value_at_risk);
      expect(v).toBeCloseTo((1 - Number(x.p_alive)) * Number(x.clv), 2);
      expect(v).toBeLessThanOrEqual(Number(x.clv));
      clvTotal += Number(x.clv);
      if (x.sleep_state !== 'active') total += v;
    }
    const j = JSON.parse(readFileSync(join(out, 'report.json'), 'utf8'));
    expect(j.sleeping.value_at_risk).toBeCloseTo(total, 2);
    expect(j.sleeping.value_at_risk).toBeLessThan(clvTotal);
    expect(j.sleeping.value_at_risk).toBeLessThan(j.overview.revenue);
    const call = j.sleeping.call_list as { customer_id: string; value_at_risk: number }[];
    expect(call[0]!.customer_id).not.toBe('1901');
    expect(call.map((c) => c.customer_id)).not.toContain('1901');
    for (let i = 1; i < call.length; i++) expect(call[i - 1]!.value_at_risk).toBeGreaterThanOrEqual(call[i]!.value_at_risk);
    for (const c of call) expect(c.value_at_risk).toBe(Number(byId.get(c.customer_id)!.value_at_risk));
    expect(j.value_basis).toMatchObject({ model: 'bgnbd', spend_model: 'gamma-gamma', horizon: '12m', horizon_days: 365.25, discount_rate: '10%/yr', margin: 1 });
    // The basis beside the figures, in the sleeping and the CLV sections and on the HTML cards.
    const md = readFileSync(join(out, 'report.md'), 'utf8');
    const basis = 'Value at risk = (1 − p\\_alive) × CLV; CLV = expected orders over 12m × expected value per order (Gamma-Gamma) × margin 1, discounted at 10%/yr; model bgnbd.';
    expect(md.split(basis).length - 1).toBe(2);
    expect(readFileSync(join(out, 'report.html'), 'utf8')).toContain('12m, 10%/yr, margin 1');
  });
});
