/**
 * The streaming zip writer: entries read back by an independent reader written here (central
 * directory first, as spreadsheet programs read), by Info-ZIP's `unzip -t` when installed, the
 * CRC-32 against known values, parallel deflate chunks concatenated into one stream, the same
 * bytes however the content was written, and the ZIP64 records (on a lowered threshold).
 */
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { inflateRawSync } from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import { ZipWriter, crc32 } from '../../src/io/zip-writer.js';
import { tempDir } from '../cli/cli-test-utils.js';

const tmp = tempDir('custkit-zip-');
afterAll(() => tmp.cleanup());

interface Read {
  name: string;
  data: Buffer;
  zip64: boolean;
}

/** Reads a zip from its end records and central directory; checks each local header and CRC. */
function readZip(z: Buffer): { entries: Read[]; zip64End: boolean } {
  const eocd = z.lastIndexOf(Buffer.from([0x50, 0x4b, 0x05, 0x06]));
  expect(eocd).toBeGreaterThan(0);
  let count = z.readUInt16LE(eocd + 10);
  let cd = z.readUInt32LE(eocd + 16);
  const zip64End = cd === 0xffffffff;
  if (zip64End) {
    const loc = eocd - 20;
    expect(z.readUInt32LE(loc)).toBe(0x07064b50);
    const rec = Number(z.readBigUInt64LE(loc + 8));
    expect(z.readUInt32LE(rec)).toBe(0x06064b50);
    count = Number(z.readBigUInt64LE(rec + 32));
    cd = Number(z.readBigUInt64LE(rec + 48));
  }
  const entries: Read[] = [];
  for (let k = 0, p = cd; k < count; k++) {
    expect(z.readUInt32LE(p)).toBe(0x02014b50);
    const crc = z.readUInt32LE(p + 16);
    let csize = z.readUInt32LE(p + 20);
    let size = z.readUInt32LE(p + 24);
    const nlen = z.readUInt16LE(p + 28), xlen = z.readUInt16LE(p + 30), clen = z.readUInt16LE(p + 32);
    let off = z.readUInt32LE(p + 42);
    const name = z.toString('utf8', p + 46, p + 46 + nlen);
    let zip64 = false;
    for (let x = p + 46 + nlen; x < p + 46 + nlen + xlen; ) {
      const id = z.readUInt16LE(x), len = z.readUInt16LE(x + 2);
      if (id === 1) {
        zip64 = true;
        let q = x + 4;
        if (size === 0xffffffff) { size = Number(z.readBigUInt64LE(q)); q += 8; }
        if (csize === 0xffffffff) { csize = Number(z.readBigUInt64LE(q)); q += 8; }
        if (off === 0xffffffff) { off = Number(z.readBigUInt64LE(q)); q += 8; }
      }
      x += 4 + len;
    }
    expect(z.readUInt32LE(off)).toBe(0x04034b50);
    expect(z.toString('utf8', off + 30, off + 30 + z.readUInt16LE(off + 26))).toBe(name);
    const start = off + 30 + z.readUInt16LE(off + 26) + z.readUInt16LE(off + 28);
    const data = inflateRawSync(z.subarray(start, start + csize));
    expect(data.length, name).toBe(size);
    expect(crc32(data), name).toBe(crc);
    // The data descriptor after the data repeats the CRC.
    expect(z.readUInt32LE(start + csize)).toBe(0x08074b50);
    expect(z.readUInt32LE(start + csize + 4)).toBe(crc);
    entries.push({ name, data, zip64 });
    p += 46 + nlen + xlen + clen;
  }
  return { entries, zip64End };
}

/** Text that compresses like sheet XML but differs from chunk to chunk. */
function sheetLike(bytes: number): Buffer {
  let s = '';
  for (let r = 1; s.length < bytes; r++) s += `<row r="${r}"><c r="A${r}" t="str"><v>C${(r * 7919) % 100003}</v></c><c r="B${r}"><v>${(r * 0.37).toFixed(2)}</v></c></row>`;
  return Buffer.from(s.slice(0, bytes));
}

async function zipOf(entries: [string, Buffer][], piece: number, opts: { zip64Above?: number } = {}): Promise<Buffer> {
  const parts: Buffer[] = [];
  const zip = new ZipWriter((b) => void parts.push(Buffer.from(b)), new Date(Date.UTC(2025, 11, 31)), opts);
  for (const [name, data] of entries) {
    const e = zip.entry(name);
    for (let i = 0; i < data.length; i += piece) await e.write(data.subarray(i, i + piece));
    await e.close();
  }
  await zip.finish();
  return Buffer.concat(parts);
}

describe('crc32', () => {
  it('gives the CRC-32 of the zip format', () => {
    expect(crc32(Buffer.from('123456789'))).toBe(0xcbf43926);
    expect(crc32(Buffer.alloc(0))).toBe(0);
    expect(crc32(Buffer.from('56789'), crc32(Buffer.from('1234')))).toBe(0xcbf43926);
  });
});

describe('ZipWriter', () => {
  const big = sheetLike(5 * (1 << 20) + 12345);
  const entries: [string, Buffer][] = [
    ['empty.txt', Buffer.alloc(0)],
    ['small.xml', Buffer.from('<a>中文 &amp; text</a>')],
    ['xl/worksheets/sheet1.xml', big],
  ];

  it('writes entries an independent reader inflates back exactly, the big one from several deflate chunks', async () => {
    const z = await zipOf(entries, 65_536);
    const { entries: got, zip64End } = readZip(z);
    expect(got.map((e) => e.name)).toEqual(entries.map((e) => e[0]));
    got.forEach((e, i) => expect(e.data.equals(entries[i]![1]), e.name).toBe(true));
    expect(zip64End).toBe(false);
    expect(got.some((e) => e.zip64)).toBe(false);
    // Deflated, not stored: sheet XML shrinks several times.
    expect(z.length).toBeLessThan(big.length / 3);
  });

  it('gives the same bytes however the content is written (write sizes do not matter)', async () => {
    const a = await zipOf(entries, 65_536);
    const b = await zipOf(entries, 1_000_003);
    const c = await zipOf(entries, 7);
    expect(b.equals(a)).toBe(true);
    expect(c.equals(a)).toBe(true);
  });

  it('switches to ZIP64 records for sizes and offsets past the limit (lowered here), and unzip reads them', async () => {
    const z = await zipOf(entries, 65_536, { zip64Above: 100 });
    const { entries: got, zip64End } = readZip(z);
    got.forEach((e, i) => expect(e.data.equals(entries[i]![1]), e.name).toBe(true));
    expect(zip64End).toBe(true);
    // Only the big entry (sizes and offset past 100) needs the extra field.
    expect(got.map((e) => e.zip64)).toEqual([false, false, true]);
    const unzip = spawnSync('sh', ['-c', 'command -v unzip'], { encoding: 'utf8' });
    if (unzip.status === 0) {
      const file = tmp.path('z64.zip');
      writeFileSync(file, z);
      const t = spawnSync('unzip', ['-t', file], { encoding: 'utf8' });
      expect(t.stdout + t.stderr).toContain('No errors detected');
    }
  });

  it('reports a failed write of the sink from the entry that meets it', async () => {
    let n = 0;
    const zip = new ZipWriter(() => {
      if (++n > 2) throw new Error('disk full');
    }, new Date(0));
    const e = zip.entry('a.xml');
    await expect((async () => {
      for (let i = 0; i < 8; i++) await e.write(big.subarray(0, 1 << 20));
      await e.close();
    })()).rejects.toThrow('disk full');
  });
});
