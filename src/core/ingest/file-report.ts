/** What ingest reports about each source: its reading (encoding, delimiter, formats) and its column mapping. */

export interface FileReport {
  file: string;
  encoding: string;
  delimiter: string;
  header: boolean;
  mapping: string;
  /** No money column mapped: amounts are absent. */
  amountless?: boolean;
  /** field → source column (header name, or 1-based number for header-less files). */
  fields: Record<string, string>;
  /**
   * The mapping as a --map value that resolves to the same columns again (what `init`
   * writes): header names, except a 1-based column number for a name --map cannot carry
   * (one containing `,` or `=`, empty, or not the first column of that name).
   */
  mapSpec: string;
  dateFormat: string;
  decimal: string;
  rows: number;
}

/** How --map names column i so that it resolves back to i (see FileReport.mapSpec). */
export function mapSource(header: string[] | null, i: number): string {
  const name = header?.[i];
  if (name === undefined || name === '' || /[,=]/.test(name) || header!.indexOf(name) !== i) return String(i + 1);
  return name;
}
