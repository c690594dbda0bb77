/**
 * Test setup: property tests run with a fixed seed, so a CI run is reproducible; and every
 * test file gets its own TMPDIR (inherited by the custkit processes it starts), removed when
 * the file ends, so a run of the suite leaves nothing in the system's temp folder.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll } from 'vitest';
import { runCleanup } from '../src/io/process-cleanup.js';

fc.configureGlobal({ seed: 20261122, numRuns: 100 });

const systemTmp = process.env.TMPDIR;
const testTmp = mkdtempSync(join(tmpdir(), 'custkit-test-'));
process.env.TMPDIR = testTmp;

afterAll(() => {
  runCleanup(); // what in-process code of this file registered (spools, the process temp folder)
  if (systemTmp === undefined) delete process.env.TMPDIR;
  else process.env.TMPDIR = systemTmp;
  rmSync(testTmp, { recursive: true, force: true });
});
