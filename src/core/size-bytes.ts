/** Sizes as DuckDB reads them (`--memory-limit`): decimal KB/MB/GB/TB, binary KiB/MiB/GiB/TiB. */

const BYTES: Record<string, number> = { b: 1, kb: 1e3, mb: 1e6, gb: 1e9, tb: 1e12, kib: 2 ** 10, mib: 2 ** 20, gib: 2 ** 30, tib: 2 ** 40 };

/** Bytes of a size like 2GB or 512MiB; null if not one. */
export function sizeBytes(s: string): number | null {
  const m = /^\s*(\d+(?:\.\d+)?)\s*([a-zA-Z]+)\s*$/.exec(s);
  const unit = m ? BYTES[m[2]!.toLowerCase()] : undefined;
  return m && unit !== undefined ? Number(m[1]) * unit : null;
}
