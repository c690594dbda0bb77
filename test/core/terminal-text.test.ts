/** escapeTerminal / quoteDatum (src/core/terminal-text.ts) and formatError, which prints through them. */
import { describe, expect, it } from 'vitest';
import { escapeKeepingColour, escapeTerminal, quoteDatum } from '../../src/core/terminal-text.js';
import { dataError } from '../../src/errors.js';
import { formatError } from '../../src/cli/error-report.js';
import { createMessages } from '../../src/io/messages.js';

describe('escapeTerminal', () => {
  it('shows C0, DEL and C1 controls as \\xHH (tab, newline, return by name)', () => {
    expect(escapeTerminal('a\x1b]0;pwned\x07b')).toBe('a\\x1B]0;pwned\\x07b');
    expect(escapeTerminal('\x1b[2J\x00\x7f\x9b\x85')).toBe('\\x1B[2J\\x00\\x7F\\x9B\\x85');
    expect(escapeTerminal('a\tb\nc\rd')).toBe('a\\tb\\nc\\rd');
  });
  it('shows bidi overrides, isolates and marks as <U+XXXX>', () => {
    expect(escapeTerminal('ab\u202Edc\u202C')).toBe('ab<U+202E>dc<U+202C>');
    expect(escapeTerminal('\u2066\u2067\u2068\u2069\u202A\u202B\u202D\u200E\u200F\u061C')).toBe(
      '<U+2066><U+2067><U+2068><U+2069><U+202A><U+202B><U+202D><U+200E><U+200F><U+061C>',
    );
  });
  it('leaves printable text, CJK and emoji alone', () => {
    const s = 'Customer 重要价值客户 café ✓ 😀 \\x1B';
    expect(escapeTerminal(s)).toBe(s);
  });
  it('can keep line breaks, and custkit\'s own colours', () => {
    expect(escapeTerminal('a\nb\x1b', true)).toBe('a\nb\\x1B');
    expect(escapeKeepingColour('\x1b[33mwarning\x1b[39m id \x1b]0;t\x07')).toBe('\x1b[33mwarning\x1b[39m id \\x1B]0;t\\x07');
  });
});

describe('quoteDatum', () => {
  it('caps a datum at 200 characters plus "…", escaped', () => {
    expect(quoteDatum('x'.repeat(200))).toBe('x'.repeat(200));
    expect(quoteDatum('x'.repeat(50_000_000))).toBe('x'.repeat(200) + '…');
    expect(quoteDatum('\x1b'.repeat(300))).toBe('\\x1B'.repeat(200) + '…');
  });
  it('does not split a surrogate pair', () => {
    expect(quoteDatum('a' + '😀'.repeat(10), 4)).toBe('a😀…');
  });
});

describe('formatError', () => {
  it('escapes control characters in the location, message and hint', () => {
    const line = formatError(dataError('bad id "\x1b[2J"', { file: 'a\x1b]0;t\x07.csv', line: 3, column: 'id\u202E' }, 'see \x9b'));
    expect(line).toBe('custkit: a\\x1B]0;t\\x07.csv:3:id<U+202E>: bad id "\\x1B[2J" (hint: see \\x9B)');
  });
  it('caps a message that quotes an unbounded datum', () => {
    const line = formatError(dataError(`no column among [${'h'.repeat(1_000_000)}]`));
    expect(line.length).toBeLessThan(1100);
    expect(line.endsWith('…')).toBe(true);
  });
});

describe('messages', () => {
  it('escapes data in notes, warnings and errors', () => {
    let out = '';
    const m = createMessages({ stream: { write: (s: string) => ((out += s), true), isTTY: false } as unknown as NodeJS.WritableStream, env: { NO_COLOR: '1' } });
    m.note('read a\x1b]0;t\x07.csv\nline two');
    m.warn('id \u202Eabc');
    m.error('x\x1b[2J');
    expect(out).toBe('read a\\x1B]0;t\\x07.csv\nline two\nwarning: id <U+202E>abc\nx\\x1B[2J\n');
  });
  it('cuts a line of a note at 2000 characters (a note naming a 5 MB header)', () => {
    let out = '';
    const m = createMessages({ stream: { write: (s: string) => ((out += s), true), isTTY: false } as unknown as NodeJS.WritableStream, env: { NO_COLOR: '1' } });
    m.note(`mapping: customer_id←${'h'.repeat(5_000_000)}\nnext`);
    expect(out).toBe(`mapping: customer_id←${'h'.repeat(2000 - 'mapping: customer_id←'.length)}…\nnext\n`);
  });
});
