/**
 * The one worker protocol (src/parallel/protocol.ts), through real jobs on the compiled worker
 * entry: a reply, an error rebuilt on this side (custkit errors keep their exit code), a thread
 * terminated before its answer, and registration with the process cleanup until the thread exits.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { startJob, type JobSpec } from '../../src/parallel/protocol.js';
import type { DigestJob } from '../../src/parallel/digest-job.js';
import type { ReaderJob, ReaderReply } from '../../src/parallel/reader-job.js';
import type { FileDigest } from '../../src/io/file-digest.js';
import { pendingCleanups } from '../../src/io/process-cleanup.js';
import { CustkitError } from '../../src/errors.js';

const dir = mkdtempSync(join(tmpdir(), 'custkit-protocol-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Runs a job to its end: its replies, or the error it failed with. */
function run<J extends { kind: string }, R>(job: J, last: (r: R) => boolean = () => true): { replies: R[]; end: Promise<Error | null>; thread: ReturnType<typeof startJob> } {
  const replies: R[] = [];
  let thread!: ReturnType<typeof startJob>;
  const end = new Promise<Error | null>((resolve) => {
    const spec: JobSpec<R> = {
      name: 'test thread',
      until: 'its answer',
      prefixErrors: true,
      isLast: last,
      onReply(r) {
        replies.push(r);
        if (last(r)) resolve(null);
      },
      onFail: resolve,
    };
    thread = startJob<J, R>(job, [], spec);
  });
  return { replies, end, thread };
}

describe('worker protocol', () => {
  it('replies: the size and SHA-256 of a file (digest job), registered for cleanup until the thread exits', async () => {
    const f = join(dir, 'a.txt');
    writeFileSync(f, 'abc');
    const before = pendingCleanups();
    const { replies, end } = run<DigestJob, FileDigest[]>({ kind: 'digest', paths: [f, '-'] });
    expect(pendingCleanups()).toBe(before + 1);
    expect(await end).toBeNull();
    // SHA-256("abc"), FIPS 180-2 appendix B.1.
    expect(replies).toEqual([[{ bytes: 3, sha256: 'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad' }, { bytes: null, sha256: null }]]);
    await new Promise((r) => setTimeout(r, 200)); // the thread exits after its answer
    expect(pendingCleanups()).toBe(before);
  });

  it("an error thrown by the job's code: prefixed with the thread's name; a custkit error keeps its kind and exit code", async () => {
    const missing = run<DigestJob, FileDigest[]>({ kind: 'digest', paths: [join(dir, 'no-such-file')] });
    expect((await missing.end)?.message).toMatch(/^test thread: ENOENT/);
    const bad = join(dir, 'bad.csv');
    writeFileSync(bad, 'order_id,amount\n1,2\n');
    const reader = run<ReaderJob, ReaderReply>({ kind: 'canonical', file: bad, flow: new SharedArrayBuffer(4) }, (r) => 'done' in r);
    const e = await reader.end;
    expect(e, e?.message).toBeInstanceOf(CustkitError);
    expect((e as CustkitError).exitCode).toBe(2);
  });

  it('a thread terminated before its answer fails the job with the exit code', async () => {
    const { end, thread } = run<DigestJob, FileDigest[]>({ kind: 'digest', paths: [] });
    thread.terminate();
    expect((await end)?.message).toMatch(/^test thread stopped \(exit code \d+\) before its answer$/);
  });
});
