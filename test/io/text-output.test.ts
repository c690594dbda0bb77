import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { copyFileAtomic, fileSink, isRandomAccess, stdoutSink } from '../../src/io/text-output.js';

/** Deterministic pieces: ASCII lines, Latin-1, two-byte (≥, 客户), astral (😀) and long strings. */
function pieces(): string[] {
  const out: string[] = [];
  let seed = 7;
  const rnd = (n: number): number => {
    seed = (seed * 1103515245 + 12345) % 2147483648;
    return seed % n;
  };
  const kinds = ['C0001,O1,2024-01-02,12.50,1,paid\n', 'lapsed · infrequent,×3\n', 'cycle: 12.78× expected 59 d ≥ 6\n', '客户编号,订单金额\n', 'emoji 😀 end\n', ''];
  for (let i = 0; i < 60_000; i++) {
    const k = rnd(kinds.length + 1);
    if (k === kinds.length) out.push('x'.repeat(rnd(5000)) + '≥'.repeat(rnd(3)) + '\n');
    else out.push(kinds[k]!);
  }
  // Strings longer than the 1 MiB block (in UTF-8 and in code units).
  out.push('≥'.repeat(400_000) + '\n', 'a'.repeat(1_200_000) + '\n', 'tail\n');
  return out;
}

describe('text sinks', () => {
  it('fileSink writes exactly the UTF-8 of everything written, across join and block boundaries', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'custkit-sink-'));
    const path = join(dir, 'out.txt');
    const ps = pieces();
    const s = fileSink(path);
    for (const p of ps) s.write(p);
    await s.close();
    const got = readFileSync(path);
    const want = Buffer.from(ps.join(''), 'utf8');
    expect(got.length).toBe(want.length);
    expect(got.equals(want)).toBe(true);
  });

  it('a file sink is random access: position() is the exact UTF-8 offset at every write, and writeAt patches bytes before close', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'custkit-sink-'));
    const path = join(dir, 'patch.txt');
    const ps = pieces();
    const s = fileSink(path, { bom: true });
    if (!isRandomAccess(s)) throw new Error('a temporary regular file must be random access');
    const starts: number[] = [];
    let bytes = 3; // the BOM
    for (const p of ps) {
      starts.push(s.position());
      expect(starts.at(-1)).toBe(bytes);
      s.write(p);
      bytes += Buffer.byteLength(p, 'utf8');
    }
    expect(s.position()).toBe(bytes);
    // Read back the piece before the long tail, then overwrite its first byte.
    const k = ps.length - 4;
    const back = Buffer.alloc(Buffer.byteLength(ps[k]!, 'utf8'));
    expect(s.readAt(back, starts[k]!)).toBe(back.length);
    expect(back.toString('utf8')).toBe(ps[k]);
    s.writeAt(Buffer.from('#'), starts[ps.length - 1]!); // 'tail' → '#ail'
    s.write('after\n'); // later writes still append
    await s.close();
    const want = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(ps.join('').slice(0, -5) + '#ail\nafter\n', 'utf8')]);
    expect(readFileSync(path).equals(want)).toBe(true);
  });

  it('stdout and in-place device outputs are not random access', () => {
    expect(isRandomAccess(stdoutSink(new PassThrough()))).toBe(false);
    const dev = fileSink('/dev/null');
    expect(isRandomAccess(dev)).toBe(false);
    dev.abort();
  });

  it('fileSink with a BOM starts with EF BB BF', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'custkit-sink-'));
    const path = join(dir, 'bom.csv');
    const s = fileSink(path, { bom: true });
    s.write('客户,金额\n');
    await s.close();
    expect([...readFileSync(path).subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    expect(readFileSync(path).subarray(3).toString('utf8')).toBe('客户,金额\n');
  });

  it('stdoutSink hands the same bytes to a stream', async () => {
    const stream = new PassThrough();
    const chunks: Buffer[] = [];
    stream.on('data', (c: Buffer) => chunks.push(c));
    const ps = pieces();
    const s = stdoutSink(stream);
    for (const p of ps) {
      s.write(p);
      await s.drain();
    }
    await s.close();
    expect(Buffer.concat(chunks).equals(Buffer.from(ps.join(''), 'utf8'))).toBe(true);
  });

  it('abort discards what is not yet written', async () => {
    const stream = new PassThrough();
    const chunks: Buffer[] = [];
    stream.on('data', (c: Buffer) => chunks.push(c));
    const s = stdoutSink(stream);
    s.write('kept?\n');
    s.abort();
    stream.end();
    await new Promise((r) => stream.once('end', r));
    expect(Buffer.concat(chunks).length).toBe(0);
  });
  it('writeBytes interleaves with write in order, including byte runs larger than the block', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'custkit-sink-'));
    const path = join(dir, 'mixed.txt');
    const s = fileSink(path);
    const want: Buffer[] = [];
    const big = Buffer.from('≥'.repeat(500_000), 'utf8'); // 1.5 MB, more than the 1 MiB block
    for (let i = 0; i < 20_000; i++) {
      const text = `row ${i} é,`;
      s.write(text);
      want.push(Buffer.from(text, 'utf8'));
      const bytes = Buffer.from(`[${i}]客户\n`, 'utf8');
      s.writeBytes(bytes, 1, bytes.length); // a sub-range
      want.push(bytes.subarray(1));
      if (i % 5000 === 0) {
        s.writeBytes(big, 0, big.length);
        want.push(big);
      }
    }
    await s.close();
    expect(readFileSync(path).equals(Buffer.concat(want))).toBe(true);
  });
  it('copyFileAtomic copies a file of several 1 MiB chunks and a partial one over the target, leaving no temporary file', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'custkit-sink-'));
    const from = join(dir, 'big.csv'), to = join(dir, 'copy.csv');
    const bytes = Buffer.alloc(3 * (1 << 20) + 12345);
    for (let i = 0; i < bytes.length; i++) bytes[i] = (i * 31 + (i >> 11)) & 255;
    writeFileSync(from, bytes);
    writeFileSync(to, 'old');
    await copyFileAtomic(from, to);
    expect(readFileSync(to).equals(bytes)).toBe(true);
    expect(readdirSync(dir).filter((n) => n.startsWith('.custkit-tmp'))).toEqual([]);
    await expect(copyFileAtomic(join(dir, 'missing.csv'), to)).rejects.toThrow();
    expect(readFileSync(to).equals(bytes)).toBe(true);
    expect(readdirSync(dir).filter((n) => n.startsWith('.custkit-tmp'))).toEqual([]);
  });
});

describe('importing text-output', () => {
  it('installs no process.stdout handler; watchStdoutErrors does, once', async () => {
    const { spawnSync } = await import('node:child_process');
    const { pathToFileURL } = await import('node:url');
    const mod = pathToFileURL(join(process.cwd(), 'dist/io/text-output.js')).href;
    const script = `const n = () => process.stdout.listenerCount('error');
const a = n(); const m = await import(${JSON.stringify(mod)}); const b = n();
m.watchStdoutErrors(); m.watchStdoutErrors(); console.log(JSON.stringify([b - a, n() - a]));`;
    const r = spawnSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8' });
    expect(r.stderr).toBe('');
    expect(JSON.parse(r.stdout)).toEqual([0, 1]);
  });
});
