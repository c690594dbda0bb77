import { describe, expect, it } from 'vitest';
import { csvLine, guardText, quoteCell, safeCsvLine, spreadsheetSafe, excelIdText } from '../../src/io/csv-format.js';

describe('CSV cell formatting', () => {
  it('quotes only when needed (RFC 4180) and doubles quotes', () => {
    expect(quoteCell('plain')).toBe('plain');
    expect(quoteCell('a,b')).toBe('"a,b"');
    expect(quoteCell('say "hi"')).toBe('"say ""hi"""');
    expect(quoteCell('two\nlines')).toBe('"two\nlines"');
    expect(csvLine(['a', '', 'c'])).toBe('a,,c\n');
  });
  it('--excel ids: ids a spreadsheet would turn into numbers or dates become ="…", formulas are guarded, the rest stay', () => {
    for (const id of ['000123', '007', '123456789012', '123456789012345678', '1E5', '1.10', '3/4', '2024-01-02', '12:30', '.5']) {
      expect(excelIdText(id), id).toBe(`="${id}"`);
    }
    for (const id of ['0', '42', '12345678901', 'C001', 'ab-1', '客户7']) expect(excelIdText(id), id).toBe(id);
    expect(excelIdText('=1+1')).toBe("'=1+1");
    expect(excelIdText('+8613812345678')).toBe("'+8613812345678");
    // The CSV cell that Excel and LibreOffice read as the text 000123:
    expect(quoteCell(excelIdText('000123'))).toBe('"=""000123"""');
  });

  it('neutralises formula injection in people-facing cells (OWASP CSV injection)', () => {
    expect(spreadsheetSafe('=HYPERLINK("x")')).toBe('\'=HYPERLINK("x")');
    expect(spreadsheetSafe('+86 555')).toBe("'+86 555");
    expect(spreadsheetSafe('@SUM(A1)')).toBe("'@SUM(A1)");
    expect(spreadsheetSafe('\tx')).toBe("'\tx");
    expect(spreadsheetSafe('\rx')).toBe("'\rx");
    expect(spreadsheetSafe('-cmd|calc')).toBe("'-cmd|calc");
    // plain numbers are data, not formulas
    expect(spreadsheetSafe('-12.5')).toBe('-12.5');
    expect(spreadsheetSafe('1e-7')).toBe('1e-7');
    expect(spreadsheetSafe('Champions')).toBe('Champions');
    // a text cell known to be text is guarded even when it looks like a number
    expect(guardText('-12')).toBe("'-12");
    expect(safeCsvLine(['=1+1', 'ok', '-3'])).toBe("'=1+1,ok,-3\n");
  });
});
