import { existsSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { NumberSpool } from '../../src/io/number-spool.js';

describe('NumberSpool', () => {
  it('replays every number in order with its index, bit for bit, across blocks of 65,536', () => {
    const spool = new NumberSpool();
    const special = [-0, 0, 0.1 + 0.2, -1e-300, Number.MAX_VALUE, Number.MIN_VALUE, Infinity, -Infinity];
    const want: number[] = [];
    for (let i = 0; i < 200_003; i++) want.push(i < special.length ? special[i]! : (i * 7919) % 100_003 / 100 - 50);
    for (const v of want) spool.add(v);
    expect(spool.count).toBe(want.length);
    const got: number[] = [];
    let badIndex = 0;
    spool.replay((v, i) => {
      if (i !== got.length) badIndex++;
      got.push(v);
    });
    expect(badIndex).toBe(0);
    expect(got.length).toBe(want.length);
    expect(got.filter((v, i) => !Object.is(v, want[i])).length).toBe(0);
    expect(Object.is(got[0], -0)).toBe(true);
    // A second replay reads the same numbers again.
    let again = 0;
    spool.replay((v, i) => { if (Object.is(v, want[i])) again++; });
    expect(again).toBe(want.length);
    spool.dispose();
  });

  it('an empty spool replays nothing; dispose removes its directory', () => {
    const spool = new NumberSpool();
    const dir = (spool as unknown as { dir: string }).dir;
    expect(existsSync(dir)).toBe(true);
    let n = 0;
    spool.replay(() => n++);
    expect(n).toBe(0);
    spool.dispose();
    expect(existsSync(dir)).toBe(false);
  });
});
