/**
 * One TMPDIR for the whole test run, inherited by the test processes and the custkit
 * processes they start, and removed at the end: a run leaves nothing in the system's temp
 * folder, even from a test that forgot to clean up or a file whose tests were all skipped.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export default function setup(): () => void {
  const previous = process.env.TMPDIR;
  const root = mkdtempSync(join(tmpdir(), 'custkit-test-'));
  process.env.TMPDIR = root;
  return () => {
    rmSync(root, { recursive: true, force: true });
    if (previous === undefined) delete process.env.TMPDIR;
    else process.env.TMPDIR = previous;
  };
}
