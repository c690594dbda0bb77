/**
 * Issue #24 items 5–7, end to end: no invented values. Amounts outside the range are rejected
 * (amount_out_of_range) and no output of any command contains Infinity or NaN; a far date is
 * rejected (implausible_date) instead of moving the as-of; ids keep their Unicode and a control
 * character in one is rejected (bad_customer_id). Inputs are small generated files; "today" is
 * fixed with CUSTKIT_TODAY so nothing depends on the real date.
 */
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';
import { countReasons, csvRecords, tempDir } from './cli-test-utils.js';
import { todayFrom } from '../../src/cli/clock.js';
import { dayFromCivil } from '../../src/core/time/day.js';

const tmp = tempDir('custkit-values-');
afterAll(() => tmp.cleanup());
const ENV = { NO_COLOR: '1', CUSTKIT_TODAY: '2026-06-30' };
const read = (p: string): string => readFileSync(p, 'utf8');
const write = (name: string, text: string): string => {
  const p = tmp.path(name);
  writeFileSync(p, text);
  return p;
};

/** 40 customers with 1–6 orders each in 2025–2026 (enough for a model fit), deterministic. */
function cleanRows(): string[] {
  const rows: string[] = [];
  let o = 0;
  for (let c = 0; c < 40; c++) {
    const n = 1 + (c % 6);
    for (let k = 0; k < n; k++) {
      const month = 1 + ((c * 7 + k * 5) % 17);
      const y = month > 12 ? 2026 : 2025;
      const m = month > 12 ? month - 12 : month;
      rows.push(`C${String(c).padStart(3, '0')},O${++o},${y}-${String(m).padStart(2, '0')}-${String(1 + ((c + k) % 28)).padStart(2, '0')},${(10 + ((c * 13 + k * 7) % 90)).toFixed(2)}`);
    }
  }
  return rows;
}

/** Amounts the issue names: beyond a double, beyond 1e12, beyond 15 digits, and the words. */
const HUGE = ['1e308', '-1e400', '123456789012345678901234567890', '1e303', '12345678901.23456'];
const WORDS = ['NaN', 'Infinity', '-Infinity'];

/** Every output text of a folder (or files), for the Infinity/NaN check; rejects files only in their own columns (raw and detail quote the input). */
function outputsOf(paths: string[]): [string, string][] {
  const out: [string, string][] = [];
  for (const p of paths) {
    const text = read(p);
    if (/rejects\.csv$/.test(p)) out.push([p, csvRecords(text).map((r) => [r.file, r.line, r.reason].join(',')).join('\n')]);
    else out.push([p, text]);
  }
  return out;
}

describe('item 5: amounts out of range, no Infinity or NaN in any output', () => {
  const header = 'customer_id,order_id,order_date,amount';
  const bad = [...HUGE, ...WORDS].map((a, i) => `C00${i % 3},X${i},2026-01-15,${a}`);
  // The largest amounts inside the range, repeat purchases included: kept, and still no Infinity/NaN downstream.
  const edge = ['C010,E1,2025-03-01,999999999999', 'C010,E2,2025-09-01,999999999999', 'C011,E3,2025-04-01,123456789012.345', 'C011,E4,2025-05-01,-999999999999', 'C012,E5,2026-02-01,0.000001'];
  const input = write('huge.csv', [header, ...cleanRows(), ...edge, ...bad].join('\n') + '\n');

  it('ingest rejects them with a reason, and the piped stages write no Infinity or NaN', async () => {
    const tx = tmp.path('tx.csv');
    const rej = tmp.path('ingest-rejects.csv');
    const ing = await runCli(['ingest', input, '-o', tx, '--rejects', rej, '--max-reject-rate', '1'], ENV);
    expect(ing.code, ing.stderr).toBe(0);
    expect(countReasons(read(rej))).toEqual({ amount_out_of_range: HUGE.length, bad_amount: WORDS.length });
    expect(csvRecords(read(tx))).toHaveLength(cleanRows().length + edge.length);
    expect(csvRecords(read(tx)).slice(-edge.length).map((r) => r.amount)).toEqual(['999999999999', '999999999999', '123456789012.345', '-999999999999', '0.000001']);

    const cl = tmp.path('clean.csv');
    const seg = tmp.path('seg.csv');
    const sc = tmp.path('score.csv');
    const steps = [
      ['clean', tx, '-o', cl, '--audit', tmp.path('audit.json')],
      ['segment', cl, '-o', seg],
      ['score', seg, '-o', sc, '--model-out', tmp.path('fit.json')],
      ...(['md', 'json', 'html', 'csv'] as const).map((f) => ['report', sc, '--format', f, '-o', tmp.path(`report.${f}`)]),
    ];
    for (const args of steps) {
      const r = await runCli(args, ENV);
      expect(r.code, `${args[0]}: ${r.stderr}`).toBe(0);
      expect(r.stderr, args[0]).not.toMatch(/Infinity|NaN/);
    }
    const files = [tx, rej, cl, seg, sc, tmp.path('audit.json'), tmp.path('fit.json'), ...['md', 'json', 'html', 'csv'].map((f) => tmp.path(`report.${f}`))];
    for (const [p, text] of outputsOf(files)) expect(text, p).not.toMatch(/Infinity|NaN/);
  });

  it('run writes no Infinity or NaN in any file of its folder, and exits 0', async () => {
    const out = tmp.path('run-out');
    const r = await runCli(['run', input, '--out', out, '--max-reject-rate', '1', '--excel'], ENV);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).not.toMatch(/Infinity|NaN/);
    const files = readdirSync(out).filter((f) => f.includes('.')).map((f) => join(out, f));
    expect(files.length).toBeGreaterThanOrEqual(7);
    for (const [p, text] of outputsOf(files)) expect(text, p).not.toMatch(/Infinity|NaN/);
    expect(countReasons(read(join(out, 'rejects.csv')))).toEqual({ amount_out_of_range: HUGE.length, bad_amount: WORDS.length });
    const audit = JSON.parse(read(join(out, 'audit.json'))) as { ingest: { rows_read: number; rows_out: number } };
    expect(audit.ingest.rows_read - audit.ingest.rows_out).toBe(HUGE.length + WORDS.length);
  });

  it('clean refuses an out-of-range canonical amount with file, line and column (exit 2), not a crash', async () => {
    const tx = write('tx-huge.csv', 'customer_id,order_id,order_date,amount,quantity,status\nC1,O1,2026-01-01,10,,\nC1,O2,2026-01-02,1e303,,\n');
    const r = await runCli(['clean', tx], ENV);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/tx-huge\.csv:3:amount: amount "1e303" is out of range/);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    const q = write('tx-qty.csv', 'customer_id,order_id,order_date,amount,quantity,status\nC1,O1,2026-01-01,10,99999999999999999,\n');
    const s = await runCli(['segment', q], ENV);
    expect(s.code).toBe(2);
    expect(s.stderr).toMatch(/tx-qty\.csv:2:quantity: quantity "99999999999999999" is out of range/);
  });

  it('a large amount inside the range is written exactly as read', async () => {
    const f = write('large.csv', 'customer_id,order_id,order_date,amount\nA,1,2026-01-01,999999999999\nA,2,2026-01-02,123456789012.345\n');
    const r = await runCli(['ingest', f], ENV);
    expect(r.code, r.stderr).toBe(0);
    expect(csvRecords(r.stdout).map((x) => x.amount)).toEqual(['999999999999', '123456789012.345']);
  });
});

describe('item 6: implausible dates', () => {
  const header = 'customer_id,order_id,order_date,amount';
  // 50 customers, the last order 2026-06-20; one row dated 9999-12-31 and one 0001-01-01.
  const rows = Array.from({ length: 50 }, (_, i) => `C${i},O${i},2026-0${1 + (i % 6)}-${String(1 + (i % 20)).padStart(2, '0')},${10 + i}`);
  const input = write('far.csv', [header, ...rows, 'C1,F1,9999-12-31,50', 'C2,F2,0001-01-01,50', 'C3,F3,2026-07-01,5', 'C4,F4,2026-07-02,5'].join('\n') + '\n');

  it('ingest rejects dates before 1900 or after today + 1 as implausible_date', async () => {
    const rej = tmp.path('far-rejects.csv');
    const r = await runCli(['ingest', input, '--rejects', rej, '--max-reject-rate', '1'], ENV);
    expect(r.code, r.stderr).toBe(0);
    const rj = csvRecords(read(rej));
    expect(rj.map((x) => [x.line, x.reason])).toEqual([['52', 'implausible_date'], ['53', 'implausible_date'], ['55', 'implausible_date']]);
    expect(rj[0]!.detail).toBe('order_date: "9999-12-31" is after 2026-07-01, outside the plausible window (--date-window)');
    expect(rj[1]!.detail).toBe('order_date: "0001-01-01" is before 1900-01-01, outside the plausible window (--date-window)');
    // 2026-07-01 is today + 1 (a shop ahead of UTC): kept
    expect(csvRecords(r.stdout).map((x) => x.order_date)).toContain('2026-07-01');
  });

  it('run: the far date no longer moves the as-of or makes customers lost', async () => {
    const out = tmp.path('far-run');
    const r = await runCli(['run', input, '--out', out, '--max-reject-rate', '1', '--compare', 'off'], ENV);
    expect(r.code, r.stderr).toBe(0);
    const audit = JSON.parse(read(join(out, 'audit.json'))) as { ingest: { rejected: Record<string, number> }; segment: { as_of: string } };
    expect(audit.segment.as_of).toBe('2026-07-01');
    expect(audit.ingest.rejected).toEqual({ implausible_date: 3 });
    const lost = csvRecords(read(join(out, 'customers.csv'))).filter((c) => c.sleep_state === 'lost');
    expect(lost.length).toBeLessThan(10);
  });

  it('run --as-of: later dates are removed by clean as after_as_of, not rejected; before 1900 still is', async () => {
    const out = tmp.path('far-asof');
    const r = await runCli(['run', input, '--out', out, '--max-reject-rate', '1', '--as-of', '2026-06-30', '--compare', 'off'], ENV);
    expect(r.code, r.stderr).toBe(0);
    const audit = JSON.parse(read(join(out, 'audit.json'))) as { ingest: { rejected: Record<string, number> }; clean: { removed: Record<string, number> }; segment: { as_of: string } };
    expect(audit.ingest.rejected).toEqual({ implausible_date: 1 });
    expect(audit.clean.removed.after_as_of).toBe(3); // 9999-12-31, 2026-07-01, 2026-07-02
    expect(audit.segment.as_of).toBe('2026-06-30');
  });

  it('--date-window FROM..TO sets the window; an empty end keeps its default', async () => {
    const a = await runCli(['ingest', input, '--date-window', '2026-02-01..2026-05-31', '--max-reject-rate', '1', '-q'], ENV);
    expect(a.code, a.stderr).toBe(0);
    const days = csvRecords(a.stdout).map((x) => x.order_date);
    expect(days.every((d) => d >= '2026-02-01' && d <= '2026-05-31')).toBe(true);
    expect(days).toHaveLength(rows.filter((x) => /,2026-0[2-5]-/.test(x)).length);
    const b = await runCli(['ingest', input, '--date-window', '..9999-12-31', '--max-reject-rate', '1'], ENV);
    expect(csvRecords(b.stdout).map((x) => x.order_date)).toContain('9999-12-31');
    expect(b.stderr).toContain('implausible_date 1'); // 0001-01-01: before the default 1900-01-01
  });

  it('today is the UTC day of the clock, or CUSTKIT_TODAY', () => {
    expect(todayFrom({}, Date.UTC(2026, 5, 30, 23, 59, 59))).toBe(dayFromCivil(2026, 6, 30));
    expect(todayFrom({}, Date.UTC(2026, 6, 1, 0, 0, 0))).toBe(dayFromCivil(2026, 7, 1));
    expect(todayFrom({ CUSTKIT_TODAY: '2020-02-29' }, Date.UTC(2026, 0, 1))).toBe(dayFromCivil(2020, 2, 29));
  });

  it('a bad --date-window or CUSTKIT_TODAY is a usage error (exit 1)', async () => {
    for (const w of ['2026-01-01', '2026-13-01..', '2026-06-01..2026-01-01']) {
      const r = await runCli(['ingest', input, '--date-window', w], ENV);
      expect([w, r.code]).toEqual([w, 1]);
      expect(r.stderr).toMatch(/--date-window/);
    }
    const t = await runCli(['ingest', input], { NO_COLOR: '1', CUSTKIT_TODAY: 'yesterday' });
    expect(t.code).toBe(1);
    expect(t.stderr).toContain('CUSTKIT_TODAY "yesterday" is not a date');
    // read only by the commands that need it
    const tx = write('today-tx.csv', 'customer_id,order_id,order_date,amount,quantity,status\nC1,O1,2026-01-01,10,,\n');
    expect((await runCli(['segment', tx, '-q'], { NO_COLOR: '1', CUSTKIT_TODAY: 'yesterday' })).code).toBe(0);
  });
});

describe('item 7: customer ids', () => {
  const input = write('ids.csv', 'customer_id,order_id,order_date,amount\n=1+1,O1,2026-01-01,10\n＝1+1,O2,2026-01-02,20\n"C1\u0000",O3,2026-01-03,30\nC1,O4,2026-01-04,40\n"C\t2",O5,2026-01-05,50\n\t C3 ,O6,2026-01-06,60\n');

  it('keeps full-width ids apart from ASCII ones, trims whitespace, rejects control characters', async () => {
    const rej = tmp.path('ids-rejects.csv');
    const r = await runCli(['ingest', input, '--rejects', rej, '--max-reject-rate', '1'], ENV);
    expect(r.code, r.stderr).toBe(0);
    expect(csvRecords(r.stdout).map((x) => x.customer_id)).toEqual(['=1+1', '＝1+1', 'C1', 'C3']);
    expect(csvRecords(read(rej)).map((x) => [x.line, x.reason])).toEqual([['4', 'bad_customer_id'], ['6', 'bad_customer_id']]);
    expect(csvRecords(read(rej))[0]!.detail).toBe('customer_id: "C1\\u0000" holds a control character');
  });

  it('clean --exclude matches ids exactly as ingest keeps them: a full-width listed id removes only the full-width customer', async () => {
    const tx = tmp.path('ids-tx.csv');
    expect((await runCli(['ingest', input, '-o', tx, '--max-reject-rate', '1'], ENV)).code).toBe(0);
    const list = write('ids-exclude.txt', '＝1+1\n');
    const r = await runCli(['clean', tx, '--exclude', list, '--outliers', 'off'], ENV);
    expect(r.code, r.stderr).toBe(0);
    expect(csvRecords(r.stdout).map((x) => x.customer_id)).toEqual(['=1+1', 'C1', 'C3']);
  });

  it('--fold-ids folds full-width ids and counts the merge on stderr and in run\'s audit', async () => {
    const r = await runCli(['ingest', input, '--fold-ids', '--max-reject-rate', '1'], ENV);
    expect(r.code, r.stderr).toBe(0);
    expect(csvRecords(r.stdout).map((x) => x.customer_id)).toEqual(['=1+1', '=1+1', 'C1', 'C3']);
    expect(r.stderr).toContain('ingest: --fold-ids changed 1 distinct customer id as written (1 row), each merged into its folded form');
    const out = tmp.path('ids-run');
    const run = await runCli(['run', input, '--out', out, '--fold-ids', '--max-reject-rate', '1', '--compare', 'off'], ENV);
    expect(run.code, run.stderr).toBe(0);
    const audit = JSON.parse(read(join(out, 'audit.json'))) as { ingest: { fold_ids?: unknown } };
    expect(audit.ingest.fold_ids).toEqual({ ids_changed: 1, rows: 1 });
  });
});

describe('run --engine duckdb applies the same rules (falls back visibly), same customer table', () => {
  it('a far date and a 16-digit amount in canonical-shaped input', async () => {
    const rows = cleanRows().map((r) => r + ',1,paid');
    const input = write('duck.csv', ['customer_id,order_id,order_date,amount,quantity,status', ...rows, 'C001,Z1,9999-12-31,5,1,paid', 'C002,Z2,2026-01-05,12345678901.23456,1,paid'].join('\n') + '\n');
    const js = tmp.path('duck-js');
    const duck = tmp.path('duck-duck');
    const a = await runCli(['run', input, '--out', js, '--compare', 'off', '--max-reject-rate', '1'], ENV);
    const b = await runCli(['run', input, '--out', duck, '--compare', 'off', '--max-reject-rate', '1', '--engine', 'duckdb'], ENV);
    expect(a.code, a.stderr).toBe(0);
    expect(b.code, b.stderr).toBe(0);
    expect(b.stderr).toMatch(/--engine duckdb: 2 rows not in the form ingest writes/);
    expect(read(join(duck, 'customers.csv'))).toBe(read(join(js, 'customers.csv')));
    // the same file without the two rows runs in SQL, with the same table as JavaScript
    const plain = write('duck-plain.csv', ['customer_id,order_id,order_date,amount,quantity,status', ...rows].join('\n') + '\n');
    const c = await runCli(['run', plain, '--out', tmp.path('plain-duck'), '--compare', 'off', '--engine', 'duckdb'], ENV);
    expect(c.stderr).toContain('ran in SQL');
  });
});
