/**
 * The customer table module round trip: a table with every optional column (the zh8 map's
 * rfm_segment_en, kept attributes, the score columns, ids that need quotes) written by
 * customer-table-writer.ts and read back by customer-table-reader.ts gives every column's
 * values back. Summary and classification values are exact (the summaries hold money rounded
 * to 6 places, which formatMoney prints exactly); score values come back as printed (p_alive
 * and expected_orders to 6 places, money to 2: roundedValue). And `score` on the unscored
 * table writes the bytes of the table written with the scores (piped equals fused).
 */
import { readFileSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import type { AttributeCells } from '../../src/core/aggregate/customer-attributes.js';
import { makeSummary, type CustomerSummary } from '../../src/core/aggregate/customer-summary.js';
import { customerRowCells } from '../../src/core/customer-table/cells.js';
import { CUSTOMER_COLUMNS, NUMERIC_COLUMNS, SCORE_COLUMNS, SEGMENT_COLUMNS, SUMMARY_COLUMNS, TEXT_COLUMNS, columnKind } from '../../src/core/customer-table/schema.js';
import { roundedValue } from '../../src/core/money.js';
import { textAt } from '../../src/core/report/customer-record.js';
import { rfmScore } from '../../src/core/segment/rfm-scores.js';
import { csvLine } from '../../src/io/csv-format.js';
import { openSink } from '../../src/io/text-output.js';
import { loadCustomerTable, readSegmentTableForScoring } from '../../src/pipeline/customer-table-reader.js';
import { rowsHeader, writeCustomerTable, writeScoredTable, type CustomerRows } from '../../src/pipeline/customer-table-writer.js';
import { scoreCustomerTable, scoreInputFromSummaries } from '../../src/pipeline/score-stage.js';
import { scoreOptionsFrom } from '../../src/cli/stage-options/score.js';
import { segmentSummaries } from '../../src/pipeline/segment-stage.js';
import { segmentOptionsFrom } from '../../src/cli/stage-options/segment.js';
import { tempDir } from '../cli/cli-test-utils.js';

const tmp = tempDir('custkit-customer-table-');
afterAll(() => tmp.cleanup());

const asOf = 20_000;
/** 60 customers: one-time and repeat buyers, refunds, cents, ids that need quotes or look like formulas. */
const summaries: CustomerSummary[] = Array.from({ length: 60 }, (_, i) => {
  const days = 1 + ((i * 7) % 6);
  const first = 19_000 + ((i * 37) % 500);
  const last = Math.min(asOf, first + (days > 1 ? (i * 53) % 400 : 0));
  const revenue = Math.round(days * (999 + ((i * 104729) % 20_000))) / 100 - (i % 11 === 0 ? 12.5 : 0);
  const id = i === 1 ? 'a,"b"' : i === 2 ? '=1+1' : i === 3 ? '客户 3' : `c${String(i).padStart(3, '0')}`;
  return makeSummary(id, days + (i % 3), days, revenue, first, last, asOf, days > 1 ? revenue * 0.6 : null);
});
/** Two kept attributes: text that needs quotes, and a number. */
const attributes: AttributeCells = {
  specs: [{ name: 'channel', rule: 'last' }, { name: 'discount', rule: 'sum' }] as AttributeCells['specs'],
  text: (k, i) => (k === 0 ? ['web', 'shop, north', 'say "hi"', ''][i % 4]! : String((i % 5) * 1.25)),
  isText: (k) => k === 0,
};
const seg = segmentSummaries(summaries, segmentOptionsFrom({ segments: 'zh8', k: '3' }));
const scores = scoreCustomerTable(scoreInputFromSummaries(summaries), scoreOptionsFrom({}));
const rows: CustomerRows = { summaries, seg, attributes, scores };

async function written(name: string, t: CustomerRows): Promise<string> {
  const path = tmp.path(name);
  const sink = openSink(path);
  await writeCustomerTable(sink, t);
  await sink.close();
  return path;
}

describe('the customer table schema', () => {
  it('lays out summary, classification and score columns once, each with a kind', () => {
    expect(SUMMARY_COLUMNS).toEqual(['customer_id', 'orders', 'purchase_days', 'revenue', 'avg_order_value', 'first_order', 'last_order', 'days_since_last', 'tenure_days', 'mean_interval_days', 'frequency', 'recency', 'T', 'repeat_avg_value']);
    expect(SEGMENT_COLUMNS).toHaveLength(12);
    expect(SCORE_COLUMNS).toEqual(['p_alive', 'expected_orders', 'expected_avg_value', 'clv', 'historic_value', 'churn_risk', 'value_at_risk']);
    expect(NUMERIC_COLUMNS.length + TEXT_COLUMNS.length + 1).toBe(CUSTOMER_COLUMNS.length);
    expect([columnKind('revenue'), columnKind('first_order'), columnKind('p_alive'), columnKind('r_score'), columnKind('channel')]).toEqual(['money', 'date', 'percent', 'integer', 'text']);
  });
});

describe('the customer table round trip', () => {
  it('writes every column as its text cells and reads every value back', async () => {
    const header = rowsHeader(rows);
    expect(header).toEqual([...SUMMARY_COLUMNS, ...SEGMENT_COLUMNS.slice(0, 7), 'rfm_segment_en', ...SEGMENT_COLUMNS.slice(7), 'channel', 'discount', ...SCORE_COLUMNS]);
    const path = await written('scored.csv', rows);
    const text = readFileSync(path, 'utf8');
    expect(text).toBe(csvLine(header) + summaries.map((_, i) => csvLine(customerRowCells(summaries, seg, i, attributes, scores))).join(''));

    const all = { numeric: new Set(NUMERIC_COLUMNS.map((c) => c[0])), text: new Set(TEXT_COLUMNS.map((c) => c[0])) };
    const t = await loadCustomerTable(path, all, ['channel', 'discount']);
    expect(t.length).toBe(60);
    expect(t.ids).toEqual(summaries.map((s) => s.customerId));
    expect([...t.present].sort()).toEqual([...all.numeric, ...all.text].sort());
    const n = (v: number | null): number => (v === null ? NaN : v);
    const want: Record<string, (i: number) => number> = {
      orders: (i) => summaries[i]!.orders,
      purchaseDays: (i) => summaries[i]!.purchaseDays,
      revenue: (i) => summaries[i]!.revenue,
      avgOrderValue: (i) => summaries[i]!.avgOrderValue,
      firstOrder: (i) => n(summaries[i]!.firstDay),
      lastOrder: (i) => summaries[i]!.lastDay,
      daysSinceLast: (i) => summaries[i]!.daysSinceLast,
      tenureDays: (i) => n(summaries[i]!.tenureDays),
      meanIntervalDays: (i) => n(summaries[i]!.meanIntervalDays),
      frequency: (i) => summaries[i]!.frequency,
      recency: (i) => n(summaries[i]!.recency),
      T: (i) => n(summaries[i]!.T),
      repeatAvgValue: (i) => n(summaries[i]!.repeatAvgValue),
      rScore: (i) => seg.rfm!.r[i]!,
      fScore: (i) => seg.rfm!.f[i]!,
      mScore: (i) => seg.rfm!.m[i]!,
      rfmScore: (i) => rfmScore(seg.rfm!.r[i]!, seg.rfm!.f[i]!, seg.rfm!.m[i]!),
      cluster: (i) => seg.clusters!.cluster[i]!,
      overdueFactor: (i) => seg.sleep!.overdueFactor[i]!,
      pAlive: (i) => roundedValue(scores.pAlive[i]!, 6),
      expectedOrders: (i) => roundedValue(scores.expectedOrders[i]!, 6),
      expectedAvgValue: (i) => roundedValue(scores.expectedAvgValue[i]!, 2),
      clv: (i) => roundedValue(scores.clv[i]!, 2),
      historicValue: (i) => roundedValue(scores.historicValue[i]!, 2),
      valueAtRisk: (i) => roundedValue((1 - roundedValue(scores.pAlive[i]!, 6)) * roundedValue(scores.clv[i]!, 2), 2),
    };
    expect(Object.keys(want).sort()).toEqual([...all.numeric].sort());
    for (const [key, f] of Object.entries(want)) {
      const col = t.num[key as keyof typeof t.num];
      for (let i = 0; i < 60; i++) if (!Object.is(col[i], f(i))) expect([key, i, col[i]]).toEqual([key, i, f(i)]);
    }
    const wantText: Record<string, (i: number) => string> = {
      abcClass: (i) => seg.abcClass![i]!,
      valueTier: (i) => seg.valueTier![i]!,
      rfmSegment: (i) => seg.rfmSegment![i]!,
      rfmSegmentEn: (i) => seg.rfmSegmentEn![i]!,
      clusterLabel: (i) => seg.clusters!.profiles[seg.clusters!.cluster[i]! - 1]!.label,
      sleepState: (i) => seg.sleep!.state[i]!,
      sleepReason: (i) => seg.sleep!.reasonAt(i),
      churnRisk: (i) => scores.churnRiskAt(i),
    };
    expect(Object.keys(wantText).sort()).toEqual([...all.text].sort());
    for (const [key, f] of Object.entries(wantText)) {
      const col = t.txt[key as keyof typeof t.txt];
      for (let i = 0; i < 60; i++) expect([key, i, textAt(col, i) ?? '']).toEqual([key, i, f(i)]);
    }
    for (const [k, name] of ['channel', 'discount'].entries()) {
      for (let i = 0; i < 60; i++) expect([name, i, textAt(t.attrs![name]!, i) ?? '']).toEqual([name, i, attributes.text(k, i)]);
    }
    // Every cell kind is exercised: a refund, an id that needs quotes, p_alive and churn risk present.
    expect(text).toContain('"a,""b"""');
    expect(text).toContain('"shop, north"');
    expect(summaries.some((s) => s.revenue < 0) && seg.rfmSegmentEn !== null).toBe(true);
  });

  it('reads a segment table back for scoring, and `score` then writes the scored table byte for byte', async () => {
    const path = await written('segment.csv', { summaries, seg, attributes });
    const t = await readSegmentTableForScoring(path);
    expect(t.header).toEqual(rowsHeader({ summaries, seg, attributes }));
    expect(t.noAmounts).toBe(false);
    expect(t.input).toEqual(scoreInputFromSummaries(summaries));
    const out = tmp.path('scored-by-score.csv');
    const sink = openSink(out);
    await writeScoredTable(sink, t.header, t.lines, scoreCustomerTable(t.input, scoreOptionsFrom({})));
    await sink.close();
    expect(readFileSync(out, 'utf8')).toBe(readFileSync(await written('fused.csv', rows), 'utf8'));
  });
});
