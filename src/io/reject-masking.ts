/**
 * Personal data in rejects.csv (people open it to fix their export): the raw row's cells under
 * a personal-data header are masked, e-mails and phone numbers anywhere in it too, unless
 * `--pii show`; under --pseudonymize the customer id cell becomes its pseudonym, and a raw text
 * whose cells are unknown (a broken quote, a ragged row) is withheld rather than risk the id.
 */
import type { Reject } from '../core/types.js';
import { maskContactsInText, maskPersonal } from '../core/privacy/mask.js';
import type { PiiMode } from '../core/privacy/pii-columns.js';
import type { Pseudonymizer } from '../core/privacy/pseudonym.js';
import { normalizeCustomerId } from '../core/ingest/numbers.js';
import { csvLine } from './csv-format.js';

export interface RejectPrivacy {
  pii: PiiMode;
  pseudonyms?: Pseudonymizer | null;
}

/** What replaces a raw text that cannot be pseudonymised cell by cell. */
export const WITHHELD_RAW = '(withheld: --pseudonymize, the row could not be split into cells)';

/** Cells of one line written by csvLine (comma-separated, `"` doubled inside quoted cells). */
export function splitCsvLine(line: string): string[] {
  const out: string[] = [];
  let i = 0;
  for (;;) {
    let cell = '';
    if (line[i] === '"') {
      i++;
      for (;;) {
        const q = line.indexOf('"', i);
        if (q < 0) { cell += line.slice(i); i = line.length; break; }
        cell += line.slice(i, q);
        if (line[q + 1] === '"') { cell += '"'; i = q + 2; } else { i = q + 1; break; }
      }
      const c = line.indexOf(',', i);
      if (c < 0) { out.push(cell); return out; }
      i = c + 1;
    } else {
      const c = line.indexOf(',', i);
      if (c < 0) { out.push(line.slice(i)); return out; }
      out.push(line.slice(i, c));
      i = c + 1;
      continue;
    }
    out.push(cell);
  }
}

/** The reject as written: raw and detail masked as `p` says (personal-data fields dropped). */
export function maskReject(r: Reject, p: RejectPrivacy): Reject {
  const pseudo = p.pseudonyms ?? null;
  const mask = p.pii !== 'show';
  let raw = r.raw;
  let detail = r.detail;
  if (r.idCell !== undefined) {
    const cells = splitCsvLine(raw);
    if (mask) for (const i of r.piiCells ?? []) if (i !== r.idCell && cells[i] !== undefined) cells[i] = maskPersonal(cells[i]!);
    if (pseudo && r.idCell >= 0 && cells[r.idCell] !== undefined) {
      // An id ingest refuses (a control character inside) is still someone's id: hashed as written.
      const id = normalizeCustomerId(cells[r.idCell]!) ?? cells[r.idCell]!;
      if (id !== '') {
        const pid = pseudo.of(id);
        // The id can also stand in the detail (e.g. an id cell read as a date column's value).
        detail = detail.split(id).join(pid);
        cells[r.idCell] = pid;
      }
    }
    if (mask) for (let i = 0; i < cells.length; i++) cells[i] = maskContactsInText(cells[i]!);
    raw = csvLine(cells).replace(/\n$/, '');
  } else if (pseudo) raw = WITHHELD_RAW;
  else if (mask) raw = maskContactsInText(raw);
  if (mask) detail = maskContactsInText(detail);
  return { file: r.file, line: r.line, reason: r.reason, detail, raw };
}
