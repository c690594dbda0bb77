/**
 * Command files stay thin (issue #28): help text, option spec and a short run(); what several
 * commands do alike (`-` as stdin, stdout's reader going away, the reject budget, --fail-if,
 * --as-of) is written once. Reads the sources as text.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const SRC = fileURLToPath(new URL('../../src/', import.meta.url));
const COMMANDS = join(SRC, 'cli/commands');
const read = (f: string): string => readFileSync(join(SRC, f), 'utf8');
const commandFiles = readdirSync(COMMANDS).filter((f) => f.endsWith('.ts') && f !== 'index.ts');

/** Lines of a command's `async run(` … its closing `  },`. */
function runLines(text: string): number {
  const lines = text.split('\n');
  const start = lines.findIndex((l) => /^ {2}async run\(/.test(l));
  if (start < 0) return 0;
  const end = lines.findIndex((l, i) => i > start && /^ {2}\},?$/.test(l));
  return end - start + 1;
}

describe('command files', () => {
  it.each(commandFiles)('%s: run() is at most 90 lines', (f) => {
    expect(runLines(readFileSync(join(COMMANDS, f), 'utf8'))).toBeLessThanOrEqual(90);
  });

  it('open with their usage text', () => {
    for (const f of commandFiles) expect(readFileSync(join(COMMANDS, f), 'utf8').startsWith('export const HELP = `'), f).toBe(true);
  });

  it('say `-` means stdin through io/text-input.ts, never by comparing with the literal', () => {
    for (const f of commandFiles) expect(readFileSync(join(COMMANDS, f), 'utf8'), f).not.toMatch(/[=!]== '-'|\?\? '-'|\['-'\]/);
    for (const f of ['pipeline/empty-input.ts', 'engine/duckdb-clean.ts', 'engine/duckdb-aggregate.ts']) expect(read(f), f).not.toMatch(/[=!]== '-'/);
  });

  it('leave the reject budget, --fail-if and pipe watching to their one module', () => {
    for (const f of commandFiles) {
      const t = readFileSync(join(COMMANDS, f), 'utf8');
      expect(t, f).not.toMatch(/evaluateFailIf|EXIT\.REJECT_BUDGET|EXIT\.ALERT|on\('close'/);
    }
    expect(read('pipeline/run-pipeline.ts')).not.toMatch(/evaluateFailIf|EXIT\.REJECT_BUDGET|EXIT\.ALERT/);
  });

  it('declare --as-of through one helper', () => {
    for (const f of commandFiles) expect(readFileSync(join(COMMANDS, f), 'utf8'), f).not.toMatch(/flags: '--as-of/);
  });
});

describe('stage options', () => {
  it('stages take typed options: no pipeline/ or engine/ function takes a bag of parsed flags', () => {
    const bags: string[] = [];
    for (const dir of ['pipeline', 'engine']) {
      for (const f of readdirSync(join(SRC, dir)).filter((x) => x.endsWith('.ts'))) {
        const t = read(`${dir}/${f}`);
        // The flags as commander and the config give them: `o: Record<string, unknown>`.
        if (/\bo\??: Record<string, unknown>/.test(t)) bags.push(`${dir}/${f}`);
      }
    }
    expect(bags).toEqual([]);
  });

  it('are built in cli/stage-options/, one builder per stage, which run and the single commands share', () => {
    const builders = readdirSync(join(SRC, 'cli/stage-options')).sort();
    expect(builders).toEqual(['actions.ts', 'clean.ts', 'run.ts', 'score.ts', 'segment.ts']);
    const run = read('cli/stage-options/run.ts');
    for (const b of ['cleanOptionsFrom', 'segmentOptionsFrom', 'scoreOptionsFrom', 'engineOptionsFrom', 'ingestOptionsFrom', 'actionSettingsFrom']) expect(run, b).toContain(`${b}(o`);
  });
});
