export const HELP = `
custkit selftest — check this installation's model code against known answers.

Runs the BTYD and spend models on small embedded reference cases (published values from
Fader, Hardie & Lee 2005 and the lifetimes/BTYD test suites) and prints one line per
check: PASS/FAIL, expected, actual, tolerance. Exit code 0 when all pass, 5 otherwise.
Cost: reads no files.

Example:
  custkit selftest
`;
import type { CommandSpec } from '../command.js';
import { EXIT } from '../../errors.js';
import { runSelfTest } from '../../core/score/selftest.js';

export const selftestCommand: CommandSpec = {
  name: 'selftest',
  args: '',
  summary: 'check the model code against embedded reference cases',
  help: HELP,
  stages: [],
  async run(ctx) {
    const results = runSelfTest();
    const c = ctx.msgs.chalk;
    let failed = 0;
    const lines: string[] = [];
    for (const r of results) {
      if (!r.pass) failed++;
      lines.push(`${r.pass ? c.green('PASS') : c.red('FAIL')}  ${r.name}: expected ${r.expected}, got ${fmt(r.actual)} (tolerance ${r.tolerance})`);
    }
    lines.push(`${results.length - failed} passed, ${failed} failed`);
    ctx.stdout.write(lines.join('\n') + '\n');
    return failed === 0 ? EXIT.OK : EXIT.MODEL;
  },
};

function fmt(x: number): string {
  return Number.isFinite(x) ? String(Math.round(x * 1e6) / 1e6) : String(x);
}
