/** Options several command files declare alike. */
import { asOfDescription } from '../config/options.js';
export const OUTPUT_OPTION = { flags: '-o, --output <file>', description: 'write data here (atomically) instead of stdout' };
export const ALLOW_EMPTY_OPTION = { flags: '--allow-empty', description: 'accept an input with no data rows (else exit 2)' };

/** --as-of for a command that gives it its own meaning (segment's is in config/options.ts). */
export const asOfOption = (what: string, latest: string, def?: string): { flags: string; description: string; default?: string } =>
  ({ flags: '--as-of <date>', description: asOfDescription(what, latest), ...(def === undefined ? {} : { default: def }) });
