/**
 * `run` reads on a worker thread when it can (src/parallel/reader-thread.ts); the stream the main thread
 * receives must be exactly the in-process ingest's: same transactions in the same order, same
 * rejects, same result. Runs the compiled worker from dist/ (npm test builds first).
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { readTransactions } from '../../src/pipeline/transactions-reader.js';
import { ingestFiles } from '../../src/pipeline/ingest-stage.js';
import { availableParallelism } from 'node:os';
import { ingestOnThread, readTransactionsOnThread } from '../../src/parallel/reader-thread.js';
import { threadPolicy } from '../../src/parallel/policy.js';
import { threaded } from '../../src/parallel/threaded.js';
import type { Reject, Transaction } from '../../src/core/types.js';
import { fixture } from '../helpers/cli.js';
import { CustkitError } from '../../src/errors.js';
import { Fingerprinter } from '../../src/core/clean/fingerprint-hash.js';
import { lineFingerprint, LINE_FP_WORDS } from '../../src/core/clean/line-fingerprint.js';
import { LineScreen, screenOptions, verdictEqualKept, verdictOpenedBefore, verdictReason } from '../../src/core/clean/line-screen.js';
import { resolveCleanOptions } from '../../src/core/clean/clean-options.js';
import { dayFromCivil } from '../../src/core/time/day.js';
import { type IngestOptions } from '../../src/config/ingest-options.js';

const D = (d: number): number => dayFromCivil(2024, 2, d);

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

  it('applies the same date window, number range, id rules and --fold-ids count on the thread', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'custkit-values-thread-'));
    try {
      const f = join(dir, 'v.csv');
      writeFileSync(f, 'customer_id,order_id,order_date,amount\n１７８５０,1,2026-01-01,5\n17850,2,2026-01-02,1e303\n"C\u00001",3,2026-01-03,5\nC2,4,9999-12-31,5\nC3,5,1850-01-01,5\nC4,6,2026-01-04,7\n');
      const opts: IngestOptions = { ...OPTS, dateWindow: { from: dayFromCivil(1900, 1, 1), to: dayFromCivil(2026, 7, 1) }, foldIds: true };
      const a = await collect(ingestFiles, [f], opts);
      const b = await collect(ingestOnThread, [f], opts);
      expect(a.rejects.map((r) => r.reason)).toEqual(['amount_out_of_range', 'bad_customer_id', 'implausible_date', 'implausible_date']);
      expect(a.txs.map((t) => t.customerId)).toEqual(['17850', 'C4']);
      expect(a.result.folded).toEqual({ ids: 1, rows: 1 });
      expect(b.txs).toEqual(a.txs);
      expect(b.rejects).toEqual(a.rejects);
      expect(b.result).toEqual(a.result);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('gives each line its own kept cells (sent once per distinct tuple of a batch), across batches', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'custkit-dims-thread-'));
    try {
      const f = join(dir, 'd.csv');
      // Tuples a plain join would confuse ("a:b" + "c" vs "a" + "b:c"; "1:x" vs ""), empties, and 20,000 lines (three batches).
      const pairs = [['a:b', 'c'], ['a', 'b:c'], ['1:x', ''], ['', '1:x'], ['', ''], ['ü', 'web']];
      let text = 'customer_id,order_id,order_date,amount,channel,note\n';
      for (let i = 0; i < 20_000; i++) {
        const [c, n] = pairs[(i * 7) % pairs.length]!;
        text += `C${i % 997},O${i},2024-02-${String(1 + (i % 28)).padStart(2, '0')},${i % 50}.5,${c},${n}\n`;
      }
      writeFileSync(f, text);
      const opts: IngestOptions = { ...OPTS, keep: ['channel', 'note'] };
      const a = await collect(ingestFiles, [f], opts);
      const b = await collect(ingestOnThread, [f], opts);
      expect(a.txs.length).toBe(20_000);
      expect(a.txs[1]!.dims).toEqual(pairs[7 % pairs.length]);
      expect(b.txs).toEqual(a.txs);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('passes data errors through with their exit code and hint', async () => {
    const p = collect(ingestOnThread, [fixture('ingest', 'orders_no_customer_column.csv')]);
    await expect(p).rejects.toBeInstanceOf(CustkitError);
    await expect(p).rejects.toMatchObject({ exitCode: 2 });
  });

  /** Whether the reader thread is used for `files` under this environment and --threads. */
  const wanted = (files: string[], env: Record<string, string>, threads: number | null = null): boolean =>
    threaded(threadPolicy(env, threads, availableParallelism())).readerThread(files);

  it('by default on for inputs of 32 MB or more (on two cores or more); CUSTKIT_THREADS=1 turns it off; never for stdin', () => {
    const small = fixture('ingest', 'orders_no_customer_column.csv');
    const multi = availableParallelism() >= 2;
    expect(wanted([small], {})).toBe(false); // a few hundred bytes
    expect(wanted([small], { CUSTKIT_READER_THREAD_MIN_MB: '0' })).toBe(multi);
    expect(wanted([small], { CUSTKIT_READER_THREAD_MIN_MB: '0', CUSTKIT_THREADS: '1' })).toBe(false);
    expect(wanted([small, small], { CUSTKIT_READER_THREAD_MIN_MB: '0.0000001' })).toBe(multi);
    expect(wanted(['no-such-file.csv'], { CUSTKIT_READER_THREAD_MIN_MB: '0' })).toBe(false);
    expect(wanted(['a.csv'], { CUSTKIT_THREADS: '1' })).toBe(false);
    expect(wanted(['-'], { CUSTKIT_THREADS: '2' })).toBe(false);
    expect(wanted(['-'], { CUSTKIT_READER_THREAD_MIN_MB: '0' })).toBe(false);
    expect(wanted([small], { CUSTKIT_THREADS: '2' })).toBe(multi);
  });

  it('--threads overrides CUSTKIT_THREADS', () => {
    expect(wanted(['a.csv'], { CUSTKIT_THREADS: '2' }, 1)).toBe(false);
    expect(wanted(['a.csv'], {}, 2)).toBe(availableParallelism() >= 2);
    expect(wanted(['-'], {}, 2)).toBe(false);
  });
});

describe('canonical transactions on a reader thread (clean with CUSTKIT_THREADS ≥ 2)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'custkit-reader-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  /** 20,000 lines (three batches of 8,192) with dims, times, items, nulls and non-ASCII ids. */
  function bigCanonical(): string {
    const lines = ['customer_id,order_id,order_date,order_time,amount,quantity,status,item,region'];
    for (let i = 0; i < 20_000; i++) {
      lines.push(`${i % 3 === 0 ? '客' : 'C'}${i % 997},O${i},2024-0${1 + (i % 9)}-1${i % 10},${i % 4 === 0 ? '' : '09:30:00'},${(i % 50) * 1.25 - 5},${i % 5 === 0 ? '' : i % 7},${i % 11 === 0 ? 'refunded' : 'paid'},${i % 6 === 0 ? '' : 'sku' + (i % 13)},${i % 2 ? 'north' : '"south, east"'}`);
    }
    const p = join(dir, 'big.csv');
    writeFileSync(p, lines.join('\n') + '\n');
    return p;
  }

  async function read(fn: typeof readTransactions, path: string, delay = false) {
    const txs: [Transaction, number][] = [];
    let schema: unknown = null;
    let header: string[] = [];
    let chunks = 0;
    const summary = await fn(path, {
      onSchema(s, h) {
        schema = s;
        header = h;
      },
      onTx: (t, line) => txs.push([t, line]),
      afterChunk: delay
        ? async () => {
            chunks++;
            await new Promise((r) => setTimeout(r, 5)); // slow output: the next batch must wait
          }
        : undefined,
    });
    return { txs, schema, header, summary, chunks };
  }

  it('gives the same transactions, line numbers, schema and summary as reading in-process, in order behind a slow afterChunk', async () => {
    const p = bigCanonical();
    const a = await read(readTransactions, p);
    const b = await read(readTransactionsOnThread, p, true);
    expect(a.txs.length).toBe(20_000);
    expect(b.txs).toEqual(a.txs);
    expect(b.txs[19_999]![1]).toBe(20_001);
    expect([b.schema, b.header, b.summary]).toEqual([a.schema, a.header, a.summary]);
    expect(b.chunks).toBe(3);
  });

  it('passes a bad cell through as a data error with its line', async () => {
    const p = join(dir, 'bad.csv');
    writeFileSync(p, 'customer_id,order_id,order_date,amount,quantity,status\nA,1,2024-01-01,10,1,paid\nB,2,2024-13-45,10,1,paid\n');
    const inProcess = read(readTransactions, p);
    await expect(inProcess).rejects.toBeInstanceOf(CustkitError);
    const e = (await inProcess.catch((x: unknown) => x)) as CustkitError;
    const onThread = read(readTransactionsOnThread, p);
    await expect(onThread).rejects.toMatchObject({ message: e.message, exitCode: e.exitCode, where: e.where });
  });
});

describe('fingerprints computed on the reader thread', () => {
  const dir = mkdtempSync(join(tmpdir(), 'custkit-fp-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  it('are each line’s lineFingerprint, for canonical input and for ingest', async () => {
    const p = join(dir, 'c.csv');
    const lines = ['customer_id,order_id,order_date,amount,quantity,status,region'];
    for (let i = 0; i < 9_000; i++) lines.push(`C${i % 101},O${i % 3001},2024-02-${10 + (i % 9)},${(i % 40) * 2.5 - 3},${i % 4 === 0 ? '' : i % 6},${i % 9 ? 'paid' : 'refunded'},${i % 2 ? 'n' : 's'}`);
    writeFileSync(p, lines.join('\n') + '\n');
    const fp = new Fingerprinter();
    const want = new Uint32Array(LINE_FP_WORDS);
    let seen = 0;
    const check = (tx: Transaction, fps: Uint32Array | undefined, at: number | undefined): void => {
      expect(fps).toBeInstanceOf(Uint32Array);
      lineFingerprint(fp, tx, want, 0);
      expect([...fps!.subarray(at!, at! + LINE_FP_WORDS)]).toEqual([...want]);
      seen++;
    };
    await readTransactionsOnThread(p, { onTx: (tx, _line, fps, at) => check(tx, fps, at) }, undefined, true);
    expect(seen).toBe(9_000);
    await ingestOnThread([fixture('demo', 'orders.csv')], OPTS, { onSchema() {}, onTx: (tx, fps, at) => check(tx, fps, at), onReject() {} }, true);
    expect(seen).toBeGreaterThan(9_000);
    // Not asked for: none sent.
    let given = 0;
    await readTransactionsOnThread(p, { onTx: (_tx, _line, fps) => { if (fps) given++; } });
    expect(given).toBe(0);
  });

  it('with screen options, each line also comes with the verdict of a LineScreen that saw the lines before it', async () => {
    const p = join(dir, 's.csv');
    const lines = ['customer_id,order_id,order_date,amount,quantity,status'];
    // 20,000 lines (three batches): repeats, returns, guests, lines of orders seen batches earlier.
    for (let i = 0; i < 20_000; i++) if (i % 10 === 9) lines.push(lines[lines.length - 1]!); else lines.push(`${i % 29 === 0 ? 'guest' : 'C' + ((i % 7001) % 101)},O${i % 7001},2024-02-${10 + (i % 3)},${(i % 40) * 2.5 - 3},${i % 4 === 0 ? '' : i % 3},${i % 9 ? 'paid' : 'refunded'}`);
    writeFileSync(p, lines.join('\n') + '\n');
    // No item or time column: 'auto' keeps repeats (marked equal), 'drop' removes them.
    for (const opts of [{ duplicates: 'drop' as const }, { returns: 'drop' as const, exclude: new Set(['C7']), asOf: D(11) }]) {
      const screen = new LineScreen(resolveCleanOptions(opts));
      const fp = new Fingerprinter();
      const w = new Uint32Array(LINE_FP_WORDS);
      const seen = new Map<string, number>();
      let n = 0;
      await readTransactionsOnThread(p, {
        onSchema: (s) => screen.useSchema(s),
        onTx: (tx, _line, fps, at, verdict) => {
          lineFingerprint(fp, tx, w, 0);
          expect([...fps!.subarray(at!, at! + LINE_FP_WORDS)]).toEqual([...w]);
          const want = screen.screen(tx.customerId, tx.orderId, tx.day, tx.amount, tx.quantity, tx.status, w[0]!, w[1]!, w[2]!, w[3]!);
          expect(verdict).toBe(want);
          const k = `${verdictReason(want) ?? 'kept'}${verdictOpenedBefore(want) ? ' again' : ''}${verdictEqualKept(want) ? ' equal' : ''}`;
          seen.set(k, (seen.get(k) ?? 0) + 1);
          n++;
        },
      }, undefined, screenOptions(resolveCleanOptions(opts)));
      expect(n).toBe(20_000);
      // Not a vacuous comparison: the stream had removals, repeats and orders continued.
      for (const k of ['kept', 'kept again', 'guest', opts.duplicates === 'drop' ? 'duplicate' : 'kept again equal']) expect([k, (seen.get(k) ?? 0) > 0]).toEqual([k, true]);
    }
  });
});
