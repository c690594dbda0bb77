import { describe, it, expect } from 'vitest';
import { existsSync } from 'node:fs';
import { RowSpool } from '../../src/io/row-spool.js';

/** Replays the rows as text (each row's bytes decoded whole). */
function replay(spool: RowSpool, each: (row: string, value: number) => void, afterBlock?: () => Promise<void>): Promise<void> {
  return spool.replayBytes((b, start, end, value) => each(b.toString('utf8', start, end), value), afterBlock);
}

async function replayAll(spool: RowSpool, blocks?: { n: number }): Promise<[string, number][]> {
  const out: [string, number][] = [];
  await replay(spool, (row, v) => out.push([row, v]), blocks ? async () => { blocks.n++; } : undefined);
  return out;
}

describe('RowSpool', () => {
  it('replays rows whole and in order: quoted newlines, quotes, non-ASCII, empty rows', async () => {
    const spool = new RowSpool();
    const rows: [string, number][] = [
      ['C1,O1,2024-01-01,10.5\n', 10.5],
      ['"a\nb",O2,2024-01-02,-3\n', -3],
      ['客户😀,"x ""y""",2024-01-03,0.1\n', 0.1],
      ['', 7],
      ['\n', Number.MAX_VALUE],
    ];
    for (const [r, v] of rows) spool.add(r, v);
    expect(spool.rows).toBe(5);
    expect(await replayAll(spool)).toEqual(rows);
    spool.dispose();
  });
  it('crosses text chunks (1 MiB, a character split between chunks) and index blocks (65,536 rows)', async () => {
    const spool = new RowSpool();
    const n = 150_000;
    // 2-byte and 4-byte UTF-8 characters make chunk boundaries fall inside characters.
    const row = (i: number): string => `é${i}😀${'x'.repeat(i % 13)}\n`;
    for (let i = 0; i < n; i++) spool.add(row(i), i / 4);
    const blocks = { n: 0 };
    let k = 0;
    await replay(spool, (r, v) => {
      expect(r).toBe(row(k));
      expect(v).toBe(k / 4);
      k++;
    }, async () => { blocks.n++; });
    expect(k).toBe(n);
    expect(blocks.n).toBe(Math.ceil(n / 65_536));
    spool.dispose();
  });
  it('an empty spool replays nothing; dispose removes the files, also before a replay', async () => {
    const empty = new RowSpool();
    expect(await replayAll(empty)).toEqual([]);
    empty.dispose();
    const unused = new RowSpool();
    unused.add('a\n', 1);
    const dir = (unused as unknown as { dir: string }).dir;
    expect(existsSync(dir)).toBe(true);
    unused.dispose();
    expect(existsSync(dir)).toBe(false);
  });
  it('replayBytes hands each row as its exact UTF-8 bytes, also rows longer than the 1 MiB read buffer', async () => {
    const spool = new RowSpool();
    const rows: string[] = ['C1,O1,2024-01-01,10.5\n', '"a\nb",客户😀,-3\n', 'é'.repeat(700_000) + '\n', 'x'.repeat(3_000_000) + ',1\n', '', 'tail\n'];
    for (let k = 0; k < 3; k++) for (const [i, r] of rows.entries()) spool.add(r, i + 10 * k);
    const got: [string, number][] = [];
    await spool.replayBytes((b, start, end, v) => {
      expect(end - start).toBe(Buffer.byteLength(rows[v % 10]!, 'utf8'));
      got.push([b.toString('utf8', start, end), v]);
    });
    expect(got).toEqual([0, 1, 2].flatMap((k) => rows.map((r, i) => [r, i + 10 * k])));
    spool.dispose();
  });
});
