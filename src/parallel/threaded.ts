/**
 * The stages' Parallelism (pipeline/parallelism.ts) under a thread policy (policy.ts): each
 * question is answered by the policy, each job runs on a worker thread (protocol.ts).
 */
import { statSync } from 'node:fs';
import type { Parallelism } from '../pipeline/parallelism.js';
import { digestFilesOnThread } from './digest-thread.js';
import { fitClustersOnThread } from './kmeans-thread.js';
import { cellsThreadWanted, readerThreadWanted, scoreThreadWanted, workbookThreadWanted, type ThreadPolicy } from './policy.js';
import { aggregateRanges } from './range-aggregate.js';
import { ingestOnThread, lastReaderBalance, readTransactionsOnThread } from './reader-thread.js';
import { scoreOnThread } from './score-thread.js';
import { writeWorkbookOnThread } from './workbook-thread.js';

/** The bytes of `files` in all; null when one is missing (ingest reports it). */
function totalBytes(files: string[]): number | null {
  let bytes = 0;
  for (const f of files) {
    try {
      bytes += statSync(f).size;
    } catch {
      return null;
    }
  }
  return bytes;
}

export function threaded(policy: ThreadPolicy): Parallelism {
  return {
    readerThread: (files) => {
      const stdin = files.some((f) => f === '-');
      return readerThreadWanted(policy, stdin, stdin || policy.threads !== null ? 0 : totalBytes(files));
    },
    ingest: ingestOnThread,
    readTransactions: readTransactionsOnThread,
    readerBalance: lastReaderBalance,
    aggregateRanges: (path, asOf, specsOf, cohorts) => aggregateRanges(path, asOf, policy, specsOf, cohorts),
    scoreThread: (customers) => scoreThreadWanted(policy, customers),
    cellsThread: (customers) => cellsThreadWanted(policy, customers),
    score: scoreOnThread,
    fitClusters: fitClustersOnThread,
    digestFiles: digestFilesOnThread,
    workbookThread: (customers) => workbookThreadWanted(policy, customers),
    writeWorkbook: writeWorkbookOnThread,
  };
}
