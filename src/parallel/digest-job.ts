/** Worker side of digest-thread.ts: the size and SHA-256 of each file it is given (io/file-digest.ts). */
import { digestFile, type FileDigest } from '../io/file-digest.js';
import type { JobPort } from './protocol.js';

export interface DigestJob {
  kind: 'digest';
  paths: string[];
}

export function runDigestJob(job: DigestJob, port: JobPort<FileDigest[]>): void {
  port.reply(job.paths.map(digestFile));
}
