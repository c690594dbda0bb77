/**
 * Kept attributes as key indicators (#27 item 2): each kept column's value on the customer's
 * first purchase is a candidate indicator (`attr:NAME`), with its top values by customers and
 * the rest as "other", groups under the minimum never shown. The fixture is made so that the
 * channel of the first order decides the outcome: every "referral" customer buys again within
 * 30 days, no "ads" customer ever does; later orders carry another channel, some dated before
 * the first order in the file (out of date order), so only the first purchase's value gives
 * that result.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';
import { csvRecords, tempDir } from './cli-test-utils.js';

const tmp = tempDir('custkit-attr-drivers-');
afterAll(() => tmp.cleanup());

interface Group { value: string; customers: number; outcome: number; rate: number }
interface Indicator { indicator: string; cramers_v: number | null; small_group_customers: number; groups: Group[]; best: string | null; worst: string | null }

const day = (d: number): string => new Date(Date.UTC(2024, 0, 1) + d * 86_400_000).toISOString().slice(0, 10);

/**
 * 40 referral customers (second purchase 20 days after the first), 40 ads customers (one
 * purchase), 40 customers each from a channel of their own (second purchase for every other
 * one); all first purchases at least 120 days before the last date.
 */
function orders(column = 'channel', value: (ch: string) => string = (ch) => ch): string {
  const rows = [`customer_id,order_id,order_date,amount,${column}`];
  let o = 0;
  const row = (c: string, d: number, ch: string): void => void rows.push(`${c},O${++o},${day(d)},${20 + (o % 7)}.00,${value(ch)}`);
  for (let k = 0; k < 40; k++) {
    const first = k * 2;
    // The repeat order comes first in the file with another channel; the first order's own
    // day also has a second line with another channel after it (the first line wins).
    row(`R${k}`, first + 20, 'ads');
    row(`R${k}`, first, 'referral');
    row(`R${k}`, first, 'ads');
  }
  for (let k = 0; k < 40; k++) row(`A${k}`, k * 2 + 1, 'ads');
  for (let k = 0; k < 40; k++) {
    row(`S${k}`, k * 2, `shop${String(k).padStart(2, '0')}`);
    if (k % 2 === 0) row(`S${k}`, k * 2 + 10, 'referral');
  }
  row('LAST', 300, 'ads'); // the as-of date: every first purchase above is ≥ 90 days before it
  return rows.join('\n') + '\n';
}

describe('kept attributes as key indicators', () => {
  const file = tmp.path('orders.csv');
  writeFileSync(file, orders());

  it('run --keep channel: the first purchase\'s channel drives the outcome; top values by customers, the rest as other', async () => {
    const out = tmp.path('run');
    const r = await runCli(['run', file, '--out', out, '--keep', 'channel']);
    expect(r.code, r.stderr).toBe(0);
    const j = JSON.parse(readFileSync(join(out, 'report.json'), 'utf8'));
    const d = j.drivers as { eligible_customers: number; base_rate: number; indicators: Indicator[] };
    expect(d.eligible_customers).toBe(120);
    // 40 referral + 20 shop customers buy again within 90 days.
    expect(d.base_rate).toBe(0.5);
    const ch = d.indicators.find((x) => x.indicator === 'attr:channel')!;
    // The ten values with most customers (ties by value): ads and referral (40 each), then
    // eight shops (1 each); the other 32 shops are "other". Groups under 30 are not shown.
    expect(ch.groups.map((g) => [g.value, g.customers, g.outcome])).toEqual([
      ['ads', 40, 0],
      ['referral', 40, 40],
      ['other', 32, 16],
    ]);
    expect(ch.small_group_customers).toBe(8);
    expect([ch.best, ch.worst]).toEqual(['referral', 'ads']);
    // It separates the outcome perfectly on the shown groups: the strongest indicator.
    expect(d.indicators[0]!.indicator).toBe('attr:channel');
    expect(ch.cramers_v).toBeGreaterThan(0.8);
    expect(readFileSync(join(out, 'report.md'), 'utf8')).toContain('channel of first purchase');
    expect(r.stderr).toContain('strongest key indicator of a second purchase within 90 days: attr:channel');
    // The customer table keeps the rule asked for (last, by default): the channel of the latest order.
    const table = csvRecords(readFileSync(join(out, 'customers.csv'), 'utf8'));
    expect(table.find((x) => x.customer_id === 'R0')!.channel).toBe('ads');
  });

  it('segment --cohorts-out gives the same indicators, one thread or two; zh names them', async () => {
    const canon = tmp.path('canon.csv');
    expect((await runCli(['ingest', file, '--keep', 'channel', '-o', canon])).code).toBe(0);
    const docs: unknown[] = [];
    for (const threads of ['1', '2']) {
      const doc = tmp.path(`cohorts-${threads}.json`);
      const r = await runCli(['segment', canon, '--only', 'abc', '--cohorts', 'month', '--cohorts-out', doc, '--threads', threads]);
      expect(r.code, r.stderr).toBe(0);
      docs.push(JSON.parse(readFileSync(doc, 'utf8')).drivers);
    }
    expect(docs[1]).toEqual(docs[0]);
    const ch = (docs[0] as { indicators: Indicator[] }).indicators.find((x) => x.indicator === 'attr:channel')!;
    expect(ch.groups.map((g) => g.value)).toEqual(['ads', 'referral', 'other']);
    const table = tmp.path('table.csv');
    expect((await runCli(['segment', canon, '-o', table])).code).toBe(0);
    const zh = await runCli(['report', table, '--cohorts', tmp.path('cohorts-1.json'), '--drivers', '--lang', 'zh', '--format', 'md']);
    expect(zh.code, zh.stderr).toBe(0);
    expect(zh.stdout).toContain('首购channel');
    expect(zh.stdout).toContain('| 其他 |');
  });

  it('a personal attribute (a phone column) is measured, and its values are masked in the report (--pii show shows them)', async () => {
    const phones = tmp.path('phones.csv');
    // One hotline number on every referral order, another on every ads order; the shops' own numbers.
    const tel = (ch: string): string => (ch === 'referral' ? '13800138000' : ch === 'ads' ? '13900139000' : `137001370${ch.slice(4)}`);
    writeFileSync(phones, orders('Phone', tel));
    const out = tmp.path('run-phone');
    const r = await runCli(['run', phones, '--out', out, '--keep', 'Phone', '--format', 'json,md']);
    expect(r.code, r.stderr).toBe(0);
    const j = JSON.parse(readFileSync(join(out, 'report.json'), 'utf8'));
    const ph = (j.drivers.indicators as Indicator[]).find((x) => x.indicator === 'attr:Phone')!;
    expect(ph.groups.map((g) => [g.customers, g.outcome])).toEqual([[40, 40], [40, 0], [32, 16]]);
    expect(j.privacy.masked).toContain('Phone');
    for (const f of ['report.json', 'report.md']) {
      const text = readFileSync(join(out, f), 'utf8');
      expect(text, f).not.toContain('13800138000');
      expect(text, f).not.toContain('13900139000');
    }
    expect(r.stderr).not.toContain('13800138000');
    const shown = tmp.path('run-phone-shown');
    expect((await runCli(['run', phones, '--out', shown, '--keep', 'Phone', '--format', 'json', '--pii', 'show'])).code).toBe(0);
    const k = JSON.parse(readFileSync(join(shown, 'report.json'), 'utf8'));
    expect((k.drivers.indicators as Indicator[]).find((x) => x.indicator === 'attr:Phone')!.groups.map((g) => g.value)).toEqual(['13800138000', '13900139000', 'other']);
  });
});
