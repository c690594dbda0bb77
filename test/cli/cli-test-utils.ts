/** Small helpers shared by the CLI tests in this folder: reading canonical output and rejects files, temp dirs. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { roundMoney } from '../../src/core/money.js';

/** Rows of a CSV text with a header, as objects (csv-parse: an independent reader, not custkit's tokenizer). */
export function csvRecords(text: string): Record<string, string>[] {
  return parse(text, { columns: true, skip_empty_lines: true }) as Record<string, string>[];
}

/** Header of a CSV text. */
export function csvHeader(text: string): string[] {
  return (parse(text, { to_line: 1 }) as string[][])[0] ?? [];
}

/**
 * Σ of the amount column, exact for amounts with up to 6 decimals (summed as integer
 * micro-units, so 70,000 float additions cannot drift), then as a number rounded like
 * custkit's money values (core/money.ts).
 */
export function sumAmounts(rows: Record<string, string>[]): number {
  let micro = 0;
  for (const r of rows) micro += Math.round(Number(r.amount) * 1e6);
  if (!Number.isSafeInteger(micro)) throw new Error('sum too large for exact micro-units');
  return roundMoney(micro / 1e6);
}

/** Reject counts by reason from a rejects file's text. */
export function countReasons(rejectsText: string): Record<string, number> {
  const out: Record<string, number> = {};
  for (const r of csvRecords(rejectsText)) out[r.reason!] = (out[r.reason!] ?? 0) + 1;
  return out;
}

/** A fresh temp directory and its cleanup. */
export function tempDir(prefix = 'custkit-cli-'): { dir: string; path(name: string): string; cleanup(): void } {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  return { dir, path: (name) => join(dir, name), cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}
