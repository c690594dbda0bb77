/**
 * Size and SHA-256 of input files, computed on a worker thread while `run` reads the same
 * files (a second pass over them from the page cache, off the main thread): the run id and
 * run.json name the exact input bytes.
 */
import { Worker } from 'node:worker_threads';

const WORKER = new URL('../../dist/io/file-digest-worker.js', import.meta.url);

/** bytes and sha256 are null for what is not a regular file (stdin). */
export interface FileDigest {
  bytes: number | null;
  sha256: string | null;
}

export interface PendingDigests {
  /** Resolves to one digest per path, in order; rejects with the worker's error. */
  result: Promise<FileDigest[]>;
  /** Stops the worker (no-op once it has answered). */
  cancel(): void;
}

export function digestFiles(paths: string[]): PendingDigests {
  const w = new Worker(WORKER, { workerData: paths });
  const result = new Promise<FileDigest[]>((resolve, reject) => {
    let answered = false;
    w.once('message', (m: { digests: FileDigest[] } | { error: string }) => {
      answered = true;
      if ('error' in m) reject(new Error(`input digest: ${m.error}`));
      else resolve(m.digests);
    });
    w.once('error', (e) => {
      answered = true;
      reject(e);
    });
    w.once('exit', (code) => {
      if (!answered) reject(new Error(`input digest thread stopped (exit code ${code})`));
    });
  });
  result.catch(() => {}); // awaited later, or not at all when the run fails first
  return { result, cancel: () => void w.terminate() };
}
