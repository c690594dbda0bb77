/**
 * The generated export (src/gen/orders-export.ts) in-process: format, determinism, chunking,
 * chronological order, the orders/customer ratio, the ground truth against the lines, and the
 * dirty injections counted from the text itself against the reported counts.
 */
import { describe, expect, it } from 'vitest';
import { dayFromCivil, parseIsoDay } from '../../src/core/time/day.js';
import {
  customerId,
  EXPORT_HEADER,
  formatTruthRow,
  generateOrders,
  generateOrdersText,
  orderExportChunks,
  type ExportOptions,
  type TruthRow,
} from '../../src/gen/orders-export.js';
import { simulateCustomers, calibrateRate, type SimCustomer } from '../../src/gen/simulate.js';

const START = dayFromCivil(2023, 1, 1);
const END = dayFromCivil(2025, 12, 31);
const BASE: ExportOptions = { seed: 5, start: START, end: END, orders: 30000 };

const CLEAN_LINE = /^C\d{7},O\d{12},\d{4}-\d{2}-\d{2},\d+\.\d{2},[1-5],paid,(web|app|store)$/;

function gen(o: ExportOptions): { lines: string[]; truth: TruthRow[]; summary: ReturnType<typeof generateOrdersText>['summary']; text: string } {
  const truth: TruthRow[] = [];
  const { text, summary } = generateOrdersText(o, (t) => truth.push(t));
  const lines = text.split('\n');
  expect(lines.pop()).toBe(''); // ends with a newline
  return { lines, truth, summary, text };
}

describe('clean export', () => {
  const { lines, truth, summary, text } = gen(BASE);
  const rows = lines.slice(1).map((l) => l.split(','));

  it('header, exactly `orders` lines in the generated format, order ids 1..N in line order', () => {
    expect(lines[0] + '\n').toBe(EXPORT_HEADER);
    expect(lines.length - 1).toBe(30000);
    expect(summary.lines).toBe(30000);
    expect(lines.slice(1).filter((l) => !CLEAN_LINE.test(l))).toEqual([]);
    expect(rows.every((r, k) => r[1] === 'O' + String(k + 1).padStart(12, '0'))).toBe(true);
    // ~51 bytes a line: C + 7, O + 12, a 10-byte date, amount, 1 digit, paid, channel, 6 commas, newline.
    const bytesPerLine = (text.length - EXPORT_HEADER.length) / 30000;
    expect(bytesPerLine).toBeGreaterThan(47);
    expect(bytesPerLine).toBeLessThan(54);
  });

  it('is chronological, inside the window, and every date is a real ISO date', () => {
    const days = rows.map((r) => parseIsoDay(r[2]!));
    expect(days.every((d) => d !== null && d >= START && d <= END)).toBe(true);
    let sorted = true;
    for (let k = 1; k < days.length; k++) if (days[k]! < days[k - 1]!) sorted = false;
    expect(sorted).toBe(true);
  });

  it('is deterministic: same options → same bytes; another seed → other bytes', () => {
    expect(generateOrdersText(BASE).text).toBe(text);
    expect(generateOrdersText({ ...BASE, seed: 6 }).text).not.toBe(text);
  });

  it('chunks: ≥ 2 chunks of at most 1 MiB for 1.5 MB, each ending at a line end, concatenating to the text', () => {
    const chunks: Uint8Array[] = [];
    generateOrders(BASE, (c) => chunks.push(c));
    expect(chunks.length).toBeGreaterThanOrEqual(2);
    expect(chunks.every((c) => c.length <= 1 << 20 && c[c.length - 1] === 10)).toBe(true);
    expect(Buffer.concat(chunks).toString('latin1')).toBe(text);
  });

  it('default ratio: 10 orders per customer within sampling error', () => {
    // customers = draws needed to collect 30,000 orders ≈ 30,000/10; SD of orders per customer
    // ≈ 12 → SE of the mean over 3,000 customers ≈ 0.22 (2.2 %); allow 4 SE = 8.8 %.
    expect(Math.abs(summary.customers / 3000 - 1)).toBeLessThan(0.088);
    expect(truth.length).toBe(summary.customers);
  });

  it('--customers sets the ratio: 30,000 orders / 6,000 customers = 5 per customer', () => {
    const r = generateOrdersText({ ...BASE, customers: 6000 }).summary;
    // SD of orders per customer at mean 5 ≈ 6 → SE over 6,000 ≈ 0.077 (1.5 %); 4 SE = 6 %.
    expect(Math.abs(r.customers / 6000 - 1)).toBeLessThan(0.06);
  });

  it('ground truth: per customer, the export has `orders` lines, the first on birth_date, none after death', () => {
    const byCustomer = new Map<string, number[]>();
    for (const r of rows) {
      const d = parseIsoDay(r[2]!)!;
      const l = byCustomer.get(r[0]!);
      if (l) l.push(d);
      else byCustomer.set(r[0]!, [d]);
    }
    expect(truth.reduce((a, t) => a + t.orders, 0)).toBe(30000);
    expect(truth.map((t) => t.customerId)).toEqual(truth.map((_, i) => customerId(i)));
    const bad: string[] = [];
    for (const t of truth) {
      const days = byCustomer.get(t.customerId) ?? [];
      if (days.length !== t.orders) bad.push(`${t.customerId} count`);
      if (days[0] !== t.birth) bad.push(`${t.customerId} birth`);
      if (Math.max(...days) > Math.floor(t.death)) bad.push(`${t.customerId} after death`);
      if (t.aliveAtEnd !== t.death > END) bad.push(`${t.customerId} alive flag`);
    }
    expect(bad).toEqual([]);
    expect(byCustomer.size).toBe(truth.length);
    // Truly stopped customers exist and alive ones too (expected share stopped 0.69, simulate.test.ts).
    const stopped = truth.filter((t) => !t.aliveAtEnd).length / truth.length;
    expect(stopped).toBeGreaterThan(0.6);
    expect(stopped).toBeLessThan(0.78);
  });

  it('lines carry the simulated purchases: customer C0000001 = first simulated customer, amount = cents/100', () => {
    const first: SimCustomer = simulateCustomers(BASE, calibrateRate({ ...BASE, ordersPerCustomer: 10 })).next().value;
    const mine = rows.filter((r) => r[0] === 'C0000001');
    expect(mine.map((r) => parseIsoDay(r[2]!))).toEqual(first.days);
    expect(mine.map((r) => r[3])).toEqual(first.cents.map((c) => (c / 100).toFixed(2)));
    expect(mine.map((r) => Number(r[4]))).toEqual(first.quantity);
  });

  it('the last customer is cut at `orders`: its truth row counts only the lines kept', () => {
    const small = gen({ ...BASE, orders: 7 });
    expect(small.lines.length - 1).toBe(7);
    expect(small.truth.reduce((a, t) => a + t.orders, 0)).toBe(7);
  });

  it('the stream can be stopped early (a reader that goes away)', () => {
    const it = orderExportChunks(BASE);
    const firstChunk = it.next().value as Uint8Array;
    it.return(undefined as never);
    expect(Buffer.from(firstChunk).toString('latin1').startsWith(EXPORT_HEADER)).toBe(true);
  });
});

describe('formatTruthRow', () => {
  it('formats dates, the alive flag, 6-decimal rate and 2-decimal mean spend', () => {
    const end = dayFromCivil(2025, 12, 31);
    const dead: TruthRow = { customerId: 'C0000001', birth: dayFromCivil(2023, 12, 11), death: dayFromCivil(2024, 6, 5) + 0.7, aliveAtEnd: false, rate: 0.0203641, meanSpend: 38.4749, orders: 1 };
    expect(formatTruthRow(dead, end)).toBe('C0000001,2023-12-11,2024-06-05,0,0.020364,38.47,1\n');
    const alive: TruthRow = { ...dead, death: end + 0.5, aliveAtEnd: true, orders: 12 };
    // death after the end (even within the last day's fraction) → blank death_date.
    expect(formatTruthRow(alive, end)).toBe('C0000001,2023-12-11,,1,0.020364,38.47,12\n');
  });
});

describe('dirty export', () => {
  const N = 200000;
  const { lines, summary } = gen({ ...BASE, orders: N, dirty: true });
  const data = lines.slice(1);
  // Exact duplicates are the only lines equal to the line before them (order ids are unique per
  // order; the two lines of a split order differ in amount and quantity; refunds in status).
  const deduped = data.filter((l, k) => k === 0 || l !== data[k - 1]);
  const dupCount = data.length - deduped.length;
  const fields = deduped.map((l) => (l.includes('"') ? l.replace(/"[^"]*"/, 'FORMATTED').split(',') : l.split(',')));

  it('reports the line total: header + summary.lines', () => {
    expect(data.length).toBe(summary.lines);
    // Every injection adds or changes lines; the count adds up: N orders + duplicates + second
    // lines of split orders + refund lines.
    expect(summary.lines).toBe(N + summary.dirty.duplicates + summary.dirty.splitOrders + summary.dirty.refunds);
  });

  it('counts found in the text equal the reported counts', () => {
    const d = summary.dirty;
    expect(dupCount).toBe(d.duplicates);
    expect(fields.filter((f) => f[0] === '' || f[0] === 'guest').length).toBe(d.guests);
    expect(fields.filter((f) => f[5] === 'cancelled').length).toBe(d.cancelled);
    expect(fields.filter((f) => f[5] === 'refunded' && f[3]!.startsWith('-')).length).toBe(d.refunds);
    expect(fields.filter((f) => f[2] === 'not-a-date' || f[3] === 'abc').length).toBe(d.badRows);
    expect(deduped.filter((l) => /,"\$\d{1,3}(,\d{3})*\.\d{2}",/.test(l)).length).toBe(d.formattedAmounts);
    const positiveLinesPerOrder = new Map<string, number>();
    for (const f of fields) if (f[5] !== 'refunded') positiveLinesPerOrder.set(f[1]!, (positiveLinesPerOrder.get(f[1]!) ?? 0) + 1);
    expect([...positiveLinesPerOrder.values()].filter((v) => v === 2).length).toBe(d.splitOrders);
    expect([...positiveLinesPerOrder.values()].reduce((a, b) => Math.max(a, b), 0)).toBe(2);
  });

  it('injection rates match their probabilities (binomial, 4 SE)', () => {
    const d = summary.dirty;
    // Probabilities from the module comment; SE = √(N p (1 − p)).
    const near = (count: number, p: number, n = N): void => expect(Math.abs(count - n * p)).toBeLessThan(4 * Math.sqrt(n * p * (1 - p)));
    near(d.guests, 0.004);
    near(d.cancelled, 0.01);
    near(d.refunds, 0.005);
    near(d.badRows, 0.0005 * 0.75); // 3 of 4 coin-flip outcomes make the row bad
    near(d.formattedAmounts, 0.02);
    near(d.splitOrders, 0.01);
    near(d.duplicates, 0.005, N - d.badRows); // bad rows are never duplicated
  });

  it('refund lines follow their order: same order id and customer, later or same date, half the amount (rounded)', () => {
    const byOrder = new Map<string, string[]>();
    for (const f of fields) if (f[5] !== 'refunded') byOrder.set(f[1]!, f);
    let checked = 0;
    for (const f of fields) {
      if (f[5] !== 'refunded') continue;
      const o = byOrder.get(f[1]!)!;
      expect(f[0]).toBe(o[0]);
      expect(f[2]! >= o[2]!).toBe(true);
      const cents = Math.round(Number(o[3]) * 100);
      expect(Math.round(Number(f[3]) * 100)).toBe(-Math.round(cents / 2));
      checked++;
    }
    expect(checked).toBe(summary.dirty.refunds);
  });

  it('good lines are still chronological (bad dates aside) and the clean subset has the clean format', () => {
    const days = fields.filter((f) => f[2] !== 'not-a-date').map((f) => f[2]!);
    let sorted = true;
    for (let k = 1; k < days.length; k++) if (days[k]! < days[k - 1]!) sorted = false;
    expect(sorted).toBe(true);
    const plain = deduped.filter((l) => /^C\d{7},/.test(l) && !l.includes('"') && !l.includes('abc') && !l.includes('not-a-date') && !/,(cancelled|refunded),/.test(l));
    expect(plain.filter((l) => !CLEAN_LINE.test(l))).toEqual([]);
  });
});
