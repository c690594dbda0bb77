import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openText } from '../../src/io/text-input.js';

const dir = mkdtempSync(join(tmpdir(), 'custkit-text-input-'));

async function readAll(path: string): Promise<string> {
  const input = await openText(path, 'auto');
  let s = '';
  for await (const c of input.chunks) s += c;
  return s;
}

describe('openText: UTF-8 decoded in 64 KiB slices of 1 MiB reads', () => {
  it('gives the text back exactly when 2-, 3- and 4-byte characters straddle every slice and read boundary', async () => {
    // Rows of varying length so that cuts fall inside every kind of sequence somewhere.
    const rows: string[] = [];
    let length = 0;
    for (let i = 0; length < 3_000_000; i++) {
      const row = `C${i},é${'x'.repeat(i % 7)}≥客户😀${i % 3 === 0 ? '\uFEFF' : ''},${i}\n`;
      rows.push(row);
      length += row.length;
    }
    const text = rows.join('');
    const path = join(dir, 'mixed.csv');
    writeFileSync(path, '\uFEFF' + text); // a leading BOM is dropped, later U+FEFF kept
    expect(await readAll(path)).toBe(text);
  });
  it('ASCII slices between non-ASCII ones decode alike', async () => {
    const text = 'a'.repeat(70_000) + 'é' + 'b'.repeat(200_000) + '😀' + 'c'.repeat(65_535) + '客\n';
    const path = join(dir, 'ascii-runs.csv');
    writeFileSync(path, text);
    expect(await readAll(path)).toBe(text);
  });
  it('an invalid byte deep in the file is reported at its byte offset', async () => {
    const head = Buffer.from('é,'.repeat(400_000), 'utf8'); // 1.2 MB, past the first read
    const bytes = Buffer.concat([head, Buffer.from([0x41, 0xff, 0x42, 0x0a])]);
    const path = join(dir, 'bad.csv');
    writeFileSync(path, bytes);
    await expect(readAll(path)).rejects.toMatchObject({ exitCode: 2, message: `bytes that are not valid UTF-8 near byte ${head.length + 1}` });
  });
  it('a file cut inside a character is an error, not a silent replacement', async () => {
    const path = join(dir, 'cut.csv');
    writeFileSync(path, Buffer.concat([Buffer.from('a,b\nc,'), Buffer.from('客', 'utf8').subarray(0, 2)]));
    await expect(readAll(path)).rejects.toMatchObject({ exitCode: 2 });
  });
});

describe('openText: bytesRead', () => {
  it('counts the bytes decoded so far in every encoding, reaching the file size at the end', async () => {
    // 2 MB of text with Chinese ids: UTF-16 chunks hold half as many code units as bytes,
    // UTF-8 and GB18030 fewer than bytes; bytesRead / size is the fraction read in all three.
    const text = Array.from({ length: 40_000 }, (_, i) => `客户${i},订单${i},2024-03-0${1 + (i % 9)},12.50\n`).join('');
    const files: [string, Buffer][] = [
      ['utf8.csv', Buffer.from(text, 'utf8')],
      ['utf16.csv', Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, 'utf16le')])],
      ['gb.csv', (await import('iconv-lite')).default.encode(text, 'gb18030')],
    ];
    for (const [name, bytes] of files) {
      const p = join(dir, name);
      writeFileSync(p, bytes);
      const input = await openText(p, 'auto');
      expect(input.bytesRead()).toBe(0);
      let chars = 0;
      let prev = 0;
      for await (const c of input.chunks) {
        chars += c.length;
        const b = input.bytesRead();
        expect(b, name).toBeGreaterThan(prev); // grows with every chunk
        expect(b, name).toBeLessThanOrEqual(bytes.length);
        expect(b, name).toBeGreaterThan(chars); // more bytes than code units here
        prev = b;
      }
      expect(chars).toBe(text.length);
      // All of it, less a UTF-8 BOM (none here).
      expect(input.bytesRead(), name).toBe(bytes.length);
    }
  });
});
