/**
 * The pseudonym key of --pseudonymize: from the file named by --pseudonym-key-file, else from
 * the CUSTKIT_PSEUDONYM_KEY environment variable; never from a command-line value (those end in
 * shell histories and process lists). Read here only, and never printed.
 */
import { readFileSync } from 'node:fs';
import { dataError, usageError } from '../errors.js';
import { MIN_KEY_BYTES, Pseudonymizer } from '../core/privacy/pseudonym.js';

export const PSEUDONYM_KEY_ENV = 'CUSTKIT_PSEUDONYM_KEY';

/** The pseudonymizer the options ask for, or null without --pseudonymize. */
export function pseudonymizerFrom(o: Record<string, unknown>, env: NodeJS.ProcessEnv): Pseudonymizer | null {
  const file = o.pseudonymKeyFile ? String(o.pseudonymKeyFile) : null;
  if (!o.pseudonymize) {
    if (o.pseudonymMap) throw usageError('--pseudonym-map needs --pseudonymize', 'add --pseudonymize, with the key in CUSTKIT_PSEUDONYM_KEY or --pseudonym-key-file');
    if (file) throw usageError('--pseudonym-key-file needs --pseudonymize');
    return null;
  }
  if (o.backtestOut) throw usageError('--backtest-out writes customer ids as they are: not with --pseudonymize', 'leave out --backtest-out; backtest.json and the reports carry the backtest');
  let key: string;
  let where: string;
  if (file) {
    try {
      // One trailing line ending is not part of the key (`echo … > key` writes one).
      key = readFileSync(file, 'utf8').replace(/\r?\n$/, '');
    } catch (e) {
      throw dataError(`cannot read the pseudonym key (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`, { file }, 'give a readable file holding the key');
    }
    where = `--pseudonym-key-file ${file}`;
  } else {
    const v = env[PSEUDONYM_KEY_ENV];
    if (v === undefined || v === '') {
      throw dataError(`--pseudonymize needs a key: ${PSEUDONYM_KEY_ENV} is not set and no --pseudonym-key-file was given`, undefined, `set ${PSEUDONYM_KEY_ENV} or write the key to a file for --pseudonym-key-file (at least ${MIN_KEY_BYTES} bytes, kept secret)`);
    }
    key = v;
    where = PSEUDONYM_KEY_ENV;
  }
  if (Buffer.byteLength(key, 'utf8') < MIN_KEY_BYTES) {
    throw dataError(`the pseudonym key in ${where} is shorter than ${MIN_KEY_BYTES} bytes`, undefined, 'use a long random key, e.g. `openssl rand -base64 32`');
  }
  return new Pseudonymizer(key, { remember: Boolean(o.pseudonymMap) });
}
