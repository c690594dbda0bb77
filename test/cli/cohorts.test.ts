/**
 * Cohorts and key indicators through the commands: segment --cohorts / --cohorts-out on the
 * README's worked example, report --cohorts / --drivers in every format and both languages,
 * run (on by default), the DuckDB engine and customer tables saying they have none, and the
 * tables against a plain reference implementation written here on ../shared/data (UCI Online
 * Retail extract, CDNOW master).
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { fixture, runCli } from '../helpers/cli.js';
import { HAS_SHARED, SKIP_SHARED_REASON, sharedFile } from '../helpers/shared.js';
import { csvRecords, tempDir } from './cli-test-utils.js';
import type { CohortReport } from '../../src/core/cohort/cohort-table.js';

const tmp = tempDir('custkit-cohorts-');
afterAll(() => tmp.cleanup());
const TINY = fixture('cohorts', 'tiny.csv');

async function cohortsOf(file: string, extra: string[] = []): Promise<{ doc: { cohorts: CohortReport; drivers: { indicators: unknown[]; eligible_customers: number } }; stderr: string; out: string }> {
  const out = tmp.path(`c-${Math.random().toString(36).slice(2)}.json`);
  const r = await runCli(['segment', file, '--only', 'abc', '--cohorts-out', out, ...extra]);
  expect(r.code, r.stderr).toBe(0);
  return { doc: JSON.parse(readFileSync(out, 'utf8')), stderr: r.stderr, out };
}

describe('segment --cohorts', () => {
  it('the worked example: JSON tables and the stderr summary; the customer table is unchanged', async () => {
    const { doc, stderr } = await cohortsOf(TINY);
    expect(doc.cohorts.cohorts.map((c) => [c.cohort, c.customers, c.offsets.map((o) => o.active)])).toEqual([
      ['2024-01', 3, [3, 1, 2, 1]],
      ['2024-02', 2, [2, 0, 0]],
      ['2024-03', 1, [1, 0]],
    ]);
    expect(stderr).toContain('segment: cohort 2024-01: 3 customers, +1 33.3%, +2 66.7%, +3 33.3%; second purchase 100.0%');
    expect(stderr).toContain('segment: key indicators: not enough data (0 customers with 90 days since their first purchase; groups need 30)');
    const plain = await runCli(['segment', TINY, '--only', 'abc']);
    const withCohorts = await runCli(['segment', TINY, '--only', 'abc', '--cohorts', 'week']);
    expect(withCohorts.stdout).toBe(plain.stdout);
    expect(withCohorts.stderr).toContain('cohorts by week of first purchase: 6 cohorts');
  });
  it('--outcome alive: the indicators of staying awake, lined up with the sleeping states; needs the sleep classification', async () => {
    const { doc } = await cohortsOf(TINY, ['--only', 'abc,sleep', '--outcome', 'alive']);
    expect(doc.drivers).toMatchObject({ outcome: 'alive', eligible_customers: 0 });
    const u = await runCli(['segment', TINY, '--only', 'abc', '--cohorts', 'month', '--outcome', 'alive']);
    expect(u.code).toBe(1);
    expect(u.stderr).toContain('--outcome alive needs the sleeping states');
  });
  it('transactions without amounts (ingest --no-amount): cohort counts stay, money is absent (null), not zero', async () => {
    const raw = tmp.path('visits.csv');
    writeFileSync(raw, 'customer_id,date\nA,2024-01-05\nA,2024-02-10\nB,2024-01-15\nC,2024-02-03\n');
    const canon = tmp.path('visits.canonical.csv');
    expect((await runCli(['ingest', raw, '--no-amount', '-o', canon])).code).toBe(0);
    const { doc } = await cohortsOf(canon);
    expect(doc.cohorts.revenue).toBeNull();
    expect(doc.cohorts.cohorts.map((c) => [c.cohort, c.customers, c.offsets.map((o) => [o.active, o.revenue])])).toEqual([
      ['2024-01', 2, [[2, null], [1, null]]],
      ['2024-02', 1, [[1, null]]],
    ]);
    expect(doc.cohorts.periods.map((p) => [p.new_customers, p.new_revenue])).toEqual([[2, null], [1, null]]);
  });
  it('bad grain: usage error (exit 1)', async () => {
    const r = await runCli(['segment', TINY, '--cohorts', 'year']);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/--cohorts/);
  });
  it('a customer table has no cohorts: a warning, and --cohorts-out fails (exit 2) instead of writing nothing silently', async () => {
    const table = tmp.path('customers.csv');
    writeFileSync(table, (await runCli(['segment', TINY, '--only', 'abc'])).stdout);
    const w = await runCli(['segment', table, '--only', 'abc', '--cohorts', 'month']);
    expect(w.code).toBe(0);
    expect(w.stderr).toContain('cohorts need transactions');
    const f = await runCli(['segment', table, '--only', 'abc', '--cohorts-out', tmp.path('none.json')]);
    expect(f.code).toBe(2);
    expect(f.stderr).toContain('not written: no cohorts were computed');
  });
  it('--engine duckdb says cohorts are not computed there', async () => {
    const r = await runCli(['segment', TINY, '--only', 'abc', '--engine', 'duckdb', '--cohorts', 'month']);
    expect(r.code).toBe(0);
    expect(r.stderr).toContain('cohorts and key indicators are not computed by the DuckDB engine');
  });
});

describe('report --cohorts / --drivers', () => {
  const table = tmp.path('tiny-customers.csv');
  let cohortsFile = '';
  const setup = async (): Promise<void> => {
    if (cohortsFile) return;
    writeFileSync(table, (await runCli(['segment', TINY])).stdout);
    cohortsFile = (await cohortsOf(TINY)).out;
  };
  it('markdown: the cohort tables; without --cohorts the report is unchanged', async () => {
    await setup();
    const md = await runCli(['report', table, '--cohorts', cohortsFile, '--format', 'md']);
    expect(md.code, md.stderr).toBe(0);
    expect(md.stdout).toContain('Cohorts and retention');
    expect(md.stdout).toMatch(/\| 2024-01 \| +3 \| +100\.0% \| +33\.3% \| +66\.7% \| +33\.3% \|/);
    expect(md.stdout).toMatch(/\| 2024-03 \| +1 \| +12\.00 \| +2 \| +-3\.00 \|/);
    const plain = await runCli(['report', table, '--format', 'md']);
    expect(plain.stdout).not.toContain('Cohorts');
    expect(md.stdout.startsWith(plain.stdout.slice(0, 200))).toBe(true);
  });
  it('JSON: cohorts and drivers sections as written by segment; html: the retention triangle and the new-vs-returning chart; zh labels', async () => {
    await setup();
    const j = JSON.parse((await runCli(['report', table, '--cohorts', cohortsFile, '--drivers', '--format', 'json'])).stdout);
    const doc = JSON.parse(readFileSync(cohortsFile, 'utf8'));
    expect(j.cohorts).toEqual(doc.cohorts);
    expect(j.drivers).toEqual(doc.drivers);
    expect(j.meta.sections).toContain('cohorts');
    const html = (await runCli(['report', table, '--cohorts', cohortsFile, '--drivers', '--format', 'html', '-o', tmp.path('r.html')])).code;
    expect(html).toBe(0);
    const h = readFileSync(tmp.path('r.html'), 'utf8');
    expect(h).toContain('class="chart retention"');
    expect(h).toContain('class="chart new-returning"');
    expect(h).toContain('Not enough data');
    const zh = await runCli(['report', table, '--cohorts', cohortsFile, '--drivers', '--format', 'md', '--lang', 'zh']);
    expect(zh.stdout).toContain('同期群与留存');
    expect(zh.stdout).toContain('留存关键指标');
  });
  it('a cohorts file of other data or another as-of date: a warning; an empty input: no cohorts, said so', async () => {
    await setup();
    const other = tmp.path('other-asof.json');
    expect((await runCli(['segment', TINY, '--only', 'abc', '--as-of', '2024-05-01', '--cohorts-out', other])).code).toBe(0);
    const r = await runCli(['report', table, '--cohorts', other, '--format', 'md']);
    expect(r.code).toBe(0);
    expect(r.stderr).toContain('is as of 2024-05-01 with 6 customers; the table is as of 2024-04-02 with 6: different data or dates');
    expect(JSON.parse(readFileSync(other, 'utf8')).cohorts.cohorts[0].offsets.length).toBe(5); // to May
    const empty = tmp.path('empty.csv');
    writeFileSync(empty, 'customer_id,order_id,order_date,amount,quantity,status\n');
    const e = await cohortsOf(empty, ['--allow-empty']);
    expect(e.doc.cohorts).toEqual({ grain: 'month', as_of: null, customers: 0, revenue: 0, cohorts: [], periods: [] });
    const md = await runCli(['report', table, '--cohorts', e.out, '--format', 'md']);
    expect(md.stdout).toContain('No cohorts: no customer has a purchase.');
  });
  it('--drivers without --cohorts: usage error; a file that is not a cohorts document: exit 2 naming the field', async () => {
    await setup();
    const u = await runCli(['report', table, '--drivers']);
    expect(u.code).toBe(1);
    expect(u.stderr).toContain('--drivers needs --cohorts FILE');
    const bad = tmp.path('bad.json');
    const doc = JSON.parse(readFileSync(cohortsFile, 'utf8'));
    doc.cohorts.cohorts[1].customers = '<b>2</b>';
    writeFileSync(bad, JSON.stringify(doc));
    const b = await runCli(['report', table, '--cohorts', bad]);
    expect(b.code).toBe(2);
    expect(b.stderr).toContain('cohorts.cohorts[1].customers should be a number');
    expect(b.stderr).not.toContain('<b>');
    const secret = tmp.path('not-json.txt');
    writeFileSync(secret, 'root:x:0:0:secret\n');
    const n = await runCli(['report', table, '--cohorts', secret]);
    expect(n.code).toBe(2);
    expect(n.stderr).toContain('not a cohorts JSON file');
    expect(n.stderr).not.toContain('secret');
  });
});

describe('run', () => {
  it('cohorts by month by default (report.json, report.md); --cohorts off leaves them out', async () => {
    const out = tmp.path('run-out');
    const r = await runCli(['run', TINY, '--out', out, '--compare', 'off']);
    expect(r.code, r.stderr).toBe(0);
    const j = JSON.parse(readFileSync(`${out}/report.json`, 'utf8'));
    expect(j.cohorts.grain).toBe('month');
    expect(j.cohorts.cohorts.map((c: { customers: number }) => c.customers)).toEqual([3, 2, 1]);
    expect(j.drivers).toBeUndefined(); // not enough data for the key indicators
    expect(readFileSync(`${out}/report.md`, 'utf8')).toContain('Cohorts and retention');
    const off = tmp.path('run-off');
    await runCli(['run', TINY, '--out', off, '--compare', 'off', '--cohorts', 'off']);
    expect(JSON.parse(readFileSync(`${off}/report.json`, 'utf8')).cohorts).toBeUndefined();
  });
});

/** Plain reference: cohorts from canonical rows with string dates, a Map per customer and integer cents. */
function referenceCohorts(rows: Record<string, string>[], grain: 'month' | 'week'): { cohorts: [string, number, number[], number[], number, number | null][]; periods: [string, number, number, number, number][] } {
  const dayMs = 86400000;
  const ms = (d: string): number => Date.parse(d + 'T00:00:00Z');
  const monday = (d: string): string => new Date(ms(d) - ((new Date(ms(d)).getUTCDay() + 6) % 7) * dayMs).toISOString().slice(0, 10);
  const label = (d: string): string => (grain === 'month' ? d.slice(0, 7) : monday(d));
  const index = (l: string): number => (grain === 'month' ? Number(l.slice(0, 4)) * 12 + Number(l.slice(5, 7)) - 1 : Math.round((ms(l) + 3 * dayMs) / (7 * dayMs))); // Mondays: 1970-01-01 was a Thursday
  const fromIndex = (i: number): string => (grain === 'month' ? `${Math.floor(i / 12)}-${String((i % 12) + 1).padStart(2, '0')}` : new Date((i * 7 - 3) * dayMs).toISOString().slice(0, 10));
  const cents = (a: string): number => Math.round(Number(a) * 1e6);
  let asOf = '';
  const by = new Map<string, { d: string; a: number }[]>();
  for (const r of rows) {
    if (r.order_date! > asOf) asOf = r.order_date!;
    if (!by.has(r.customer_id!)) by.set(r.customer_id!, []);
    by.get(r.customer_id!)!.push({ d: r.order_date!, a: cents(r.amount!) });
  }
  const last = index(label(asOf));
  const C = new Map<number, { n: number; active: Map<number, number>; rev: Map<number, number>; gaps: number[] }>();
  const P = new Map<number, [number, number, number, number]>();
  for (const txs of by.values()) {
    const days = [...new Set(txs.filter((t) => t.a >= 0).map((t) => t.d))].sort();
    if (!days.length) continue;
    const c = index(label(days[0]!));
    if (!C.has(c)) C.set(c, { n: 0, active: new Map(), rev: new Map(), gaps: [] });
    const e = C.get(c)!;
    e.n++;
    if (days.length > 1) e.gaps.push((ms(days[1]!) - ms(days[0]!)) / dayMs);
    const activeKs = new Set<number>();
    for (const t of txs) {
      const p = Math.max(c, index(label(t.d)));
      e.rev.set(p - c, (e.rev.get(p - c) ?? 0) + t.a);
      if (!P.has(p)) P.set(p, [0, 0, 0, 0]);
      P.get(p)![p === c ? 1 : 3] += t.a;
      if (t.a >= 0) activeKs.add(p - c);
    }
    for (const k of activeKs) {
      e.active.set(k, (e.active.get(k) ?? 0) + 1);
      P.get(c + k)![k === 0 ? 0 : 2]++;
    }
  }
  const median = (g: number[]): number | null => {
    if (!g.length) return null;
    const s = [...g].sort((a, b) => a - b);
    return (s[Math.floor((s.length - 1) / 2)]! + s[Math.floor(s.length / 2)]!) / 2;
  };
  const keys = [...C.keys()].sort((a, b) => a - b);
  return {
    cohorts: keys.map((c) => {
      const e = C.get(c)!;
      const ks = Array.from({ length: last - c + 1 }, (_, k) => k);
      return [fromIndex(c), e.n, ks.map((k) => e.active.get(k) ?? 0), ks.map((k) => (e.rev.get(k) ?? 0) / 1e6), e.gaps.length, median(e.gaps)];
    }),
    periods: Array.from({ length: keys.length ? last - keys[0]! + 1 : 0 }, (_, i) => {
      const p = keys[0]! + i;
      const v = P.get(p) ?? [0, 0, 0, 0];
      return [fromIndex(p), v[0], v[1] / 1e6, v[2], v[3] / 1e6];
    }),
  };
}

function custkitView(c: CohortReport): ReturnType<typeof referenceCohorts> {
  return {
    cohorts: c.cohorts.map((r) => [r.cohort, r.customers, r.offsets.map((o) => o.active), r.offsets.map((o) => o.revenue), r.second_purchase, r.median_days_to_second]),
    periods: c.periods.map((p) => [p.period, p.new_customers, p.new_revenue, p.returning_customers, p.returning_revenue]),
  };
}

describe.skipIf(!HAS_SHARED)(`cohorts against a plain reference implementation on ../shared/data${HAS_SHARED ? '' : ` (${SKIP_SHARED_REASON})`}`, () => {
  async function canonical(name: string, ingestArgs: string[]): Promise<{ file: string; rows: Record<string, string>[] }> {
    const ing = tmp.path(`${name}.ingested.csv`), cl = tmp.path(`${name}.clean.csv`);
    const a = await runCli(['ingest', sharedFile(name), ...ingestArgs, '-o', ing]);
    expect(a.code, a.stderr).toBe(0);
    const b = await runCli(['clean', ing, '-o', cl]);
    expect(b.code, b.stderr).toBe(0);
    return { file: cl, rows: csvRecords(readFileSync(cl, 'utf8')) };
  }
  it('UCI Online Retail extract (2,041 lines over 13 months, refunds included): monthly cohorts', async () => {
    const { file, rows } = await canonical('uci_online_retail_random2709_jerryaoverton.csv', []);
    const { doc } = await cohortsOf(file);
    const ref = referenceCohorts(rows, 'month');
    expect(ref.cohorts.length).toBeGreaterThan(10);
    expect(custkitView(doc.cohorts)).toEqual(ref);
  }, 60_000);
  it('CDNOW master (69,659 lines, 23,570 customers): monthly and weekly cohorts', async () => {
    const { file, rows } = await canonical('lifetimes_CDNOW_master.txt', ['--delimiter', 'whitespace']);
    const month = (await cohortsOf(file)).doc;
    const ref = referenceCohorts(rows, 'month');
    expect(month.cohorts.customers).toBe(23_570);
    expect(ref.cohorts.map((c) => c[0])).toEqual(['1997-01', '1997-02', '1997-03']); // CDNOW's cohorts are the first quarter of 1997
    expect(custkitView(month.cohorts)).toEqual(ref);
    const week = (await cohortsOf(file, ['--cohorts', 'week'])).doc;
    expect(custkitView(week.cohorts)).toEqual(referenceCohorts(rows, 'week'));
    // Enough data for the key indicators here: every customer is older than 90 days.
    expect(month.drivers.eligible_customers).toBe(23_570);
    expect(month.drivers.indicators.length).toBe(4);
    // The quantity on the first purchase day, recomputed here: per band, customers and second purchases within 90 days.
    const first = new Map<string, { d: string; q: number; days: Set<string> }>();
    for (const r of rows) {
      if (Number(r.amount) < 0) continue;
      const e = first.get(r.customer_id!);
      if (!e) first.set(r.customer_id!, { d: r.order_date!, q: Number(r.quantity), days: new Set([r.order_date!]) });
      else {
        e.days.add(r.order_date!);
        if (r.order_date! < e.d) [e.d, e.q] = [r.order_date!, Number(r.quantity)];
        else if (r.order_date === e.d) e.q += Number(r.quantity);
      }
    }
    const band = (q: number): string => (q <= 1 ? '(−∞, 1]' : q <= 2 ? '(1, 2]' : q <= 4 ? '(2, 4]' : q <= 9 ? '(4, 9]' : '(9, ∞)');
    const refQ = new Map<string, [number, number]>();
    for (const e of first.values()) {
      const second = [...e.days].sort()[1];
      const yes = second !== undefined && (Date.parse(second) - Date.parse(e.d)) / 86400000 <= 90 ? 1 : 0;
      const b = refQ.get(band(e.q)) ?? [0, 0];
      refQ.set(band(e.q), [b[0] + 1, b[1] + yes]);
    }
    const qi = (month.drivers.indicators as { indicator: string; groups: { value: string; customers: number; outcome: number }[] }[]).find((x) => x.indicator === 'first_quantity')!;
    const order = ['(−∞, 1]', '(1, 2]', '(2, 4]', '(4, 9]', '(9, ∞)'];
    expect(qi.groups.map((g) => [g.value, g.customers, g.outcome])).toEqual(order.filter((k) => (refQ.get(k)?.[0] ?? 0) >= 30).map((k) => [k, ...refQ.get(k)!]));
    // alive: outcome = sleeping state (from the customer table segment writes) neither deep-sleep nor lost.
    const table = tmp.path('cdnow-customers.csv');
    const s = await runCli(['segment', file, '--only', 'sleep', '--outcome', 'alive', '--cohorts-out', tmp.path('cdnow-alive.json'), '-o', table]);
    expect(s.code, s.stderr).toBe(0);
    const alive = JSON.parse(readFileSync(tmp.path('cdnow-alive.json'), 'utf8')).drivers;
    const awake = csvRecords(readFileSync(table, 'utf8')).filter((r) => r.sleep_state !== 'deep-sleep' && r.sleep_state !== 'lost').length;
    expect(alive.outcome).toBe('alive');
    expect(Math.round(alive.base_rate * 23_570)).toBe(awake);
    expect(alive.indicators.map((x: { indicator: string }) => x.indicator)).toContain('days_to_second');
  }, 120_000);
});
