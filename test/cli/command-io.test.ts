import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { inputFile, inputFiles, watchPipe } from '../../src/cli/command-io.js';
import { BrokenPipe } from '../../src/io/text-output.js';
import { OutputError } from '../../src/io/output-error.js';

describe('command inputs', () => {
  it('no argument means stdin (-); arguments are kept as given', () => {
    expect(inputFile([])).toBe('-');
    expect(inputFile(['a.csv', 'b.csv'])).toBe('a.csv');
    expect(inputFiles([])).toEqual(['-']);
    expect(inputFiles(['a.csv', '-'])).toEqual(['a.csv', '-']);
  });
});

describe('watchPipe', () => {
  it('ends a wait that never settles with BrokenPipe when the reader goes away', async () => {
    const s = new PassThrough();
    const w = watchPipe(s);
    const never = new Promise<void>(() => {});
    const raced = w.race(never);
    s.emit('close');
    await expect(raced).rejects.toBeInstanceOf(BrokenPipe);
    await expect(w.race(Promise.resolve(1))).rejects.toBeInstanceOf(BrokenPipe);
    w.dispose();
    expect(s.listenerCount('close')).toBe(0);
  });

  it('a failed write other than EPIPE is an OutputError; with no stream it passes values through', async () => {
    const s = new PassThrough();
    const w = watchPipe(s);
    const raced = w.race(new Promise<void>(() => {}));
    s.emit('error', Object.assign(new Error('no space'), { code: 'ENOSPC' }));
    await expect(raced).rejects.toBeInstanceOf(OutputError);
    w.dispose();
    expect(await watchPipe(null).race(Promise.resolve(7))).toBe(7);
  });
});
