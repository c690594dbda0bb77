/**
 * A real small filesystem for write-error tests: a tmpfs of a few KiB fills up (ENOSPC), and one
 * mounted read-only refuses every write (EROFS). Mounting needs root; where it fails the tests
 * that need it are skipped and say why.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface SmallFs {
  /** The mount point, or null when nothing could be mounted. */
  dir: string | null;
  /** Why `dir` is null (printed as the skip note). */
  why: string;
  /** Unmounts and removes the mount point. */
  cleanup(): void;
}

/** Mounts a tmpfs of `size` (e.g. '64k') with mount `options` (e.g. 'ro') on a fresh folder. */
export function mountSmallFs(size: string, options: string[] = []): SmallFs {
  const dir = mkdtempSync(join(tmpdir(), 'custkit-smallfs-'));
  const remove = (): void => rmSync(dir, { recursive: true, force: true });
  if (process.getuid?.() !== 0) {
    remove();
    return { dir: null, why: 'not root: cannot mount a small tmpfs', cleanup() {} };
  }
  try {
    execFileSync('mount', ['-t', 'tmpfs', '-o', [`size=${size}`, ...options].join(','), 'tmpfs', dir], { stdio: 'pipe' });
  } catch (e) {
    remove();
    return { dir: null, why: `mount -t tmpfs failed: ${(e as Error).message.split('\n')[0]}`, cleanup() {} };
  }
  return {
    dir,
    why: '',
    cleanup() {
      try {
        execFileSync('umount', [dir], { stdio: 'pipe' });
      } finally {
        remove();
      }
    },
  };
}
