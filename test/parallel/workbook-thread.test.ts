/**
 * run's customers.xlsx on a thread of its own (workbook-thread.ts): the Customers sheet is
 * written first, the other sheets follow in a second message, and the workbook must be the
 * bytes of the in-process one. A failure there must be the error it is here (an OutputError
 * stays one, so the CLI reports it alike), and a cancelled thread leaves no temporary file.
 */
import { existsSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { writeWorkbookParts, type WorkbookRest, type WorkbookStart } from '../../src/pipeline/customer-workbook.js';
import { writeWorkbookOnThread } from '../../src/parallel/workbook-thread.js';
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
