/** Locates ../shared/data (reference datasets, read in place, never copied) for tests that use it. */
import { existsSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
export const SHARED_DATA = resolve(REPO_ROOT, '../shared/data');
export const HAS_SHARED = existsSync(resolve(SHARED_DATA, 'SOURCES.md'));
export const SKIP_SHARED_REASON = `../shared/data not found at ${SHARED_DATA}: reference-data tests skipped`;

if (!HAS_SHARED) {
  // One clear line in the test output instead of a silent skip.
  console.warn(`[custkit tests] ${SKIP_SHARED_REASON}`);
}

/** Path of a file in ../shared/data. */
export const sharedFile = (name: string): string => resolve(SHARED_DATA, name);
