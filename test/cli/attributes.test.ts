/**
 * Customer attributes (#26 items 1–3) end to end: `--keep` columns carried into the customer
 * table by segment and run (byte for byte the same), `--by` breakdowns in the reports, and
 * run's actions.csv with --actions, --suppress and --exclude.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli, spawnCli } from '../helpers/cli.js';
import { csvHeader, csvRecords, tempDir } from './cli-test-utils.js';

const tmp = tempDir('custkit-attrs-');
afterAll(() => tmp.cleanup());

/** 60 customers over two years; channel and phone change between orders; one channel needs quotes, phones start with '+'. */
function orders(): string {
  const lines = ['customer_id,order_id,order_date,amount,channel,phone,discount'];
  const channels = ['web', 'store', 'shop, north', 'app'];
  let o = 0;
  for (let c = 1; c <= 60; c++) {
    const n = 1 + (c % 7);
    for (let k = 0; k < n; k++) {
      const day = new Date(Date.UTC(2024, 0, 1) + ((c * 37 + k * 53) % 700) * 86_400_000).toISOString().slice(0, 10);
      const ch = channels[(c + k) % channels.length]!;
      const phone = k % 3 === 2 ? '' : `+86 138${String(c).padStart(4, '0')}${k}`;
      lines.push(`C${String(c).padStart(3, '0')},O${++o},${day},${(10 + ((c * 13 + k * 7) % 90)).toFixed(2)},"${ch}",${phone},${k % 2 ? '1.5' : ''}`);
    }
  }
  return lines.join('\n') + '\n';
}

let input = '';
const KEEP = ['--keep', 'channel,phone,discount'];

beforeAll(() => {
  input = tmp.path('orders.csv');
  writeFileSync(input, orders());
});

async function ok(args: string[]): Promise<string> {
  const r = await runCli(args);
  expect(r.code, `${args.join(' ')}: ${r.stderr}`).toBe(0);
  return r.stderr;
}

/** ingest → clean → segment → score through files. */
async function piped(name: string, segment: string[] = []): Promise<string> {
  const p = (s: string): string => tmp.path(`${name}.${s}.csv`);
  await ok(['ingest', input, ...KEEP, '-o', p('tx')]);
  await ok(['clean', p('tx'), '-o', p('clean')]);
  await ok(['segment', p('clean'), ...segment, '-o', p('seg')]);
  await ok(['score', p('seg'), '-o', p('scored')]);
  return readFileSync(p('scored'), 'utf8');
}

describe('attributes in the customer table', () => {
  it('segment carries every kept column with its rule, after the classifications', async () => {
    const table = await piped('rules', ['--attr', 'channel=mode', '--attr', 'discount=sum']);
    const header = csvHeader(table);
    expect(header.slice(header.indexOf('sleep_reason') + 1, header.indexOf('p_alive'))).toEqual(['channel', 'phone', 'discount']);
    const rows = csvRecords(table);
    // C007: 1 + 7 % 7 = 1 order; C013: 7 orders (k = 0…6), channel (13 + k) % 4 = 1,2,3,0,1,2,3: store, shop, north and
    // app twice each, web once: the mode is the smallest of the tied values. Discount 1.5 on odd k: 3 × 1.5.
    const c13 = rows.find((r) => r.customer_id === 'C013')!;
    expect(c13.channel).toBe('app');
    expect(c13.discount).toBe('4.5');
    const c07 = rows.find((r) => r.customer_id === 'C007')!;
    expect(c07.discount).toBe('');
    expect(c07.phone).toBe('+86 13800070');
  });

  it('run writes the same customers.csv as the piped commands, byte for byte, with and without threads', async () => {
    const expected = await piped('same');
    for (const threads of ['1', '2']) {
      const out = tmp.path(`same-run-${threads}`);
      await ok(['run', input, ...KEEP, '--threads', threads, '--out', out]);
      expect(readFileSync(join(out, 'customers.csv'), 'utf8'), `--threads ${threads}`).toBe(expected);
    }
  });

  it('segment gives the same attributes read in one pass, on a reader thread, and in parallel byte ranges', async () => {
    // Canonical rows without quotes (the parallel reader gives up on quotes); same-day rows of a customer in
    // different ranges test the tie rules of first and last.
    const lines = ['customer_id,order_id,order_date,amount,quantity,status,first_ch,last_ch,mode_ch,spend'];
    for (let k = 0; k < 3000; k++) {
      const c = `C${k % 41}`;
      const day = `2024-${String(1 + ((k * 7) % 12)).padStart(2, '0')}-${String(1 + (k % 3)).padStart(2, '0')}`;
      lines.push(`${c},O${k},${day},${(k % 50) + 0.5},1,paid,v${k % 5},w${k % 3},m${(k * k) % 4},${k % 10 === 0 ? '' : (k % 7) * 0.25}`);
    }
    const tx = tmp.path('ranges.tx.csv');
    writeFileSync(tx, lines.join('\n') + '\n');
    const args = ['segment', tx, '--attr', 'first_ch=first,last_ch=last', '--attr', 'mode_ch=mode,spend=mean', '--only', 'abc'];
    const one = await runCli([...args, '--threads', '1']);
    expect(one.code, one.stderr).toBe(0);
    const reader = spawnCli([...args, '--threads', '2'], { env: { CUSTKIT_PARALLEL_MIN_MB: '1000' } });
    const ranges = spawnCli([...args, '--threads', '3'], { env: { CUSTKIT_PARALLEL_MIN_MB: '0' } });
    expect(ranges.stderr).toContain('3 threads');
    expect(reader.stderr).toContain('2 threads');
    expect(reader.stdout).toBe(one.stdout);
    expect(ranges.stdout).toBe(one.stdout);
    expect(csvHeader(one.stdout).slice(-4)).toEqual(['first_ch', 'last_ch', 'mode_ch', 'spend']);
  });

  it('a sum over a column that is not numeric fails with the file, line and column', async () => {
    const tx = tmp.path('bad.tx.csv');
    writeFileSync(tx, 'customer_id,order_id,order_date,amount,quantity,status,channel\nA,1,2024-01-01,5,,paid,web\n');
    const r = await runCli(['segment', tx, '--attr', 'channel=sum']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('bad.tx.csv:2:channel: attribute channel: "web" is not a number');
    const u = await runCli(['segment', tx, '--attr', 'region=mode']);
    expect(u.code).toBe(1);
    expect(u.stderr).toContain('--attr region=mode: the input has no kept column region (kept: channel)');
  });
});

describe('breakdowns', () => {
  it('report --by: one table per attribute whose revenue sums to the total; run --by is repeatable', async () => {
    const out = tmp.path('by');
    await ok(['run', input, ...KEEP, '--by', 'channel', '--by', 'phone', '--by-top', '3', '--out', out]);
    const model = JSON.parse(readFileSync(join(out, 'report.json'), 'utf8'));
    expect(model.breakdowns.map((b: { attribute: string }) => b.attribute)).toEqual(['channel', 'phone']);
    for (const b of model.breakdowns) {
      const cents = b.rows.reduce((s: number, r: { revenue: number }) => s + Math.round(r.revenue * 100), 0);
      expect(cents).toBe(Math.round(model.overview.revenue * 100));
      expect(b.rows.reduce((s: number, r: { customers: number }) => s + r.customers, 0)).toBe(60);
    }
    expect(model.breakdowns[0].rows.map((r: { value: string | null }) => r.value)).toHaveLength(4); // 4 channels: top 3 + other
    const html = readFileSync(join(out, 'report.html'), 'utf8');
    expect(html.match(/<figcaption>By (channel|phone)<\/figcaption>/g)).toEqual(['<figcaption>By channel</figcaption>', '<figcaption>By phone</figcaption>']);
    // report on the table run wrote gives the same breakdown
    const r = await runCli(['report', join(out, 'customers.csv'), '--by', 'channel', '--by-top', '3', '--format', 'json']);
    expect(r.code, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout).breakdowns[0]).toEqual(model.breakdowns[0]);
    const bad = await runCli(['report', join(out, 'customers.csv'), '--by', 'region']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('no attribute column region (attributes: channel, phone, discount)');
  });
});

describe('actions.csv', () => {
  it('lists every customer whose segment has an action, with the kept contacts; --suppress and --exclude keep customers out', async () => {
    const ids = tmp.path('ids.txt');
    writeFileSync(ids, 'customer_id\nC002\nC003\n');
    const ex = tmp.path('ex.txt');
    writeFileSync(ex, 'C004\n');
    const out = tmp.path('act');
    const err = await ok(['run', input, ...KEEP, '--suppress', ids, '--exclude', ex, '--out', out]);
    expect(err).toContain('run: actions.csv: 57 customers to act on, 2 suppressed (--suppress)');
    const text = readFileSync(join(out, 'actions.csv'), 'utf8');
    expect(csvHeader(text)).toEqual(['customer_id', 'segment', 'sleep_state', 'action', 'action_text', 'priority', 'value_at_risk', 'clv', 'channel', 'phone', 'discount']);
    const rows = csvRecords(text);
    const listed = new Set(rows.map((r) => r.customer_id));
    expect(['C002', 'C003', 'C004'].filter((c) => listed.has(c))).toEqual([]);
    const customers = csvRecords(readFileSync(join(out, 'customers.csv'), 'utf8')).map((r) => r.customer_id);
    expect(customers).toContain('C002'); // suppressed: still analysed
    expect(customers).not.toContain('C004'); // excluded: removed by clean
    const priorities = rows.map((r) => Number(r.priority));
    expect(priorities).toEqual([...priorities].sort((a, b) => a - b));
    expect(rows.find((r) => r.customer_id === 'C007')!.phone).toBe("'+86 13800070"); // people-facing: spreadsheet-guarded
  });

  it('--actions replaces the table (validated: every segment once); "none" leaves a segment out', async () => {
    const segs = ['重要价值客户', '重要发展客户', '重要保持客户', '重要挽留客户', '一般价值客户', '一般发展客户', '一般保持客户', '一般挽留客户'];
    const file = tmp.path('actions.json');
    writeFileSync(file, JSON.stringify({ actions: segs.map((s, i) => (i < 4 ? { segment: s, action: 'call', priority: 1, text: 'Call', text_zh: '打电话' } : { segment: s, action: 'none' })) }));
    const out = tmp.path('act-custom');
    await ok(['run', input, '--segments', 'zh8', '--lang', 'zh', '--actions', file, '--out', out]);
    const rows = csvRecords(readFileSync(join(out, 'actions.csv'), 'utf8'));
    const customers = csvRecords(readFileSync(join(out, 'customers.csv'), 'utf8'));
    expect(rows.length).toBe(customers.filter((c) => c.rfm_segment!.startsWith('重要')).length);
    expect(new Set(rows.map((r) => `${r.action}/${r.action_text}`))).toEqual(new Set(['call/打电话']));
    writeFileSync(file, JSON.stringify({ actions: [{ segment: '重要价值客户', action: 'call', priority: 1 }] }));
    const bad = await runCli(['run', input, '--segments', 'zh8', '--actions', file, '--out', tmp.path('act-bad')]);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toContain('no action for segments "重要发展客户"');
  });
});
