/**
 * `run` reads on a worker thread when it can (ingest-thread.ts); the stream the main thread
 * receives must be exactly the in-process ingest's: same transactions in the same order, same
 * rejects, same result. Runs the compiled worker from dist/ (npm test builds first).
 */
import { describe, expect, it } from 'vitest';
import { ingestFiles, type IngestOptions } from '../../src/pipeline/ingest-stage.js';
import { availableParallelism } from 'node:os';
import { ingestOnThread, readerThreadWanted } from '../../src/pipeline/ingest-thread.js';
import type { Reject, Transaction } from '../../src/core/types.js';
import { fixture } from '../helpers/cli.js';
import { CustkitError } from '../../src/cli/errors.js';

const OPTS: IngestOptions = { encoding: 'auto', delimiter: 'auto', header: true, map: {}, keep: [], decimal: 'auto', dateFormat: 'auto', parser: 'fast' };

async function collect(run: typeof ingestFiles, files: string[], opts: IngestOptions = OPTS) {
  const txs: Transaction[] = [];
  const rejects: Reject[] = [];
  const result = await run(files, opts, { onSchema() {}, onTx: (t) => txs.push(t), onReject: (r) => rejects.push(r) });
  return { txs, rejects, result };
}

describe('ingest on a reader thread', () => {
  it.each([['demo', 'orders.csv'], ['ingest', 'orders_bad_rows.csv'], ['ingest', 'orders_zh_utf8_bom.csv']])('gives the same transactions, rejects and result as in-process ingest (%s/%s)', async (dir, name) => {
    const files = [fixture(dir, name)];
    const a = await collect(ingestFiles, files);
    const b = await collect(ingestOnThread, files);
    expect(b.txs.length).toBe(a.txs.length);
    expect(b.txs).toEqual(a.txs);
    expect(b.rejects).toEqual(a.rejects);
    expect(b.result).toEqual(a.result);
  });

  it('passes data errors through with their exit code and hint', async () => {
    const p = collect(ingestOnThread, [fixture('ingest', 'orders_no_customer_column.csv')]);
    await expect(p).rejects.toBeInstanceOf(CustkitError);
    await expect(p).rejects.toMatchObject({ exitCode: 2 });
  });

  it('by default on for inputs of 32 MB or more (on two cores or more); CUSTKIT_THREADS=1 turns it off; never for stdin', () => {
    const small = fixture('ingest', 'orders_no_customer_column.csv');
    const multi = availableParallelism() >= 2;
    expect(readerThreadWanted([small], {})).toBe(false); // a few hundred bytes
    expect(readerThreadWanted([small], { CUSTKIT_READER_THREAD_MIN_MB: '0' })).toBe(multi);
    expect(readerThreadWanted([small], { CUSTKIT_READER_THREAD_MIN_MB: '0', CUSTKIT_THREADS: '1' })).toBe(false);
    expect(readerThreadWanted([small, small], { CUSTKIT_READER_THREAD_MIN_MB: '0.0000001' })).toBe(multi);
    expect(readerThreadWanted(['no-such-file.csv'], { CUSTKIT_READER_THREAD_MIN_MB: '0' })).toBe(false);
    expect(readerThreadWanted(['a.csv'], { CUSTKIT_THREADS: '1' })).toBe(false);
    expect(readerThreadWanted(['-'], { CUSTKIT_THREADS: '2' })).toBe(false);
    expect(readerThreadWanted(['-'], { CUSTKIT_READER_THREAD_MIN_MB: '0' })).toBe(false);
  });

  it('--threads overrides CUSTKIT_THREADS', () => {
    expect(readerThreadWanted(['a.csv'], { CUSTKIT_THREADS: '2' }, 1)).toBe(false);
    expect(readerThreadWanted(['a.csv'], {}, 2)).toBe(availableParallelism() >= 2);
    expect(readerThreadWanted(['-'], {}, 2)).toBe(false);
  });
});
