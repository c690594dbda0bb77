/**
 * Every numeric option of every command has a range, checked before any work, on the command
 * line and in the config file: one usage line naming the option, the value and the range
 * (issue #24 item 12: --fold-window 100000000 ran out of memory with a native stack trace).
 * The input given is a file that does not exist: the range error must come before reading it.
 */
import { writeFileSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli, spawnCli } from '../helpers/cli.js';
import { tempDir } from './cli-test-utils.js';
import { COMMANDS } from '../../src/cli/commands/index.js';
import { OPTIONS, type OptionSpec } from '../../src/config/options.js';
import { checkRange, rangeText, type OptionRange } from '../../src/config/option-range.js';
import { specsOfSection } from '../../src/config/config-file.js';

const tmp = tempDir('custkit-ranges-');
afterAll(() => tmp.cleanup());
const MISSING = tmp.path('no-such-input.csv');

/** Options written as text that stand for numbers; each needs a range. */
const NUMERIC_TEXT = ['memory-limit', 'k', 'horizon', 'discount-rate', 'abc', 'pyramid', 'sleep', 'sleep-factors', 'churn-thresholds'];
/** Out-of-range values of those with a parser, above and (where the syntax allows) below. */
const TEXT_OUT: Record<string, string[]> = {
  'memory-limit': ['17TB', '1MB'],
  k: ['51', '0'],
  horizon: ['101y', '0d'],
  'discount-rate': ['1001%/yr', '25%/month'],
};

interface Numeric {
  name: string;
  range: OptionRange;
  list: boolean;
}

/** The numeric options a command accepts: its stages' option table entries and its extras. */
function numericOptions(cmd: (typeof COMMANDS)[number]): Numeric[] {
  const specs: OptionSpec[] = cmd.stages.flatMap((s) => OPTIONS[s]).filter((s) => !cmd.omit?.includes(s.name));
  const out: Numeric[] = [];
  for (const s of specs) {
    if (s.type === 'number' || s.type === 'integer' || NUMERIC_TEXT.includes(s.name)) {
      expect(s.range, `${cmd.name} --${s.name} has no range`).toBeDefined();
      out.push({ name: s.name, range: s.range!, list: s.type === 'list' });
    }
  }
  for (const x of cmd.extra ?? []) {
    const name = /--([a-z-]+)/.exec(x.flags)![1]!;
    // A numeric placeholder (<n>, <rate>…) in an extra option needs a range like the table's.
    if (/<(n|rate|size|share|x)>/.test(x.flags)) {
      expect(x.range, `${cmd.name} --${name} has no range`).toBeDefined();
      out.push({ name, range: x.range!, list: false });
    }
  }
  return out;
}

function outOfRange(o: Numeric): string[] {
  if (o.range.parse) {
    expect(TEXT_OUT[o.name], `no out-of-range examples for --${o.name}`).toBeDefined();
    return TEXT_OUT[o.name]!;
  }
  return [String(o.range.max + 1), String(o.range.min - 1)];
}

const escape = (s: string): string => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

describe('numeric option ranges', () => {
  it('every numeric option of every command has a range, and its default is inside it', () => {
    let n = 0;
    for (const cmd of COMMANDS) {
      for (const o of numericOptions(cmd)) {
        n++;
        const spec = Object.values(OPTIONS).flat().find((s) => s.name === o.name);
        if (spec?.default !== null && spec?.default !== undefined) expect(() => checkRange(o.range, spec.default, o.name, o.list)).not.toThrow();
      }
    }
    // ingest 3 (max-reject-rate, lock-timeout, statement-timeout), clean 2 (fold-window, --threads), init 3, segment 9, score 5, report 2 (top, by-top), run 18 (not lock-timeout, statement-timeout: run reads files only).
    expect(n).toBe(42);
  });

  it('an out-of-range value on the command line: exit 1, one line naming option, value and range, before reading the input', async () => {
    for (const cmd of COMMANDS) {
      for (const o of numericOptions(cmd)) {
        for (const value of outOfRange(o)) {
          const r = await runCli([cmd.name, MISSING, `--${o.name}=${value}`]);
          const where = `${cmd.name} --${o.name}=${value}`;
          expect(r.code, `${where}: ${r.stderr}`).toBe(1);
          expect(r.stdout, where).toBe('');
          expect(r.stderr, where).toMatch(
            new RegExp(`^custkit: --${escape(o.name)} ${escape(value)} is out of range \\(hint: allowed: ${escape(rangeText(o.range))}${o.list ? ' for each item' : ''}\\)\\n$`),
          );
        }
      }
    }
  });

  it('the same values in a config file: exit 1, one line naming file, key, value and range', async () => {
    const file = tmp.path('ranges.config.json');
    for (const section of ['ingest', 'clean', 'segment', 'score', 'report'] as const) {
      for (const s of specsOfSection(section)) {
        if (!s.range) continue;
        for (const value of outOfRange({ name: s.name, range: s.range, list: s.type === 'list' })) {
          const v = s.type === 'number' || s.type === 'integer' ? Number(value) : value;
          writeFileSync(file, JSON.stringify({ [section]: { [s.name]: v } }));
          const r = await runCli(['run', MISSING, '--config', file, '--out', tmp.path('never')]);
          expect(r.code, `${section}.${s.name}=${value}: ${r.stderr}`).toBe(1);
          expect(r.stderr).toBe(`custkit: ${file}: ${section}.${s.name} ${value} is out of range (hint: allowed: ${rangeText(s.range)}${s.type === 'list' ? ' for each item' : ''})\n`);
        }
      }
    }
  });

  it('--fold-window 100000000 (the issue): a usage error, no stack trace, from the real binary', () => {
    const r = spawnCli(['clean', MISSING, '--fold-window', '100000000']);
    expect(r.code).toBe(1);
    expect(r.stderr).toBe('custkit: --fold-window 100000000 is out of range (hint: allowed: 1 to 1,000,000)\n');
  });

  it('values inside the range still work (edges included)', () => {
    const fw = OPTIONS.clean.find((s) => s.name === 'fold-window')!.range!;
    expect(() => checkRange(fw, 1_000_000, '--fold-window')).not.toThrow();
    expect(() => checkRange(fw, 1, '--fold-window')).not.toThrow();
    const horizon = OPTIONS.score.find((s) => s.name === 'horizon')!.range!;
    for (const ok of ['1d', '100y', '12m', '90d']) expect(() => checkRange(horizon, ok, '--horizon')).not.toThrow();
    const rate = OPTIONS.score.find((s) => s.name === 'discount-rate')!.range!;
    for (const ok of ['0%', '10%/yr', '1%/month', '1000%/yr']) expect(() => checkRange(rate, ok, '--discount-rate')).not.toThrow();
    const k = OPTIONS.segment.find((s) => s.name === 'k')!.range!;
    for (const ok of ['auto', '1', '50']) expect(() => checkRange(k, ok, '--k')).not.toThrow();
  });
});
