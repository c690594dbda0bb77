/**
 * custkit's entry point: builds the program from the command table and is the only place
 * that turns errors into exit codes (see errors.ts for the table).
 */
import { Command, CommanderError, Option } from 'commander';
import { CustkitError, EXIT, usageError } from '../errors.js';
import { environmentError, formatError } from './error-report.js';
import { todayFrom, todayIsoFrom } from './clock.js';
import { OPTIONS, camel, checkValue, type OptionSpec, type Stage } from '../config/options.js';
import { checkRange, rangeText, type OptionRange } from '../config/option-range.js';
import type { CommandContext, CommandSpec } from './command.js';
import { createMessages } from '../io/messages.js';
import { BrokenPipe, watchStdoutErrors } from '../io/text-output.js';
import { runCleanup } from '../io/process-cleanup.js';
import { loadConfig, RUN_OMITS, RUN_OPTIONS, type ConfigFile } from '../config/config-file.js';
import { COMMANDS } from './commands/index.js';

import { VERSION, VERSION_STRING } from './version.js';
import { formatCommandHelp, splitHelp, stageOptionLines } from './help.js';
import { normaliseAsOf, rewriteDeprecated } from './option-aliases.js';
import { escapeKeepingColour, quoteDatum } from '../core/terminal-text.js';

/** Help text of an option with its allowed range (docs/commands.md, "Option ranges"). */
const withRange = (description: string, range: OptionRange | undefined): string => (range ? `${description} (range: ${rangeText(range)})` : description);

function addSpec(cmd: Command, s: OptionSpec, hidden = false): void {
  const long = s.type === 'boolean' ? (s.default === true ? `--no-${s.name}` : `--${s.name}`) : `--${s.name} ${s.arg ?? '<value>'}`;
  const flags = s.short ? `-${s.short}, ${long}` : long;
  const o = new Option(flags, withRange(s.description, s.range));
  if (s.choices && s.type === 'enum') o.choices([...s.choices]);
  if (s.default !== null && s.default !== undefined && s.type !== 'boolean') o.default(s.default);
  if (s.type === 'boolean' && s.default === true) o.default(true);
  // A repeatable list option: `--by a --by b` means `--by a,b`.
  if (s.repeatable) o.argParser((v: string, prev: unknown) => (typeof prev === 'string' && prev !== '' ? `${prev},${v}` : v));
  if (hidden) o.hideHelp();
  cmd.addOption(o);
}

export interface MainIO {
  stdout?: NodeJS.WritableStream & { isTTY?: boolean; columns?: number };
  stderr?: NodeJS.WritableStream & { isTTY?: boolean };
  env?: NodeJS.ProcessEnv;
}

/** Stage options `run` does not take (config-file.ts RUN_OMITS), so its help does not list them. */
const NOT_RUN = new Set(RUN_OMITS);

/** The flags of a stage that `run` accepts, as its help names them. */
const runStageFlags = (stage: Exclude<Stage, 'run' | 'common'>): string[] =>
  OPTIONS[stage].filter((s) => !NOT_RUN.has(s.name)).map((s) => (s.type === 'boolean' && s.default === true ? `--no-${s.name}` : `--${s.name}`));

/** Runs custkit with argv (without node and script); resolves to the exit code. */
export async function main(argv: string[], io: MainIO = {}): Promise<number> {
  const stdout = io.stdout ?? process.stdout;
  // A reader going away or a full disk behind stdout becomes an exit code, not a crash.
  if (stdout === process.stdout) watchStdoutErrors();
  const stderr = io.stderr ?? process.stderr;
  const env = io.env ?? process.env;
  const started = performance.now();
  let exitCode: number = EXIT.OK;
  let debug = argv.includes('--debug');
  // Old option spellings still work for one release, with a note naming the new one.
  argv = rewriteDeprecated(argv, (text) => stderr.write(`custkit: ${text}\n`));
  const stats: Record<string, number> = {};

  const program = new Command('custkit')
    .description('Customer analytics from order exports: ingest → clean → segment → score → report, or all at once with run.')
    .version(VERSION, '-V, --version')
    .exitOverride()
    .configureOutput({ writeOut: (s) => stdout.write(s), writeErr: (s) => stderr.write(escapeKeepingColour(s, true)) })
    .showSuggestionAfterError(true)
    .addHelpText('after', '\nExit codes: 0 ok · 1 usage · 2 input/data · 3 reject budget · 4 --fail-if alert · 5 model · 70 internal · 128+N stopped by signal N (130 SIGINT, 143 SIGTERM).\nRun `custkit <command> --help` for a command\'s usage.');

  for (const spec of COMMANDS) {
    const cmd = program.command(spec.name).description(spec.summary);
    if (spec.args) cmd.arguments(spec.args);
    // Usage text, options, then the examples last; run lists its stages' options by name only (one screen).
    const { about, examples } = splitHelp(spec.help);
    cmd.addHelpText('before', about + '\n');
    if (examples) cmd.addHelpText('after', '\n' + examples);
    const stageLines = spec.name === 'run' ? stageOptionLines(spec.stages.map((st) => ({ stage: st, flags: runStageFlags(st) }))) : [];
    cmd.configureHelp({ formatHelp: (c, h) => formatCommandHelp(c, h, stageLines) });
    cmd.exitOverride();
    cmd.configureOutput({ writeOut: (s) => stdout.write(s), writeErr: (s) => stderr.write(escapeKeepingColour(s, true)) });
    cmd.option('--config <file>', 'read options from a JSON config file (flags override it)');
    for (const s of OPTIONS.common) addSpec(cmd, s);
    for (const stage of spec.stages) for (const s of OPTIONS[stage]) if (!spec.omit?.includes(s.name)) addSpec(cmd, s, spec.name === 'run');
    for (const x of spec.extra ?? []) {
      if (x.hidden) cmd.addOption(new Option(x.flags, x.description).hideHelp());
      else cmd.option(x.flags, withRange(x.description, x.range), x.default as string | boolean | undefined);
    }
    cmd.action(async (...actionArgs: unknown[]) => {
      const c = actionArgs[actionArgs.length - 1] as Command;
      const opts = c.opts() as Record<string, unknown>;
      debug = Boolean(opts.debug);
      const config: ConfigFile | null = typeof opts.config === 'string' ? loadConfig(opts.config) : null;
      if (config) applyConfig(c, spec, opts, config);
      if (spec.name !== 'sql') normaliseAsOf(opts, () => todayIsoFrom(env)); // sql writes today/latest into the query itself
      validateCliValues(spec, opts);
      const ctx: CommandContext = {
        stdout,
        msgs: createMessages({ quiet: Boolean(opts.quiet), stream: stderr, env }),
        config,
        debug,
        stats,
        today: () => todayFrom(env),
        version: VERSION_STRING,
        env,
      };
      const positional = (c.args ?? []).map(String);
      exitCode = await spec.run(ctx, positional, opts);
    });
  }

  try {
    if (argv.length === 0) {
      program.outputHelp();
      return EXIT.OK;
    }
    await program.parseAsync(argv, { from: 'user' });
  } catch (e) {
    exitCode = handleError(e, stderr, debug);
  } finally {
    // What the command made and did not keep (spools, temporary files) goes now, on every path.
    runCleanup();
  }
  if (env.CUSTKIT_STATS) {
    const ru = process.resourceUsage();
    stderr.write(`custkit-stats: ${JSON.stringify({ maxRssKb: ru.maxRSS, wallMs: Math.round(performance.now() - started), stages: stats })}\n`);
  }
  return exitCode;
}

/** Config values fill options the command line did not set. */
function applyConfig(c: Command, spec: CommandSpec, opts: Record<string, unknown>, config: ConfigFile): void {
  const sections: (keyof ConfigFile)[] = spec.name === 'run' ? ['ingest', 'clean', 'segment', 'score', 'report', 'run'] : spec.stages;
  for (const sec of sections) {
    for (const [k, v] of Object.entries(config[sec])) {
      const key = camel(k);
      if (sec === 'run' && !RUN_OPTIONS.some((r) => r.name === k)) continue;
      if (sec !== 'run' && spec.omit?.includes(k)) {
        // Not an option of this command: a default (as `init` writes every key) is skipped, any
        // other value refused rather than ignored. run's own --format replaces report's.
        const def = OPTIONS[sec as Exclude<keyof ConfigFile, 'run'>].find((s) => s.name === k)?.default ?? null;
        if (v === null || v === def || k === 'format') continue;
        throw usageError(`config ${sec}.${k}: ${spec.name} does not take --${k}`, `remove it from the config for ${spec.name}, or run \`custkit ${sec}\` for it`);
      }
      if (c.getOptionValueSource(key) === 'cli') continue;
      if (v === null) continue;
      opts[key] = v;
    }
  }
}

/** Checks typed option values and ranges from the command line with the same rules as the config. */
function validateCliValues(spec: CommandSpec, opts: Record<string, unknown>): void {
  for (const stage of spec.stages) {
    for (const s of OPTIONS[stage]) {
      const v = opts[camel(s.name)];
      if (v === undefined || v === null) continue;
      if (s.type === 'number' || s.type === 'integer' || s.type === 'date' || s.range) opts[camel(s.name)] = checkValue(s, v, `--${s.name}`);
    }
  }
  for (const x of spec.extra ?? []) {
    const name = /--([a-z-]+)/.exec(x.flags)![1]!;
    const v = opts[camel(name)];
    if (x.range && v !== undefined && v !== null) checkRange(x.range, v, `--${name}`);
  }
}

function handleError(e: unknown, stderr: NodeJS.WritableStream, debug: boolean): number {
  if (e instanceof CommanderError) {
    if (e.code === 'commander.helpDisplayed' || e.code === 'commander.version' || e.code === 'commander.help') return EXIT.OK;
    return EXIT.USAGE; // commander already printed its one-line message
  }
  if (e instanceof BrokenPipe || (e as NodeJS.ErrnoException)?.code === 'EPIPE') return EXIT.OK;
  // A full disk, a read-only folder, an output path naming a folder: the environment, exit 2.
  const known = e instanceof CustkitError ? e : environmentError(e);
  if (known) {
    stderr.write(formatError(known) + '\n');
    if (debug && (e as Error).stack) stderr.write((e as Error).stack + '\n');
    return known.exitCode;
  }
  const err = e as Error;
  stderr.write(`custkit: internal error: ${quoteDatum(String(err?.message ?? e))} (hint: rerun with --debug and report it)\n`);
  if (debug && err?.stack) stderr.write(err.stack + '\n');
  return EXIT.INTERNAL;
}
