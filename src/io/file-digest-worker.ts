/**
 * Worker of file-digest.ts: the size and SHA-256 of each file it is given, read in 1 MiB
 * blocks; a path that is not a regular file (stdin, a FIFO) gets nulls, as reading it here
 * would take its bytes from the run.
 */
import { createHash } from 'node:crypto';
import { closeSync, openSync, readSync, statSync } from 'node:fs';
import { parentPort, workerData } from 'node:worker_threads';
import type { FileDigest } from './file-digest.js';

function digest(path: string): FileDigest {
  if (path === '-' || !statSync(path).isFile()) return { bytes: null, sha256: null };
  const fd = openSync(path, 'r');
  try {
    const h = createHash('sha256');
    const buf = Buffer.allocUnsafe(1 << 20);
    let bytes = 0;
    for (let n; (n = readSync(fd, buf, 0, buf.length, null)) > 0; bytes += n) h.update(buf.subarray(0, n));
    return { bytes, sha256: h.digest('hex') };
  } finally {
    closeSync(fd);
  }
}

try {
  parentPort!.postMessage({ digests: (workerData as string[]).map(digest) });
} catch (e) {
  parentPort!.postMessage({ error: (e as Error).message });
}
