import { describe, expect, it } from 'vitest';
import { csvLine, guardText, quoteCell, safeCsvLine, spreadsheetSafe } from '../../src/io/csv-format.js';

describe('CSV cell formatting', () => {
  it('quotes only when needed (RFC 4180) and doubles quotes', () => {
    expect(quoteCell('plain')).toBe('plain');
    expect(quoteCell('a,b')).toBe('"a,b"');
    expect(quoteCell('say "hi"')).toBe('"say ""hi"""');
    expect(quoteCell('two\nlines')).toBe('"two\nlines"');
    expect(csvLine(['a', '', 'c'])).toBe('a,,c\n');
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
