/** Atomic output replaces regular files only: devices are written in place, links followed. */
import { afterAll, describe, expect, it } from 'vitest';
import { lstatSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { copyFileAtomic, openAtomicFile, writeFileAtomic } from '../../src/io/atomic-file.js';

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

  it('copies a file of several 1 MiB chunks and a partial one over the target, leaving no temporary file', () => {
    const from = join(dir, 'big.csv'), to = join(dir, 'copy.csv');
    const bytes = Buffer.alloc(3 * (1 << 20) + 12345);
    for (let i = 0; i < bytes.length; i++) bytes[i] = (i * 31 + (i >> 11)) & 255;
    writeFileSync(from, bytes);
    writeFileSync(to, 'old');
    copyFileAtomic(from, to);
    expect(readFileSync(to).equals(bytes)).toBe(true);
    expect(readdirSync(dir).filter((n) => n.startsWith('.custkit-tmp'))).toEqual([]);
    expect(() => copyFileAtomic(join(dir, 'missing.csv'), to)).toThrow();
    expect(readFileSync(to).equals(bytes)).toBe(true);
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
