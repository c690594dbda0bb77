/**
 * What a custkit process does when it is told to stop: SIGINT, SIGTERM and SIGHUP run the
 * cleanup registry (temporary files beside outputs, the process's temp folder, staging
 * folders; see io/process-cleanup.ts) and exit with 128 + the signal's number, as a shell
 * reports a process killed by it. Outputs are only ever renamed into place when complete, so
 * the previous ones stay as they were. Worker threads end with the process (process.exit
 * terminates them; their cleanup actions already asked them to).
 *
 * Installed once per process by the launcher (bin/custkit.js), never by main(): tests call
 * main() in-process many times and must keep their runner's own signal handling.
 */
import { constants } from 'node:os';
import { runCleanup } from '../io/process-cleanup.js';

export const STOP_SIGNALS = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;

let installed = false;

/** 128 + the signal's number: 130 for SIGINT, 143 for SIGTERM, 129 for SIGHUP. */
export function signalExitCode(signal: NodeJS.Signals): number {
  return 128 + (constants.signals[signal] ?? 0);
}

/** Installs the stop-signal handlers and the cleanup on 'exit' (once; later calls do nothing). */
export function installExitCleanup(): void {
  if (installed) return;
  installed = true;
  // Any way out (a normal end, process.exit, an uncaught error) removes what is left.
  process.on('exit', runCleanup);
  for (const signal of STOP_SIGNALS) {
    process.on(signal, () => {
      runCleanup();
      process.exit(signalExitCode(signal));
    });
  }
}
