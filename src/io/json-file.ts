/**
 * Reading a small JSON file an option names (`--config`, `--segments`). A file that is not
 * JSON is described, never quoted: the path may name any file (`--config /etc/shadow`), and
 * JSON.parse's own messages echo the text ("Unexpected token 'r', "root:x:0:0"... is not valid JSON").
 */
import { closeSync, fstatSync, openSync, readSync } from 'node:fs';
import { dataError } from '../errors.js';

/** Larger than any config or segment map custkit writes or documents. */
export const JSON_FILE_MAX_BYTES = 16 * 1024 * 1024;

/** Why a file is not the JSON asked for: a description that quotes none of its text. */
export class NotJson extends Error {
  constructor(readonly reason: string) {
    super(reason);
    this.name = 'NotJson';
  }
}

/** Reads at most `max` + 1 bytes of a regular file (a FIFO or /dev/zero never ends). */
function readBounded(path: string, max: number): Buffer {
  const fd = openSync(path, 'r');
  try {
    if (!fstatSync(fd).isFile()) throw new NotJson('not a regular file');
    const buf = Buffer.alloc(max + 1);
    let n = 0;
    for (let k = 1; k > 0 && n < buf.length; n += k) k = readSync(fd, buf, n, buf.length - n, null);
    if (n > max) throw new NotJson(`larger than ${max / 1024 / 1024} MiB`);
    return buf.subarray(0, n);
  } finally {
    closeSync(fd);
  }
}

/** True for bytes no JSON text holds: NUL and other C0 controls but tab, CR, LF (RFC 8259 §2 allows only those as whitespace). */
const looksBinary = (text: string): boolean => /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f\ufffd]/.test(text.slice(0, 4096));

/** 1-based line and column of a character offset. */
function lineColumn(text: string, pos: number): string {
  let line = 1;
  let start = 0;
  for (let i = 0; i < pos && i < text.length; i++) {
    if (text.charCodeAt(i) === 10) {
      line++;
      start = i + 1;
    }
  }
  return `line ${line}, column ${pos - start + 1}`;
}

/**
 * The parsed JSON of a file whose top level must be an object.
 * @throws NotJson with a description ("starts with binary data", "not valid JSON at line 3, column 7");
 * the file system's own error (ENOENT, EACCES, EISDIR) when it cannot be read.
 */
export function readJsonObjectFile(path: string): unknown {
  const bytes = readBounded(path, JSON_FILE_MAX_BYTES);
  const text = bytes.toString('utf8').replace(/^\uFEFF/, '');
  if (looksBinary(text)) throw new NotJson('starts with binary data');
  const first = /\S/.exec(text);
  if (!first) throw new NotJson('the file is empty');
  if (first[0] !== '{') throw new NotJson('starts with text that is not a JSON object (no "{")');
  try {
    return JSON.parse(text);
  } catch (e) {
    const msg = (e as Error).message;
    const pos = /at position (\d+)/.exec(msg);
    if (pos) throw new NotJson(`not valid JSON at ${lineColumn(text, Number(pos[1]))}`);
    if (/Unexpected end of JSON input/.test(msg)) throw new NotJson('not valid JSON: it ends before the object is closed');
    throw new NotJson('not valid JSON');
  }
}

/** A file system error as a few words (the path is named by the caller). */
export function fileErrorText(e: unknown): string {
  const code = (e as NodeJS.ErrnoException)?.code;
  return code === 'ENOENT' ? 'no such file' : code === 'EACCES' || code === 'EPERM' ? 'permission denied' : code === 'EISDIR' ? 'a directory, not a file' : `cannot read it${code ? ` (${code})` : ''}`;
}

/**
 * A JSON document custkit wrote (`kind`: audit, fit, cohorts) read back: any problem is a data
 * error naming the file (exit 2), described as "not a KIND JSON file" or "cannot read KIND JSON".
 */
export function readJsonDocument(path: string, kind: string, hint: string): unknown {
  try {
    return readJsonObjectFile(path);
  } catch (e) {
    const a = /^[aeiou]/.test(kind) ? 'an' : 'a';
    throw dataError(e instanceof NotJson ? `not ${a} ${kind} JSON file: ${e.reason}` : `cannot read ${kind} JSON: ${fileErrorText(e)}`, { file: path }, hint);
  }
}
