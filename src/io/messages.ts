/**
 * Messages for people go to stderr (data goes to stdout). Colour only when stderr is a
 * TTY and NO_COLOR is unset (https://no-color.org); `--quiet` silences notes but never
 * errors. A progress line is shown only on a TTY, at most 5 times a second. Lines may quote
 * data (file names, ids), so control characters in them are shown escaped (terminal-text.ts);
 * custkit's own colours and line breaks pass; a line is cut at LINE_MAX characters.
 */
import { Chalk } from 'chalk';
import { escapeKeepingColour } from '../core/terminal-text.js';

export interface Messages {
  /** Informational line (suppressed by --quiet). */
  note(text: string): void;
  /** Warning line (suppressed by --quiet). */
  warn(text: string): void;
  /** A line that always prints, even under --quiet (alerts, budget failures). */
  error(text: string): void;
  /** Progress (TTY only, overwritten in place). */
  progress(text: string): void;
  /** Clears a progress line. */
  endProgress(): void;
  readonly color: boolean;
  readonly quiet: boolean;
  /** stderr is a terminal (a person reads it, not a log). */
  readonly tty: boolean;
  readonly chalk: InstanceType<typeof Chalk>;
}

export interface MessageOptions {
  quiet?: boolean;
  stream?: NodeJS.WritableStream & { isTTY?: boolean };
  /** NO_COLOR and FORCE_COLOR are read from here (the CLI hands in its environment). */
  env: Readonly<Record<string, string | undefined>>;
}

export function colourWanted(stream: { isTTY?: boolean }, env: Readonly<Record<string, string | undefined>>): boolean {
  if (env.NO_COLOR !== undefined && env.NO_COLOR !== '') return false;
  if (env.FORCE_COLOR !== undefined && env.FORCE_COLOR !== '0') return true;
  return Boolean(stream.isTTY);
}

/** Most characters of one message line: notes quote header names and paths, which may be huge. */
const LINE_MAX = 2000;
const capLine = (line: string): string => (line.length > LINE_MAX ? line.slice(0, LINE_MAX) + '…' : line);

export function createMessages(opts: MessageOptions): Messages {
  const stream = opts.stream ?? process.stderr;
  const color = colourWanted(stream, opts.env);
  const tty = Boolean(stream.isTTY);
  const chalk = new Chalk({ level: color ? 1 : 0 });
  const quiet = Boolean(opts.quiet);
  const safe = (text: string): string => escapeKeepingColour(text.split('\n').map(capLine).join('\n'), true);
  let lastProgress = 0;
  let progressShown = false;
  const clear = (): void => {
    if (progressShown) {
      stream.write('\r\x1b[2K');
      progressShown = false;
    }
  };
  return {
    color,
    quiet,
    tty,
    chalk,
    note(text) {
      if (quiet) return;
      clear();
      stream.write(safe(text) + '\n');
    },
    error(text) {
      clear();
      stream.write(safe(text) + '\n');
    },
    warn(text) {
      if (quiet) return;
      clear();
      stream.write(chalk.yellow('warning: ') + safe(text) + '\n');
    },
    progress(text) {
      if (quiet || !tty) return;
      const now = performance.now();
      if (now - lastProgress < 200) return;
      lastProgress = now;
      stream.write('\r\x1b[2K' + chalk.dim(escapeKeepingColour(text)));
      progressShown = true;
    },
    endProgress() {
      clear();
    },
  };
}

/** Silent messages (tests, library use). */
export const silentMessages = (): Messages => createMessages({ quiet: true, stream: { write: () => true, isTTY: false } as unknown as NodeJS.WritableStream, env: {} });
