/**
 * Write errors are reported, never swallowed (#23): a full disk, a read-only folder, a path
 * naming a folder and a failing stdout each end in an OutputError naming the output, and no
 * temporary file is left behind. The full and read-only disks are real small tmpfs mounts
 * (root only; skipped with a note elsewhere).
 */
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { afterAll, describe, expect, it } from 'vitest';
import { openAtomicFile, writeFileAtomic } from '../../src/io/atomic-file.js';
import { OutputError } from '../../src/io/output-error.js';
import { prepareOutputFolder } from '../../src/io/output-paths.js';
import { pendingCleanups, runCleanup } from '../../src/io/process-cleanup.js';
import { BrokenPipe, fileSink, stdoutSink } from '../../src/io/text-output.js';
import { mountSmallFs } from '../helpers/small-fs.js';

const dir = mkdtempSync(join(tmpdir(), 'custkit-write-errors-'));
const full = mountSmallFs('64k');
const readOnly = mountSmallFs('64k', ['ro']);
afterAll(() => {
  full.cleanup();
  readOnly.cleanup();
  rmSync(dir, { recursive: true, force: true });
});
if (!full.dir) console.warn(`write-errors: full-disk tests skipped: ${full.why}`);
if (!readOnly.dir) console.warn(`write-errors: read-only tests skipped: ${readOnly.why}`);

const leftovers = (d: string): string[] => readdirSync(d).filter((f) => f.startsWith('.custkit-tmp-'));
const MiB = Buffer.alloc(1 << 20, 'x');

/** The error `fn` throws (or the promise it returns rejects with). */
async function caught(fn: () => unknown): Promise<unknown> {
  try {
    await fn();
  } catch (e) {
    return e;
  }
  throw new Error('expected an error');
}

describe.skipIf(!full.dir)('a full disk', () => {
  it('an atomic file throws ENOSPC naming the target, removes its temporary file and unregisters it', async () => {
    const target = join(full.dir!, 'out.csv');
    const before = pendingCleanups();
    const f = openAtomicFile(target);
    expect(pendingCleanups()).toBe(before + 1);
    const e = await caught(() => f.write(MiB));
    expect(e).toBeInstanceOf(OutputError);
    expect((e as OutputError).code).toBe('ENOSPC');
    expect((e as OutputError).target).toBe(target);
    expect(leftovers(full.dir!)).toEqual([]);
    expect(pendingCleanups()).toBe(before);
    // commit after the failure throws it again: the target is never "written" by a later close
    expect(await caught(() => f.commit())).toBe(e);
    expect(existsSync(target)).toBe(false);
  });

  it('a file sink fails at the block that does not fit, with no temporary file left', async () => {
    const target = join(full.dir!, 'sink.csv');
    const s = fileSink(target);
    const e = await caught(async () => {
      for (let i = 0; i < 4; i++) s.writeBytes(MiB, 0, MiB.length);
      await s.close();
    });
    expect((e as OutputError).code).toBe('ENOSPC');
    s.abort(); // what a command's error path does: harmless after the failure
    expect(leftovers(full.dir!)).toEqual([]);
    expect(existsSync(target)).toBe(false);
  });

  it('writeFileAtomic throws ENOSPC and leaves nothing', async () => {
    const e = await caught(() => writeFileAtomic(join(full.dir!, 'audit.json'), MiB));
    expect((e as OutputError).code).toBe('ENOSPC');
    expect(readdirSync(full.dir!)).toEqual([]);
  });
});

describe.skipIf(!readOnly.dir)('a read-only folder', () => {
  it('an atomic file throws EROFS naming the target', async () => {
    const e = await caught(() => openAtomicFile(join(readOnly.dir!, 'out.csv')));
    expect((e as OutputError).code).toBe('EROFS');
    expect((e as OutputError).target).toBe(join(readOnly.dir!, 'out.csv'));
  });

  it('prepareOutputFolder refuses it, and a folder to be made in it', async () => {
    const e1 = (await caught(() => prepareOutputFolder(readOnly.dir!))) as OutputError;
    expect([e1.code, e1.op]).toEqual(['EROFS', 'folder']);
    const e2 = (await caught(() => prepareOutputFolder(join(readOnly.dir!, 'a', 'b')))) as OutputError;
    expect([e2.code, e2.op, e2.target]).toEqual(['EROFS', 'mkdir', join(readOnly.dir!, 'a', 'b')]);
    const e3 = (await caught(() => prepareOutputFolder(join(readOnly.dir!, 'DIR'), { makeLast: false }))) as OutputError;
    expect([e3.code, e3.op]).toEqual(['EROFS', 'mkdir']);
  });
});

describe('output paths that are not what they should be', () => {
  it('an atomic file on a folder throws EISDIR', async () => {
    const e = (await caught(() => openAtomicFile(dir))) as OutputError;
    expect([e.code, e.target]).toEqual(['EISDIR', dir]);
  });

  it('a missing folder for an output throws ENOENT, not an internal error', async () => {
    const e = (await caught(() => openAtomicFile(join(dir, 'no', 'such', 'x.csv')))) as OutputError;
    expect(e.code).toBe('ENOENT');
  });

  it('prepareOutputFolder makes nested folders, and accepts an existing one', () => {
    const d = join(dir, 'made', 'here', 'out');
    prepareOutputFolder(d);
    expect(existsSync(d)).toBe(true);
    prepareOutputFolder(d);
  });

  it('prepareOutputFolder with makeLast: false makes only the parents, and still refuses a file', async () => {
    const d = join(dir, 'parents', 'only', 'DIR');
    prepareOutputFolder(d, { makeLast: false });
    expect(existsSync(join(dir, 'parents', 'only'))).toBe(true);
    expect(existsSync(d)).toBe(false);
    writeFileSync(d, 'x');
    const e = (await caught(() => prepareOutputFolder(d, { makeLast: false }))) as OutputError;
    expect(e.code).toBe('EEXIST');
  });

  it('prepareOutputFolder: a file is EEXIST, a file as a parent is ENOTDIR', async () => {
    const file = join(dir, 'plain.txt');
    writeFileSync(file, 'x');
    const e1 = (await caught(() => prepareOutputFolder(file))) as OutputError;
    expect([e1.code, e1.op]).toEqual(['EEXIST', 'mkdir']);
    const e2 = (await caught(() => prepareOutputFolder(join(file, 'sub', 'deeper')))) as OutputError;
    expect([e2.code, e2.op]).toEqual(['ENOTDIR', 'mkdir']);
  });

  it.skipIf(!existsSync('/proc/self'))('prepareOutputFolder fails at once on /proc/x (recursive mkdirSync loops forever there)', async () => {
    const e = (await caught(() => prepareOutputFolder('/proc/custkit-x/y'))) as OutputError;
    expect([e.code, e.op, e.target]).toEqual(['ENOENT', 'mkdir', '/proc/custkit-x/y']);
  });
});

describe('the temporary file beside an output', () => {
  it('is registered for cleanup while it exists: runCleanup (a signal) removes it', () => {
    const d = join(dir, 'cleanup');
    mkdirSync(d);
    const f = openAtomicFile(join(d, 'x.csv'));
    f.write('rows\n');
    expect(leftovers(d)).toHaveLength(1);
    runCleanup();
    expect(leftovers(d)).toEqual([]);
    f.abort();
    expect(readdirSync(d)).toEqual([]);
  });
});

/** A stream whose writes fail with `code`, as a full disk or a closed pipe behind stdout does. */
function failingStream(code: string): Writable {
  return new Writable({
    write(_chunk, _enc, cb) {
      setImmediate(() => cb(Object.assign(new Error(`${code}: failed, write`), { code })));
    },
  });
}

describe('stdout', () => {
  it('a failed write (ENOSPC) is an OutputError on stdout, even on the last block written at close', async () => {
    const s = stdoutSink(failingStream('ENOSPC'));
    s.write('customer_id\nC1\n');
    const e = (await caught(() => s.close())) as OutputError;
    expect(e).toBeInstanceOf(OutputError);
    expect([e.code, e.target]).toEqual(['ENOSPC', 'stdout']);
  });

  it('EIO and EBADF too', async () => {
    for (const code of ['EIO', 'EBADF']) {
      const s = stdoutSink(failingStream(code));
      s.writeBytes(MiB, 0, MiB.length);
      s.writeBytes(MiB, 0, MiB.length);
      const e = (await caught(async () => {
        await s.drain();
        await s.close();
      })) as OutputError;
      expect(e.code).toBe(code);
    }
  });

  it('a reader that went away (EPIPE) is a BrokenPipe: the command ends quietly', async () => {
    const s = stdoutSink(failingStream('EPIPE'));
    s.write('customer_id\n');
    expect(await caught(() => s.close())).toBeInstanceOf(BrokenPipe);
  });
});
