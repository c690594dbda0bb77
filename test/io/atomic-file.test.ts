/** Atomic output replaces regular files only: devices are written in place, links followed. */
import { afterAll, describe, expect, it } from 'vitest';
import { lstatSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openAtomicFile, writeFileAtomic } from '../../src/io/atomic-file.js';

const dir = mkdtempSync(join(tmpdir(), 'custkit-atomic-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('atomic files', () => {
  it('replaces a regular file only at commit and leaves no temporary file', () => {
    const p = join(dir, 'a.csv');
    writeFileSync(p, 'old');
    const f = openAtomicFile(p);
    f.write('new');
    expect(readFileSync(p, 'utf8')).toBe('old');
    f.commit();
    expect(readFileSync(p, 'utf8')).toBe('new');
    expect(readdirSync(dir).filter((n) => n.startsWith('.custkit-tmp'))).toEqual([]);
  });

  it('writes /dev/null in place instead of renaming a plain file over the device', () => {
    writeFileAtomic('/dev/null', 'x');
    const f = openAtomicFile('/dev/null');
    f.write('rows');
    f.commit();
    expect(statSync('/dev/null').isCharacterDevice()).toBe(true);
  });

  it('follows a symbolic link: the file it points to is replaced, the link stays', () => {
    const real = join(dir, 'real.csv');
    const link = join(dir, 'link.csv');
    writeFileSync(real, 'old');
    symlinkSync(real, link);
    writeFileAtomic(link, 'new');
    expect(lstatSync(link).isSymbolicLink()).toBe(true);
    expect(readFileSync(real, 'utf8')).toBe('new');
  });
});
