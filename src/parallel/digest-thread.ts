/**
 * The input digests (io/file-digest.ts) on a worker thread while `run` reads the same files:
 * a second pass over them from the page cache, off the main thread.
 */
import type { FileDigest } from '../io/file-digest.js';
import type { PendingDigests } from '../pipeline/parallelism.js';
import { startJob } from './protocol.js';
import type { DigestJob } from './digest-job.js';

export function digestFilesOnThread(paths: string[]): PendingDigests {
  let stop = (): void => {};
  const result = new Promise<FileDigest[]>((resolve, reject) => {
    const t = startJob<DigestJob, FileDigest[]>({ kind: 'digest', paths }, [], {
      name: 'input digest thread',
      until: 'its digests',
      prefixErrors: true,
      isLast: () => true,
      onReply: resolve,
      onFail: reject,
    });
    stop = () => t.terminate();
  });
  result.catch(() => {}); // awaited later, or not at all when the run fails first
  return { result, cancel: () => stop() };
}
