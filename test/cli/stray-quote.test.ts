/**
 * Issue #24 items 1 and 4, end to end through `run` and `ingest`: a stray quote rejects only
 * the line that opened it (unbalanced_quote) instead of swallowing the rest of the file, with
 * both parsers and with and without the reader thread; a torn last line is one
 * truncated_last_line reject. Inputs are generated here (2,000 lines, 50 customers).
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';
import { csvRecords, tempDir } from './cli-test-utils.js';

const tmp = tempDir();
afterAll(() => tmp.cleanup());

/** Header + `rows` data lines; customer c01…c50 in turn, one order each, amount 10.00 + i/100. */
function exportLines(rows: number): string[] {
  const lines = ['order_id,customer_id,order_date,amount,note'];
  for (let i = 1; i <= rows; i++) {
    const c = `c${String(((i - 1) % 50) + 1).padStart(2, '0')}`;
    const day = String((i % 28) + 1).padStart(2, '0');
    lines.push(`o${i},${c},2026-03-${day},${(10 + i / 100).toFixed(2)},note ${i}`);
  }
  return lines;
}

/** 2,000 lines, and on line 102 (order o101, customer c01) a note that opens a quote and never closes it. */
function strayQuoteFile(): string {
  const lines = exportLines(1999);
  lines[101] = 'o101,c01,2026-03-18,11.01,"Acme, 5"" screen';
  const path = tmp.path('stray-quote.csv');
  writeFileSync(path, lines.join('\n') + '\n');
  return path;
}

describe('a stray quote never swallows the file', () => {
  const file = strayQuoteFile();
  for (const parser of ['fast', 'csv-parse']) {
    for (const threads of ['1', '2']) {
      it(`run --parser ${parser} --threads ${threads}: one unbalanced_quote reject on line 102, 50 customers, 1,999 rows read`, async () => {
        const out = tmp.path(`run-${parser}-${threads}`);
        const r = await runCli(['run', file, '--as-of', '2026-04-01', '--compare', 'off', '--out', out, '--parser', parser, '--threads', threads]);
        expect(r.code, r.stderr).toBe(0);
        if (threads === '2' && availableParallelism() >= 2) expect(r.stderr).toContain('reading on a second thread');
        const rejects = csvRecords(readFileSync(join(out, 'rejects.csv'), 'utf8'));
        expect(rejects.map((x) => [x.line, x.reason])).toEqual([['102', 'unbalanced_quote']]);
        expect(rejects[0]!.raw).toBe('o101,c01,2026-03-18,11.01,"Acme, 5"" screen');
        const audit = JSON.parse(readFileSync(join(out, 'audit.json'), 'utf8'));
        expect(audit.ingest.rows_read).toBe(1999);
        expect(audit.ingest.rows_out).toBe(1998);
        expect(audit.ingest.rejected).toEqual({ unbalanced_quote: 1 });
        expect(csvRecords(readFileSync(join(out, 'customers.csv'), 'utf8'))).toHaveLength(50);
      });
    }
  }

  it('both parsers write the same canonical bytes and the same rejects', async () => {
    const outs: string[] = [];
    for (const parser of ['fast', 'csv-parse']) {
      const rej = tmp.path(`rej-${parser}.csv`);
      const r = await runCli(['ingest', file, '--parser', parser, '--rejects', rej]);
      expect(r.code, r.stderr).toBe(0);
      outs.push(r.stdout, readFileSync(rej, 'utf8'));
    }
    expect(outs[2]).toBe(outs[0]);
    expect(outs[3]).toBe(outs[1]);
    expect(csvRecords(outs[0]!)).toHaveLength(1998);
  });
});

/** Writes `lines` as a file (with a final LF unless `torn`) and returns its path. */
function writeLines(name: string, lines: string[], torn = false): string {
  const path = tmp.path(name);
  writeFileSync(path, lines.join('\n') + (torn ? '' : '\n'));
  return path;
}

async function ingestRejects(file: string, args: string[]): Promise<{ code: number; stdout: string; stderr: string; rejects: Record<string, string>[] }> {
  const rej = `${file}.${args.join('')}.rejects.csv`;
  const r = await runCli(['ingest', file, '--rejects', rej, ...args]);
  return { ...r, rejects: csvRecords(readFileSync(rej, 'utf8')) };
}

describe('a torn last line is one truncated_last_line reject', () => {
  for (const parser of ['fast', 'csv-parse']) {
    it(`a last line cut short without its line ending (--parser ${parser})`, async () => {
      const lines = exportLines(199);
      lines[199] = 'o199,c49,20';
      const r = await ingestRejects(writeLines(`torn-${parser}.csv`, lines, true), ['--parser', parser]);
      expect(r.code, r.stderr).toBe(0);
      expect(r.rejects.map((x) => [x.line, x.reason, x.detail, x.raw])).toEqual([
        ['200', 'truncated_last_line', 'no line ending at the end of the file (ragged_row: 3 fields, expected 5)', 'o199,c49,20'],
      ]);
      expect(csvRecords(r.stdout)).toHaveLength(198);
    });

    it(`a last line cut inside a quoted field (--parser ${parser})`, async () => {
      const lines = exportLines(199);
      lines[199] = 'o199,c49,2026-03-10,11.99,"gift wr';
      const r = await ingestRejects(writeLines(`torn-quote-${parser}.csv`, lines, true), ['--parser', parser]);
      expect(r.code, r.stderr).toBe(0);
      expect(r.rejects.map((x) => [x.line, x.reason, x.detail])).toEqual([
        ['200', 'truncated_last_line', 'no line ending at the end of the file (unbalanced_quote: quote opened on line 200 not closed before the end of the input)'],
      ]);
      expect(csvRecords(r.stdout)).toHaveLength(198);
    });

    it(`a last line without its line ending that parses is read as before (--parser ${parser})`, async () => {
      const r = await ingestRejects(writeLines(`untorn-${parser}.csv`, exportLines(199), true), ['--parser', parser]);
      expect(r.code, r.stderr).toBe(0);
      expect(r.rejects).toEqual([]);
      expect(csvRecords(r.stdout)).toHaveLength(199);
    });
  }

  it('the reader thread reports the torn line the same way', async () => {
    const lines = exportLines(199);
    lines[199] = 'o199,c49,20';
    const file = writeLines('torn-run.csv', lines, true);
    const out = tmp.path('torn-run');
    const r = await runCli(['run', file, '--as-of', '2026-04-01', '--compare', 'off', '--out', out, '--threads', '2']);
    expect(r.code, r.stderr).toBe(0);
    expect(csvRecords(readFileSync(join(out, 'rejects.csv'), 'utf8')).map((x) => [x.line, x.reason])).toEqual([['200', 'truncated_last_line']]);
    expect(JSON.parse(readFileSync(join(out, 'audit.json'), 'utf8')).ingest.rejected).toEqual({ truncated_last_line: 1 });
  });
});

describe('the reject budget counts physical lines', () => {
  for (const parser of ['fast', 'csv-parse']) {
    it(`a stray quote closed 20 lines later: one reject counting 21 lines, over the 5 % budget (--parser ${parser})`, async () => {
      // Line 11 opens a quote in the amount column, line 31 closes one: lines 11–31 read as one record.
      const lines = exportLines(199);
      lines[10] = 'o10,c10,2026-03-11,"10.10,note 10';
      lines[30] = 'o30,c30,2026-03-03,10.30",note 30';
      const file = writeLines(`span-${parser}.csv`, lines);
      const r = await ingestRejects(file, ['--parser', parser]);
      expect(r.code, r.stderr).toBe(3);
      expect(r.rejects.map((x) => [x.line, x.reason])).toEqual([['11', 'bad_amount']]);
      expect(r.rejects[0]!.detail).toMatch(/\(spans 21 lines\)$/);
      expect(csvRecords(r.stdout)).toHaveLength(178);
      expect(r.stderr).toContain('ingest: 199 rows read, 178 written, 21 rejected: bad_amount 21');
    });
  }
});

describe('custkit\'s own files: a broken quote is a data error naming file and line', () => {
  for (const threads of ['1', '2']) {
    it(`clean --threads ${threads} on canonical transactions with a stray quote exits 2`, async () => {
      const src = writeLines('canon-src.csv', exportLines(20));
      const ing = await runCli(['ingest', src]);
      expect(ing.code, ing.stderr).toBe(0);
      const canon = ing.stdout.split('\n');
      canon[5] = canon[5]!.replace(/^([^,]*),/, '$1,"');
      const file = writeLines(`canon-${threads}.csv`, canon.slice(0, -1));
      const r = await runCli(['clean', file, '--threads', threads]);
      expect(r.code).toBe(2);
      expect(r.stderr.trim().split('\n').at(-1)).toBe(`custkit: ${file}:6: unbalanced quote: quote opened on line 6 not closed before the end of the input (hint: custkit writes balanced quotes; check for a truncated or hand-edited line)`);
    });
  }
});

describe('a broken quote in the first line', () => {
  it('in the header line: a data error naming the line (exit 2)', async () => {
    const lines = exportLines(20);
    lines[0] = 'order_id,"customer_id,order_date,amount,note';
    const file = writeLines('header-quote.csv', lines);
    const r = await runCli(['ingest', file]);
    expect(r.code).toBe(2);
    expect(r.stderr.trim()).toBe(`custkit: ${file}:1: unbalanced quote in the header line: quote opened on line 1 not closed before the end of the input (hint: a quote that opens a header cell must close it on the same line)`);
  });

  it('with --no-header, the first line is an ordinary unbalanced_quote reject', async () => {
    const lines = exportLines(40).slice(1);
    lines[0] = 'o1,c01,2026-03-02,"10.01,note 1';
    const r = await ingestRejects(writeLines('noheader-quote.csv', lines), ['--no-header', '--map', 'customer_id=2,order_date=3,amount=4', '--max-reject-rate', '1']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.rejects.map((x) => [x.line, x.reason])).toEqual([['1', 'unbalanced_quote']]);
    expect(csvRecords(r.stdout)).toHaveLength(39);
  });
});
