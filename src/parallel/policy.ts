/**
 * When custkit uses more than one thread: every threshold and every environment variable that
 * steers threading, in one table. The environment is handed in (the CLI reads it once); the
 * decisions below are pure. Whatever they decide, the outputs are the same: threads change
 * only where the work runs. Measurements behind the defaults: docs/performance.md.
 */

/** One setting: its default, the environment variable that overrides it (if any), and why it is what it is. */
export interface PolicyEntry {
  env: string | null;
  default: number | null;
  doc: string;
}

/** Every setting. The README's environment-variable table lists the ones with a variable. */
export const POLICY = {
  threads: {
    env: 'CUSTKIT_THREADS',
    default: null,
    doc: 'threads to use when --threads is not given. 1: everything on the main thread; 2 or more: every thread below wherever it can run (for tests and users who force the threaded paths). Unset: each thread by its own threshold below',
  },
  readerThreadMinMb: {
    env: 'CUSTKIT_READER_THREAD_MIN_MB',
    default: 32,
    doc: 'input size (MB, all files) from which run, segment and clean parse on a reader thread while the main thread cleans and aggregates; below it starting the thread costs more than it saves. Never for standard input, never on one core',
  },
  rangeAggregateMinMb: {
    env: 'CUSTKIT_PARALLEL_MIN_MB',
    default: 64,
    doc: 'with threads set to 2 or more, the canonical file size (MB) from which segment aggregates byte ranges on that many threads (at most twice the cores) and merges them; every thread holds most customers, so it is off unless threads are set',
  },
  scoreThreadMinCustomers: {
    env: null,
    default: 50_000,
    doc: 'customers from which run scores on a second thread while it segments; below it scoring takes less than starting a thread is worth',
  },
  cellsThreadMinCustomers: {
    env: null,
    default: 100_000,
    doc: "customers from which run's score thread also writes the customer table's summary and score cells; below it there is little to share",
  },
  workbookThreadMinCustomers: {
    env: null,
    default: 50_000,
    doc: "customers from which run writes customers.xlsx's Customers sheet on a thread of its own while it makes the report and actions.csv; below it the sheet takes less than starting a thread is worth",
  },
  readerBatchLines: {
    env: null,
    default: 8192,
    doc: 'lines per batch the reader thread posts (at most 65,536: a batch codes its statuses in 16 bits)',
  },
  readerQueueCanonical: {
    env: null,
    default: 16,
    doc: 'batches in flight from a reader thread reading canonical transactions (clean, segment): deep enough that neither thread waits long, shallow enough for clean\'s memory budget',
  },
  readerQueueIngest: {
    env: null,
    default: 48,
    doc: "batches in flight from run's reader thread: the two threads' speeds vary over a file, and a deeper queue lets one absorb the other's slow stretches",
  },
  readerSemiSpaceMb: {
    env: null,
    default: 16,
    doc: "the reader thread's young generation (one semi-space, MB); left alone V8 grew it to 64 MB of mostly garbage, most of what the thread added to clean's peak",
  },
} as const satisfies Record<string, PolicyEntry>;

/** The settings of one command: --threads, else the environment, else the defaults. */
export interface ThreadPolicy {
  /** Threads asked for (--threads, else CUSTKIT_THREADS); null: not set. NaN: CUSTKIT_THREADS is not a number (one thread). */
  threads: number | null;
  /** Cores of the machine (os.availableParallelism()). */
  cores: number;
  readerThreadMinMb: number;
  rangeAggregateMinMb: number;
  scoreThreadMinCustomers: number;
  cellsThreadMinCustomers: number;
  workbookThreadMinCustomers: number;
}

/** A variable's value; empty counts as unset. */
const envValue = (env: Readonly<Record<string, string | undefined>>, name: string): string | null => {
  const v = env[name];
  return v === undefined || v === '' ? null : v;
};

/** The policy from `--threads` (null: not given), the environment the CLI read, and the core count. */
export function threadPolicy(env: Readonly<Record<string, string | undefined>>, threadsOpt: number | null, cores: number): ThreadPolicy {
  const threads = threadsOpt ?? (envValue(env, POLICY.threads.env) === null ? null : Number(envValue(env, POLICY.threads.env)));
  const reader = envValue(env, POLICY.readerThreadMinMb.env);
  const range = Number(envValue(env, POLICY.rangeAggregateMinMb.env) ?? NaN);
  return {
    threads,
    cores,
    readerThreadMinMb: reader === null ? POLICY.readerThreadMinMb.default : Number(reader),
    rangeAggregateMinMb: Number.isFinite(range) && range >= 0 ? range : POLICY.rangeAggregateMinMb.default,
    scoreThreadMinCustomers: POLICY.scoreThreadMinCustomers.default,
    cellsThreadMinCustomers: POLICY.cellsThreadMinCustomers.default,
    workbookThreadMinCustomers: POLICY.workbookThreadMinCustomers.default,
  };
}

/** Threads were set to a whole number ≥ 2: every thread runs wherever it can. */
const forcedOn = (p: ThreadPolicy): boolean => p.threads !== null && Number.isInteger(p.threads) && p.threads >= 2;

/** Whether inputs of `bytes` in all (null: a file is missing; ingest reports it) are read on a reader thread. */
export function readerThreadWanted(p: ThreadPolicy, stdin: boolean, bytes: number | null): boolean {
  if (stdin || p.cores < 2) return false;
  if (p.threads !== null) return forcedOn(p);
  return bytes !== null && bytes >= p.readerThreadMinMb * 1e6;
}

/** Whether `run` scores `customers` on a second thread while it segments. */
export function scoreThreadWanted(p: ThreadPolicy, customers: number): boolean {
  if (customers === 0 || p.cores < 2) return false;
  if (p.threads !== null) return forcedOn(p);
  return customers >= p.scoreThreadMinCustomers;
}

/** Whether the score thread also writes the customer table's summary and score cells. */
export function cellsThreadWanted(p: ThreadPolicy, customers: number): boolean {
  return forcedOn(p) || customers >= p.cellsThreadMinCustomers;
}

/** Whether `run` writes the customer workbook of `customers` on a thread of its own. */
export function workbookThreadWanted(p: ThreadPolicy, customers: number): boolean {
  if (p.cores < 2) return false;
  if (p.threads !== null) return forcedOn(p);
  return customers >= p.workbookThreadMinCustomers;
}

/** Threads for aggregating byte ranges of a canonical file of `bytes` (1: read it sequentially). */
export function rangeThreads(p: ThreadPolicy, bytes: number): number {
  const t = p.threads !== null && Number.isInteger(p.threads) && p.threads >= 1 ? Math.min(p.threads, p.cores * 2) : 1;
  return bytes > 0 && bytes >= p.rangeAggregateMinMb * 1e6 ? t : 1;
}
