/** The header of a canonical transactions file, read without reading the file: for choosing how to read it. */
import { closeSync, fstatSync, openSync, readSync } from 'node:fs';
import { isCanonicalHeader } from '../core/types.js';

/** Byte offset just after the first '\n' at or after `pos` (or the file size). */
export function nextLineStart(fd: number, pos: number, size: number): number {
  const buf = Buffer.alloc(1 << 16);
  while (pos < size) {
    const n = readSync(fd, buf, 0, buf.length, pos);
    if (n <= 0) break;
    const i = buf.subarray(0, n).indexOf(10);
    if (i !== -1) return pos + i + 1;
    pos += n;
  }
  return size;
}

/** The header cells of an open file whose body starts at `bodyStart`, when it is a plain (unquoted) canonical header; else null. */
export function headerAt(fd: number, bodyStart: number): string[] | null {
  const head = Buffer.alloc(Math.min(bodyStart, 1 << 16));
  readSync(fd, head, 0, head.length, 0);
  const line = head.toString('utf8').replace(/^\uFEFF/, '').replace(/\r?\n$/, '');
  if (line.includes('"')) return null;
  const header = line.split(',');
  return isCanonicalHeader(header) ? header : null;
}

/** Whether `path` is a file that starts with a plain canonical header (not a customer table). */
export function hasCanonicalHeader(path: string): boolean {
  return canonicalHeaderOf(path) !== null;
}

/** The header of a file that starts with a plain canonical header, else null. */
export function canonicalHeaderOf(path: string): string[] | null {
  let fd: number;
  try {
    fd = openSync(path, 'r');
  } catch {
    return null;
  }
  try {
    const size = fstatSync(fd).size;
    return size > 0 ? headerAt(fd, nextLineStart(fd, 0, size)) : null;
  } finally {
    closeSync(fd);
  }
}
