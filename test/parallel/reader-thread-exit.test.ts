/**
 * The reader thread's end: a worker that stops without its last message makes the read fail
 * (instead of leaving the command waiting forever); one that exits right after its last
 * message does not. A fake Worker stands in for the real one (protocol.ts wraps replies as { reply }).
 */
import { EventEmitter } from 'node:events';
import { describe, expect, it, vi } from 'vitest';
import type { TxBatch } from '../../src/parallel/reader-job.js';

/** What the fake worker does once listened to: messages posted, then its exit code. */
let script: { messages: unknown[]; exitCode: number } = { messages: [], exitCode: 0 };

vi.mock('node:worker_threads', () => ({
  Worker: class extends EventEmitter {
    constructor() {
      super();
      setTimeout(() => {
        for (const m of script.messages) this.emit('message', { reply: m });
        this.emit('exit', script.exitCode);
      }, 0);
    }
    terminate(): Promise<number> {
      return Promise.resolve(0);
    }
  },
}));

const { readTransactionsOnThread } = await import('../../src/parallel/reader-thread.js');

const SCHEMA = { hasTime: false, hasItem: false, dimNames: [], hasOutlier: false };
const batch: TxBatch = {
  n: 1, customer: ['A'], order: ['1'], day: new Int32Array([19800]), amount: new Float64Array([12.5]), quantity: new Float64Array([NaN]),
  statusCode: new Uint16Array([0]), statuses: [''], time: [null], item: [null], dimCode: null, dimTuples: null, line: new Float64Array([2]), fp: null, verdict: null, rejects: [], bytes: 40, total: 40,
};

describe('reader thread end', () => {
  it('fails with a message when the thread stops before its last message', async () => {
    script = { messages: [{ schema: SCHEMA, header: ['customer_id'] }, { batch }], exitCode: 1 };
    const seen: string[] = [];
    await expect(readTransactionsOnThread('x.csv', { onTx: (t) => seen.push(t.customerId) })).rejects.toThrow('the reader thread stopped (exit code 1) before reading all input');
  });

  it('succeeds when the thread exits right after its last message (still queued behind a slow afterChunk)', async () => {
    const summary = { label: 'x.csv', rows: 1, schema: SCHEMA };
    script = { messages: [{ schema: SCHEMA, header: ['customer_id'] }, { batch }, { done: summary, waitedMs: 0 }], exitCode: 0 };
    const seen: [string, number][] = [];
    const r = await readTransactionsOnThread('x.csv', {
      onTx: (t, line) => seen.push([t.customerId, line]),
      afterChunk: () => new Promise((res) => setTimeout(res, 20)),
    });
    expect(r).toEqual(summary);
    expect(seen).toEqual([['A', 2]]);
  });
});
