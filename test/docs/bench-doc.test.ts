import { describe, it, expect } from 'vitest';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { BEGIN, END, performanceBlock, replaceBlock, type BenchResults } from '../../scripts/bench-doc.mjs';

const root = resolve(import.meta.dirname, '../..');
const results = JSON.parse(readFileSync(resolve(root, 'fixtures/bench/results-small.json'), 'utf8')) as BenchResults;

describe('bench:doc (docs/performance.md from the bench JSON)', () => {
  it('writes the run, one row per step (rounded as the bench prints them) and the memory guards', () => {
    expect(performanceBlock(results).split('\n')).toEqual([
      'Run 2026-12-01T03:00:00.000Z · Node v20.19.0 · 2 × Example CPU · load average 0.50, 0.25, 0.13 (1, 5, 15 min) · generator abc123',
      '',
      '| size | step | input MB | seconds | MB/s | peak RSS MB | × DuckDB | notes |',
      '|---|---|---:|---:|---:|---:|---:|---|',
      '| 1m | cat > /dev/null (I/O floor) | 52 | 0.05 | 1036.0 | 3 | – |  |',
      // a | in the notes is escaped so the row keeps its columns
      '| 1m | run (fused pipeline) | 52 | 4.26 | 12.2 | 301 | 2.13 | read 1.00 s \\| stage |',
      // a failed step shows no time and says why
      '| 1m | score | 10 | – | – | – | – | FAILED exit 2: custkit: x.csv: no data rows |',
      '',
      '| size | memory guard | measured | budget | verdict |',
      '|---|---|---:|---:|---|',
      '| 1m | run | 2531 B/customer | 950 B/customer | not applied |',
      '| 10m | clean | 512 MB | 500 MB | OVER BUDGET |',
    ]);
  });
  it('replaces only the marked block, and refuses a document without one', () => {
    const doc = `# P\n\nmethod\n\n${BEGIN}\nold table\n${END}\n\n## History\nkept\n`;
    expect(replaceBlock(doc, 'new')).toBe(`# P\n\nmethod\n\n${BEGIN}\nnew\n${END}\n\n## History\nkept\n`);
    expect(replaceBlock(replaceBlock(doc, 'new'), 'new')).toBe(replaceBlock(doc, 'new'));
    expect(() => replaceBlock('# P\n', 'new')).toThrow(/no <!-- bench:begin/);
  });
  it('docs/performance.md has the block', () => {
    const doc = readFileSync(resolve(root, 'docs/performance.md'), 'utf8');
    expect(doc.indexOf(BEGIN)).toBeGreaterThan(0);
    expect(doc.indexOf(END)).toBeGreaterThan(doc.indexOf(BEGIN));
  });
});
