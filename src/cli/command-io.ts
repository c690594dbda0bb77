/**
 * Plumbing every command shares, written once: which input a command reads when given none
 * (`-`, stdin) and what happens when stdout's reader goes away while a command waits on it.
 */
import { STDIN } from '../io/text-input.js';
import { stdoutFailure } from '../io/text-output.js';

/** The one input of a command: the first argument, else stdin. */
export const inputFile = (args: readonly string[]): string => args[0] ?? STDIN;

/** The inputs of a command taking several: the arguments, else stdin. */
export const inputFiles = (args: readonly string[]): string[] => (args.length ? [...args] : [STDIN]);

export interface PipeWatch {
  /** `p`, or BrokenPipe / OutputError as soon as the stream is gone. */
  race<T>(p: Promise<T>): Promise<T>;
  dispose(): void;
}

/**
 * Watches stdout for its reader going away (`custkit ingest big.csv | head -1`): EPIPE or
 * close. A write that filled the pipe waits for 'drain', which never comes once the reader
 * has exited; `race` ends that wait with BrokenPipe (main() exits 0 quietly) instead of
 * leaving Node with an unsettled promise (exit code 13). Any other error (a full disk behind
 * `> file`) ends it with an OutputError (exit 2). `null`: output goes to a file, nothing to watch.
 */
export function watchPipe(stream: NodeJS.WritableStream | null): PipeWatch {
  if (!stream) return { race: (p) => p, dispose() {} };
  let gone = false;
  let failure: NodeJS.ErrnoException | null = null;
  let wake: () => void = () => {};
  const goneP = new Promise<void>((res) => { wake = res; });
  const onClose = (): void => { gone = true; wake(); };
  // Any error ends the wait; stdoutFailure tells a reader gone (exit 0) from a failed write (exit 2).
  const onError = (e: NodeJS.ErrnoException): void => { failure ??= e; onClose(); };
  stream.on('error', onError);
  stream.on('close', onClose);
  return {
    async race<T>(p: Promise<T>): Promise<T> {
      if (gone) throw stdoutFailure(stream, failure);
      const r = await Promise.race([p, goneP]);
      if (gone) throw stdoutFailure(stream, failure);
      return r as T;
    },
    dispose() {
      stream.off('error', onError);
      stream.off('close', onClose);
    },
  };
}
