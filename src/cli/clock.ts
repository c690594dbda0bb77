/**
 * "Today" for custkit: the UTC calendar day the command runs, as a day number. Ingest's
 * default date window ends the day after it (a shop ahead in time zone may already be there).
 * CUSTKIT_TODAY=YYYY-MM-DD sets it, so tests do not depend on the real date; it is read here
 * only, and given to the commands in their context.
 */
import { usageError } from '../errors.js';
import { formatDay, parseIsoDay } from '../core/time/day.js';

export function todayFrom(env: NodeJS.ProcessEnv, now: number = Date.now()): number {
  const v = env.CUSTKIT_TODAY;
  if (v === undefined || v === '') return Math.floor(now / 86400000);
  const d = parseIsoDay(v);
  if (d === null) throw usageError(`CUSTKIT_TODAY "${v}" is not a date`, 'write it as YYYY-MM-DD, or unset it to use the clock');
  return d;
}

/** The same day as YYYY-MM-DD (what `--as-of today` means). */
export const todayIsoFrom = (env: NodeJS.ProcessEnv): string => formatDay(todayFrom(env));
