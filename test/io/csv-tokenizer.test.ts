/**
 * RFC 4180 cases, run against the fast tokenizer and against csv-parse (via readCsv with
 * parser 'csv-parse'); both must agree with the expected records written out by hand.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { CsvTokenizer, QUOTED_MAX_CHARS, QUOTED_MAX_LINES } from '../../src/io/csv-tokenizer.js';
import { readCsv, type CsvParser } from '../../src/io/csv-reader.js';
import type { TextInput } from '../../src/io/text-input.js';
import { csvLine } from '../../src/io/csv-format.js';

function textInput(chunks: string[]): TextInput {
  let bytes = 0;
  return {
    label: 'mem',
    encoding: 'utf-8',
    size: null,
    chunks: (async function* () {
      for (const c of chunks) {
        bytes += Buffer.byteLength(c);
        yield c;
      }
    })(),
    bytesRead: () => bytes,
  };
}

async function parseWith(parser: CsvParser, text: string, chunkSize = 0, delimiter: ',' | ';' = ','): Promise<[string[], number][]> {
  const chunks: string[] = [];
  if (chunkSize > 0) for (let i = 0; i < text.length; i += chunkSize) chunks.push(text.slice(i, i + chunkSize));
  else chunks.push(text);
  const rows: [string[], number][] = [];
  await readCsv(textInput(chunks), { delimiter, parser, onRow: (f, l) => rows.push([f, l]), onBroken: noBroken });
  return rows;
}

const noBroken = (): never => {
  throw new Error('unexpected broken quote');
};

type Event = ['row', string[], number, number, boolean] | ['broken', number, number, string, string, boolean];

/** Records and broken lines in order, as readCsv hands them over (chunks of `chunkSize` characters; 0: one chunk). */
async function eventsWith(parser: CsvParser, text: string, chunkSize = 0): Promise<Event[]> {
  const chunks: string[] = [];
  if (chunkSize > 0) for (let i = 0; i < text.length; i += chunkSize) chunks.push(text.slice(i, i + chunkSize));
  else chunks.push(text);
  const ev: Event[] = [];
  await readCsv(textInput(chunks), {
    delimiter: ',',
    parser,
    onRow: (f, l, n, u) => ev.push(['row', f, l, n, u]),
    onBroken: (b) => ev.push(['broken', b.line, b.lines, b.raw, b.detail, b.unterminated]),
  });
  return ev;
}

const CASES: { name: string; text: string; rows: string[][]; lines: number[] }[] = [
  { name: 'simple LF', text: 'a,b\n1,2\n', rows: [['a', 'b'], ['1', '2']], lines: [1, 2] },
  { name: 'CRLF and no final newline', text: 'a,b\r\n1,2', rows: [['a', 'b'], ['1', '2']], lines: [1, 2] },
  { name: 'empty fields', text: ',,\n1,,3\n', rows: [['', '', ''], ['1', '', '3']], lines: [1, 2] },
  { name: 'quoted delimiter', text: 'x,"a,b",y\n', rows: [['x', 'a,b', 'y']], lines: [1] },
  { name: 'doubled quotes', text: '"he said ""hi""",2\n', rows: [['he said "hi"', '2']], lines: [1] },
  { name: 'embedded newline', text: 'id,note\n1,"line one\nline two"\n2,x\n', rows: [['id', 'note'], ['1', 'line one\nline two'], ['2', 'x']], lines: [1, 2, 4] },
  { name: 'embedded CRLF', text: '1,"a\r\nb"\r\n2,c\r\n', rows: [['1', 'a\r\nb'], ['2', 'c']], lines: [1, 3] },
  { name: 'quoted empty', text: '"",x\n', rows: [['', 'x']], lines: [1] },
  { name: 'blank lines skipped', text: 'a\n\nb\n', rows: [['a'], ['b']], lines: [1, 3] },
  { name: 'unicode', text: '客户ID,金额\n张三,"¥1,234.50"\n', rows: [['客户ID', '金额'], ['张三', '¥1,234.50']], lines: [1, 2] },
];

for (const parser of ['fast', 'csv-parse'] as const) {
  describe(`RFC 4180 records (${parser})`, () => {
    for (const c of CASES) {
      it(c.name, async () => {
        for (const size of [0, 1, 3]) {
          const got = await parseWith(parser, c.text, size);
          expect(got.map((r) => r[0])).toEqual(c.rows);
          // csv-parse counts a CRLF inside quotes as two line breaks; its line numbers differ only there.
          if (!(parser === 'csv-parse' && c.name === 'embedded CRLF')) expect(got.map((r) => r[1])).toEqual(c.lines);
        }
      });
    }
    it('semicolon delimiter', async () => {
      const got = await parseWith(parser, 'a;b\n"1;2";3\n', 0, ';');
      expect(got.map((r) => r[0])).toEqual([['a', 'b'], ['1;2', '3']]);
    });
  });
}

describe('fast tokenizer', () => {
  it('splits whitespace-separated text (CDNOW layout)', () => {
    const rows: string[][] = [];
    const t = new CsvTokenizer('whitespace', (f) => rows.push(f));
    t.push(' 00001 19970101  1   11.77\r\n 00002 19970112  1   12.00\r\n');
    t.end();
    expect(rows).toEqual([['00001', '19970101', '1', '11.77'], ['00002', '19970112', '1', '12.00']]);
  });

  it('a line longer than many chunks (a huge header) comes out whole, with the right line numbers', () => {
    const rows: [string[], number][] = [];
    const t = new CsvTokenizer(',', (f, line) => rows.push([f, line]));
    t.push('a,');
    for (let i = 0; i < 1000; i++) t.push('x'.repeat(1000));
    t.push('\r\nb,"q\n');
    for (let i = 0; i < 10; i++) t.push('y'.repeat(100));
    t.push('"\rc,d');
    t.end();
    expect(rows).toEqual([
      [['a', 'x'.repeat(1_000_000)], 1],
      [['b', `q\n${'y'.repeat(1000)}`], 2],
      [['c', 'd'], 4],
    ]);
  });

  it('round-trips any table written by csvLine, in any chunking (property)', async () => {
    const cell = fc.string({ unit: fc.constantFrom('a', 'b', ',', '"', '\n', '\r\n', ' ', '1', '客') , maxLength: 6 });
    await fc.assert(
      fc.asyncProperty(fc.array(fc.array(cell, { minLength: 2, maxLength: 4 }), { minLength: 1, maxLength: 8 }), fc.integer({ min: 1, max: 7 }), async (table, chunk) => {
        // A record of all-empty cells would be a blank line; give every row a non-empty first cell.
        const rowsIn = table.map((r) => ['k', ...r]);
        const text = rowsIn.map((r) => csvLine(r)).join('');
        const got = await parseWith('fast', text, chunk);
        expect(got.map((r) => r[0])).toEqual(rowsIn);
      }),
      { numRuns: 200 },
    );
  });
});

describe('projection (readCsv project / CsvTokenizer.keep)', () => {
  it('gives unread columns of unquoted records as empty strings, from the record after the header on', async () => {
    const rows: string[][] = [];
    const text = 'id,a,b,c\n1,x,y,z\n2,p,"q,r",s\n3,u,v\n4,w,x,y,extra\n';
    await readCsv(textInput([text.slice(0, 13), text.slice(13)]), {
      delimiter: ',',
      onRow: (f) => rows.push(f),
      onBroken: noBroken,
      project: () => [true, false, true],
    });
    expect(rows).toEqual([
      ['id', 'a', 'b', 'c'],
      ['1', '', 'y', 'z'], // index 3 is past the mask: kept
      ['2', 'p', 'q,r', 's'], // a quoted record is split in full
      ['3', '', 'v'],
      ['4', '', 'x', 'y', 'extra'],
    ]);
  });
  it('reads every column when project returns null', async () => {
    const rows: string[][] = [];
    await readCsv(textInput(['h1,h2\na,b\n']), { delimiter: ',', onRow: (f) => rows.push(f), onBroken: noBroken, project: () => null });
    expect(rows).toEqual([['h1', 'h2'], ['a', 'b']]);
  });
});

/** `n` lines `k<i>,v` (i from `from`), each with its LF. */
const plainLines = (from: number, n: number): string => Array.from({ length: n }, (_, i) => `k${from + i},v\n`).join('');
const plainRows = (from: number, line: number, n: number): Event[] => Array.from({ length: n }, (_, i): Event => ['row', [`k${from + i}`, 'v'], line + i, 1, false]);

describe('broken quotes: the line that opened the quote is given up on, reading resumes on the next (issue #24)', () => {
  const CASES: { name: string; text: string; events: Event[]; chunks?: number[] }[] = [
    {
      name: 'a quote still open at the end of input',
      text: 'h,n\n1,"x\n2,y\n3,z\n',
      events: [
        ['row', ['h', 'n'], 1, 1, false],
        ['broken', 2, 1, '1,"x', 'quote opened on line 2 not closed before the end of the input', false],
        ['row', ['2', 'y'], 3, 1, false],
        ['row', ['3', 'z'], 4, 1, false],
      ],
    },
    {
      name: 'CRLF line endings',
      text: 'h,n\r\n1,"x\r\n2,y\r\n',
      events: [
        ['row', ['h', 'n'], 1, 1, false],
        ['broken', 2, 1, '1,"x', 'quote opened on line 2 not closed before the end of the input', false],
        ['row', ['2', 'y'], 3, 1, false],
      ],
    },
    {
      name: 'an open quote on a last line without its line ending',
      text: 'h,n\n2,y\n1,"x',
      events: [
        ['row', ['h', 'n'], 1, 1, false],
        ['row', ['2', 'y'], 2, 1, false],
        ['broken', 3, 1, '1,"x', 'quote opened on line 3 not closed before the end of the input', true],
      ],
    },
    {
      name: `a quoted field spanning ${QUOTED_MAX_LINES} lines is one record`,
      text: `h,n\n1,"a\n${plainLines(3, QUOTED_MAX_LINES - 2)}b"\n2,y\n`,
      events: [
        ['row', ['h', 'n'], 1, 1, false],
        ['row', ['1', `a\n${plainLines(3, QUOTED_MAX_LINES - 2)}b`], 2, QUOTED_MAX_LINES, false],
        ['row', ['2', 'y'], QUOTED_MAX_LINES + 2, 1, false],
      ],
    },
    {
      name: `a quoted field running past ${QUOTED_MAX_LINES} lines is a broken quote`,
      text: `h,n\n1,"a\n${plainLines(3, QUOTED_MAX_LINES - 1)}b",z\n2,y\n`,
      events: [
        ['row', ['h', 'n'], 1, 1, false],
        ['broken', 2, 1, '1,"a', `quote opened on line 2 not closed within ${QUOTED_MAX_LINES} lines`, false],
        ...plainRows(3, 3, QUOTED_MAX_LINES - 1),
        ['row', ['b"', 'z'], QUOTED_MAX_LINES + 2, 1, false], // a quote inside an unquoted field is a character
        ['row', ['2', 'y'], QUOTED_MAX_LINES + 3, 1, false],
      ],
    },
    {
      name: 'the lines of an earlier quoted field in the record go with the broken line',
      text: 'h,n,m\n1,"a\nb","c\n2,y\n',
      events: [
        ['row', ['h', 'n', 'm'], 1, 1, false],
        ['broken', 2, 2, '1,"a\nb","c', 'quote opened on line 3 not closed before the end of the input', false],
        ['row', ['2', 'y'], 4, 1, false],
      ],
    },
    {
      name: `a quoted field over ${QUOTED_MAX_CHARS} characters is a broken quote once it spans a line break`,
      text: `1,"${'a'.repeat(QUOTED_MAX_CHARS + 10)}\nb",z\n2,y\n`,
      events: [
        ['broken', 1, 1, `1,"${'a'.repeat(QUOTED_MAX_CHARS + 10)}`, `quote opened on line 1 not closed within ${QUOTED_MAX_CHARS} characters`, false],
        ['row', ['b"', 'z'], 2, 1, false],
        ['row', ['2', 'y'], 3, 1, false],
      ],
      chunks: [0, 4096, 65536],
    },
    {
      name: `a quoted field over ${QUOTED_MAX_CHARS} characters on one line is one record`,
      text: `1,"${'a'.repeat(QUOTED_MAX_CHARS + 10)}"\n2,y`,
      events: [
        ['row', ['1', 'a'.repeat(QUOTED_MAX_CHARS + 10)], 1, 1, false],
        ['row', ['2', 'y'], 2, 1, true],
      ],
      chunks: [0, 4096, 65536],
    },
  ];
  for (const parser of ['fast', 'csv-parse'] as const) {
    for (const c of CASES) {
      it(`${c.name} (${parser})`, async () => {
        for (const size of c.chunks ?? [0, 1, 3, 64]) expect([size, await eventsWith(parser, c.text, size)]).toEqual([size, c.events]);
      });
    }
  }
  it('marks only a last record without any line ending as unterminated (fast)', async () => {
    expect(await eventsWith('fast', 'a\nb')).toEqual([['row', ['a'], 1, 1, false], ['row', ['b'], 2, 1, true]]);
    expect(await eventsWith('fast', 'a\nb\n')).toEqual([['row', ['a'], 1, 1, false], ['row', ['b'], 2, 1, false]]);
    expect(await eventsWith('fast', 'a\rb\r')).toEqual([['row', ['a'], 1, 1, false], ['row', ['b'], 2, 1, false]]);
    expect(await eventsWith('fast', 'a\r\n"b\nc"')).toEqual([['row', ['a'], 1, 1, false], ['row', ['b\nc'], 2, 2, true]]);
  });
  it('a CsvTokenizer without onBroken throws rather than drop lines', () => {
    const t = new CsvTokenizer(',', () => {});
    t.push('1,"x\n');
    expect(() => t.end()).toThrow('line 1: quote opened on line 1 not closed before the end of the input');
  });
});
