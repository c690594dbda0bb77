/**
 * A 0-byte or header-only export is the usual sign that the upstream export failed: ingest,
 * clean, segment and run refuse input with no data rows (exit 2) unless --allow-empty.
 */
import { dataError } from '../errors.js';
import { inputLabel } from '../io/text-input.js';

/** Throws when `rows` (data rows read from `files`) is 0 and an empty input was not allowed. */
export function refuseEmptyInput(command: string, rows: number, files: string[], allowEmpty: boolean): void {
  if (rows > 0 || allowEmpty) return;
  const named = files.map(inputLabel);
  throw dataError(
    `no data rows (the input is empty or only a header)${command === 'run' ? '; the output folder is left as it was' : ''}`,
    { file: named.join(', ') },
    'an empty export usually means the export upstream failed; --allow-empty accepts it',
  );
}
