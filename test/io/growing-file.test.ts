/**
 * GrowingFile (io/growing-file.ts): a file read while it is written gives exactly the bytes
 * written, in order, waiting for more until told the file is complete; a failed writer ends
 * the reader with an error. fileSink's tap sees the temporary file and every byte written.
 */
import { appendFileSync, closeSync, openSync, readFileSync, writeFileSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { GrowingFile } from '../../src/io/growing-file.js';
import { fileSink } from '../../src/io/text-output.js';
import { tempDir } from '../cli/cli-test-utils.js';

const tmp = tempDir('custkit-growing-');
afterAll(() => tmp.cleanup());

const tick = (): Promise<void> => new Promise((r) => setTimeout(r, 5));

async function collect(g: GrowingFile): Promise<Buffer> {
  const parts: Buffer[] = [];
  for await (const c of g.chunks()) parts.push(c);
  return Buffer.concat(parts);
}

describe('GrowingFile', () => {
  it('reads what is written as it is told, and ends with the file', async () => {
    const path = tmp.path('a.csv');
    writeFileSync(path, '');
    const fd = openSync(path, 'r');
    try {
      const g = new GrowingFile(fd);
      const got = collect(g);
      let total = 0;
      for (const piece of ['id,n\n', 'c1,', '2\nc2,3\n', 'é,4\n']) {
        appendFileSync(path, piece);
        total += Buffer.byteLength(piece);
        g.written(total);
        await tick();
      }
      appendFileSync(path, 'not told\n'); // beyond what the writer said: not read
      g.end(total);
      expect((await got).toString()).toBe('id,n\nc1,2\nc2,3\né,4\n');
      await g.ended();
    } finally {
      closeSync(fd);
    }
  });

  it('ends the reader and the waiters for the end with an error when the writer failed', async () => {
    const path = tmp.path('b.csv');
    writeFileSync(path, 'id\nc1\n');
    const fd = openSync(path, 'r');
    try {
      const g = new GrowingFile(fd);
      g.written(3);
      const got = collect(g).then(() => null, (e: Error) => e.message);
      const end = g.ended().then(() => null, (e: Error) => e.message);
      await tick();
      g.abort('customers.csv was not written');
      expect(await got).toBe('customers.csv was not written');
      expect(await end).toBe('customers.csv was not written');
    } finally {
      closeSync(fd);
    }
  });
});

describe("fileSink's tap", () => {
  it('names the temporary file and tells every byte written to it', async () => {
    const seen: number[] = [];
    let temp: string | null = null;
    let inTemp = '';
    const sink = fileSink(tmp.path('t.csv'), {
      tap: {
        opened: (p) => void (temp = p),
        written: (n) => {
          seen.push(n);
          inTemp = readFileSync(temp!, 'utf8');
        },
      },
    });
    const line = 'x'.repeat(1000) + '\n';
    for (let i = 0; i < 1500; i++) sink.write(line); // more than one 1 MiB block
    await sink.close();
    expect(temp).toMatch(/\.custkit-tmp-\d+-\d+-t\.csv$/);
    expect(seen.length).toBeGreaterThan(1);
    expect(seen.at(-1)).toBe(1500 * 1001);
    expect(inTemp.length).toBe(1500 * 1001); // each count is in the file when told
    expect(readFileSync(tmp.path('t.csv'), 'utf8')).toBe(line.repeat(1500));
  });
});
