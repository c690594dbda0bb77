import { describe, it, expect } from 'vitest';
import { addClusters, classifyCustomers } from '../../../src/core/segment/classify.js';
import { segmentCells } from '../../../src/core/customer-table/cells.js';
import { SEGMENT_COLUMNS } from '../../../src/core/customer-table/schema.js';
import { clusterFeatures, fitClusters, standardizedFeatures } from '../../../src/core/segment/customer-clusters.js';
import { validateSegmentMap, type CompiledSegmentMap } from '../../../src/core/segment/rfm-segments.js';
import { makeSummary, type CustomerSummary } from '../../../src/core/aggregate/customer-summary.js';
import { HAS_SHARED, SKIP_SHARED_REASON } from '../../helpers/shared.js';
import { rfmOrders } from './reference-data.js';

/** Ten customers: revenue 100·(10 − i), orders 10 − i, last purchase i·20 days before as-of 500. */
const ten: CustomerSummary[] = Array.from({ length: 10 }, (_, i) =>
  makeSummary(`c${i}`, 10 - i, 10 - i, 100 * (10 - i), 100, 500 - 20 * i, 500, null),
);

describe('classifyCustomers', () => {
  it('all classifications: columns in order and the cells of the best customer', () => {
    const r = classifyCustomers(ten, { kmeans: { k: 2, seed: 1 } });
    expect(r.columns).toEqual([...SEGMENT_COLUMNS]);
    // c0: revenue 1000 of 5,500 → ABC A (first); pyramid n = 10 → VIP = ceil(0.1) = 1 customer; days since last 0 → best R;
    // orders 10 and revenue 1000 are the maxima → F = M = 5 → 555 Champions; cluster 1 = highest revenue;
    // c0 mean interval (400/9) and days since last 0 → factor 0 → active
    const c0 = segmentCells(r, 0);
    expect(c0.slice(0, 7)).toEqual(['A', 'vip', '5', '5', '5', '555', 'Champions']);
    expect(c0[7]).toBe('1');
    expect(c0.slice(9, 11)).toEqual(['active', '0']);
    expect(c0[11]).toMatch(/^cycle: 0× expected \d+ d < 1\.5$/);
    // counts: pyramid n = 10 → bounds ceil(0.1)=1, ceil(0.5)=1, ceil(2)=2 → 1 vip, 0 key, 1 medium, 8 ordinary
    expect(r.info.counts.pyramid).toEqual([['vip', 1], ['key', 0], ['medium', 1], ['ordinary', 8]]);
    // ABC on 1000…100 (total 5,500; 80 % = 4,400, 95 % = 5,225): values ranked before each customer
    // 0, 1000, 1900, 2700, 3400, 4000 → A ×6; 4500, 4900, 5200 → B ×3; 5400 → C
    expect(r.info.counts.abc).toEqual([['A', 6], ['B', 3], ['C', 1]]);
    expect(r.info.kmeans!.k).toBe(2);
    expect(r.info.counts.sleep!.map(([, n]) => n).reduce((a, b) => a + b, 0)).toBe(10);
  });

  it('classifying without k-means, then adding a fit of the clusters (run: fitted on a thread of its own) gives the same result', () => {
    // 400 customers of four kinds, so that k = 'auto' has a curve to choose from
    const s = Array.from({ length: 400 }, (_, i) => {
      const kind = i % 4;
      const orders = 1 + kind * 3 + (i % 3);
      return makeSummary(`c${String(i).padStart(3, '0')}`, orders, orders, 50 * (kind + 1) * orders + (i % 7), 10, 500 - 100 * kind - (i % 11), 500, orders > 1 ? 40 * orders : null);
    });
    for (const kmeans of [{ k: 'auto' as const, seed: 7 }, { k: 3, seed: 2, features: ['orders', 'tenure_days'] as const }]) {
      const opts = { kmeans: { ...kmeans, features: kmeans.features ? [...kmeans.features] : undefined } };
      const all = classifyCustomers(s, opts);
      const part = classifyCustomers(s, { ...opts, only: ['abc', 'pyramid', 'rfm', 'sleep'] });
      expect(part.clusters).toBeNull();
      expect(all.clusters!.k).toBeGreaterThan(1);
      const f = clusterFeatures(opts.kmeans);
      addClusters(part, s, fitClusters(standardizedFeatures(s, f), s.length, f.length, opts.kmeans), opts.kmeans);
      // (the sleep result holds a function of its own, compared by its values below)
      expect({ ...part, sleep: null }).toEqual({ ...all, sleep: null });
      expect({ ...part.sleep!, reasonAt: null }).toEqual({ ...all.sleep!, reasonAt: null });
      expect(part.clusters!.cluster).toEqual(all.clusters!.cluster);
      // printed in this order: the counts' keys as classifyCustomers sets them
      expect(Object.keys(part.info.counts)).toEqual(['abc', 'pyramid', 'rfm', 'cluster', 'sleep']);
      expect(Object.keys(part.info.counts)).toEqual(Object.keys(all.info.counts));
      for (let i = 0; i < s.length; i++) expect(segmentCells(part, i)).toEqual(segmentCells(all, i));
    }
  });

  it('only: unselected classifications leave empty cells', () => {
    const r = classifyCustomers(ten, { only: ['abc'] });
    expect(segmentCells(r, 9)).toEqual(['C', '', '', '', '', '', '', '', '', '', '', '']);
    expect(r.rfm).toBeNull();
  });

  it('zh8 adds rfm_segment_en right after rfm_segment', () => {
    const r = classifyCustomers(ten, { only: ['rfm'], rfm: { map: 'zh8' } });
    expect(r.columns.slice(6, 9)).toEqual(['rfm_segment', 'rfm_segment_en', 'cluster']);
    // c0: days 0 < mean 90, orders 10 > 5.5, revenue 1000 > 550 → 重要价值客户
    expect(segmentCells(r, 0).slice(6, 8)).toEqual(['重要价值客户', 'Important value']);
    expect(segmentCells(r, 9).slice(6, 8)).toEqual(['一般挽留客户', 'General win-back']);
    expect(r.info.zh8Centers).toEqual({ daysSinceLast: 90, orders: 5.5, revenue: 550 });
  });

  it('grid ABC, custom map and determinism', () => {
    const map = validateSegmentMap({ basis: 'r_fm', segments: [{ name: 'Hot', r: [3, 3] }, { name: 'Cold', r: [1, 2] }] }, 3) as CompiledSegmentMap;
    const o = { abc: { mode: 'grid' as const }, rfm: { bins: 3, map }, kmeans: { k: 3, seed: 4 } };
    const a = classifyCustomers(ten, o);
    expect(a.abcClass![0]).toBe('AA');
    expect(a.info.counts.rfm!.map(([k]) => k)).toEqual(['Hot', 'Cold']);
    const b = classifyCustomers(ten, o);
    const cells = (r: typeof a): string[][] => ten.map((_, i) => segmentCells(r, i));
    expect(cells(b)).toEqual(cells(a));
    expect(b.info).toEqual(a.info);
    expect(() => classifyCustomers(ten, { rfm: { bins: 5, map } })).toThrow('compiled for 3 bins');
  });
});

describe.skipIf(!HAS_SHARED)(HAS_SHARED ? 'classifyCustomers on rfm_data_orders.csv' : SKIP_SHARED_REASON, () => {
  it('R/F/M score counts equal REFERENCE §5 through the classify path and every customer gets a segment', () => {
    const r = classifyCustomers(rfmOrders(), { only: ['rfm'] });
    const cnt = (a: Uint8Array): number[] => [1, 2, 3, 4, 5].map((k) => a.filter((x) => x === k).length);
    expect(cnt(r.rfm!.r)).toEqual([197, 200, 199, 199, 200]);
    expect(r.info.counts.rfm!.reduce((a, [, n]) => a + n, 0)).toBe(995);
  });
});
