/**
 * `custkit report` end to end (in-process through main()) on fixtures/report/customers_small.csv
 * (30 customers, a scored table) with customers_previous.csv (--compare) and audit.json (--audit).
 * Expected numbers are recomputed in the tests from the fixture files with csv-parse.
 */
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { Writable } from 'node:stream';
import { afterAll, describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.js';
import { fixture, runCli } from '../helpers/cli.js';
import { csvRecords, tempDir } from './cli-test-utils.js';

const tmp = tempDir('custkit-report-');
afterAll(() => tmp.cleanup());

const SMALL = fixture('report', 'customers_small.csv');
const PREVIOUS = fixture('report', 'customers_previous.csv');
const AUDIT = fixture('report', 'audit.json');
const small = csvRecords(readFileSync(SMALL, 'utf8'));
const previous = csvRecords(readFileSync(PREVIOUS, 'utf8'));

/** Runs main() with a stdout that claims to be a terminal. */
async function runOnTty(args: string[]): Promise<{ code: number; stdout: string }> {
  const chunks: Buffer[] = [];
  const out = Object.assign(
    new Writable({
      write(c: Buffer | string, _e, cb) {
        chunks.push(Buffer.isBuffer(c) ? c : Buffer.from(c));
        cb();
      },
    }),
    { isTTY: true, columns: 120 },
  );
  const err = new Writable({ write: (_c, _e, cb) => cb() });
  const code = await main(args, { stdout: out, stderr: err, env: { NO_COLOR: '1' } });
  return { code, stdout: Buffer.concat(chunks).toString('utf8') };
}

describe('report: formats', () => {
  it('Markdown on stdout when stdout is not a terminal; overview numbers = the fixture\'s', async () => {
    const r = await runCli(['report', SMALL]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout.startsWith('# Customer report\n')).toBe(true);
    expect(r.stdout).toContain('## Overview');
    // 30 data rows; Σ orders and Σ revenue recomputed from the CSV.
    const orders = small.reduce((a, x) => a + Number(x.orders), 0);
    const revenueCents = small.reduce((a, x) => a + Math.round(Number(x.revenue) * 100), 0);
    expect(small.length).toBe(30);
    expect(orders).toBe(220);
    expect(revenueCents).toBe(3_445_870);
    expect(r.stdout).toContain('| Customers | 30 |');
    expect(r.stdout).toContain('| Orders | 220 |');
    expect(r.stdout).toContain('| Revenue | 34,458.70 |');
    expect(r.stderr).toContain('report: 30 customers, as of 2024-06-30, format md');
  });
  it('a table (not Markdown) when stdout is a terminal', async () => {
    const r = await runOnTty(['report', SMALL]);
    expect(r.code).toBe(0);
    expect(r.stdout).not.toContain('# Customer report');
    expect(r.stdout).not.toContain('| :---');
    expect(r.stdout).toContain('34,458.70');
  });
  it('json parses, has schema_version 1 and the overview of the fixture', async () => {
    const r = await runCli(['report', SMALL, '--format', 'json']);
    expect(r.code, r.stderr).toBe(0);
    const j = JSON.parse(r.stdout);
    expect(j.schema_version).toBe(1);
    expect(j.overview).toMatchObject({ customers: 30, orders: 220, revenue: 34458.7, as_of: '2024-06-30' });
    // Top 20 % = 6 customers by revenue, recomputed from the CSV.
    const top6 = small.map((x) => Math.round(Number(x.revenue) * 100)).sort((a, b) => b - a).slice(0, 6).reduce((a, b) => a + b, 0);
    expect(j.pareto.top20.customers).toBe(6);
    expect(Math.round(j.pareto.top20.revenue * 100)).toBe(top6);
  });
  it('html -o FILE is one self-contained file with inline SVG and no remote src/href', async () => {
    const file = tmp.path('report.html');
    const r = await runCli(['report', SMALL, '--format', 'html', '-o', file]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toBe('');
    const html = readFileSync(file, 'utf8');
    expect(html.startsWith('<!DOCTYPE html>') || html.startsWith('<!doctype html>')).toBe(true);
    expect(html).toContain('<svg');
    expect(html).not.toMatch(/(src|href)\s*=\s*["']?(https?:)?\/\//i);
    expect(html).not.toMatch(/<link[^>]+stylesheet/i);
    // The hostile customer id in the fixture is escaped, never live markup.
    expect(html).not.toContain('<script>alert(1)</script>');
    expect(readdirLeftovers()).toEqual([]);
  });
  it('csv --excel starts with a UTF-8 BOM; without --excel it does not', async () => {
    const x = await runCli(['report', SMALL, '--format', 'csv', '--excel', '-o', tmp.path('r.csv')]);
    expect(x.code, x.stderr).toBe(0);
    const bytes = readFileSync(tmp.path('r.csv'));
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const plain = await runCli(['report', SMALL, '--format', 'csv']);
    expect(plain.stdout.charCodeAt(0)).not.toBe(0xfeff);
    // Formula injection neutralised: the fixture's =HYPERLINK("x") id appears only with a leading apostrophe.
    expect(plain.stdout).not.toMatch(/(^|,)"?=HYPERLINK/m);
  });
});

/** custkit's temporary files left in the temp dir (atomic writes must not leave any). */
function readdirLeftovers(): string[] {
  return readdirSync(tmp.dir).filter((f) => f.includes('.custkit-tmp'));
}

describe('report: --fail-if', () => {
  it("'customers>10' exits 4 after writing the report", async () => {
    const file = tmp.path('alert.md');
    const r = await runCli(['report', SMALL, '--fail-if', 'customers>10', '-o', file]);
    expect(r.code).toBe(4);
    expect(existsSync(file)).toBe(true);
    expect(readFileSync(file, 'utf8')).toContain('| Customers | 30 |');
    expect(r.stderr).toContain('alert: customers>10 (value 30)');
  });
  it("a condition that does not hold exits 0 ('customers>30': 30 is not > 30)", async () => {
    const r = await runCli(['report', SMALL, '--fail-if', 'customers>30']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('# Customer report');
  });
  it('an unknown metric exits 1 and lists the known metrics, before writing anything', async () => {
    const r = await runCli(['report', SMALL, '--fail-if', 'happiness>0.5']);
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain('unknown metric "happiness"');
    for (const m of ['customers', 'revenue', 'top20_share', 'sleeping_value_share', 'clv_total']) expect(r.stderr).toContain(m);
  });
});

describe('report: --audit-in and --compare sections', () => {
  it('--audit-in adds the data-quality section with the audit file\'s numbers', async () => {
    const audit = JSON.parse(readFileSync(AUDIT, 'utf8'));
    const r = await runCli(['report', SMALL, '--audit-in', AUDIT]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain('## Data quality');
    // Rows read 620 in the fixture's audit (ingest.rows_read).
    expect(r.stdout).toContain(`| Rows read | ${audit.ingest.rows_read} |`);
    const plain = await runCli(['report', SMALL]);
    expect(plain.stdout).not.toContain('## Data quality');
    // The old name (an output in clean and run) still reads it for one release, with one note.
    const old = await runCli(['report', SMALL, '--audit', AUDIT]);
    expect(old.code, old.stderr).toBe(0);
    expect(old.stdout).toBe(r.stdout);
    expect(old.stderr.split('\n').filter((l) => l.includes('deprecated'))).toEqual(['custkit: --audit is deprecated and will be removed in the next release; use --audit-in']);
    // clean's --audit is its output and is not renamed.
    expect((await runCli(['clean', '--help'])).stdout).toMatch(/^ {2}--audit <file> /m);
  });
  it('--compare adds the changes section: new / gone customers = set differences of the two tables', async () => {
    const r = await runCli(['report', SMALL, '--compare', PREVIOUS, '--format', 'json']);
    expect(r.code, r.stderr).toBe(0);
    const j = JSON.parse(r.stdout);
    const now = new Set(small.map((x) => x.customer_id));
    const before = new Set(previous.map((x) => x.customer_id));
    const added = [...now].filter((id) => !before.has(id)).length;
    const gone = [...before].filter((id) => !now.has(id)).length;
    const both = [...now].filter((id) => before.has(id)).length;
    expect(j.changes.in_both).toBe(both);
    expect(j.metrics.new_customers).toBe(added);
    expect(j.metrics.lost_customers).toBe(gone);
    const md = await runCli(['report', SMALL, '--compare', PREVIOUS]);
    expect(md.stdout).toContain('## Changes since the previous report');
    expect(md.stdout).toContain(`| New customers | ${added} |`);
    expect(md.stdout).toContain(`| Customers no longer in the table | ${gone} |`);
  });
  it('a missing --audit-in file is a data error (exit 2)', async () => {
    const r = await runCli(['report', SMALL, '--audit-in', tmp.path('nope.json')]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('cannot read audit JSON');
  });
});

describe('report: tables aggregated elsewhere', () => {
  it('reads a segment table whose first_order column is empty (no first-purchase dates)', async () => {
    // A per-customer table in the R rfm layout: 3 customers, recency in days, as of 2007-01-01.
    const { writeFileSync } = await import('node:fs');
    const { join } = await import('node:path');
    const input = tmp.path("rfm-customers.csv");
    writeFileSync(input, 'customer_id,revenue,number_of_orders,recency_days\na,100,2,10\nb,50,1,40\nc,250,5,3\n');
    const seg = await runCli(['segment', input, '--as-of', '2007-01-01', '--only', 'rfm', '-o', tmp.path('seg.csv')]);
    expect(seg.code).toBe(0);
    const rep = await runCli(['report', tmp.path('seg.csv'), '--format', 'json']);
    expect(rep.code).toBe(0);
    const doc = JSON.parse(rep.stdout);
    // 3 customers, 2 + 1 + 5 = 8 orders, 100 + 50 + 250 = 400 revenue; no first orders → no period start
    expect([doc.overview.customers, doc.overview.orders, doc.overview.revenue]).toEqual([3, 8, 400]);
    expect(doc.overview.period_start).toBeNull();
    expect(doc.overview.as_of).toBe('2007-01-01');
  });
});
