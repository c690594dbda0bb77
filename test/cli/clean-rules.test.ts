/**
 * `clean`'s duplicate, exclusion and guest rules from the command line (issue #24 items 2, 3, 9):
 * equal lines are removed only when a column identifies a line, and said when kept; an
 * exclusion list is read as ingest reads ids, and its matches are reported; customer id 0 is
 * real unless `--guest-ids` says otherwise, and guests are counted by placeholder. The same
 * through a reader thread, and `run --engine duckdb` gives the JavaScript engine's results.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { fixture, runCli } from '../helpers/cli.js';
import { csvRecords, tempDir } from './cli-test-utils.js';

const tmp = tempDir('custkit-clean-rules-');
afterAll(() => tmp.cleanup());
const EQUAL = fixture('clean', 'clean_equal_lines.csv');
const audit = (p: string): Record<string, any> => JSON.parse(readFileSync(p, 'utf8'));
const amounts = (csv: string): [string, string][] => csvRecords(csv).map((r) => [r.order_id!, r.amount!]);

describe('clean --duplicates', () => {
  it('auto keeps equal lines when no column identifies a line, says how many, and names the rule in the audit', async () => {
    const r = await runCli(['clean', EQUAL, '--outliers', 'off', '--audit', tmp.path('auto.json')]);
    expect(r.code, r.stderr).toBe(0);
    expect(amounts(r.stdout)).toEqual([['536365', '50.94'], ['536366', '22.2'], ['536367', '54.08']]);
    expect(r.stderr).toContain("clean: kept 2 lines equal to an earlier line of the same order: no column tells an order's lines apart (item, SKU, line number or time), so they count as separate purchases (--duplicates drop removes them)");
    expect(audit(tmp.path('auto.json')).duplicate_rule).toEqual({ mode: 'auto', applied: 'keep', identity: [], equal_lines_kept: 2 });
    expect(audit(tmp.path('auto.json')).options.duplicates).toBe('auto');

    const d = await runCli(['clean', EQUAL, '--outliers', 'off', '--duplicates', 'drop', '--audit', tmp.path('drop.json')]);
    expect(d.code, d.stderr).toBe(0);
    expect(amounts(d.stdout)).toEqual([['536365', '35.64'], ['536366', '11.1'], ['536367', '54.08']]);
    expect(d.stderr).not.toContain('equal to an earlier line');
    expect(audit(tmp.path('drop.json')).removed.duplicate).toBe(2);
  });

  it('auto removes exact duplicates when an item, time or kept line-number column identifies lines; keep never does', async () => {
    const withItem = tmp.path('item.csv');
    writeFileSync(withItem, 'customer_id,order_id,order_date,amount,quantity,status,item\nA,1,2024-01-02,5,1,,p\nA,1,2024-01-02,5,1,,p\nA,1,2024-01-02,5,1,,q\n');
    const a = await runCli(['clean', withItem, '--outliers', 'off', '--audit', tmp.path('item.json')]);
    expect(a.code, a.stderr).toBe(0);
    expect(amounts(a.stdout)).toEqual([['1', '10']]);
    expect(audit(tmp.path('item.json')).duplicate_rule).toEqual({ mode: 'auto', applied: 'drop', identity: ['item'], equal_lines_kept: 0 });
    const k = await runCli(['clean', withItem, '--outliers', 'off', '--duplicates', 'keep']);
    expect(amounts(k.stdout)).toEqual([['1', '15']]);
    expect(k.stderr).toContain('clean: kept 1 line equal to an earlier line of the same order: --duplicates keep, so they count as separate purchases');

    // A raw export whose line number is kept with --keep: ingest → clean removes the repeat.
    const raw = tmp.path('raw.csv');
    writeFileSync(raw, 'customer_id,order_id,order_date,amount,line_no\nA,1,2024-01-02,5,1\nA,1,2024-01-02,5,1\nA,1,2024-01-02,5,2\n');
    const ing = await runCli(['ingest', raw, '--keep', 'line_no', '-o', tmp.path('raw.canon.csv')]);
    expect(ing.code, ing.stderr).toBe(0);
    const c = await runCli(['clean', tmp.path('raw.canon.csv'), '--outliers', 'off', '--audit', tmp.path('raw.json')]);
    expect(amounts(c.stdout)).toEqual([['1', '10']]);
    expect(audit(tmp.path('raw.json')).duplicate_rule.identity).toEqual(['line_no']);
  });

  it('a reader thread (--threads 2) applies the same rule and writes the same bytes', async () => {
    for (const extra of [[], ['--duplicates', 'drop']]) {
      const one = await runCli(['clean', EQUAL, '--threads', '1', '--audit', tmp.path('t1.json'), ...extra]);
      const two = await runCli(['clean', EQUAL, '--threads', '2', '--audit', tmp.path('t2.json'), ...extra]);
      expect([one.code, two.code]).toEqual([0, 0]);
      expect(two.stdout).toBe(one.stdout);
      expect(readFileSync(tmp.path('t2.json'), 'utf8')).toBe(readFileSync(tmp.path('t1.json'), 'utf8'));
    }
  });
});

describe('clean --exclude', () => {
  const data = tmp.path('ex-data.csv');
  writeFileSync(data, 'customer_id,order_id,order_date,amount,quantity,status\n17850,1,2024-01-02,5,1,\n17850,2,2024-01-03,6,1,\n12583,3,2024-01-03,7,1,\n00042,4,2024-01-04,8,1,\n');

  it('reads a spreadsheet list (header customer_id, ids as 17850.0) as ingest reads ids, and reports matches', async () => {
    const list = tmp.path('list.csv');
    writeFileSync(list, '\ufeffcustomer_id,reason\r\n17850.0,test account\r\n"99999",gone\r\n');
    const r = await runCli(['clean', data, '--outliers', 'off', '--exclude', list, '--audit', tmp.path('ex.json')]);
    expect(r.code, r.stderr).toBe(0);
    expect(csvRecords(r.stdout).map((x) => x.customer_id)).toEqual(['12583', '00042']);
    expect(r.stderr).toContain('clean: --exclude: 1 of 2 listed ids matched, 2 rows removed');
    const a = audit(tmp.path('ex.json'));
    expect([a.removed.excluded, a.exclusion]).toEqual([2, { ids_listed: 2, ids_matched: 1 }]);
  });

  it('the id column is found by ingest\'s synonyms (tab-separated, CustomerID second); a plain list needs no header; leading zeros are kept', async () => {
    const tsv = tmp.path('list.tsv');
    writeFileSync(tsv, 'name\tCustomerID\nacme\t12583\nzed\t42\n');
    const t = await runCli(['clean', data, '--outliers', 'off', '--exclude', tsv]);
    expect(csvRecords(t.stdout).map((x) => x.customer_id)).toEqual(['17850', '17850', '00042']);
    expect(t.stderr).toContain('clean: --exclude: 1 of 2 listed ids matched, 1 row removed');
    const plain = tmp.path('list.txt');
    writeFileSync(plain, '00042\n12583\n');
    const p = await runCli(['clean', data, '--outliers', 'off', '--exclude', plain]);
    expect(csvRecords(p.stdout).map((x) => x.customer_id)).toEqual(['17850', '17850']);
    expect(p.stderr).toContain('2 of 2 listed ids matched, 2 rows removed');
  });

  it('a list where nothing matches is a warning (exit 0); a header naming no id column is a usage error', async () => {
    const none = tmp.path('none.txt');
    writeFileSync(none, 'C1\nC2\n');
    const r = await runCli(['clean', data, '--outliers', 'off', '--exclude', none]);
    expect(r.code).toBe(0);
    expect(r.stderr).toContain("warning: clean: --exclude: 0 of 2 listed ids matched, 0 rows removed: check the list's ids against the data's customer_id values");
    const bad = tmp.path('bad.csv');
    writeFileSync(bad, 'name,reason\nacme,test\n');
    const b = await runCli(['clean', data, '--exclude', bad]);
    expect(b.code).toBe(1);
    expect(b.stderr).toContain('line 1 looks like a header (name, reason) but names no customer id column');
    expect(b.stderr).not.toMatch(/\n\s+at /);
  });
});

describe('clean guests', () => {
  it('customer 0 is real by default; --guest-ids 0 makes it a guest; removed guests are counted by placeholder', async () => {
    const r = await runCli(['clean', EQUAL, '--outliers', 'off', '--audit', tmp.path('g.json')]);
    expect(csvRecords(r.stdout).map((x) => x.customer_id)).toEqual(['17850', '0', '13047']);
    expect(r.stderr).toContain('clean: removed 1 guest row by placeholder: guest 1');
    const g = await runCli(['clean', EQUAL, '--outliers', 'off', '--guest-ids', '0,N/A', '--audit', tmp.path('g0.json')]);
    expect(g.code, g.stderr).toBe(0);
    expect(csvRecords(g.stdout).map((x) => x.customer_id)).toEqual(['17850', '13047']);
    expect(g.stderr).toContain('clean: removed 3 guest rows by placeholder: 0 2, guest 1');
    const a = audit(tmp.path('g0.json'));
    expect([a.guests_removed, a.options.guest_ids]).toEqual([{ '0': 2, guest: 1 }, ['0', 'N/A']]);
  });
});

describe('run --engine duckdb applies the same rules', () => {
  it('equal lines kept or dropped, --guest-ids and --exclude: the same customer table and clean audit as JavaScript', async () => {
    const list = tmp.path('run-ex.csv');
    writeFileSync(list, 'customer_id\n13047.0\nnobody\n');
    for (const extra of [[], ['--duplicates', 'drop', '--guest-ids', '0', '--exclude', list]]) {
      const js = tmp.path(`run-js-${extra.length}`);
      const duck = tmp.path(`run-duck-${extra.length}`);
      const a = await runCli(['run', EQUAL, '--out', js, '--as-of', '2011-01-01', '--compare', 'off', ...extra]);
      const b = await runCli(['run', EQUAL, '--out', duck, '--as-of', '2011-01-01', '--compare', 'off', '--engine', 'duckdb', ...extra]);
      expect([a.code, b.code], a.stderr + b.stderr).toEqual([0, 0]);
      expect(b.stderr).toContain('DuckDB engine: ingest, clean and aggregation ran in SQL');
      expect(readFileSync(`${duck}/customers.csv`, 'utf8')).toBe(readFileSync(`${js}/customers.csv`, 'utf8'));
      expect(audit(`${duck}/audit.json`).clean).toEqual(audit(`${js}/audit.json`).clean);
      const c = audit(`${js}/audit.json`).clean;
      if (extra.length === 0) expect(c.duplicate_rule).toEqual({ mode: 'auto', applied: 'keep', identity: [], equal_lines_kept: 2 });
      else expect([c.removed.duplicate, c.removed.guest, c.removed.excluded, c.exclusion]).toEqual([1, 3, 1, { ids_listed: 2, ids_matched: 1 }]);
    }
  });
});
