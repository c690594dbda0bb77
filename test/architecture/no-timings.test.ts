import { describe, it, expect } from 'vitest';
import { readFileSync, readdirSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';

// Reasons, not diaries (issue #28): comments and help texts in src/ say why; timings, speed
// ratios and microbenchmark results live in docs/performance.md. The scan reads whole source
// files (comments, help strings and code alike): code never needs such a figure literally.
const root = resolve(import.meta.dirname, '../..');

/** Each pattern names one kind of timing figure. */
const TIMING_PATTERNS: [string, RegExp][] = [
  ['a duration', /\b\d+(?:[.,]\d+)?(?:\s?[–-]\s?\d+(?:[.,]\d+)?)?\s?(?:s|ms|µs|us|ns|secs?|seconds?|minutes?)\b/],
  ['a throughput', /\b\d+(?:\.\d+)?\s?(?:[KMG]i?B|rows|lines)\/s\b/],
  ['a speed ratio', /\b\d+(?:\.\d+)?\s?(?:×|x|times)\s?(?:faster|slower|quicker)\b|\b\d+(?:\.\d+)?\s?%\s?(?:faster|slower)\b/],
  ['a microbenchmark', /\bmicrobenchmark/i],
];

/**
 * Lines that match a pattern but state no timing, each with its reason. Keep it short.
 */
const ALLOWED: { file: string; text: string; why: string }[] = [];

export function timingFigures(text: string): { line: number; kind: string; text: string }[] {
  const out: { line: number; kind: string; text: string }[] = [];
  text.split('\n').forEach((l, i) => {
    for (const [kind, re] of TIMING_PATTERNS) if (re.test(l)) out.push({ line: i + 1, kind, text: l.trim() });
  });
  return out;
}

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? sourceFiles(join(dir, e.name)) : /\.(ts|md)$/.test(e.name) ? [join(dir, e.name)] : []));
}

describe('no timing figures in src/', () => {
  it('finds the kinds it names (planted positives) and leaves sizes, days and examples alone', () => {
    const planted = [
      '// took ~0.3 s here', ' * 1.9–2.0 s in 1 MiB pieces', '// 386–470 ms that way', '// 1.1 µs per lookup',
      '// reads 240 MB/s', '// 3× faster than a Map', '// about 4x faster', '// 10 % faster than text', '// (microbenchmark)',
      '/** from 25 s to 11 s */', "description: 'takes 2 seconds'",
    ].join('\n');
    expect(timingFigures(planted).map((f) => f.line)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11]);
    const harmless = [
      '// a 1 MiB block, 64 KiB slices, 128 MB table', "--memory-limit 2GB", "'--horizon 12m'", '// 30 days, 90d, 1.5× the expected interval',
      '// several times faster', "const ms = performance.now() - t;", "msgs.note(`${(ms / 1000).toFixed(1)} s`)", '// 10M lines, 1M customers',
    ].join('\n');
    expect(timingFigures(harmless)).toEqual([]);
  });
  it('src/ comments and help texts state no timings (docs/performance.md holds them)', () => {
    const found = sourceFiles(join(root, 'src')).flatMap((f) => {
      const file = relative(root, f);
      return timingFigures(readFileSync(f, 'utf8'))
        .filter((t) => !ALLOWED.some((a) => a.file === file && t.text.includes(a.text)))
        .map((t) => `${file}:${t.line}: ${t.kind}: ${t.text}`);
    });
    expect(found).toEqual([]);
  });
});
