/** What every command file exports, and what main() hands to it. */
import type { Messages } from '../io/messages.js';
import type { Stage } from '../config/options.js';
import type { OptionRange } from '../config/option-range.js';
import type { ConfigFile } from '../config/config-file.js';
import type { StageContext } from '../pipeline/stage-context.js';

export interface CommandContext extends StageContext {
  /** Where data goes (stdout unless --output). */
  stdout: NodeJS.WritableStream & { isTTY?: boolean; columns?: number };
  msgs: Messages;
  config: ConfigFile | null;
  debug: boolean;
  /** The day the command runs (clock.ts: UTC, or CUSTKIT_TODAY), as a day number; read when a command needs it. */
  today(): number;
  /** main()'s environment (a test's own, else process.env): the only environment commands read. */
  env: NodeJS.ProcessEnv;
}

export interface CommandSpec {
  name: string;
  /** Positional arguments in commander syntax: '[files...]'. */
  args: string;
  summary: string;
  /** The usage text at the top of the command file: what it does, what it costs, examples. */
  help: string;
  /** Option groups it accepts (from config/options.ts). */
  stages: Exclude<Stage, 'run' | 'common'>[];
  /**
   * Options of those groups this command does not take (not listed in its help, refused on the
   * command line, skipped in a config file): e.g. run reads files only, so not ingest's --from.
   */
  omit?: readonly string[];
  /** Command-specific extra options in commander syntax. */
  extra?: { flags: string; description: string; default?: string | boolean; range?: OptionRange; /** Accepted but left out of --help (README documents it). */ hidden?: boolean }[];
  run(ctx: CommandContext, args: string[], opts: Record<string, unknown>): Promise<number>;
}
