/**
 * The one protocol between the main thread and a worker thread. The main thread starts a job
 * (startJob): one worker runs src/parallel/worker.ts, which picks the job's code by its kind.
 * The worker answers with replies (`{ reply }`) or one error (`{ error }`); the main thread may
 * post requests. A job ends with its last reply (the caller says which that is), with its
 * error, with a worker 'error' event, or with the worker exiting before its last reply, which
 * fails the job rather than leaving the command waiting. Every worker is registered with the
 * process cleanup until it exits, so a signal or the end of main() terminates it.
 */
import { Worker, type MessagePort, type TransferListItem } from 'node:worker_threads';
import { CustkitError, type ExitCode } from '../errors.js';
import { atCleanup } from '../io/process-cleanup.js';
import { OutputError, isSystemError, type OutputOp } from '../io/output-error.js';

/** The compiled entry: tests run the sources, whose workers still need JavaScript. */
const ENTRY = new URL('../../dist/parallel/worker.js', import.meta.url);

/** An error as it crosses threads: custkit errors keep their exit code, hint and place. */
export interface WorkerError {
  message: string;
  custkit: boolean;
  exitCode?: number;
  hint?: string;
  where?: CustkitError['where'];
  /** An OutputError (a full disk, a read-only folder): its output and system error, so the CLI reports it as it would on the main thread. */
  output?: { target: string; op: OutputOp; cause: SystemFields };
  /** Any other system error (a missing file): its errno fields, so the CLI reports it as it would on the main thread. */
  system?: SystemFields;
}

/** What a system error is reported by (src/cli/error-report.ts). */
interface SystemFields {
  message: string;
  code?: string;
  errno?: number;
  syscall?: string;
  path?: string;
  dest?: string;
}

const systemFields = (e: NodeJS.ErrnoException): SystemFields => {
  const { message, code, errno, syscall, path } = e;
  return { message, code, errno, syscall, path, dest: (e as { dest?: string }).dest };
};

/** A system error again from its fields (absent ones left out). */
function systemErrorOf(f: SystemFields): NodeJS.ErrnoException {
  const { message, ...fields } = f;
  const e = new Error(message) as NodeJS.ErrnoException;
  for (const [k, v] of Object.entries(fields)) if (v !== undefined) (e as unknown as Record<string, unknown>)[k] = v;
  return e;
}

/** What a worker posts. */
export type FromWorker<R> = { reply: R } | { error: WorkerError };

export function toWorkerError(e: unknown): WorkerError {
  if (e instanceof CustkitError) return { message: e.message, custkit: true, exitCode: e.exitCode, hint: e.hint, where: e.where };
  if (e instanceof OutputError) return { message: e.message, custkit: false, output: { target: e.target, op: e.op, cause: systemFields(e.cause) } };
  if (isSystemError(e)) return { message: e.message, custkit: false, system: systemFields(e) };
  return { message: e instanceof Error ? e.message : String(e), custkit: false };
}

/** The main thread's description of a job, for its messages and its end. */
export interface JobSpec<R> {
  /** Names the thread in errors: "score thread". */
  name: string;
  /** What an early exit came before: "its result" → "score thread stopped (exit code 1) before its result". */
  until: string;
  /** Whether an error from the job's code is prefixed with the name ("score thread: …"); custkit errors never are. */
  prefixErrors: boolean;
  /** Whether `r` is the job's last reply (after it, the worker's exit is expected). */
  isLast(r: R): boolean;
  onReply(r: R): void;
  /**
   * Called at most once, and never after the last reply. `inOrder`: the job's code threw, and
   * its error came after all its replies (else the thread failed or exited at some point).
   */
  onFail(e: Error, inOrder: boolean): void;
}

/** A started job, on the main thread. */
export interface JobThread<Q> {
  post(request: Q, transfer?: readonly TransferListItem[]): void;
  /** Terminates the worker: a job not ended yet fails (exit before its last reply). */
  terminate(): void;
  /** Stops listening, then terminates the worker (harmless once it has ended). */
  stop(): Promise<void>;
}

/** Starts `job` on a new worker (moving `transfer`) and routes its messages to `spec`. */
export function startJob<J extends { kind: string }, R, Q = never>(job: J, transfer: readonly TransferListItem[], spec: JobSpec<R>): JobThread<Q> {
  const w = new Worker(ENTRY, { workerData: job, transferList: [...transfer] });
  const forget = atCleanup(() => void w.terminate());
  let ended = false; // the last reply or a failure arrived
  const fail = (e: Error, inOrder = false): void => {
    if (ended) return;
    ended = true;
    spec.onFail(e, inOrder);
  };
  w.on('message', (m: FromWorker<R>) => {
    if (ended) return;
    if ('error' in m) fail(fromWorkerError(m.error, spec), true);
    else {
      if (spec.isLast(m.reply)) ended = true;
      spec.onReply(m.reply);
    }
  });
  w.once('error', (e) => fail(e));
  w.once('exit', (code) => {
    forget();
    fail(new Error(`${spec.name} stopped (exit code ${code}) before ${spec.until}`));
  });
  return {
    post: (request, t) => w.postMessage(request, t === undefined ? undefined : [...t]),
    terminate: () => void w.terminate(),
    stop: async () => {
      ended = true;
      w.removeAllListeners('message');
      await w.terminate();
    },
  };
}

function fromWorkerError(e: WorkerError, spec: JobSpec<unknown>): Error {
  if (e.custkit) return new CustkitError(e.message, e.exitCode as ExitCode, e.hint, e.where);
  if (e.output) return new OutputError(e.output.target, systemErrorOf(e.output.cause), e.output.op);
  if (e.system) return systemErrorOf(spec.prefixErrors ? { ...e.system, message: `${spec.name}: ${e.message}` } : e.system);
  return new Error(spec.prefixErrors ? `${spec.name}: ${e.message}` : e.message);
}

/** The worker's side of a job: replies, its error, and the main thread's requests. */
export interface JobPort<R, Q = never> {
  reply(r: R, transfer?: readonly TransferListItem[]): void;
  fail(e: unknown): void;
  /** Listens for requests until the returned function is called (the worker then ends once idle). */
  onRequest(fn: (q: Q) => void): () => void;
}

export function jobPort<R, Q>(port: MessagePort): JobPort<R, Q> {
  return {
    reply: (r, t) => port.postMessage({ reply: r } satisfies FromWorker<R>, t === undefined ? undefined : [...t]),
    fail: (e) => port.postMessage({ error: toWorkerError(e) } satisfies FromWorker<R>),
    onRequest(fn) {
      port.on('message', fn);
      // off, not removeAllListeners: in Node 20 only off lets go of the port, and the thread would not end.
      return () => void port.off('message', fn);
    },
  };
}
