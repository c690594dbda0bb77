/**
 * `run`'s output folder, all or nothing. `--out DIR` is a symbolic link to one complete set,
 * `.DIR.runs/<version>/` (a sibling, same filesystem). A run writes its files into a new
 * version folder, then switches DIR to it with ONE rename(2) of a new link over the old one,
 * which is atomic: at every moment, also after a SIGKILL, DIR shows the old set or the new
 * one, never a mix. The new set's `previous` links to the old set, which is kept; older sets
 * and the leftovers of crashed runs are removed by the next run.
 *
 * The lock (run-lock.ts) is `.DIR.runs/lock`, not inside DIR: DIR is swapped by the rename.
 *
 * A DIR that is a real folder (written by an earlier custkit) is moved into `.DIR.runs/` at
 * the switch, if it holds only files custkit's run writes; that upgrade takes two renames, and
 * a crash between them is finished by the next run (the new link waits as `.DIR.runs/next`).
 */
import { lstatSync, mkdirSync, readdirSync, readlinkSync, renameSync, rmSync, statSync, symlinkSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { dataError } from '../errors.js';
import { atCleanup } from './process-cleanup.js';
import { asOutputError } from './output-error.js';
import { acquireLock, type LockHolder } from './run-lock.js';

/** Files `run` writes (and an earlier custkit's DIR may hold besides previous/). */
const RUN_FILES = new Set(['customers.csv', 'customers.excel.csv', 'report.html', 'report.md', 'report.json', 'report.csv', 'audit.json', 'rejects.csv', 'fit.json', 'run.json', 'previous']);

export interface RunFolder {
  /** The folder users read (--out, resolved). */
  readonly dir: string;
  /** The current complete set (what DIR shows now), or null. */
  readonly current: string | null;
  /** Where this run writes its files. */
  readonly stage: string;
  /** Makes the staged set what DIR shows (one rename), keeps the old set as previous/, releases the lock. */
  commit(): void;
  /** Removes the staged files and releases the lock; DIR is left as it was. */
  abort(): void;
}

const lexists = (p: string): boolean => {
  try {
    lstatSync(p);
    return true;
  } catch {
    return false;
  }
};

/** `.DIR.runs` beside DIR. */
export const runsDirOf = (dir: string): string => join(dirname(dir), `.${basename(dir)}.runs`);

/** The version DIR's link names (`.DIR.runs/<name>`), or null when DIR is no such link. */
function linkedVersion(dir: string): string | null {
  try {
    const target = readlinkSync(dir);
    const prefix = `.${basename(dir)}.runs/`;
    return target.startsWith(prefix) && !target.slice(prefix.length).includes('/') ? target.slice(prefix.length) : null;
  } catch {
    return null;
  }
}

/** --out as a path; a link not made by custkit is followed (the folder it names is managed). */
export function resolveOutDir(dirIn: string): string {
  let dir = resolve(dirIn);
  for (let hops = 0; hops < 40; hops++) {
    let isLink = false;
    try {
      isLink = lstatSync(dir).isSymbolicLink();
    } catch {
      return dir;
    }
    if (!isLink || linkedVersion(dir) !== null) return dir;
    dir = resolve(dirname(dir), readlinkSync(dir));
  }
  return dir;
}

/** A version name: sortable by time, unique by pid. */
const versionName = (): string => `${new Date().toISOString().replace(/[-:.]/g, '')}-${process.pid}`;

/**
 * Takes the lock (waiting when `wait`), finishes a switch a crash interrupted, removes what
 * crashed runs left, and makes this run's staging folder.
 */
export async function openRunFolder(outDir: string, opts: { wait: boolean; onWait: (h: LockHolder | null) => void }): Promise<RunFolder> {
  const dir = resolveOutDir(outDir);
  const runs = runsDirOf(dir);
  const lockPath = join(runs, 'lock');
  try {
    // Not recursive: the parents exist (output-paths.ts), and a recursive mkdir loops forever where mkdir says ENOENT (/proc).
    mkdirSync(runs);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw asOutputError(e, dir, 'mkdir');
  }
  let got: Awaited<ReturnType<typeof acquireLock>>;
  try {
    got = await acquireLock(lockPath, opts.wait, opts.onWait);
  } catch (e) {
    throw asOutputError(e, lockPath);
  }
  if (!('release' in got)) {
    const h = got.heldBy;
    throw dataError(
      `${dir} is being written by another custkit run${h ? ` (pid ${h.pid}, started ${h.started})` : ''}`,
      { file: lockPath },
      'wait for it, or give --wait-lock to wait; a lock whose process is gone is taken over',
    );
  }
  try {
    return prepare(dir, runs, got.release);
  } catch (e) {
    got.release();
    throw asOutputError(e, dir, 'folder');
  }
}

function prepare(dir: string, runs: string, release: () => void): RunFolder {
  const next = join(runs, 'next');
  // A switch interrupted after the old folder was moved away: finish it.
  if (lexists(next)) {
    if (!lexists(dir)) renameSync(next, dir);
    else rmSync(next, { force: true });
  }
  let current: string | null = null;
  let legacy = false;
  const st = (() => {
    try {
      return lstatSync(dir);
    } catch {
      return null;
    }
  })();
  if (st?.isSymbolicLink()) {
    const v = linkedVersion(dir);
    if (v !== null && isDir(join(runs, v))) current = join(runs, v);
  } else if (st?.isDirectory()) {
    const foreign = readdirSync(dir).filter((f) => !RUN_FILES.has(f) && !f.startsWith('.custkit-tmp-'));
    if (foreign.length) {
      throw dataError(`--out folder holds files custkit run did not write: ${foreign.slice(0, 3).join(', ')}${foreign.length > 3 ? ', …' : ''}`, { file: dir }, 'give a new folder (or one written by custkit run) to --out');
    }
    legacy = true;
    current = dir;
  } else if (st) {
    throw dataError('--out exists and is not a folder', { file: dir }, 'give a folder path to --out');
  }
  const currentName = current === null ? null : legacy ? `${versionName()}-earlier` : basename(current);
  removeLeftovers(runs, current !== null && !legacy ? basename(current) : null);

  const name = versionName();
  const stage = join(runs, name);
  mkdirSync(stage);
  const unregister = atCleanup(() => rmSync(stage, { recursive: true, force: true }));
  if (currentName !== null) symlinkSync(`../${currentName}`, join(stage, 'previous'));
  let finished = false;
  return {
    dir,
    current,
    stage,
    commit() {
      if (finished) return;
      try {
        symlinkSync(`.${basename(dir)}.runs/${name}`, next);
        if (legacy) renameSync(dir, join(runs, currentName!));
        renameSync(next, dir); // the switch
      } catch (e) {
        // Undone, so that abort leaves DIR as it was and no link to the removed staging folder.
        rmSync(next, { force: true });
        if (legacy && !lexists(dir) && lexists(join(runs, currentName!))) renameSync(join(runs, currentName!), dir);
        throw asOutputError(e, dir);
      }
      finished = true;
      unregister();
      try {
        removeLeftovers(runs, name);
      } finally {
        release();
      }
    },
    abort() {
      if (finished) return;
      finished = true;
      unregister();
      try {
        rmSync(stage, { recursive: true, force: true });
      } finally {
        release();
      }
      // A first run that failed leaves nothing beside DIR either.
      if (!lexists(dir) && readdirSync(runs).length === 0) rmSync(runs, { recursive: true, force: true });
    },
  };
}

function isDir(p: string): boolean {
  try {
    return statSync(p).isDirectory();
  } catch {
    return false;
  }
}

/**
 * Removes from `.DIR.runs` every version but `keep` and the one its previous/ links to:
 * the staging folders of crashed runs and sets older than the previous one. The lock stays.
 */
function removeLeftovers(runs: string, keep: string | null): void {
  const kept = new Set(['lock']);
  if (keep !== null) {
    kept.add(keep);
    try {
      const prev = readlinkSync(join(runs, keep, 'previous'));
      if (prev.startsWith('../')) {
        kept.add(prev.slice(3));
        // The previous set's own previous link would name a set removed here.
        if (lexists(join(runs, prev.slice(3), 'previous')) && lstatSync(join(runs, prev.slice(3), 'previous')).isSymbolicLink()) rmSync(join(runs, prev.slice(3), 'previous'));
      }
    } catch {
      /* no previous set */
    }
  }
  for (const f of readdirSync(runs)) {
    if (kept.has(f) || f.startsWith('.lock-')) continue;
    rmSync(join(runs, f), { recursive: true, force: true });
  }
}
