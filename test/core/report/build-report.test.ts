/**
 * buildReport on fixtures/report (30 customers, previous table of 27, audit.json).
 * Expected numbers are recomputed here straight from the CSV cells, not from the model.
 */
import { describe, it, expect } from 'vitest';
import { fixtureModel, fixtureRows, fixtureTable } from '../../render/report-fixture.js';
import { buildReport, previousRows, PREVIOUS_TABLE_FIELDS } from '../../../src/core/report/build-report.js';
import fc from 'fast-check';
import { metrics } from '../../../src/core/report/metrics.js';
import { CustomerTableBuilder, readCustomerTable } from '../../../src/core/report/customer-record.js';

const [HEADER, ...ROWS] = fixtureRows('customers_small.csv');
const col = (name: string): string[] => ROWS.map((r) => r[HEADER!.indexOf(name)]!);
const nums = (name: string): number[] => col(name).map(Number);
const sum = (xs: number[]): number => xs.reduce((a, b) => a + b, 0);

describe('buildReport on the fixture', () => {
  const m = fixtureModel('en');

  it('overview: totals recomputed from the CSV', () => {
    expect(m.overview.customers).toBe(30);
    expect(m.overview.revenue).toBeCloseTo(sum(nums('revenue')), 6); // 34,458.70
    expect(m.overview.revenue).toBeCloseTo(34458.7, 6);
    expect(m.overview.orders).toBe(sum(nums('orders'))); // 220
    expect(m.overview.avg_order_value).toBeCloseTo(34458.7 / 220, 6);
    expect(m.overview.repeat_customers).toBe(nums('purchase_days').filter((d) => d >= 2).length); // 24
    expect(m.overview.repeat_rate).toBeCloseTo(24 / 30, 6);
    // as_of = last_order + days_since_last; the fixture was written as of 2024-06-30.
    expect(m.overview.as_of).toBe('2024-06-30');
    expect(m.overview.period_start).toBe(col('first_order').sort()[0]);
    expect(m.overview.period_end).toBe(col('last_order').sort().at(-1));
  });

  it('pareto: Gini by the mean-difference formula, top 20 % = top 6 customers', () => {
    const x = nums('revenue').map((v) => Math.max(0, v)); // C022 has −15 → 0
    const mu = sum(x) / x.length;
    let s = 0;
    for (const a of x) for (const b of x) s += Math.abs(a - b);
    expect(m.pareto!.gini).toBeCloseTo(s / (2 * 30 * 30 * mu), 6);
    const top6 = [...x].sort((a, b) => b - a).slice(0, 6);
    expect(m.pareto!.top20.customers).toBe(6);
    expect(m.pareto!.top20.revenue).toBeCloseTo(sum(top6), 6); // 6120.8+4810.5+3900+3310+2950+2480 = 23,571.30
    expect(m.pareto!.top20.revenue).toBeCloseTo(23571.3, 6);
    expect(m.pareto!.top20.share).toBeCloseTo(23571.3 / sum(x), 6);
    const a = m.pareto!.abc!.find((c) => c.class === 'A')!;
    expect(a.customers).toBe(col('abc_class').filter((c) => c === 'A').length); // 9
    expect(sum(m.pareto!.abc!.map((c) => c.customers))).toBe(30);
  });

  it('pyramid and 11-segment counts match the columns', () => {
    for (const tier of ['vip', 'key', 'medium', 'ordinary']) {
      expect(m.pyramid!.find((t) => t.tier === tier)!.customers).toBe(col('value_tier').filter((v) => v === tier).length);
    }
    const seg = m.rfm.segments11!;
    expect(seg.map((s) => s.key)).toEqual(['champions', 'loyal', 'potential_loyalist', 'new', 'promising', 'need_attention', 'about_to_sleep', 'at_risk', 'cant_lose', 'hibernating', 'lost']);
    const champions = ROWS.filter((r) => r[HEADER!.indexOf('rfm_segment')] === 'Champions');
    expect(seg[0]!.customers).toBe(champions.length); // 4: C001, C002, 客户-张三, C030
    expect(seg[0]!.revenue).toBeCloseTo(4810.5 + 2950 + 3310 + 6120.8, 6);
    expect(seg[0]!.mean_days_since_last).toBeCloseTo((6 + 12 + 3 + 1) / 4, 6);
    expect(seg[0]!.action!.zh.length).toBeGreaterThan(0);
    expect(sum(seg.map((s) => s.revenue_share!))).toBeCloseTo(1, 5);
  });

  it('zh8 computed against the means (R: days_since_last < mean, F/M: > mean)', () => {
    const z = m.rfm.zh8!;
    expect(z.source).toBe('computed');
    expect(z.means!.days_since_last).toBeCloseTo(sum(nums('days_since_last')) / 30, 6);
    expect(z.means!.orders).toBeCloseTo(220 / 30, 6);
    // Recount by hand from the columns.
    const dsl = nums('days_since_last'), o = nums('orders'), rev = nums('revenue');
    const md = sum(dsl) / 30, mo = 220 / 30, mr = sum(rev) / 30;
    const iv = dsl.filter((_, i) => dsl[i]! < md && o[i]! > mo && rev[i]! > mr).length;
    expect(z.segments.find((s) => s.key === 'important_value')!.customers).toBe(iv); // 5
    expect(sum(z.segments.map((s) => s.customers))).toBe(30);
  });

  it('R×F heatmap counts', () => {
    const h = m.rfm.heatmap!;
    expect(sum(h.counts.flat())).toBe(30);
    // R5 F5: C001 (555), C002 (554), C030 (555) → 3, mean (4810.5 + 2950 + 6120.8) / 3.
    expect(h.counts[4]![4]).toBe(3);
    expect(h.mean_revenue[4]![4]).toBeCloseTo((4810.5 + 2950 + 6120.8) / 3, 6);
    expect(h.mean_revenue[3]![1]).toBeNull(); // R4 F2 empty
  });

  it('clusters: sizes, labels, sample of every point (30 ≤ 2,000)', () => {
    const c = m.clusters!;
    expect(c.profiles.map((p) => [p.cluster, p.label, p.customers])).toEqual([
      [1, 'high value', nums('cluster').filter((k) => k === 1).length],
      [2, 'developing', nums('cluster').filter((k) => k === 2).length],
      [3, 'low value', nums('cluster').filter((k) => k === 3).length],
    ]);
    expect(c.silhouette).toBe(0.61);
    expect(c.sample.length).toBe(30);
  });

  it('sleeping: per-state counts and the call list by value at risk', () => {
    const s = m.sleeping!;
    for (const st of ['active', 'drowsy', 'half-asleep', 'deep-sleep', 'lost']) {
      expect(s.states.find((x) => x.state === st)!.customers).toBe(col('sleep_state').filter((v) => v === st).length);
    }
    expect(s.sleeping_customers).toBe(30 - col('sleep_state').filter((v) => v === 'active').length); // 16
    expect(s.value_at_risk).toBeCloseTo(sum(nums('value_at_risk')), 6);
    // value_at_risk = revenue·(1 − p_alive): C016 3900·0.92 = 3588, C017 2480·0.88 = 2182.4, C014 1850·0.75 = 1387.5.
    expect(s.call_list.map((r) => r.customer_id)).toEqual(['C016', 'C017', 'C014', 'C015', 'C028']);
    expect(s.call_list[0]!.value_at_risk).toBeCloseTo(3588, 6);
  });

  it('clv: total, histogram and churn bands', () => {
    const c = m.clv!;
    expect(c.total).toBeCloseTo(sum(nums('clv')), 6);
    expect(sum(c.histogram.map((b) => b.customers))).toBe(30);
    expect(c.top[0]!.customer_id).toBe('C030'); // largest clv: 0.99·7.5·204.03 = 1514.92
    expect(c.churn!.find((b) => b.band === 'high')!.customers).toBe(col('churn_risk').filter((v) => v === 'high').length);
  });

  it('data quality from the nested audit', () => {
    const q = m.data_quality!;
    expect(q.rows_read).toBe(620);
    expect(q.rows_rejected).toBe(12 + 7 + 1);
    expect(q.rejected[0]).toEqual({ reason: 'bad_date', rows: 12 });
    expect(q.rows_removed).toBe(9 + 6 + 3);
    expect(q.rejected_rate).toBeCloseTo(20 / 620, 12);
    expect(q.removed_rate).toBeCloseTo(18 / 600, 12);
  });

  it('changes against the previous table', () => {
    const c = m.changes!;
    // Absent before: C007, C008, 客户-张三, <script>…, =HYPERLINK(…); gone now: P031, P032.
    expect(c.new_customers.customers).toBe(5);
    expect(c.lost_from_table.customers).toBe(2);
    expect(c.lost_from_table.top.map((p) => p.customer_id)).toEqual(['P032', 'P031']); // by revenue 1300 > 240
    expect(c.in_both).toBe(25);
    expect(sum(c.migration.counts.flat())).toBe(25);
    // Active before, sleeping now: C010, C011 (drowsy), C014 (deep-sleep), C028 (half-asleep).
    expect(c.newly_sleeping.customers).toBe(4);
    // vip/key/A now at risk (deep/lost or churn high), not before: C014, C016 (half-asleep/medium → lost), C028 (churn low → high).
    expect(c.high_value_at_risk.top.map((p) => p.customer_id).sort()).toEqual(['C014', 'C016', 'C028']);
    const loyal = c.migration.from.indexOf('loyal');
    const needAttention = c.migration.to.indexOf('need_attention');
    expect(c.migration.counts[loyal]![needAttention]).toBe(1); // C010
  });

  it('the previous table read with only PREVIOUS_TABLE_FIELDS gives the same changes', () => {
    const [header, ...rows] = fixtureRows('customers_previous.csv');
    const h = header!;
    // Also a previous table where the customers now at risk were already at churn risk high:
    // they drop out of high_value_at_risk only if the lean table keeps churn_risk.
    const churned = rows.map((r) => (['C014', 'C016', 'C028'].includes(r[0]!) ? r.map((c, k) => (h[k] === 'churn_risk' ? 'high' : c)) : r));
    for (const prevRows of [rows, churned]) {
      const lean = new CustomerTableBuilder(h, 16, PREVIOUS_TABLE_FIELDS.numeric, PREVIOUS_TABLE_FIELDS.text);
      for (const r of prevRows) lean.add(r);
      const leanTable = lean.finish();
      expect(leanTable.present.has('sleepReason') || leanTable.present.has('clusterLabel') || leanTable.present.has('clv')).toBe(false);
      const opts = { lang: 'en' as const, top: 5, generatedBy: 'custkit test' };
      const full = buildReport(fixtureTable('customers_small.csv'), { ...opts, previous: readCustomerTable(h, prevRows) });
      expect(full.changes!.high_value_at_risk.customers).toBe(prevRows === rows ? 3 : 0);
      expect(buildReport(fixtureTable('customers_small.csv'), { ...opts, previous: leanTable }).changes).toEqual(full.changes);
    }
  });

  it('metrics are flat, rounded and complete for a full report', () => {
    const x = metrics(m);
    expect(x.customers).toBe(30);
    expect(x.sleeping_share).toBeCloseTo(16 / 30, 6);
    expect(x.rejected_rate).toBeCloseTo(20 / 620, 6);
    expect(x.new_customers).toBe(5);
    expect(x.high_value_newly_at_risk).toBe(3);
    expect(m.meta.sections).toEqual(['overview', 'pareto', 'pyramid', 'rfm', 'clusters', 'sleeping', 'clv', 'data_quality', 'changes']);
  });
});

describe('buildReport edge cases', () => {
  const base = ['customer_id', 'orders', 'purchase_days', 'revenue', 'first_order', 'last_order', 'days_since_last'];

  it('a bare segment table gives only the always-present sections; zh8 from the table is used as is', () => {
    const tab = readCustomerTable([...base, 'rfm_segment'], [
      ['a', '1', '1', '10', '2024-01-01', '2024-01-01', '9', '重要价值客户'],
      ['b', '2', '2', '30', '2024-01-01', '2024-01-05', '5', '一般挽留客户'],
    ]);
    const m = buildReport(tab, { lang: 'zh', top: 3, generatedBy: 'x' });
    expect(m.meta.sections).toEqual(['overview', 'pareto', 'rfm']);
    expect(m.rfm.segments11).toBeNull();
    expect(m.rfm.zh8!.source).toBe('table');
    expect(m.rfm.zh8!.segments.find((s) => s.key === 'important_value')!.customers).toBe(1);
    expect(m.overview.as_of).toBe('2024-01-10');
    expect(metrics(m).clv_total).toBeUndefined();
  });

  it('an empty table does not fail; --as-of overrides; bad options are usage errors', () => {
    const m = buildReport(readCustomerTable(base, []), { lang: 'en', top: 5, generatedBy: 'x', asOf: '2024-02-29' });
    expect(m.overview.customers).toBe(0);
    expect(m.overview.period_start).toBeNull();
    expect(m.overview.as_of).toBe('2024-02-29');
    expect(m.pareto!.gini).toBe(0);
    expect(() => buildReport(fixtureTable('customers_small.csv'), { lang: 'en', top: 5, generatedBy: 'x', asOf: '2024-02-30' })).toThrow(/--as-of/);
    expect(() => buildReport(fixtureTable('customers_small.csv'), { lang: 'en', top: -1, generatedBy: 'x' })).toThrow(/--top/);
  });
});

describe('previousRows', () => {
  /** The definition: the last row of the previous table holding the id, or −1. */
  const reference = (cur: string[], prev: string[]): number[] => cur.map((id) => prev.lastIndexOf(id));
  const ids = fc.array(fc.constantFrom('a', 'b', 'B', 'c', '10', '9', 'é', '客户', '\u{1f600}', 'z '), { maxLength: 12 });
  it('matches ids by merging sorted tables and by lookup otherwise', () => {
    fc.assert(
      fc.property(ids, ids, fc.boolean(), (c, p, sort) => {
        const uniq = (a: string[]): string[] => [...new Set(a)];
        const cur = sort ? uniq(c).sort() : c;
        const prev = sort ? uniq(p).sort() : p;
        expect([...previousRows(cur, prev)]).toEqual(reference(cur, prev));
      }),
      { numRuns: 500 },
    );
  });
  it('merges sorted tables of different lengths and disjoint ranges', () => {
    expect([...previousRows(['a', 'c', 'e'], ['b', 'c', 'd', 'e', 'f'])]).toEqual([-1, 1, 3]);
    expect([...previousRows(['x', 'y'], ['a', 'b'])]).toEqual([-1, -1]);
    expect([...previousRows([], ['a'])]).toEqual([]);
    expect([...previousRows(['b', 'a'], ['a', 'b', 'a'])]).toEqual([1, 2]); // unsorted, duplicates: the last row
  });
});

describe('silhouette without segment facts (report after segment, fixed or auto k)', () => {
  const table = (rows: string[][]) =>
    readCustomerTable(['customer_id', 'orders', 'purchase_days', 'revenue', 'last_order', 'days_since_last', 'cluster', 'cluster_label'], rows.map((r) => [r[0]!, r[1]!, ...r.slice(1)]));

  it('is recomputed from the table: identical points within two clusters → silhouette 1', () => {
    // a = 0 inside each cluster, b > 0 to the other: s = (b − 0) / b = 1 for every customer.
    const m = buildReport(table([
      ['a', '10', '1000', '2024-06-25', '5', '1', 'recent'],
      ['b', '10', '1000', '2024-06-25', '5', '1', 'recent'],
      ['c', '1', '10', '2023-09-04', '300', '2', 'lapsed'],
      ['d', '1', '10', '2023-09-04', '300', '2', 'lapsed'],
    ]), { lang: 'en', top: 5, generatedBy: 't' });
    expect(m.clusters!.silhouette).toBe(1);
  });

  it('one cluster has no silhouette (n/a)', () => {
    const m = buildReport(table([['a', '1', '10', '2024-06-25', '5', '1', 'x'], ['b', '2', '20', '2024-06-25', '5', '1', 'x']]), { lang: 'en', top: 5, generatedBy: 't' });
    expect(m.clusters!.silhouette).toBeNull();
  });
});
