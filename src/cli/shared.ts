/** Options several command files declare alike. */
export const OUTPUT_OPTION = { flags: '-o, --output <file>', description: 'write data here (atomically) instead of stdout' };
export const ALLOW_EMPTY_OPTION = { flags: '--allow-empty', description: 'accept an input with no data rows (else exit 2)' };
