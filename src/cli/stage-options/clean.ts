/** The clean stage's typed options from the parsed flags (and config): clean and run build them alike. */
import { usageError } from '../../errors.js';
import type { CleanOptions } from '../../core/clean/clean-options.js';
import { listValue, dayOption, asOfDay } from '../../config/options.js';
import { readExcludeList } from '../../pipeline/exclude-list.js';
import type { CleanStageOptions } from '../../pipeline/clean-stage.js';

export function cleanOptionsFrom(o: Record<string, unknown>): CleanStageOptions {
  const fw = Number(o.foldWindow ?? 10000);
  if (!Number.isInteger(fw) || fw < 1) throw usageError(`--fold-window ${String(o.foldWindow)} is not valid`, 'a whole number ≥ 1');
  const since = dayOption(o.since, 'since');
  const until = dayOption(o.until, 'until');
  if (since !== null && until !== null && since > until) throw usageError('--since is after --until');
  return {
    returns: (o.returns ?? 'net') as CleanOptions['returns'],
    duplicates: (o.duplicates ?? 'auto') as CleanOptions['duplicates'],
    guests: (o.guests ?? 'drop') as CleanOptions['guests'],
    guestIds: listValue(o.guestIds),
    outliers: (o.outliers ?? 'flag') as CleanStageOptions['outliers'],
    exclude: o.exclude ? readExcludeList(String(o.exclude)).ids : new Set<string>(),
    since,
    until,
    asOf: asOfDay(o.asOf),
    foldWindow: fw,
  };
}
