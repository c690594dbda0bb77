/**
 * One name per concept across commands (README "Commands"): an input mapping is --map, one
 * output file -o/--output, a folder --out, and --as-of takes a date, today or latest everywhere.
 * Old spellings keep working for one release: they are rewritten before parsing, with a note.
 */

interface Renamed {
  command: string;
  old: string;
  now: string;
}

/** Spellings replaced in this release (to be removed in the next). */
export const DEPRECATED: readonly Renamed[] = [
  { command: 'sql', old: '--columns', now: '--map' },
  // --audit writes the audit in clean and run; report reads one, under its own name.
  { command: 'report', old: '--audit', now: '--audit-in' },
];

/** argv with deprecated option names replaced; `note` hears one line per replaced name. */
export function rewriteDeprecated(argv: string[], note: (text: string) => void): string[] {
  const command = argv[0];
  const renames = DEPRECATED.filter((r) => r.command === command);
  if (!renames.length) return argv;
  const told = new Set<string>();
  const out = [...argv];
  for (let i = 1; i < out.length; i++) {
    const tok = out[i]!;
    if (tok === '--') break;
    for (const r of renames) {
      if (tok !== r.old && !tok.startsWith(r.old + '=')) continue;
      out[i] = r.now + tok.slice(r.old.length);
      if (!told.has(r.old)) note(`${r.old} is deprecated and will be removed in the next release; use ${r.now}`);
      told.add(r.old);
    }
  }
  return out;
}

/** --as-of today → `today` (YYYY-MM-DD, clock.ts); --as-of latest → unset (the latest transaction date, the default). */
export function normaliseAsOf(opts: Record<string, unknown>, today: () => string): void {
  if (opts.asOf === 'latest') delete opts.asOf;
  else if (opts.asOf === 'today') opts.asOf = today();
}
