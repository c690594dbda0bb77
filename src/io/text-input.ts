/**
 * Opening inputs as decoded text streams: a path or `-` for stdin, any supported encoding.
 * The only module that knows `-` means stdin. Reads in 1 MiB chunks; memory is one chunk.
 */
import { isAscii } from 'node:buffer';
import { createReadStream, statSync } from 'node:fs';
import iconv from 'iconv-lite';
import { dataError } from '../errors.js';
import { detectEncoding, firstInvalidUtf8 } from '../core/ingest/sniff.js';

export type TextEncoding = 'utf-8' | 'utf-16le' | 'utf-16be' | 'gb18030';
export const ENCODINGS: readonly string[] = ['auto', 'utf-8', 'utf-16le', 'utf-16be', 'gb18030', 'gbk'];

export interface TextInput {
  /** How the input is named in messages: the path, or `<stdin>`. */
  label: string;
  encoding: TextEncoding;
  /** Size in bytes when known (files), for progress. */
  size: number | null;
  /** Decoded text chunks, BOM removed. */
  chunks: AsyncIterable<string>;
  /**
   * Bytes of the input decoded into the chunks yielded so far: with `size`, the
   * fraction read, whatever the encoding (a chunk's length counts UTF-16 code units, which is
   * half the bytes in UTF-16 and fewer than the bytes for non-ASCII UTF-8 or GB18030).
   */
  bytesRead(): number;
}

const CHUNK = 1 << 20;
/** UTF-8 input is decoded in slices of this many bytes (see `decoded`). */
const DECODE_SLICE = 1 << 16;

/** The one place that knows `-` names stdin: true when the argument does. */
export const STDIN = '-';
export const isStdin = (path: string): boolean => path === STDIN;

/** How messages name an input: its path, or `<stdin>`. */
export const inputLabel = (path: string): string => (isStdin(path) ? '<stdin>' : path);

function byteStream(path: string): AsyncIterable<Buffer> {
  if (isStdin(path)) return process.stdin as AsyncIterable<Buffer>;
  try {
    const st = statSync(path);
    if (st.isDirectory()) throw dataError(`${path} is a directory, not a file`, { file: path }, 'give a CSV file, or - for stdin');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') {
      throw dataError(`no such file`, { file: path }, 'check the path, or use - to read stdin');
    }
    if ((e as NodeJS.ErrnoException).code === 'EACCES') {
      throw dataError(`permission denied`, { file: path });
    }
    throw e;
  }
  return createReadStream(path, { highWaterMark: CHUNK });
}

/** Normalises a user --encoding value. */
export function normaliseEncoding(e: string): TextEncoding | 'auto' {
  const v = e.toLowerCase().replace(/_/g, '-');
  if (v === 'auto') return 'auto';
  if (v === 'utf8' || v === 'utf-8' || v === 'utf-8-bom' || v === 'utf8-bom') return 'utf-8';
  if (v === 'utf16le' || v === 'utf-16le' || v === 'utf-16' || v === 'ucs-2') return 'utf-16le';
  if (v === 'utf16be' || v === 'utf-16be') return 'utf-16be';
  if (v === 'gb18030' || v === 'gbk' || v === 'gb2312' || v === 'cp936') return 'gb18030';
  throw dataError(`unknown encoding "${e}"`, undefined, `use one of ${ENCODINGS.join(', ')}`);
}

/**
 * Opens `path` (or stdin for `-`) and decodes it. With encoding 'auto' the first chunk
 * decides (BOM, UTF-16 NUL pattern, UTF-8 validity, else GB18030). Invalid UTF-8 later in
 * a file is an error naming the byte offset, never silent replacement characters.
 */
export async function openText(path: string, encoding: TextEncoding | 'auto' = 'auto'): Promise<TextInput> {
  const label = inputLabel(path);
  const size = isStdin(path) ? null : statSafe(path);
  const it = byteStream(path)[Symbol.asyncIterator]();
  let first: Buffer = Buffer.alloc(0);
  // Gather at least 64 KiB (or everything) for detection.
  const pending: Buffer[] = [];
  let have = 0;
  let done = false;
  while (have < 65536) {
    const r = await it.next();
    if (r.done) { done = true; break; }
    pending.push(r.value);
    have += r.value.length;
  }
  first = pending.length === 1 ? pending[0]! : Buffer.concat(pending);
  const det = detectEncoding(first);
  let enc: TextEncoding;
  let bom = 0;
  if (encoding === 'auto') {
    if (det.encoding === 'gb18030' && !det.confident) {
      // Neither UTF-8 nor well-formed GB18030 (e.g. Windows-1252): decoding would silently
      // produce wrong characters, so ask instead.
      throw dataError(
        `bytes that are neither UTF-8 nor GB18030 near byte ${Math.max(0, firstInvalidUtf8(first))}`,
        { file: label },
        'give the encoding with --encoding utf-8, gb18030, utf-16le or utf-16be (other encodings: convert with iconv first)',
      );
    }
    enc = det.encoding;
    bom = det.bom;
  } else {
    enc = encoding;
    bom = det.encoding === enc ? det.bom : 0;
  }
  /** Bytes decoded so far (see TextInput.bytesRead). */
  let offset = 0;
  async function* decoded(): AsyncIterable<string> {
    if (enc === 'utf-8') {
      const dec = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });
      // ASCII fast path: a pure-ASCII chunk is the same text in Latin-1, which Node copies
      // without validating (far cheaper than TextDecoder). Only when the decoder holds
      // no cut sequence from the previous chunk, which is so when that chunk ended in ASCII.
      let clean = true;
      const feed = (b: Buffer, stream: boolean): string => {
        if (clean && b.length > 0 && isAscii(b)) return b.toString('latin1');
        try {
          const s = dec.decode(b, { stream });
          clean = b.length === 0 || b[b.length - 1]! < 0x80;
          return s;
        } catch {
          // offset is where this chunk starts; the bad byte is inside it (or, for a sequence
          // cut at the previous chunk's end, right at its start).
          throw dataError(
            `bytes that are not valid UTF-8 near byte ${offset + Math.max(0, firstInvalidUtf8(b))}`,
            { file: label },
            'the file may be GBK/GB18030 or UTF-16: try --encoding gb18030 (or utf-16le)',
          );
        }
      };
      // Decode in 64 KiB slices: a 1 MiB read decoded at once makes a string of up to 2 MiB
      // that no longer fits the CPU cache; text with non-ASCII in every row then decodes
      // several times slower (docs/performance.md).
      let b = first.subarray(bom);
      offset = bom;
      let firstSlice = true;
      for (let o = 0; o < b.length || firstSlice; o += DECODE_SLICE) {
        const part = b.subarray(o, o + DECODE_SLICE);
        const s = feed(part, true);
        offset += part.length;
        if (s.length || firstSlice) yield s;
        firstSlice = false;
      }
      if (!done) {
        for (;;) {
          const r = await it.next();
          if (r.done) break;
          b = r.value;
          for (let o = 0; o < b.length; o += DECODE_SLICE) {
            const part = b.subarray(o, o + DECODE_SLICE);
            const s = feed(part, true);
            offset += part.length;
            if (s.length) yield s;
          }
        }
      }
      const tail = feed(Buffer.alloc(0), false);
      if (tail.length) yield tail;
      return;
    }
    const decoder = iconv.getDecoder(enc === 'gb18030' ? 'gb18030' : enc);
    offset = first.length;
    yield decoder.write(first.subarray(bom));
    if (!done) {
      for (;;) {
        const r = await it.next();
        if (r.done) break;
        offset += r.value.length;
        const s = decoder.write(r.value);
        if (s.length) yield s;
      }
    }
    const tail = decoder.end();
    if (tail) yield tail;
  }
  return { label, encoding: enc, size, chunks: decoded(), bytesRead: () => offset };
}

function statSafe(path: string): number | null {
  try {
    return statSync(path).size;
  } catch {
    return null;
  }
}
