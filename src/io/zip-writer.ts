/**
 * A streaming ZIP writer (PKWARE APPNOTE 6.3.x) for the workbooks custkit writes: entries are
 * deflated as they are written and never held whole, so a sheet of a million rows streams.
 *
 * An entry's bytes are deflated in chunks on libuv's thread pool (node:zlib's async
 * deflateRaw), several chunks at once, each ended with a sync flush so that the raw deflate
 * streams concatenate into one (the way pigz splits its input); the entry ends with an empty
 * final block. The JavaScript thread only computes the CRC-32 (zlib.crc32, native) and copies.
 *
 * Sizes go in a data descriptor after each entry (general purpose flag bit 3); an entry or an
 * offset past 4 GiB, or more than 65,535 entries, switches to the ZIP64 records (APPNOTE 4.3.9,
 * 4.5.3, 4.3.14). Every entry carries the one date given, never the clock: the same content
 * gives the same bytes.
 */
import zlib from 'node:zlib';

/** Bytes of an entry deflated as one job (a chunk's own dictionary costs a little ratio only). */
const CHUNK = 1 << 20;
/** Output buffer of a deflate job: a chunk's output in one piece (zlib's default 16 KiB costs a callback each). */
const OUT_CHUNK = 1 << 19;
/** Chunks deflating at once (libuv's thread pool has 4 threads by default). */
const IN_FLIGHT = 4;
/** A final, empty fixed-Huffman block: ends a deflate stream made of sync-flushed chunks. */
const FINAL_BLOCK = Buffer.from([0x03, 0x00]);
const U32_MAX = 0xffffffff;

export type ZipSink = (bytes: Uint8Array) => void;

interface Done {
  name: Buffer;
  crc: number;
  compressed: number;
  size: number;
  offset: number;
}

/** CRC-32 (ISO-HDLC, the zip polynomial): zlib's native one where node has it (20.15+, 22.2+). */
const nativeCrc = (zlib as unknown as { crc32?: (data: Uint8Array, value?: number) => number }).crc32;
let table: Uint32Array | null = null;
export function crc32(data: Uint8Array, crc = 0): number {
  if (nativeCrc) return nativeCrc(data, crc);
  if (table === null) {
    table = new Uint32Array(256);
    for (let n = 0; n < 256; n++) {
      let c = n;
      for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
      table[n] = c >>> 0;
    }
  }
  let c = ~crc >>> 0;
  for (let i = 0; i < data.length; i++) c = table[(c ^ data[i]!) & 0xff]! ^ (c >>> 8);
  return ~c >>> 0;
}

function deflateChunk(data: Uint8Array): Promise<Buffer> {
  return new Promise((resolve, reject) =>
    zlib.deflateRaw(data, { level: zlib.constants.Z_BEST_SPEED, finishFlush: zlib.constants.Z_SYNC_FLUSH, chunkSize: OUT_CHUNK }, (e, out) => (e ? reject(e) : resolve(out))),
  );
}

/** MS-DOS date and time fields of a UTC date (2-second resolution, years 1980…2107). */
function dosDateTime(d: Date): { date: number; time: number } {
  const y = Math.min(2107, Math.max(1980, d.getUTCFullYear()));
  if (y !== d.getUTCFullYear()) return { date: ((y - 1980) << 9) | (1 << 5) | 1, time: 0 };
  return {
    date: ((y - 1980) << 9) | ((d.getUTCMonth() + 1) << 5) | d.getUTCDate(),
    time: (d.getUTCHours() << 11) | (d.getUTCMinutes() << 5) | (d.getUTCSeconds() >> 1),
  };
}

/**
 * One entry being written: {@link write} its bytes, then {@link close}. Entries follow each
 * other without waiting: the zip's bytes are emitted in order by one chain of promises.
 */
export class ZipEntry {
  private crc = 0;
  private size = 0;
  private compressed = 0;
  private buf: Buffer = Buffer.allocUnsafe(CHUNK);
  private used = 0;
  /** Chunks deflating, oldest first (each settles once its output is in the zip). */
  private readonly pending: Promise<void>[] = [];
  /** Where the entry's local header starts (set when it is emitted). @internal */
  offset = 0;

  constructor(
    private readonly zip: ZipWriter,
    readonly name: Buffer,
  ) {}

  /**
   * Appends bytes (copied). Await the result when it is a promise: the zip is behind. The
   * entry is deflated in chunks of a fixed size, whatever the writes' sizes, so the same
   * content gives the same bytes however it was written.
   */
  write(data: Uint8Array): Promise<void> | void {
    let at = 0;
    let wait: Promise<void> | undefined;
    while (at < data.length) {
      const n = Math.min(CHUNK - this.used, data.length - at);
      this.buf.set(data.subarray(at, at + n), this.used);
      this.used += n;
      at += n;
      if (this.used === CHUNK) wait = this.flushChunk() ?? wait;
    }
    return wait;
  }

  private flushChunk(): Promise<void> | undefined {
    if (this.used === 0) return undefined;
    const chunk = this.buf.subarray(0, this.used);
    this.buf = Buffer.allocUnsafe(CHUNK);
    this.used = 0;
    return this.deflate(chunk);
  }

  private deflate(chunk: Buffer): Promise<void> | undefined {
    this.crc = crc32(chunk, this.crc);
    this.size += chunk.length;
    const job = deflateChunk(chunk);
    job.catch(() => {});
    const emitted = this.zip.after(() => job.then((out) => {
      this.compressed += out.length;
      this.zip.emit(out);
    }));
    this.pending.push(emitted);
    return this.pending.length < IN_FLIGHT ? undefined : this.pending.shift();
  }

  /** Writes the rest, then (in turn) the final block and the data descriptor. */
  close(): Promise<void> {
    this.flushChunk();
    return this.zip.after(() => {
      this.zip.emit(FINAL_BLOCK);
      this.compressed += FINAL_BLOCK.length;
      this.zip.ended({ name: this.name, crc: this.crc, compressed: this.compressed, size: this.size, offset: this.offset });
    });
  }
}

/** A zip archive written front to back into `sink`. */
export class ZipWriter {
  private offset = 0;
  private readonly done: Done[] = [];
  private readonly dos: { date: number; time: number };
  private failure: Error | null = null;
  /** Everything emitted so far, in order. */
  private tail: Promise<void> = Promise.resolve();
  /** Sizes and offsets above this are written as ZIP64 (tests lower it to reach that path). */
  private readonly limit: number;

  constructor(
    private readonly sink: ZipSink,
    date: Date,
    opts: { zip64Above?: number } = {},
  ) {
    this.dos = dosDateTime(date);
    this.limit = opts.zip64Above ?? U32_MAX - 1;
  }

  /** Starts an entry (after the previous one's close). */
  entry(name: string): ZipEntry {
    const n = Buffer.from(name, 'utf8');
    const entry = new ZipEntry(this, n);
    void this.after(() => {
      const h = Buffer.alloc(30);
      h.writeUInt32LE(0x04034b50, 0);
      h.writeUInt16LE(20, 4);
      h.writeUInt16LE(0x0808, 6); // sizes in a data descriptor; UTF-8 names
      h.writeUInt16LE(8, 8); // deflate
      h.writeUInt16LE(this.dos.time, 10);
      h.writeUInt16LE(this.dos.date, 12);
      h.writeUInt16LE(n.length, 26);
      entry.offset = this.offset;
      this.emit(h);
      this.emit(n);
    });
    return entry;
  }

  /** A whole small entry. */
  async add(name: string, data: string | Uint8Array): Promise<void> {
    const e = this.entry(name);
    await e.write(typeof data === 'string' ? Buffer.from(data, 'utf8') : data);
    await e.close();
  }

  /** Runs `step` after everything queued before it. @internal */
  after(step: () => void | Promise<void>): Promise<void> {
    const next = this.tail.then(step);
    next.catch((e: Error) => (this.failure ??= e));
    this.tail = next;
    return next;
  }

  /** @internal */
  emit(b: Uint8Array): void {
    this.check();
    try {
      this.sink(b);
    } catch (e) {
      this.failure ??= e as Error;
      throw e;
    }
    this.offset += b.length;
  }

  /** Throws the first failure (of the sink or a deflate). @internal */
  check(): void {
    if (this.failure) throw this.failure;
  }

  /** @internal */
  ended(d: Done): void {
    const big = d.size > this.limit || d.compressed > this.limit;
    const dd = Buffer.alloc(big ? 24 : 16);
    dd.writeUInt32LE(0x08074b50, 0);
    dd.writeUInt32LE(d.crc >>> 0, 4);
    if (big) {
      dd.writeBigUInt64LE(BigInt(d.compressed), 8);
      dd.writeBigUInt64LE(BigInt(d.size), 16);
    } else {
      dd.writeUInt32LE(d.compressed, 8);
      dd.writeUInt32LE(d.size, 12);
    }
    this.emit(dd);
    this.done.push(d);
  }

  /** Writes the central directory and the end records, after every entry. */
  async finish(): Promise<void> {
    await this.after(() => this.directory());
  }

  private directory(): void {
    const cdStart = this.offset;
    let zip64 = false;
    for (const d of this.done) {
      const extra: bigint[] = [];
      const over = (v: number): boolean => v > this.limit;
      if (over(d.size)) extra.push(BigInt(d.size));
      if (over(d.compressed)) extra.push(BigInt(d.compressed));
      if (over(d.offset)) extra.push(BigInt(d.offset));
      const x = Buffer.alloc(extra.length ? 4 + 8 * extra.length : 0);
      if (extra.length) {
        zip64 = true;
        x.writeUInt16LE(0x0001, 0);
        x.writeUInt16LE(8 * extra.length, 2);
        extra.forEach((v, i) => x.writeBigUInt64LE(v, 4 + 8 * i));
      }
      const h = Buffer.alloc(46);
      h.writeUInt32LE(0x02014b50, 0);
      h.writeUInt16LE((3 << 8) | 45, 4); // made by: UNIX, 4.5
      h.writeUInt16LE(extra.length ? 45 : 20, 6);
      h.writeUInt16LE(0x0808, 8);
      h.writeUInt16LE(8, 10);
      h.writeUInt16LE(this.dos.time, 12);
      h.writeUInt16LE(this.dos.date, 14);
      h.writeUInt32LE(d.crc >>> 0, 16);
      h.writeUInt32LE(over(d.compressed) ? U32_MAX : d.compressed, 20);
      h.writeUInt32LE(over(d.size) ? U32_MAX : d.size, 24);
      h.writeUInt16LE(d.name.length, 28);
      h.writeUInt16LE(x.length, 30);
      h.writeUInt32LE((0o100644 << 16) >>> 0, 38); // a regular file, rw-r--r--
      h.writeUInt32LE(over(d.offset) ? U32_MAX : d.offset, 42);
      this.emit(h);
      this.emit(d.name);
      this.emit(x);
    }
    const cdSize = this.offset - cdStart;
    const count = this.done.length;
    if (zip64 || count > 0xfffe || cdStart > this.limit || cdSize > this.limit) {
      const at = this.offset;
      const r = Buffer.alloc(56 + 20);
      r.writeUInt32LE(0x06064b50, 0);
      r.writeBigUInt64LE(44n, 4);
      r.writeUInt16LE((3 << 8) | 45, 12);
      r.writeUInt16LE(45, 14);
      r.writeBigUInt64LE(BigInt(count), 24);
      r.writeBigUInt64LE(BigInt(count), 32);
      r.writeBigUInt64LE(BigInt(cdSize), 40);
      r.writeBigUInt64LE(BigInt(cdStart), 48);
      r.writeUInt32LE(0x07064b50, 56);
      r.writeBigUInt64LE(BigInt(at), 64);
      r.writeUInt32LE(1, 72);
      this.emit(r);
      zip64 = true;
    }
    const e = Buffer.alloc(22);
    e.writeUInt32LE(0x06054b50, 0);
    e.writeUInt16LE(zip64 ? 0xffff : count, 8);
    e.writeUInt16LE(zip64 ? 0xffff : count, 10);
    e.writeUInt32LE(zip64 ? U32_MAX : cdSize, 12);
    e.writeUInt32LE(zip64 ? U32_MAX : cdStart, 16);
    this.emit(e);
  }
}
