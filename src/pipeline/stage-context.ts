/**
 * What a composition of stages (`run`) needs from the command that calls it, handed in rather
 * than reached for: the pipeline does not import cli/. cli/command.ts's CommandContext extends it.
 */
import type { Messages } from '../io/messages.js';

export interface StageContext {
  msgs: Messages;
  /** Extra facts for CUSTKIT_STATS (stage timings). */
  stats: Record<string, number>;
  /** The day the command runs, as a day number (the default date window ends the day after). */
  today(): number;
  /** "custkit X.Y.Z": stamped into the run id, run.json, the report and the manifest. */
  version: string;
}
