/** What a stage's result says to the user: ingest's reject rate (the --max-reject-rate budget) and the text of the notes on stderr. */

/**
 * Share of rows rejected as unreadable. Rows rejected only for a missing customer id
 * (guest checkouts) are listed in the rejects file but do not count against the budget:
 * they are normal in shop exports, not a sign of a misread file.
 */
export function rejectRate(res: { rowsRead: number; rowsOut: number; rejected: Record<string, number> }): number {
  const bad = res.rowsRead - res.rowsOut - (res.rejected.missing_customer_id ?? 0);
  return res.rowsRead ? bad / res.rowsRead : 0;
}

/** The --fold-ids count: every id folding changed is merged into its folded form. */
export const foldedLine = (f: { ids: number; rows: number }): string =>
  `--fold-ids changed ${f.ids} distinct customer id${f.ids === 1 ? '' : 's'} as written (${f.rows} row${f.rows === 1 ? '' : 's'}), each merged into its folded form`;

/** "a: 3, b: 1" for counts by reason, largest first. */
export function countsLine(counts: Record<string, number>): string {
  const e = Object.entries(counts).filter(([, n]) => n > 0).sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1));
  return e.length ? e.map(([k, n]) => `${k} ${n}`).join(', ') : 'none';
}

/** Formats a MB/s figure. */
export const mbps = (bytes: number, ms: number): string => (ms > 0 ? (bytes / 1e6 / (ms / 1000)).toFixed(1) : '–');
