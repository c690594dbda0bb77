import { describe, it, expect } from 'vitest';
import { fixtureModel, fixtureTable } from './report-fixture.js';
import { renderHtml, escapeHtml } from '../../src/render/html.js';
import { renderTable, wrapText } from '../../src/render/table.js';
import { buildReport } from '../../src/core/report/build-report.js';
import { readCustomerTable } from '../../src/core/report/customer-record.js';
import { displayWidth } from '../../src/render/format.js';

describe('renderHtml', () => {
  it('escapes every data text: a <script> customer id becomes inert text', () => {
    expect(escapeHtml(`<a href="x">'&'</a>`)).toBe('&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;');
    const html = renderHtml(fixtureModel('en'));
    expect(html).not.toContain('<script');
    expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(html).toContain('=HYPERLINK(&quot;x&quot;)');
  });

  it('is self-contained, sets lang, and has print CSS', () => {
    const en = renderHtml(fixtureModel('en'));
    const zh = renderHtml(fixtureModel('zh'));
    expect(en).toMatch(/^<!DOCTYPE html>\n<html lang="en">/);
    expect(zh).toContain('<html lang="zh-CN">');
    expect(zh).toContain('客户分析报告');
    expect(en).toContain('@media print');
    // No network: the only URL is the SVG namespace.
    const urls = en.match(/(https?:)?\/\/[^\s"')]+/g) ?? [];
    expect(new Set(urls)).toEqual(new Set(['http://www.w3.org/2000/svg']));
    expect(en.match(/<svg /g)!.length).toBe(7);
  });

  it('stays small for many customers: scatter sampled to 2,000 points', () => {
    const header = ['customer_id', 'orders', 'purchase_days', 'revenue', 'first_order', 'last_order', 'days_since_last', 'cluster', 'sleep_state'];
    const rows = Array.from({ length: 50_000 }, (_, i) => [`c${i}`, String(1 + (i % 9)), '1', String((i * 7919) % 5000), '2024-01-01', '2024-02-01', String(i % 400), String(1 + (i % 4)), i % 3 ? 'active' : 'lost']);
    const m = buildReport(readCustomerTable(header, rows), { lang: 'en', top: 20, generatedBy: 'x' });
    expect(m.clusters!.sample.length).toBe(2000);
    // Deterministic: the same input gives the same sample.
    const again = buildReport(readCustomerTable(header, rows), { lang: 'en', top: 20, generatedBy: 'x' });
    expect(again.clusters!.sample).toEqual(m.clusters!.sample);
    const html = renderHtml(m);
    expect(html.length).toBeLessThan(2_000_000);
    expect(html.match(/<circle /g)!.length).toBe(2000 + 1); // scatter points + the Lorenz top-20 % marker
  });
});

describe('renderTable', () => {
  it('fits 80 columns and writes no escape codes without colour', () => {
    const out = renderTable(fixtureModel('en'), { color: false });
    for (const line of out.split('\n')) expect(displayWidth(line)).toBeLessThanOrEqual(80);
    expect(out).not.toMatch(/\u001b\[/);
    expect(out).toContain('34,458.70');
  });

  it('colours headings only when asked', () => {
    const out = renderTable(fixtureModel('zh'), { color: true });
    expect(out).toMatch(/\u001b\[1m客户分析报告/);
    const table = buildReport(fixtureTable('customers_small.csv'), { lang: 'zh', top: 3, generatedBy: 'x' });
    for (const line of renderTable(table, { color: false, width: 100 }).split('\n')) expect(displayWidth(line)).toBeLessThanOrEqual(100);
  });
});

describe('wrapText', () => {
  it('wraps at spaces, and CJK between characters', () => {
    expect(wrapText('aaa bbb ccc', 7)).toEqual(['aaa bbb', 'ccc']);
    expect(wrapText('前20%的客户贡献了', 10)).toEqual(['前20%的客', '户贡献了']); // 前=2, 20%=3, 的=2, 客=2 → 9; +户 would be 11
  });
});
