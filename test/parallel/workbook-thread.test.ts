/**
 * run's customers.xlsx on a thread of its own (workbook-thread.ts): the Customers sheet is
 * written first, the other sheets follow in a second message, and the workbook must be the
 * bytes of the in-process one. A failure there must be the error it is here (an OutputError
 * stays one, so the CLI reports it alike), and a cancelled thread leaves no temporary file.
 * Started with customers.csv (growingFd), the thread reads the table as it is written: the
 * same workbook, and a failed table ends it without a file left.
 */
import { appendFileSync, existsSync, mkdirSync, openSync, readFileSync, readdirSync, renameSync, writeFileSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { writeWorkbookParts, type WorkbookRest, type WorkbookStart } from '../../src/pipeline/customer-workbook.js';
import { writeWorkbookOnThread } from '../../src/parallel/workbook-thread.js';
import { beginWorkbook } from '../../src/pipeline/pending-workbook.js';
import type { Parallelism } from '../../src/pipeline/parallelism.js';
import { fileSink } from '../../src/io/text-output.js';
import { OutputError } from '../../src/io/output-error.js';
import { environmentError } from '../../src/cli/error-report.js';
import { fixture, runCli } from '../helpers/cli.js';
import { tempDir } from '../cli/cli-test-utils.js';

const tmp = tempDir('custkit-workbook-thread-');
afterAll(() => tmp.cleanup());

const CUSTOMERS = [
  'customer_id,orders,revenue,first_order,last_order,rfm_segment',
  '000123,2,30.50,2024-12-01,2025-01-15,champions',
  '=1+1,1,5.00,2024-10-11,2024-10-11,lost',
  'c3,4,120.25,2024-01-02,2025-02-03,loyal',
  'c4,1,7.25,2025-01-01,2025-01-01,new',
  'c5,3,0,2024-05-05,2024-09-09,at_risk',
].join('\n') + '\n';
const ACTIONS = "customer_id,segment,action\n'=1+1,lost,win back\nc5,at_risk,call\n";

function inputs(): { start: (path: string) => WorkbookStart; rest: WorkbookRest } {
  writeFileSync(tmp.path('customers.csv'), CUSTOMERS);
  writeFileSync(tmp.path('actions.csv'), ACTIONS);
  return {
    // maxRows 2: the Customers sheet is split, as beyond Excel's row limit.
    start: (path) => ({ path, customersCsv: tmp.path('customers.csv'), customers: 5, asOf: '2025-03-01', maxRows: 2 }),
    rest: {
      segments: [['RFM segments', 'Champions', 'cells', 1, 0.2, 30.5, 0.18, 'reward']],
      actions: { csv: tmp.path('actions.csv'), rows: 2 },
      cohorts: { cohorts: [['2024-01', 1, 1, 1, 30, 0, '2024-01', 1, 1, 10, 10]], periods: [['2024-01', 1, 10, 0, 0]] },
      quality: [['rows read', null, 12, 1]],
    },
  };
}

describe('customers.xlsx on a thread of its own', () => {
  it('writes the bytes of the in-process workbook', async () => {
    const { start, rest } = inputs();
    await writeWorkbookParts(start(tmp.path('here.xlsx')), () => Promise.resolve(rest));
    const pending = writeWorkbookOnThread(start(tmp.path('there.xlsx')));
    await pending.finish(rest);
    const here = readFileSync(tmp.path('here.xlsx'));
    expect(here.length).toBeGreaterThan(1000);
    expect(readFileSync(tmp.path('there.xlsx')).equals(here)).toBe(true);
  });

  it('fails with the error made here: an OutputError, reported alike', async () => {
    const { start, rest } = inputs();
    const path = tmp.path('no-such-folder/customers.xlsx');
    const here = await writeWorkbookParts(start(path), () => Promise.resolve(rest)).catch((e: unknown) => e);
    const there = await writeWorkbookOnThread(start(path)).finish(rest).catch((e: unknown) => e);
    expect(here).toBeInstanceOf(OutputError);
    expect(there).toBeInstanceOf(OutputError);
    expect((there as OutputError).target).toBe(path);
    expect((there as OutputError).code).toBe('ENOENT');
    expect(environmentError(there)?.message).toBe(environmentError(here)?.message);
    expect(environmentError(there)?.exitCode).toBe(2);
  });

  it('fails with the message made here when the customer table is missing', async () => {
    const { start, rest } = inputs();
    const s = { ...start(tmp.path('x.xlsx')), customersCsv: tmp.path('missing.csv') };
    const here = await writeWorkbookParts(s, () => Promise.resolve(rest)).then(() => null, (e: unknown) => e as Error);
    const there = await writeWorkbookOnThread(s).finish(rest).then(() => null, (e: unknown) => e as Error);
    expect(here).toBeInstanceOf(Error);
    expect(there?.message).toBe(here!.message);
    expect((there as NodeJS.ErrnoException).code).toBe('ENOENT');
    expect(environmentError(there)?.message).toBe(environmentError(here)!.message);
  });

  it('leaves no file when cancelled before the rest of the sheets', async () => {
    const { start } = inputs();
    const dir = tmp.path('cancelled');
    mkdirSync(dir);
    const pending = writeWorkbookOnThread(start(`${dir}/customers.xlsx`));
    await new Promise((r) => setTimeout(r, 300)); // the Customers sheet is under way or written
    await pending.cancel();
    expect(readdirSync(dir)).toEqual([]);
    expect(existsSync(`${dir}/customers.xlsx`)).toBe(false);
  });

  /**
   * Writes `text` to a temporary file in pieces, telling the thread each, then moves it into
   * place (as the atomic sink does) and tells the end; returns the thread's workbook.
   */
  async function growing(dir: string, text: string, rest: WorkbookRest): Promise<Buffer> {
    mkdirSync(dir);
    const temp = `${dir}/.custkit-tmp-customers.csv`;
    writeFileSync(temp, '');
    const pending = writeWorkbookOnThread({ path: `${dir}/customers.xlsx`, customersCsv: `${dir}/customers.csv`, customers: 5, asOf: '2025-03-01', maxRows: 2, growingFd: openSync(temp, 'r') });
    let total = 0;
    for (let at = 0; at < text.length; at += 37) {
      const piece = text.slice(at, at + 37);
      appendFileSync(temp, piece);
      total += Buffer.byteLength(piece);
      pending.tell!(total, false);
      await new Promise((r) => setTimeout(r, 2));
    }
    renameSync(temp, `${dir}/customers.csv`);
    pending.tell!(total, true);
    await pending.finish(rest);
    return readFileSync(`${dir}/customers.xlsx`);
  }

  it('reads customers.csv as it is written and writes the same workbook', async () => {
    const { start, rest } = inputs();
    await writeWorkbookParts(start(tmp.path('whole.xlsx')), () => Promise.resolve(rest));
    const book = await growing(tmp.path('growing'), CUSTOMERS, rest);
    expect(book.equals(readFileSync(tmp.path('whole.xlsx')))).toBe(true);
  });

  it('takes a table it cannot read from its bytes (CRLF) through the CSV reader once it is complete', async () => {
    const { start, rest } = inputs();
    const crlf = CUSTOMERS.replace(/\n/g, '\r\n');
    writeFileSync(tmp.path('crlf.csv'), crlf);
    await writeWorkbookParts({ ...start(tmp.path('crlf.xlsx')), customersCsv: tmp.path('crlf.csv') }, () => Promise.resolve(rest));
    const book = await growing(tmp.path('growing-crlf'), crlf, rest);
    expect(book.equals(readFileSync(tmp.path('crlf.xlsx')))).toBe(true);
    // The same sheets as from the plain file (CRLF changes no cell).
    expect(book.equals(readFileSync(tmp.path('here.xlsx')))).toBe(true);
  });

  it('ends with no file left when the customer table fails while it is written', async () => {
    const dir = tmp.path('failed-table');
    mkdirSync(dir);
    const parallel = { workbookThread: () => true, writeWorkbook: writeWorkbookOnThread } as unknown as Parallelism;
    const begun = beginWorkbook({ path: `${dir}/customers.xlsx`, customersCsv: `${dir}/customers.csv`, customers: 5, asOf: '2025-03-01' }, parallel);
    const sink = fileSink(`${dir}/customers.csv`, { tap: begun.tap });
    for (let i = 0; i < 30_000; i++) sink.write(`c${i},1,2.50,2024-01-01,2024-01-01,new\n`); // past the first block: the thread has bytes
    await new Promise((r) => setTimeout(r, 200));
    sink.abort(); // as a failed write: the temporary table is removed
    await begun.abort();
    expect(readdirSync(dir)).toEqual([]);
  });

  it('run gives the same customers.xlsx with one thread and with the workbook thread, twice', async () => {
    const books: Buffer[] = [];
    for (const threads of ['1', '2', '2']) {
      const out = tmp.path(`run-${books.length}`);
      const r = await runCli(['run', fixture('demo', 'orders.csv'), '--out', out, '--threads', threads, '--max-reject-rate', '1', '-q']);
      expect(r.code, r.stderr).toBe(0);
      books.push(readFileSync(`${out}/customers.xlsx`));
    }
    expect(books[1]!.equals(books[0]!)).toBe(true);
    expect(books[2]!.equals(books[0]!)).toBe(true);
  }, 120_000);
});
