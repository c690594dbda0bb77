/**
 * Test setup: property tests run with a fixed seed, so a CI run is reproducible; what
 * in-process code registered for cleanup (spools, the process temp folder) is removed when a
 * file ends. The run's TMPDIR is test/global-setup.ts's.
 */
import fc from 'fast-check';
import { afterAll } from 'vitest';
import { runCleanup } from '../src/io/process-cleanup.js';

fc.configureGlobal({ seed: 20261122, numRuns: 100 });

afterAll(() => runCleanup());
