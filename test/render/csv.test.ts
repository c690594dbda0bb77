import { describe, it, expect } from 'vitest';
import { parse } from 'csv-parse/sync';
import { fixtureModel } from './report-fixture.js';
import { renderCsv } from '../../src/render/csv.js';
import { neutraliseText, spreadsheetCell } from '../../src/render/spreadsheet-safe.js';

describe('spreadsheet-safe cells', () => {
  it('guards text starting with = + - @ TAB CR, never numbers', () => {
    expect(neutraliseText('=HYPERLINK("x")')).toBe('\'=HYPERLINK("x")');
    expect(neutraliseText('+1')).toBe("'+1");
    expect(neutraliseText('-2')).toBe("'-2"); // text that looks numeric is still text
    expect(neutraliseText('@SUM(A1)')).toBe("'@SUM(A1)");
    expect(neutraliseText('\tx')).toBe("'\tx");
    expect(neutraliseText('\rx')).toBe("'\rx");
    expect(neutraliseText('a=b')).toBe('a=b');
    expect(spreadsheetCell(-12.5)).toBe('-12.5');
    expect(spreadsheetCell(null)).toBe('');
  });
});

describe('renderCsv', () => {
  const m = fixtureModel('zh');

  it('--excel starts with a UTF-8 BOM and writes Chinese names as UTF-8', () => {
    const csv = renderCsv(m, { bom: true });
    const bytes = Buffer.from(csv, 'utf8');
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    // 冠军客户 in UTF-8: E5 86 A0 E5 86 9B E5 AE A2 E6 88 B7
    expect(bytes.includes(Buffer.from([0xe5, 0x86, 0xa0, 0xe5, 0x86, 0x9b, 0xe5, 0xae, 0xa2, 0xe6, 0x88, 0xb7]))).toBe(true);
    expect(renderCsv(m).charCodeAt(0)).not.toBe(0xfeff);
  });

  it('neutralises a formula-like customer id, keeps negative numbers numeric, one table column', () => {
    const csv = renderCsv(m);
    const rows = parse(csv, { relax_column_count: true }) as string[][];
    const newCustomers = rows.filter((r) => r[0] === 'new_customers');
    expect(newCustomers.map((r) => r[1])).toContain('\'=HYPERLINK("x")');
    expect(csv).not.toMatch(/(^|,)=HYPERLINK/m);
    // C022 has revenue −15 and is in the lost segment; a negative number is not guarded.
    expect(csv).not.toContain("'-15");
    const tables = new Set(rows.filter((r) => r[0] !== 'table').map((r) => r[0]));
    expect([...tables]).toEqual(expect.arrayContaining(['overview', 'rfm_segments11', 'rfm_zh8', 'pyramid', 'sleep_states', 'call_list', 'segment_migration']));
    // Segment rows carry raw numbers: 冠军客户 row → 4 customers, revenue 17191.3.
    const champ = rows.find((r) => r[0] === 'rfm_segments11' && r[1] === '冠军客户')!;
    expect(champ.slice(2, 5)).toEqual(['4', '0.133333', '17191.3']);
    expect(csv.endsWith('\r\n')).toBe(true);
  });

  it('can limit to chosen tables', () => {
    const rows = parse(renderCsv(m, { tables: ['pyramid'] })) as string[][];
    expect(rows.length).toBe(1 + 4); // header + 4 tiers
    expect(rows[1]![1]).toBe('VIP 客户');
  });
});
