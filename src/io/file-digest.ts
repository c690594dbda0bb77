/**
 * Size and SHA-256 of an input file, so that the run id and run.json name the exact input
 * bytes. `run` computes them on a worker thread while it reads the same files
 * (parallel/digest-thread.ts).
 */
import { createHash } from 'node:crypto';
import { closeSync, openSync, readSync, statSync } from 'node:fs';

/** bytes and sha256 are null for what is not a regular file (stdin). */
export interface FileDigest {
  bytes: number | null;
  sha256: string | null;
}

/**
 * The digest of `path`, read in 1 MiB blocks; a path that is not a regular file (stdin, a
 * FIFO) gets nulls, as reading it here would take its bytes from the run.
 */
export function digestFile(path: string): FileDigest {
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
